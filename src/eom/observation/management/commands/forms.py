from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from eom.missions.commands import command_mission
from eom.missions.models import Channel
from eom.observation.models import Form
from eom.observation.services import load_form
from eom.xlsform.reader import XLSFormError


class Command(BaseCommand):
    help = "Load XLSForm checklists (eom forms load FILE.xlsx …) or list the loaded ones."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["load", "list"])
        parser.add_argument("files", nargs="*", help="XLSForm workbooks (.xlsx)")
        parser.add_argument("--mission", help="mission code (default: the current mission)")

    def handle(self, *args, action, files, mission, **options):
        target = command_mission(mission)
        if action == "list":
            for form in Form.objects.filter(mission=target).select_related("current_version"):
                version = form.current_version.version if form.current_version else "-"
                self.stdout.write(f"{form.form_id:<12} {form.stage:<11} {version:<12} {form.title}")
            return
        if not files:
            raise CommandError("name the workbooks to load")
        failed = False
        for name in files:
            path = Path(name)
            try:
                version = load_form(actor=None, channel=Channel.COMMAND, mission=target,
                                    source=path.read_bytes(), filename=path.name)
            except OSError as error:
                raise CommandError(f"{name}: cannot read ({error.strerror})") from error
            except XLSFormError as error:
                failed = True
                self.stderr.write(f"{name}: not loaded")
                for problem in error.problems:
                    self.stderr.write(f"  {problem}")
                continue
            except ValueError as error:
                failed = True
                self.stderr.write(f"{name}: not loaded: {error}")
                continue
            self.stdout.write(f"{name}: {version.form.form_id} version {version.version} loaded")
        if failed:
            raise CommandError("some workbooks were not loaded")
