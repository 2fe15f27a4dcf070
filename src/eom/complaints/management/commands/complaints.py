"""`eom complaints import FILE --map …`: the election commission's published list of complaints
into the register (all or nothing)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from eom.complaints.importers import import_cases
from eom.missions.commands import command_mission, parse_mapping, write_import_report


class Command(BaseCommand):
    help = "Complaints and appeals: import a commission's published list (CSV or XLSX)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import cases from a CSV or XLSX file (all or nothing)")
        imp.add_argument("file")
        imp.add_argument("--map", action="append", default=[], metavar="COLUMN=HEADER,…",
                         help="the file's header for our column, e.g. filed=Дата подачи")
        imp.add_argument("--sheet", help="the XLSX sheet to read (default: the first)")
        imp.add_argument("--dry-run", action="store_true", help="check and count; write nothing")
        imp.add_argument("--mission", help="mission code (default: the current mission)")

    def handle(self, *args, action, file, map, sheet, dry_run, mission, **options):
        target = command_mission(mission)
        try:
            report = import_cases(target, file, actor=None, mapping=parse_mapping(map),
                                  dry_run=dry_run, sheet=sheet)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        write_import_report(self, report,
                            f"Import of complaints from {report.source} into {target.code}:")
