from __future__ import annotations

from django.core.management.base import BaseCommand

from eom.media.importer import import_items
from eom.missions.commands import command_mission, parse_mapping, write_import_report
from eom.missions.models import Channel


class Command(BaseCommand):
    help = "Media monitoring: import a coding sheet (CSV or XLSX, all or nothing)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="import coded items from a coding sheet")
        load.add_argument("file")
        load.add_argument("--map", action="append", default=[], metavar="COLUMN=HEADER,…",
                          help="the file's header for our column, e.g. coder=Monitor,tone=Тон")
        load.add_argument("--sheet", help="the XLSX sheet to read (default: the first)")
        load.add_argument("--dry-run", action="store_true",
                          help="check and count; write nothing")
        load.add_argument("--mission", help="mission code (default: the current mission)")

    def handle(self, *args, action, file, map, sheet, dry_run, mission, **options):
        target = command_mission(mission)
        report = import_items(target, file, actor=None, channel=Channel.COMMAND,
                              mapping=parse_mapping(map), sheet=sheet, dry_run=dry_run)
        write_import_report(self, report,
                            f"Import of media items from {report.source} into {target.code}:")
