from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from eom.dataout import commands as dataout
from eom.missions import exporters
from eom.missions.commands import command_mission
from eom.tables import CSV_SUFFIXES, XLSX_SUFFIXES

REGISTRY = ["locations", "meetings", "people"]


class Command(BaseCommand):
    help = ("Export the registry (locations, people, meetings), the evidence (submissions, "
            "answers, flags, revisions, photos) or a figure page's table to a file.")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=[*REGISTRY, *dataout.TABLES])
        parser.add_argument("file")
        parser.add_argument("--mission", help="mission code (default: the current mission); "
                            "the evidence and the figures are the current mission's")
        parser.add_argument(
            "--include-confidential",
            action="store_true",
            help="meetings: include the confidential ones",
        )
        parser.add_argument("--form", help="the evidence and the analysis: a form id")
        parser.add_argument("--lang", choices=["en", "ru", "kk"],
                            help="the language of labels and column titles (default: en)")
        parser.add_argument("--labels", action="store_true",
                            help="submissions and answers: choices as labels, not codes")
        parser.add_argument("--user", help="the login whose access scopes the rows, as on its "
                            "pages (default: the first superuser)")
        parser.add_argument("--filter", action="append", default=[], metavar="KEY=VALUE",
                            help="a filter of the page, as in its address (region=R1, "
                            "team=STO-1, flag=any, contest=3 …); may repeat")

    def handle(self, *args, kind, file, mission, include_confidential, **options):
        path = Path(file)
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent}: no such folder")
        if kind in dataout.TABLES:
            if mission:
                command_mission(mission)
            size = dataout.export(kind, path, user=dataout.reader(options["user"]),
                                  form=options["form"], lang=options["lang"],
                                  labels=options["labels"], filters=options["filter"])
            self.stdout.write(f"Wrote {kind} ({size:,} bytes) to {path}.")
            return
        if path.suffix.lower() not in CSV_SUFFIXES | XLSX_SUFFIXES:
            raise CommandError(f"{path.name}: name the file .csv or .xlsx")
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
