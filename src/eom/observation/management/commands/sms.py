from django.core.management.base import BaseCommand, CommandError

from eom.observation.channels.sms import send_queued


class Command(BaseCommand):
    help = "Send the queued SMS that are due (eom sms send-queued), retrying failed ones later."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["send-queued"])
        parser.add_argument("--limit", type=int, default=500, help="at most this many (500)")

    def handle(self, *args, action, limit, **options):
        counts = send_queued(limit=limit)
        self.stdout.write(
            f"sent {counts['sent']}, to retry {counts['retry']}, failed {counts['failed']}"
        )
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} messages failed for good; see the SMS log")
