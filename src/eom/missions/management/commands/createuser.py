from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from eom.missions import audit
from eom.missions.models import Channel, Person
from eom.missions.services import current_mission


class Command(BaseCommand):
    help = "Create a login, optionally for a person of the mission (its access decides what it sees)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--person", help="code of the person this login belongs to")
        parser.add_argument(
            "--administrator", action="store_true", help="a login with no person, administrator"
        )
        parser.add_argument("--password", help="the password (asked for when omitted)")
        parser.add_argument("--email", default="")

    @transaction.atomic
    def handle(self, *args, username, person, administrator, password, email, **options):
        users = get_user_model().objects
        if users.filter(username=username).exists():
            raise CommandError(f"the login {username!r} exists already")
        if bool(person) == bool(administrator):
            raise CommandError("give either --person CODE or --administrator")
        target = None
        if person:
            mission = current_mission()
            target = Person.objects.filter(mission=mission, code=person).first()
            if target is None:
                raise CommandError(f"no person has the code {person!r} in the mission")
            if target.user_id:
                raise CommandError(f"{target.full_name} already has the login {target.user}")
        if not password:
            import getpass

            password = getpass.getpass("Password: ")
        try:  # Django's validators (settings.AUTH_PASSWORD_VALIDATORS), with the new login
            with translation.override(settings.LANGUAGE_CODE):
                validate_password(password, users.model(username=username, email=email))
        except ValidationError as exc:
            raise CommandError("the password is refused: " + " ".join(exc.messages)) from exc
        user = users.create_user(username, email, password)
        if administrator:
            user.is_superuser = True
        if target is not None:
            target.user = user
            target.save(update_fields=["user"])
        user.save()
        audit.record(
            actor=None,
            channel=Channel.COMMAND,
            action="create",
            obj=user,
            changes={"username": [None, username], "person": [None, person or ""]},
        )
        who = target.full_name if target else "administrator"
        self.stdout.write(f"Created the login {username!r} for {who}.")
