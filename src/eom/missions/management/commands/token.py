from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from eom.missions import permissions, services


class Command(BaseCommand):
    help = "Issue an API token for a login and print it (once: only its digest is stored)."

    def add_arguments(self, parser):
        parser.add_argument("username", help="the login the token acts as")
        parser.add_argument("--name", default="command line", help="what the token is for")
        parser.add_argument(
            "--days", type=int, default=None,
            help="how many days the token works (default EOM_TOKEN_DAYS, 90; at most 3650)",
        )

    def handle(self, *args, username: str, name: str, days: int | None, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No login {username!r}.")
        if not user.is_active:
            raise CommandError(f"The login {username!r} is inactive; a token would not work.")
        # actor=None: the server's operator, on the command line.
        try:
            with translation.override(settings.LANGUAGE_CODE):
                token, plain = services.issue_token(
                    actor=None, channel="command", user=user, name=name, days=days
                )
        except ValueError as exc:
            raise CommandError(f"--days {days}: {exc}") from exc
        if not permissions.can_use(user):
            self.stderr.write(
                f"Warning: {username!r} has no access to eom; the API will answer 403 "
                "until it is given a person with access."
            )
        self.stdout.write(plain)
        expires = timezone.localtime(token.expires_at).isoformat(timespec="minutes")
        self.stderr.write(f"It works until {expires}.")
