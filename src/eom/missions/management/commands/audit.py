from django.core.management.base import BaseCommand, CommandError

from eom.missions import audit


class Command(BaseCommand):
    help = "Check the audit trail: `eom audit verify` names the first entry altered or removed."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="subcommand", required=True)
        commands.add_parser(
            "verify", help="walk the hash chain of the audit trail and compare it with its head"
        )

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "verify":
            report = audit.verify_chain()
            if not report.intact:
                raise CommandError(
                    f"The audit trail was tampered with: {report.problem}. "
                    f"{report.n_entries} entries read up to there."
                )
            self.stdout.write(
                f"{report.n_entries} entries, chain intact; head {report.head_seq} "
                f"{report.head_hash}"
            )
