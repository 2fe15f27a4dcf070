from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from eom.missions.commands import command_mission
from eom.missions.models import Channel
from eom.observation.models import Form, Stage
from eom.observation.services import load_form
from eom.xlsform.reader import WORKBOOK_SUFFIXES, XLSFormError


class Command(BaseCommand):
    help = ("Load XLSForm forms (eom forms load FILE.xlsx [FILE.csv …] [--stage S]) or list the "
            "loaded ones.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["load", "list"])
        parser.add_argument("files", nargs="*",
                            help="XLSForm workbooks (.xlsx, .xls), and the files they read (.csv)")
        parser.add_argument("--mission", help="mission code (default: the current mission)")
        parser.add_argument("--stage", choices=Stage.values,
                            help="the stage of a workbook that names none (default: a general "
                                 "form of the mission)")

    def handle(self, *args, action, files, mission, stage=None, **options):
        target = command_mission(mission)
        if action == "list":
            for form in Form.objects.filter(mission=target).select_related("current_version"):
                version = form.current_version.version if form.current_version else "-"
                kind = form.stage or "general"
                self.stdout.write(f"{form.form_id:<12} {kind:<11} {version:<14} {form.title}")
            return
        workbooks = [Path(name) for name in files if name.lower().endswith(WORKBOOK_SUFFIXES)]
        if not workbooks:
            raise CommandError("name the workbooks to load")
        media = {}
        for path in (Path(name) for name in files
                     if not name.lower().endswith(WORKBOOK_SUFFIXES)):
            media[path.name] = _read(path)
        failed = False
        for path in workbooks:
            try:
                version = load_form(actor=None, channel=Channel.COMMAND, mission=target,
                                    source=_read(path), filename=path.name, media=media,
                                    stage=stage)
            except XLSFormError as error:
                failed = True
                self.stderr.write(f"{path}: not loaded")
                for problem in error.problems:
                    self.stderr.write(f"  {problem}")
                continue
            except ValueError as error:
                failed = True
                self.stderr.write(f"{path}: not loaded: {error}")
                continue
            self.stdout.write(f"{path}: {version.form.form_id} version {version.version} loaded"
                              f" ({version.form.stage or 'a general form'})")
            for note in version.definition.get("notes", []):
                self.stdout.write(f"  {note}")
        if failed:
            raise CommandError("some workbooks were not loaded")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise CommandError(f"{path}: cannot read ({error.strerror})") from error
