"""`eom sample draw --name N --size N --seed S [--by region|district]` and `eom sample size`."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Avg, Sum

from eom.missions.management.commands.export import mission_for
from eom.missions.models import Channel, Location, LocationLevel, Team, TeamKind
from eom.reporting.pvt import SampleError, draw_sample, sample_stations
from eom.stats import sample_size, stations_for_voters


class Command(BaseCommand):
    help = "Draw the quick-count sample of polling stations, or size it (NDI formula)."

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
        size = sub.add_parser("size", help="stations needed for a margin of error")
        size.add_argument("--margin", type=float, required=True,
                          help="margin of error as a fraction (0.02 = ±2 points)")
        size.add_argument("--confidence", type=float, default=0.95)
        size.add_argument("--p", type=float, default=0.5, help="expected share (0.5: safest)")
        size.add_argument("--population", type=int,
                          help="registered voters (default: the mission's)")
        size.add_argument("--voters-per-station", type=float,
                          help="mean registered voters per station (default: the mission's)")
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
                    value = ", ".join(f"{k} {v}" for k, v in value.items())
                self.stdout.write(f"{key.replace('_', ' '):<22} {value}")

    def _draw(self, code, *, name, size, seed, by, teams, **options) -> dict:
        mission = mission_for(code)
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

    def _size(self, code, *, margin, confidence, p, population, voters_per_station,
              **options) -> dict:
        if population is None or voters_per_station is None:
            mission = mission_for(code)
            stations = Location.objects.filter(mission=mission,
                                               level=LocationLevel.POLLING_STATION)
            figures = stations.aggregate(total=Sum("n_registered"), mean=Avg("n_registered"))
            population = population or figures["total"]
            voters_per_station = voters_per_station or figures["mean"]
        if not population or not voters_per_station:
            raise CommandError("no registered voters known: give --population and "
                               "--voters-per-station")
        try:
            result = sample_size(population, margin, p=p, confidence=confidence)
            n_stations = stations_for_voters(result.n, voters_per_station)
        except ValueError as error:
            raise CommandError(str(error)) from error
        return {
            "voters": result.n, "polling_stations": n_stations, "population": population,
            "voters_per_station": round(float(voters_per_station), 1), "margin": margin,
            "confidence": confidence, "p": p, "z": round(result.z, 4),
            "formula": "n = N·z²·p(1−p) / (N·e² + z²·p(1−p)); stations = ⌈n / voters per "
                       "station⌉",
            "source": result.source,
        }
