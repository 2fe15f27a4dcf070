"""`eom results import FILE --contest …`, `eom results check --contest …`, `eom results seats`."""

from __future__ import annotations

import time

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from eom.missions.commands import command_mission, parse_mapping, write_import_report
from eom.missions.models import Contest, Mission
from eom.results import importers, queries, services

# `import` is a keyword: the locations/people import command's mapping parser, by name.


def contest_for(mission: Mission, value: str | None) -> Contest:
    """The contest named by id or name (case-insensitive), else the party-list contest."""
    contests = Contest.objects.filter(election__mission=mission)
    if value is None:
        contest = services.party_list_contest(mission)
    elif value.isdigit():
        contest = contests.filter(pk=int(value)).first()
    else:
        contest = contests.filter(name__iexact=value).first()
    if contest is None:
        known = "; ".join(f"{c.pk} {c.name}" for c in contests) or "none"
        raise CommandError(f'no contest "{value}" in {mission.code} (contests: {known})')
    return contest


class Command(BaseCommand):
    help = "Official results: import per-station protocols, re-run the checks, verify the seats."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import official per-station results (all or nothing)")
        imp.add_argument("file", help="a .csv, .xlsx or a .zip holding one CSV")
        imp.add_argument("--preset", choices=sorted(importers.PRESETS), default="demo")
        imp.add_argument("--map", action="append", default=[], metavar="FIELD=HEADER,…",
                         help="the file's header (or a substring of it; a + b sums columns) "
                              "for our field or a party code, e.g. n_registered=Registered")
        imp.add_argument("--sheet", help="the XLSX sheet to read (default: the first)")
        imp.add_argument("--dry-run", action="store_true", help="check and count; write nothing")
        imp.add_argument("--create-locations", action="store_true",
                         help="create the regions, districts and stations the file names")
        imp.add_argument("--create-parties", action="store_true",
                         help="create the parties the file's party columns name")
        for command in (imp, sub.add_parser("check", help="re-run the arithmetic checks"),
                        sub.add_parser("seats", help="seats recomputed from official results")):
            command.add_argument("--contest", help="contest id or name (default: party lists)")
            command.add_argument("--mission", help="mission code (default: the current mission)")

    def handle(self, *args, action, mission, contest, **options):
        target = command_mission(mission)
        getattr(self, f"_{action}")(target, contest_for(target, contest), **options)

    def _import(self, mission, contest, *, file, preset, map, sheet, dry_run, create_locations,
                create_parties, **options):
        started = time.perf_counter()
        try:
            report = importers.import_official_results(
                contest, file, actor=None, preset=preset, mapping=parse_mapping(map),
                dry_run=dry_run, create_locations=create_locations,
                create_parties=create_parties, sheet=sheet,
            )
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        seconds = time.perf_counter() - started
        write_import_report(self, report, f"Import of official results from {report.source} "
                                          f"into {mission.code}, {contest.name} ({seconds:.1f} s):")

    def _check(self, mission, contest, **options):
        changed = services.recheck(contest)
        overview = queries.check_summary(contest)
        self.stdout.write(f"{contest.name}: {changed} protocols changed their failures.")
        for row in overview:
            self.stdout.write(f"  {row.check.name:<24} {row.n_failed:>8,} failed")

    def _seats(self, mission, contest, **options):
        verification = queries.verify_seats(contest)
        if verification.error:
            raise CommandError(verification.error)
        self.stdout.write(verification.allocation.to_text())
        for row in verification.rows:
            self.stdout.write(f"  {row.code:<12} recomputed {row.recomputed:>3}  announced "
                              f"{'' if row.announced is None else row.announced:>3}")
        self.stdout.write("Sensitivity:")
        for scenario in verification.scenarios:
            changes = "; ".join(f"{code} {a} → {b}" for code, (a, b) in scenario.changes.items())
            self.stdout.write(f"  {scenario.title} ({scenario.n_left_out} left out): "
                              f"{scenario.error or changes or 'no seat changes'}")
