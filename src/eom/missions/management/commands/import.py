from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from eom.missions import importers
from eom.missions.commands import command_mission, parse_mapping, write_import_report

IMPORTERS = {"locations": importers.import_locations, "people": importers.import_people}


class Command(BaseCommand):
    help = "Import locations or people and teams from a CSV or XLSX file (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(IMPORTERS))
        parser.add_argument("file")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="COLUMN=HEADER,…",
            help="the file's header for our column, e.g. code=Код,parent_code=Родитель",
        )
        parser.add_argument("--sheet", help="the XLSX sheet to read (default: the first)")
        parser.add_argument("--dry-run", action="store_true", help="check and count; write nothing")
        parser.add_argument("--mission", help="mission code (default: the current mission)")

    def handle(self, *args, kind, file, map, sheet, dry_run, mission, **options):
        target = command_mission(mission)
        try:
            report = IMPORTERS[kind](
                target, file, actor=None, mapping=parse_mapping(map), dry_run=dry_run, sheet=sheet
            )
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        write_import_report(self, report,
                            f"Import of {kind} from {report.source} into {target.code}:")
