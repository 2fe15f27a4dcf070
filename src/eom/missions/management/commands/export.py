from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from eom.missions import exporters
from eom.missions.commands import command_mission
from eom.tables import CSV_SUFFIXES, XLSX_SUFFIXES


class Command(BaseCommand):
    help = "Export locations, people and teams, or meetings to a CSV or XLSX file."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["locations", "meetings", "people"])
        parser.add_argument("file")
        parser.add_argument("--mission", help="mission code (default: the current mission)")
        parser.add_argument(
            "--include-confidential",
            action="store_true",
            help="meetings: include the confidential ones",
        )

    def handle(self, *args, kind, file, mission, include_confidential, **options):
        path = Path(file)
        if path.suffix.lower() not in CSV_SUFFIXES | XLSX_SUFFIXES:
            raise CommandError(f"{path.name}: name the file .csv or .xlsx")
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent}: no such folder")
        target = command_mission(mission)
        if kind == "meetings":
            count = exporters.export_meetings(
                target, path, include_confidential=include_confidential
            )
        elif kind == "locations":
            count = exporters.export_locations(target, path)
        else:
            count = exporters.export_people(target, path)
        self.stdout.write(f"Wrote {count:,} {kind} of {target.code} to {path}.")
