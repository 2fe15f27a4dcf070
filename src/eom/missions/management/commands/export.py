from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from eom.missions import exporters, services
from eom.missions.models import Mission
from eom.missions.tabular import CSV_SUFFIXES, XLSX_SUFFIXES


def mission_for(code: str | None) -> Mission:
    """The mission named by --mission, else the current one; CommandError when there is none."""
    if code:
        mission = Mission.objects.filter(code=code).first()
        if mission is None:
            known = ", ".join(Mission.objects.values_list("code", flat=True)) or "none"
            raise CommandError(f'no mission with code "{code}" (missions: {known})')
        return mission
    mission = services.current_mission()
    if mission is None:
        raise CommandError("there is no mission yet; load one first (e.g. eom demo --no-serve)")
    return mission


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
        target = mission_for(mission)
        if kind == "meetings":
            count = exporters.export_meetings(
                target, path, include_confidential=include_confidential
            )
        elif kind == "locations":
            count = exporters.export_locations(target, path)
        else:
            count = exporters.export_people(target, path)
        self.stdout.write(f"Wrote {count:,} {kind} of {target.code} to {path}.")
