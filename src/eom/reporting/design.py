"""Which sampling design an analysis of reports uses, decided from the data, and why.

One function, :func:`decide_design`, for every figure that may speak of all polling stations
(the indicators on the analysis page and in the API, the quick count). It reads how the
stations were chosen from the data, never from what a caller says:

- **Reports not restricted to a drawn sample** → *observed only* (``Design.convenience()``): the
  teams went where they could, so a figure describes the reports observed and has no margin for
  all polling stations.
- **Reports from the stations of a drawn sample** (the analysis's sample filter, the quick
  count) → the design the sample was drawn with: *stratified* by its strata, each stratum
  weighted by its stations (``Sample.stratum_sizes``). The unit is the sampled station: where
  several reports came from one station, the first received counts.
- **... and some team reported from more than one sampled station** → *clustered by team*
  (``Design.clustered()``, the team as the cluster, no finite-population correction). The
  stations were drawn at random, but the answers are a team's judgement: two stations seen by
  the same pair of observers are judged alike (the interviewer effect: Kish, *JASA* 1962;
  Hansen, Hurwitz & Bershad 1961, "correlated response variance"), and a variance that treats
  them as independent is too small. Treating each team as the ultimate cluster (Kalton,
  *Introduction to Survey Sampling*, 1983, §5; Wolter, *Introduction to Variance Estimation*,
  2007, §2.4) takes in both the sampling and the team's share of the variance. The strata are
  then left out of the variance — teams' runs of stations can cross strata, so teams do not
  nest in them — which, with the proportional allocation eom draws, leaves the interval wider,
  not narrower (Cochran 1977, §5.6: stratification with proportional allocation never loses
  precision), and the share is the plain ratio over stations (self-weighting under
  proportional allocation).

A caller may *ask* for a design (the API's ``design`` parameter); when the data contradict it,
the design the data support is used and the reason says what was asked and why it was not
followed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from eom.missions.models import Location, LocationLevel, Sample, SampledStation
from eom.stats import Design, DesignKind, ProportionEstimate, estimate_proportion

OBSERVED, STRATIFIED, CLUSTERED = (DesignKind.CONVENIENCE.value, DesignKind.STRATIFIED.value,
                                   DesignKind.CLUSTERED.value)
REQUESTABLE = tuple(kind.value for kind in DesignKind)


@dataclass(frozen=True)
class ChosenDesign:
    """The design used, the labels it needs (one per unit), and why.

    ``units``: the positions, in the reports given, of the reports analysed (all of them for an
    observed-only analysis; the first report of each sampled station otherwise). ``strata`` and
    ``clusters`` are aligned with ``units``. ``reason`` is a sentence in the reader's language.
    """

    kind: str  # a DesignKind value: convenience, stratified or clustered
    name: str
    reason: str
    units: list[int]
    strata: list[str] | None = None
    clusters: list[str] | None = None
    stratum_sizes: dict[str, int] = field(default_factory=dict)
    strata_missing: list[str] = field(default_factory=list)
    n_teams_with_several: int = 0
    requested: str | None = None

    @property
    def overridden(self) -> bool:
        """A design was asked for and the data did not support it."""
        return self.requested is not None and self.requested != self.kind

    @property
    def population(self) -> bool:
        """Whether the figures speak of all polling stations (a drawn sample)."""
        return self.kind != OBSERVED

    def estimate(self, picked: Sequence[int], answers: Sequence[int]) -> ProportionEstimate:
        """The share of yes among the units at positions `picked` (of ``units``), `answers`
        being their 0/1 values, under this design (strata that none of them is in are left
        out of the weights, as missing strata are)."""
        if self.kind == STRATIFIED:
            labels = [self.strata[k] for k in picked]
            sizes = {h: self.stratum_sizes[h] for h in set(labels)}
            return estimate_proportion(answers, Design.stratified(sizes), strata=labels)
        if self.kind == CLUSTERED:
            return estimate_proportion(answers, Design.clustered(),
                                       clusters=[self.clusters[k] for k in picked])
        return estimate_proportion(answers, Design.convenience())


def _level_name(sample: Sample) -> str:
    return str(LocationLevel(sample.stratum_level).label)


def decide_design(sample: Sample | None, reports: Sequence[tuple[int, int | None]], *,
                  requested: str | None = None) -> ChosenDesign:
    """The design for `reports` — (polling station id, team id or None) per report, in the
    order received — from `sample` when they are restricted to a drawn sample, else observed
    only; `requested` is a design a caller asked for (a DesignKind value), followed only when
    the data support it. See the module docstring for the rules. Asks the database for the
    sample's stations (one query) and the strata's names (one query)."""
    if requested is not None and requested not in REQUESTABLE:
        raise ValueError(f"design must be one of {', '.join(REQUESTABLE)}, not {requested!r}")
    chosen = _decide(sample, reports)
    if requested is None:
        return chosen
    if requested == chosen.kind:
        return replace(chosen, requested=requested)
    asked = _("A “%(asked)s” design was asked for, but the data call for “%(used)s”. ") % {
        "asked": requested.replace("_", " "), "used": chosen.name}
    return replace(chosen, requested=requested, reason=asked + chosen.reason)


def _decide(sample: Sample | None, reports: Sequence[tuple[int, int | None]]) -> ChosenDesign:
    if sample is None:
        return ChosenDesign(
            OBSERVED, _("observed only"),
            _("The polling stations were not drawn at random (the reports are not restricted "
              "to a sample): the figures describe the reports observed, not all polling "
              "stations, and the interval (Wilson, 95 %) shows only the chance variation among "
              "them."),
            list(range(len(reports))))
    stratum_of = dict(SampledStation.objects.filter(sample=sample)
                      .values_list("location_id", "stratum"))
    units, seen = [], set()
    for position, (location_id, _team) in enumerate(reports):
        if location_id in stratum_of and location_id not in seen:
            seen.add(location_id)
            units.append(position)
    stations_of: dict[int, set[int]] = {}
    for position in units:
        location_id, team_id = reports[position]
        if team_id is not None:
            stations_of.setdefault(team_id, set()).add(location_id)
    several = sum(1 for stations in stations_of.values() if len(stations) > 1)
    strata = [stratum_of[reports[k][0]] for k in units]
    sizes = {str(h): int(n) for h, n in sample.stratum_sizes.items()}
    missing = sorted(set(sizes) - set(strata))
    drawn = _("the polling stations were drawn at random in sample “%(name)s” (stratified by "
              "%(level)s)") % {"name": sample.name, "level": _level_name(sample)}
    if several:
        clusters = [f"team {reports[k][1]}" if reports[k][1] is not None
                    else f"station {reports[k][0]}" for k in units]
        reason = ngettext(
            "Clustered by team: %(drawn)s, but %(n)s team reported from more than one sampled "
            "station, so each team is a cluster: a team judges its stations alike, and the "
            "interval counts the teams, not the stations. The strata are left out of the "
            "interval, which can only widen it.",
            "Clustered by team: %(drawn)s, but %(n)s teams reported from more than one sampled "
            "station, so each team is a cluster: a team judges its stations alike, and the "
            "interval counts the teams, not the stations. The strata are left out of the "
            "interval, which can only widen it.", several) % {"drawn": drawn, "n": several}
        if len(set(clusters)) < 2:
            reason += " " + _("With a single team, no margin can be estimated.")
        return ChosenDesign(CLUSTERED, _("clustered by team"), reason + _missing(sample, missing),
                            units, strata=strata, clusters=clusters, stratum_sizes=sizes,
                            strata_missing=missing, n_teams_with_several=several)
    reason = _(
        "Stratified by %(level)s: %(drawn)s, and no team reported from more than one sampled "
        "station, so the stations' reports are independent; each stratum weighs as its "
        "polling stations.") % {"level": _level_name(sample), "drawn": drawn}
    return ChosenDesign(
        STRATIFIED, _("stratified by %(level)s") % {"level": _level_name(sample)},
        reason + _missing(sample, missing), units, strata=strata, stratum_sizes=sizes,
        strata_missing=missing)


def _missing(sample: Sample, missing: list[str]) -> str:
    if not missing:
        return ""
    names = {place.code: place.name for place in Location.objects.filter(
        mission_id=sample.mission_id, code__in=missing)}
    return " " + ngettext(
        "No report from %(n)s stratum (%(names)s): the estimate covers the strata that reported.",
        "No report from %(n)s strata (%(names)s): the estimate covers the strata that reported.",
        len(missing)) % {"n": len(missing), "names": ", ".join(names.get(c, c) for c in missing)}


def design_of_reports(reports, sample: Sample | None) -> ChosenDesign:
    """:func:`decide_design` for the live reports of a queryset (one query with a sample, none
    without): the design a page names above figures computed from those reports."""
    if sample is None:
        return decide_design(None, [])
    rows = (reports.filter(deleted_at__isnull=True).order_by("received_at", "pk")
            .values_list("location_id", "team_id"))
    return decide_design(sample, list(rows))
