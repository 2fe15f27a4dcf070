import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from eom.demo import kz2023


class Command(BaseCommand):
    help = "Migrate the database, load the Kazakhstan 2023 demo mission (once) and serve it."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="load the data and stop")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--simulate-teams", type=int, default=None,
            help="how many STO teams the simulated election day covers (default: all)",
        )

    def handle(self, *args, no_serve: bool, port: int, host: str, simulate_teams, **options):
        import time

        call_command("migrate", interactive=False, verbosity=0)
        started = time.perf_counter()
        created = kz2023.load()
        kz2023.enrol_two_factor()  # also in a demo loaded by an earlier version
        kz2023.load_draft_statement()  # also in a demo loaded by an earlier version
        practice = kz2023.practice_deployments()  # from today, also in a demo loaded before
        seconds = time.perf_counter() - started
        if created:
            self.stdout.write(f"Loaded the demo mission in {seconds:.1f} s.")
        else:
            self.stdout.write("The demo mission is already loaded; nothing was added.")
        from eom.observation.models import Submission

        if not Submission.objects.exists():
            self.stdout.write("Simulating election day through the HTTP API …")
            call_command("simulate", "election-day", teams=simulate_teams, stdout=self.stdout)
            from eom.demo.results import plant_discrepancies
            from eom.missions.models import Mission

            plant_discrepancies(Mission.objects.get(code=kz2023.MISSION_CODE))
        call_command("summary", stdout=self.stdout)
        self.stdout.write("\nDemo logins (every password is the same):")
        for username, password, access in kz2023.demo_logins():
            self.stdout.write(f"  {username:<12} {password:<16} {access}")
        self.write_practice(practice)
        self.write_two_factor()
        if not no_serve:
            call_command("serve", port=port, host=host, stdout=self.stdout)

    def write_practice(self, practice) -> None:
        if practice is None:
            return
        first, last = practice
        self.stdout.write(
            "\nElection day is 19 March 2023 in the demo's data. So that checklists filled today "
            "can be sent,\nevery short-term observer team is also deployed to its polling "
            f"stations from {first:%d %B %Y} to {last:%d %B %Y}\n(a practice deployment, "
            "marked synthetic). Sign in as observer to fill one; running eom demo\nagain "
            "moves the practice to the new day."
        )

    def write_two_factor(self) -> None:
        if not settings.EOM_REQUIRE_2FA:
            return
        secret = kz2023.DEMO_TOTP_SECRET
        self.stdout.write(
            f"\n{' and '.join(kz2023.TWO_FACTOR_LOGINS)} also ask for a 6-digit code from an "
            "authenticator app (two-factor sign-in).\n"
            "Type this secret into the app (both logins share it):\n"
            f"  {kz2023.two_factor_secret_base32()}\n"
            "or print the current code with:\n"
            f"  {sys.executable} -c \"from django_otp.oath import totp; "
            f"print('%06d' % totp(bytes.fromhex('{secret}')))\""
        )
