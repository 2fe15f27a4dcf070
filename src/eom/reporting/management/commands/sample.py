"""`eom sample draw --name N --size N --seed S [--by region|district]` and `eom sample size`.

`eom sample size --margin E` answers in polling stations: from a previous election's
per-station results (`--results FILE --party COLUMN [--by region|district]`, the
between-station variance of the ratio estimator) or, without a file, from a stated design effect
(`--deff`, `--turnout`; defaults in eom.stats.sampling), and prints the assumption with the
answer. Bad input exits with code 2 and a message naming the field.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Avg, Count, Sum

from eom.missions.commands import command_mission
from eom.missions.models import Channel, Location, LocationLevel, Team, TeamKind
from eom.reporting.pvt import SampleError, draw_sample, sample_stations
from eom.stats import sample_size
from eom.stats.columns import PRESETS, ResultsFileError, parse_mapping
from eom.stats.sampling import (
    DEFAULT_DESIGN_EFFECT,
    DEFAULT_TURNOUT,
    StationPlan,
    read_planning_file,
    stations_from_design_effect,
    stations_from_results,
)

BAD_INPUT = 2  # the exit code of bad input, as `eom pvt` and `eom forensics`


def bad_input(message: str) -> CommandError:
    return CommandError(message, returncode=BAD_INPUT)


class Command(BaseCommand):
    help = "Draw the quick-count sample of polling stations, or size it in polling stations."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        draw = sub.add_parser("draw", help="draw and store a stratified random sample")
        draw.add_argument("--name", required=True, help="the sample's name (unique per mission)")
        draw.add_argument("--size", type=int, required=True, help="polling stations to draw")
        draw.add_argument("--seed", type=int, required=True, help="seed of the random draw")
        draw.add_argument("--by", choices=["region", "district"], default="region",
                          help="strata (default: region)")
        draw.add_argument("--teams", action="store_true",
                          help="send the short-term observer teams to the stations drawn")
        size = sub.add_parser("size", help="polling stations needed for a margin of error")
        size.add_argument("--margin", type=float, required=True,
                          help="margin of error as a fraction (0.02 = ±2 points)")
        size.add_argument("--confidence", type=float, default=0.95)
        size.add_argument("--results", metavar="FILE",
                          help="a previous election's per-station results (CSV or zipped CSV)")
        size.add_argument("--party", help="with --results: the party's (or leader's) column")
        size.add_argument("--by", choices=["region", "district", "none"], default="none",
                          help="with --results: strata, allocation in proportion (default none)")
        size.add_argument("--preset", choices=sorted(PRESETS), default="generic",
                          help="with --results: the column mapping of a known file format")
        size.add_argument("--map", action="append", default=[], metavar="FIELD=HEADER",
                          help="with --results: map a field to a header, e.g. n_valid=Valid")
        size.add_argument("--deff", type=float, default=DEFAULT_DESIGN_EFFECT,
                          help=f"without --results: design effect (default {DEFAULT_DESIGN_EFFECT:g})")
        size.add_argument("--turnout", type=float, default=DEFAULT_TURNOUT,
                          help=f"without --results: expected turnout (default {DEFAULT_TURNOUT:g})")
        size.add_argument("--p", type=float, default=0.5,
                          help="without --results: expected share (0.5: safest)")
        size.add_argument("--population", type=int,
                          help="registered voters (default: the mission's)")
        size.add_argument("--voters-per-station", type=float,
                          help="mean registered voters per station (default: the mission's)")
        size.add_argument("--stations", type=int,
                          help="polling stations to draw from (default: the mission's, or the "
                               "file's)")
        for command in (draw, size):
            command.add_argument("--format", choices=["text", "json"], default="text")
            command.add_argument("--mission", help="mission code (default: the current mission)")

    def handle(self, *args, action, mission, format, **options):
        data = getattr(self, f"_{action}")(mission, **options)
        if format == "json":
            self.stdout.write(json.dumps(data, indent=2))
        else:
            for key, value in data.items():
                if isinstance(value, dict):
                    value = ", ".join(f"{k} {v:,}" if isinstance(v, int) else f"{k} {v}"
                                      for k, v in value.items())
                elif isinstance(value, int) and not isinstance(value, bool):
                    value = f"{value:,}"  # counts of stations and voters: 10,223
                self.stdout.write(f"{key.replace('_', ' '):<26} {value}")

    def _draw(self, code, *, name, size, seed, by, teams, **options) -> dict:
        mission = command_mission(code)
        chosen = None
        if teams:
            chosen = list(Team.objects.filter(mission=mission, kind=TeamKind.STO)
                          .select_related("area").order_by("area__path", "code"))
        try:
            sample, created = draw_sample(
                actor=None, channel=Channel.COMMAND, mission=mission, name=name, size=size,
                seed=seed, stratum_level=by, teams=chosen)
        except SampleError as error:
            raise CommandError(str(error)) from error
        stations = sample_stations(sample)
        allocation: dict[str, int] = {}
        for station in stations:
            allocation[station.stratum] = allocation.get(station.stratum, 0) + 1
        return {
            "sample": sample.name, "created": created, "seed": sample.seed,
            "strata": sample.stratum_level, "size": len(stations),
            "population": sample.population_size,
            "teams": len({s.team_id for s in stations if s.team_id}),
            "allocation": dict(sorted(allocation.items())),
        }

    def _size(self, code, *, margin, confidence, results, party, by, preset, map, deff,
              turnout, p, population, voters_per_station, stations, **options) -> dict:
        if results:
            plan = self._plan_from_file(results, party, by, preset, map, margin, confidence,
                                        stations)
            population = None
        else:
            population, voters_per_station, stations = self._mission_figures(
                code, population, voters_per_station, stations)
            try:
                plan = stations_from_design_effect(stations, voters_per_station, margin,
                                                   design_effect=deff, turnout=turnout, p=p,
                                                   confidence=confidence)
            except ValueError as error:
                raise bad_input(str(error)) from error
        out = {
            "polling_stations": plan.n_stations, "margin": margin, "confidence": confidence,
            "population_stations": plan.n_population, "design_effect": round(plan.design_effect, 1),
            "valid_per_station": round(plan.mean_voters, 1), "voters_counted": plan.n_voters,
            "method": plan.method, "assumption": plan.assumption,
            "formula": "n0 = z²·S_e² / (e²·X̄²) = z²·deff·p(1−p) / (e²·X̄); "
                       "n = n0 / (1 + n0/N stations)",
            "source": plan.source,
        }
        if population:
            srs = sample_size(population, margin, p=p, confidence=confidence)
            out["voters_if_drawn_one_by_one"] = srs.n  # the handbook figure, for comparison
        return out

    @staticmethod
    def _plan_from_file(path, party, by, preset, mapping, margin, confidence,
                        stations) -> StationPlan:
        if not party:
            raise bad_input("--party: name the party's column of the results file")
        try:
            data = read_planning_file(path, party, preset=preset, mapping=parse_mapping(mapping),
                                      by=None if by == "none" else by)
            return stations_from_results(data.votes, data.valid, margin, strata=data.strata,
                                         population_size=stations, confidence=confidence,
                                         described_as=data.description)
        except (ResultsFileError, ValueError) as error:
            raise bad_input(str(error)) from error

    @staticmethod
    def _mission_figures(code, population, voters_per_station, stations):
        """Registered voters, mean per station and stations: given, else the mission's."""
        if population is None or voters_per_station is None or stations is None:
            mission = command_mission(code)
            found = Location.objects.filter(
                mission=mission, level=LocationLevel.POLLING_STATION).aggregate(
                total=Sum("n_registered"), mean=Avg("n_registered"), count=Count("pk"))
            population = population or found["total"]
            voters_per_station = voters_per_station or found["mean"]
            stations = stations or found["count"]
        if not population or not voters_per_station or not stations:
            raise bad_input("--population, --voters-per-station, --stations: no registered "
                            "voters or polling stations known; give them")
        if population <= 0:
            raise bad_input(f"--population must be positive, got {population}")
        return population, float(voters_per_station), stations
