from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from eom.missions import crypto


class Command(BaseCommand):
    help = "The data key that seals confidential text: generate a key, check, rotate."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser("generate", help="print a new random data key")
        actions.add_parser(
            "check", help="count the stored values each configured key opens (reads only)"
        )
        actions.add_parser(
            "rotate",
            help="reseal every stored value with the first key of EOM_DATA_KEY, in one "
            "transaction; afterwards the other keys can be dropped",
        )

    def handle(self, *args, action: str, **options):
        if action == "generate":
            self.stdout.write(crypto.generate_key())
            return
        try:
            if action == "check":
                self._check()
            else:
                self._rotate()
        except crypto.SealedValueError as exc:
            raise CommandError(str(exc)) from exc

    def _check(self) -> None:
        usage = crypto.key_usage()
        n_keys = len(settings.EOM_DATA_KEYS)
        for label, counts in usage.items():
            by_key = ", ".join(f"key {i + 1}: {n:,}" for i, n in enumerate(counts))
            self.stdout.write(f"{label:<24} {by_key}")
        if any(sum(counts[1:]) for counts in usage.values()):
            self.stdout.write("Values sealed with an older key remain: run `eom keys rotate`.")
        elif n_keys > 1:
            self.stdout.write(
                "Every value opens with key 1: the others may be dropped once no kept backup "
                "needs them."
            )

    def _rotate(self) -> None:
        counts = crypto.reseal_all()
        for label, n in counts.items():
            self.stdout.write(f"{label:<24} {n:,} values resealed")
        if connection.vendor == "sqlite" and not connection.in_atomic_block:
            # Old tokens linger in the file's free pages and its write-ahead log until then.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM")
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.stdout.write(
            "Every value is sealed with key 1. Keep the older keys as long as backups made "
            "before now are kept: those backups need them."
        )
