"""The observer effect on a contest's official results: the polling stations the mission observed
against those it did not, compared within strata by `eom.stats.observer_effect` (after
Enikolopov et al., PNAS 2013; docs/statistics.md §3.8).

- A station is **observed** when a team was deployed to it on the contest's election day (a
  deployment whose dates include that day), whether or not a report came from it: the
  comparison is of where the mission sent observers, as the field experiment it follows
  compares the stations observers were assigned to (a report can be missing for reasons that
  have to do with the station itself, e.g. observers turned away).
- The figures are those the forensics page's other checks read (`forensics.analyse`: one column
  pull, reused here), with the page's leader.
- **Strata**: the region (the second level of the location tree) crossed with quartiles of
  registered voters (size bands); stations above no region form one region "".
- **Randomised** when one of the mission's drawn samples holds every observed station (the
  teams went where the draw sent them); otherwise the first caveat says they were not.

It runs with the page: about 40 ms for the demo's 10,223 stations beyond the other checks'
150 ms (bench/bench_observer_effect.py), well under what would call for storing it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from eom.missions.languages import localised
from eom.missions.models import Contest, Location, LocationLevel, Mission, SampledStation
from eom.stats.observer_effect import (
    MeasureEffect,
    ObserverEffect,
    cross,
    observer_effect,
    size_bands,
)

from .forensics import Analysis


@dataclass(frozen=True)
class Stratum:
    """A stratum of the observer effect as the page names it: a region and a size band."""

    label: str
    region: str  # the region's name in the reader's language ("" when it has no region above)
    low: int  # registered voters, low ≤ n ≤ high
    high: int


@dataclass(frozen=True)
class MeasureRow:
    """One measure as the page shows it: means in %, the difference and its interval in
    percentage points (None where the core gives none)."""

    name: str
    mean_observed: float | None
    mean_unobserved: float | None
    difference: float | None
    low: float | None
    high: float | None
    found: bool
    n_observed: int
    n_unobserved: int
    n_strata: int
    n_dropped: int

    @classmethod
    def of(cls, m: MeasureEffect) -> MeasureRow:
        def pct(x):
            return None if x is None else 100 * x
        low, high = m.interval if m.interval else (None, None)
        return cls(m.name, pct(m.mean_observed), pct(m.mean_unobserved), pct(m.difference),
                   pct(low), pct(high), m.found, m.n_observed, m.n_unobserved,
                   len(m.strata_used), len(m.strata_dropped))


@dataclass
class ObserverComparison:
    """What the page shows of the observer effect. `effect` is None when there is nothing to
    compare (`problem` then says why: "no_observed", "all_observed")."""

    n_stations: int
    n_observed: int
    election_day: dt.date
    effect: ObserverEffect | None = None
    problem: str = ""
    sample: str = ""  # the drawn sample holding every observed station, if one does
    strata: dict[str, Stratum] = field(default_factory=dict)

    @property
    def rows(self) -> list[MeasureRow]:
        """The two measures in percentages and percentage points, for the page's table."""
        if self.effect is None:
            return []
        return [MeasureRow.of(m) for m in self.effect.measures]

    def named(self, labels) -> list[Stratum]:
        return [self.strata[label] for label in labels]

    @property
    def dropped(self) -> list[Stratum]:
        """The strata dropped by either measure, once each."""
        if self.effect is None:
            return []
        labels = dict.fromkeys((*self.effect.turnout.strata_dropped,
                                *self.effect.leader_share.strata_dropped))
        return self.named(labels)

    @property
    def single(self) -> list[Stratum]:
        if self.effect is None:
            return []
        return self.named(dict.fromkeys((*self.effect.turnout.strata_single,
                                         *self.effect.leader_share.strata_single)))


def observed_paths(contest: Contest) -> set[str]:
    """The polling stations (paths) a team was deployed to on the contest's election day."""
    day = contest.election.date
    return set(Location.objects.filter(
        mission=contest.election.mission, level=LocationLevel.POLLING_STATION,
        deployments__starts__lte=day, deployments__ends__gte=day,
    ).values_list("path", flat=True).distinct())


def drawn_sample_holding(mission: Mission, paths: set[str]) -> str:
    """The name of a drawn sample of the mission that holds every one of `paths`, or ""."""
    for sample_id, name in mission.samples.values_list("pk", "name"):
        drawn = set(SampledStation.objects.filter(sample_id=sample_id).values_list(
            "location__path", flat=True))
        if paths <= drawn:
            return name
    return ""


def observer_comparison(contest: Contest, analysis: Analysis) -> ObserverComparison | None:
    """The observer effect on the figures `analysis` read, with its leader (None when it read
    none). Strata: region × quartile of registered voters (`eom.stats.observer_effect`)."""
    columns = analysis.columns
    if columns is None or analysis.leader is None or not columns.paths:
        return None
    observed_at = observed_paths(contest)
    observed = np.fromiter((p in observed_at for p in columns.paths), dtype=bool,
                           count=len(columns.paths))
    comparison = ObserverComparison(len(columns.paths), int(observed.sum()),
                                    contest.election.date)
    if not observed.any() or observed.all():
        comparison.problem = "no_observed" if not observed.any() else "all_observed"
        return comparison
    mission = contest.election.mission
    regions = [_region_code(p) for p in columns.paths]
    bands, edges = size_bands(columns.n_registered, 4)
    labels = cross(regions, bands)
    names = {loc.code: localised(loc, "name") for loc in Location.objects.filter(
        mission=mission, level=LocationLevel.REGION, code__in=set(regions))}
    for label, region, band in zip(labels, regions, bands, strict=True):
        if label not in comparison.strata:
            comparison.strata[label] = Stratum(label, names.get(region, region),
                                               *_band_range(edges, int(band)))
    comparison.sample = drawn_sample_holding(mission, {
        p for p, seen in zip(columns.paths, observed, strict=True) if seen})
    n_registered, n_issued, n_leader, n_counted = columns.arrays(analysis.leader)
    comparison.effect = observer_effect(
        observed, labels, n_registered, n_issued, n_leader, n_counted,
        randomised=bool(comparison.sample))
    return comparison


def _band_range(edges: tuple[int, ...], band: int) -> tuple[int, int]:
    """Registered voters (low, high) of a size band of `observer_effect.size_bands`."""
    if len(edges) == 1:
        return edges[0], edges[0]
    last = band == len(edges) - 2
    return edges[band], edges[band + 1] - (0 if last else 1)


def _region_code(path: str) -> str:
    """The region's code in a station's path (country/region/…/station/), "" above none."""
    parts = path.strip("/").split("/")
    return parts[1] if len(parts) > 2 else ""
