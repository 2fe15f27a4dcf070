from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from eom.missions import twofactor


class Command(BaseCommand):
    help = "Remove a login's two-factor devices (a lost phone): its next sign-in enrols a new one."

    def add_arguments(self, parser):
        parser.add_argument("username", help="the login whose authenticator app is lost")

    def handle(self, *args, username: str, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No login {username!r}.")
        # actor=None: the server's operator, on the command line.
        removed = twofactor.reset_devices(actor=None, channel="command", user=user)
        if removed == 0:
            self.stdout.write(f"{username!r} had no two-factor device; nothing to reset.")
            return
        self.stdout.write(
            f"Removed {removed} two-factor device(s) of {username!r}; its sessions need a code "
            "again, and its next sign-in shows a new QR code to scan."
        )
