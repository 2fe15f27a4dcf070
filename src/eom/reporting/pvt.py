"""The quick count (PVT): drawing the mission's sample of polling stations, tying it to teams,
and reading the counting reports sent from the sampled stations into estimates.

Writes: :func:`draw_sample`, :func:`tie_to_teams` (one transaction each, audited).
Reads: :func:`quick_count_page` (estimates, convergence, strata, the reports used and those left
out), :func:`official_figures` (the official result beside the estimate).
The statistics themselves are pure and live in :mod:`eom.stats` (``quick_count``,
``convergence``, ``draw_stratified_sample``, ``assign_to_teams``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from eom.missions import audit
from eom.missions.models import (
    LEVEL_DEPTH,
    Contest,
    Location,
    LocationLevel,
    Mission,
    Party,
    Sample,
    SampledStation,
    Team,
)
from eom.observation.models import ConflictResolution, Stage, Submission
from eom.results.models import Protocol, PublishedTotal
from eom.results.queries import tree
from eom.results.services import OBSERVER_PARTY_QUESTIONS, lines_from_answers, party_list_contest
from eom.stats import (
    ConvergenceStep,
    QuickCountResult,
    StationSample,
    assign_to_teams,
    convergence,
    draw_stratified_sample,
    quick_count,
)

from .design import CLUSTERED, ChosenDesign, decide_design

AGAINST_ALL = "against_all"
STRATUM_LEVELS = (LocationLevel.REGION, LocationLevel.DISTRICT)


class SampleError(ValueError):
    """A sample that cannot be drawn or tied as asked; the message names the reason."""


# --- drawing ------------------------------------------------------------------------------


def stratum_of(path: str, level: str) -> str:
    """The code of the station's ancestor at `level`, read from its materialised path."""
    return path.split("/")[LEVEL_DEPTH[level]]


def draw_sample(*, actor, channel: str, mission: Mission, name: str, size: int, seed: int,
                stratum_level: str = LocationLevel.REGION,
                teams: Sequence[Team] | None = None) -> tuple[Sample, bool]:
    """Draw a stratified random sample of the mission's polling stations and store it.

    Inputs: a name unique in the mission, the size (stations), the seed, the stratum level
    (region or district), optionally the teams to send (see :func:`tie_to_teams`). Allocation
    is proportional to the stations per stratum (largest remainder), stations drawn without
    replacement by ``eom.stats.draw_stratified_sample`` (same stations, seed → same sample).
    Returns (sample, created). Drawing again a name already drawn with the same seed, size and
    strata returns the stored sample and changes nothing; with anything else it raises
    SampleError. Side effects: one Sample, its SampledStations and one audit entry, in one
    transaction.
    """
    name = (name or "").strip()
    if not name:
        raise SampleError(_("The sample needs a name."))
    if stratum_level not in STRATUM_LEVELS:
        raise SampleError(_("Strata must be regions or districts, not %(level)s.")
                          % {"level": stratum_level})
    existing = Sample.objects.filter(mission=mission, name=name).first()
    if existing is not None:
        asked = (seed, size, stratum_level)
        if (existing.seed, existing.size, existing.stratum_level) == asked:
            return existing, False
        raise SampleError(_(
            "A sample named %(name)s was already drawn with seed %(seed)s, %(size)s stations "
            "by %(level)s; draw a new sample under another name instead of changing it."
        ) % {"name": name, "seed": existing.seed, "size": existing.size,
             "level": LocationLevel(existing.stratum_level).label})
    stations = list(Location.objects.filter(
        mission=mission, level=LocationLevel.POLLING_STATION).order_by("path")
        .values_list("pk", "path"))
    if not 0 < size <= len(stations):
        raise SampleError(_("Cannot draw %(size)s polling stations: the mission has %(n)s.")
                          % {"size": size, "n": len(stations)})
    strata = [stratum_of(path, stratum_level) for _pk, path in stations]
    drawn = draw_stratified_sample([pk for pk, _path in stations], strata, size, seed)
    with transaction.atomic():
        sample = Sample.objects.create(
            mission=mission, name=name, seed=seed, stratum_level=stratum_level, size=size,
            population_size=len(stations), stratum_sizes=dict(drawn.stratum_sizes),
            drawn_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        SampledStation.objects.bulk_create(
            SampledStation(sample=sample, location_id=pk, stratum=stratum)
            for pk, stratum in zip(drawn.station_ids, drawn.strata, strict=True)
        )
        audit.record(actor=actor, channel=channel, action="create", obj=sample, mission=mission,
                     changes={"seed": [None, seed], "size": [None, size],
                              "stratum_level": [None, stratum_level],
                              "allocation": [None, dict(drawn.allocation)]})
        if teams:
            tie_to_teams(actor=actor, channel=channel, sample=sample, teams=teams)
    return sample, True


def sample_stations(sample: Sample) -> list[SampledStation]:
    """The sample's stations in the order drawn (grouped by stratum)."""
    return list(sample.stations.select_related("location", "team").order_by("pk"))


def tie_to_teams(*, actor, channel: str, sample: Sample,
                 teams: Sequence[Team]) -> dict[str, list[str]]:
    """Send each team to a contiguous run of the sample (``eom.stats.assign_to_teams``: sizes
    differ by at most one; runs follow the strata, so a team's stations lie together). Teams are
    taken in the order given. Returns {team code: [station codes]}. Side effects: the
    SampledStation.team of every station, one audit entry, in one transaction."""
    if not teams:
        raise SampleError(_("At least one team is needed."))
    foreign = [t.code for t in teams if t.mission_id != sample.mission_id]
    if foreign:
        raise SampleError(_("Team %(code)s does not belong to this mission.") % {"code": foreign[0]})
    rows = sample_stations(sample)
    plan = StationSample(tuple(r.pk for r in rows), tuple(r.stratum for r in rows), {},
                         dict(sample.stratum_sizes), sample.seed)
    try:
        runs = assign_to_teams(plan, [t.code for t in teams])
    except ValueError as error:
        raise SampleError(str(error)) from error
    by_code = {t.code: t for t in teams}
    by_pk = {r.pk: r for r in rows}
    out: dict[str, list[str]] = {}
    with transaction.atomic():
        for code, ids in runs.items():
            for pk in ids:
                by_pk[pk].team = by_code[code]
            out[code] = [by_pk[pk].location.code for pk in ids]
        SampledStation.objects.bulk_update(rows, ["team"], batch_size=1000)
        audit.record(actor=actor, channel=channel, action="update", obj=sample,
                     mission=sample.mission,
                     changes={"teams": [None, {code: len(v) for code, v in out.items()}]})
    return out


# --- reading the reports --------------------------------------------------------------------


@dataclass
class StationReport:
    """A sampled station's counting report, as used in the estimate."""

    station: SampledStation
    submission: Submission
    votes: dict[str, int]
    n_registered: int | None
    n_in_boxes: int | None

    @property
    def n_counted(self) -> int:
        return sum(self.votes.values())


CONFLICT, INCOMPLETE = "conflict", "incomplete"


@dataclass
class LeftOut:
    """A sampled station whose reports are all left out: `kind` is CONFLICT (they disagree and
    the conflict is not resolved) or INCOMPLETE (the report lacks a list's votes)."""

    station: SampledStation
    reason: str
    submissions: list[Submission]
    kind: str = CONFLICT


@dataclass
class StratumRow:
    code: str
    name: str
    n_population: int
    n_sampled: int
    n_reported: int


@dataclass
class EstimateRow:
    code: str
    name: str
    share: float
    margin95: float
    margin99: float
    official: float | None

    @property
    def percent(self) -> float:
        return 100 * self.share

    @property
    def margin95_pct(self) -> float:
        return 100 * self.margin95

    @property
    def margin99_pct(self) -> float:
        return 100 * self.margin99

    @property
    def official_pct(self) -> float | None:
        return None if self.official is None else 100 * self.official

    @property
    def inside95(self) -> bool | None:
        if self.official is None:
            return None
        return abs(self.official - self.share) <= self.margin95

    @property
    def inside99(self) -> bool | None:
        if self.official is None:
            return None
        return abs(self.official - self.share) <= self.margin99


@dataclass
class Official:
    """The official result of the contest for the country: shares of the valid votes (each
    list and against all) and turnout, with where the figures come from."""

    shares: dict[str, float]
    turnout: float | None
    source: str


@dataclass
class QuickCountPage:
    sample: Sample
    contest: Contest | None
    names: dict[str, str]
    n_sampled: int
    reports: list[StationReport] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)
    strata: list[StratumRow] = field(default_factory=list)
    result: QuickCountResult | None = None
    rows: list[EstimateRow] = field(default_factory=list)
    steps: list[ConvergenceStep] = field(default_factory=list)
    official: Official | None = None
    n_repeated: int = 0  # reports from a station whose count is already taken from another
    form_ids: list[str] = field(default_factory=list)  # the counting forms reported on
    design: ChosenDesign | None = None  # the design of the estimates, and why

    @property
    def n_reported(self) -> int:
        return len(self.reports)

    @property
    def n_conflicting(self) -> int:
        """Reports left out because they disagree with another and no one has chosen."""
        return sum(len(x.submissions) for x in self.left_out if x.kind == CONFLICT)

    @property
    def n_incomplete(self) -> int:
        """Reports left out because they lack a list's votes."""
        return sum(len(x.submissions) for x in self.left_out if x.kind == INCOMPLETE)

    @property
    def n_not_used(self) -> int:
        """The counting reports from the sampled stations that the estimate does not use: the
        submissions list of the sample holds `n_reported` + `n_not_used` counting reports."""
        return self.n_conflicting + self.n_incomplete + self.n_repeated

    @property
    def not_used_reasons(self) -> list[str]:
        """How many reports are not used, by reason, in words (none when there is none)."""
        reasons = [
            (self.n_conflicting, ngettext(
                "%(n)s from a team that disagrees with another (conflict not resolved)",
                "%(n)s from teams that disagree (conflict not resolved)", self.n_conflicting)),
            (self.n_incomplete, ngettext("%(n)s without the votes of every list",
                                         "%(n)s without the votes of every list",
                                         self.n_incomplete)),
            (self.n_repeated, ngettext("%(n)s repeating a station already counted",
                                       "%(n)s repeating stations already counted",
                                       self.n_repeated)),
        ]
        return [text % {"n": n} for n, text in reasons if n]

    @property
    def lead(self) -> dict | None:
        """The lead of the first list over the second, in points, with its 99 % margin."""
        lead = self.result.lead if self.result else None
        if lead is None:
            return None
        first, second = self.rows[0], self.rows[1]
        return {"first": first.name, "second": second.name, "points": 100 * lead.share,
                "margin99": 100 * lead.margin99, "decided": self.result.decided,
                "decision_possible": self.result.decision_possible}

    @property
    def turnout(self) -> dict | None:
        """Estimated turnout in per cent with its 95 % margin, and the official one."""
        turnout = self.result.turnout if self.result else None
        if turnout is None:
            return None
        official = self.official.turnout if self.official else None
        return {"percent": 100 * turnout.share, "margin95": 100 * turnout.margin95,
                "official": None if official is None else 100 * official}

    @property
    def strata_collapsed(self) -> list[str]:
        """Strata of one reported station, collapsed with a neighbour for the margins, each
        group named ("Abai region + Akmola region")."""
        if self.result is None:
            return []
        names = {s.code: s.name for s in self.strata}
        return [" + ".join(str(names.get(code, code)) for code in group)
                for group in self.result.strata_collapsed]

    @property
    def strata_missing(self) -> list[StratumRow]:
        return [s for s in self.strata if s.n_reported == 0]


def _figures(answers: dict) -> tuple[dict[str, int], int | None, int | None] | None:
    """A counting report's votes per list (and against all), registered voters and ballots in
    the boxes; None when a list's votes are missing."""
    lines = lines_from_answers(answers)
    votes = dict(lines["votes"])
    if len(votes) < len(OBSERVER_PARTY_QUESTIONS) or lines["n_against_all"] is None:
        return None
    votes[AGAINST_ALL] = lines["n_against_all"]
    return votes, lines["n_registered"], lines["n_in_boxes"]


def _choose(location_id: int, reports: list[Submission],
            resolutions: dict[int, list[ConflictResolution]]) -> tuple[Submission | None, str]:
    """The report to use at a station that more than one report came from: the first when all
    give the same votes; else the one the mission kept when resolving the conflict."""
    figures = [_figures(s.answers) for s in reports]
    if all(f == figures[0] for f in figures):
        return reports[0], ""
    chosen = {r.chosen_id for r in resolutions.get(location_id, [])}
    kept = [s for s in reports if s.pk in chosen]
    if len(chosen) == 1 and len(kept) == 1:
        return kept[0], ""
    return None, _("Reports from two teams disagree and the conflict is not resolved.")


def _station_reports(sample: Sample, submissions: QuerySet[Submission]):
    stations = {s.location_id: s for s in sample_stations(sample)}
    counting = (submissions.live()
                .filter(form__stage=Stage.COUNTING, location_id__in=list(stations))
                .select_related("team", "form").order_by("received_at", "pk"))
    grouped: dict[int, list[Submission]] = defaultdict(list)
    for submission in counting:
        grouped[submission.location_id].append(submission)
    resolutions: dict[int, list[ConflictResolution]] = defaultdict(list)
    for resolution in ConflictResolution.objects.filter(
            mission=sample.mission, location_id__in=[k for k, v in grouped.items() if len(v) > 1],
            form__stage=Stage.COUNTING):
        resolutions[resolution.location_id].append(resolution)
    used, left_out = [], []
    for location_id, reports in grouped.items():
        station = stations[location_id]
        chosen, reason = _choose(location_id, reports, resolutions)
        figures = _figures(chosen.answers) if chosen else None
        if chosen is not None and figures is None:
            left_out.append(LeftOut(station, _("The report does not give the votes of every "
                                               "list."), reports, INCOMPLETE))
        elif reason:
            left_out.append(LeftOut(station, reason, reports, CONFLICT))
        else:
            votes, registered, in_boxes = figures
            used.append(StationReport(station, chosen, votes, registered, in_boxes))
    used.sort(key=lambda r: (r.submission.received_at, r.submission.pk))
    left_out.sort(key=lambda x: x.station.location.code)
    n_repeated = sum(len(grouped[r.station.location_id]) - 1 for r in used)
    form_ids = sorted({s.form.form_id for reports in grouped.values() for s in reports})
    return stations, used, left_out, n_repeated, form_ids


def _steps(n: int, points: int = 60) -> list[int]:
    if n <= points:
        return list(range(1, n + 1))
    return sorted({max(1, round(i * n / points)) for i in range(1, points + 1)})


def quick_count_page(sample: Sample, submissions: QuerySet[Submission],
                     contest: Contest | None = None) -> QuickCountPage:
    """Everything the quick-count page shows for `sample`, from the live counting reports among
    `submissions` (already scoped to what the reader may see) at the sampled stations.

    A station reported by several reports counts once: the first when they agree, the report
    kept by the conflict resolution when they disagree, and not at all (listed in `left_out`)
    while the conflict is open; the others are counted in `n_repeated`. Votes are the valid votes per list and against all; the
    denominator is their sum. The design comes from the data (:func:`eom.reporting.design.
    decide_design`): ``eom.stats.quick_count`` with the sample's strata and stratum sizes, or,
    when a team reported from several sampled stations, with each team as one cluster;
    convergence in order of arrival (``received_at``) with the same design.
    """
    contest = contest or party_list_contest(sample.mission)
    names = {AGAINST_ALL: _("Against all")}
    if contest is not None:
        parties = Party.objects.filter(election=contest.election).order_by("registration_order")
        names = {**{p.code: p.short_name or p.name for p in parties}, **names}
    stations, reports, left_out, n_repeated, form_ids = _station_reports(sample, submissions)
    page = QuickCountPage(sample, contest, names, len(stations), reports, left_out,
                          n_repeated=n_repeated, form_ids=form_ids)
    reported: dict[str, int] = defaultdict(int)
    for report in reports:
        reported[report.station.stratum] += 1
    sampled: dict[str, int] = defaultdict(int)
    for station in stations.values():
        sampled[station.stratum] += 1
    labels = dict(Location.objects.filter(mission=sample.mission, code__in=list(
        sample.stratum_sizes)).values_list("code", "name_en"))
    page.strata = [StratumRow(code, labels.get(code, code), int(size), sampled[code],
                              reported[code])
                   for code, size in sorted(sample.stratum_sizes.items())]
    page.official = official_figures(contest) if contest is not None else None
    if not reports:
        return page
    codes = [c for c in names if any(c in r.votes for r in reports)]
    codes += sorted({c for r in reports for c in r.votes} - set(codes))
    votes = {c: [r.votes.get(c, 0) for r in reports] for c in codes}
    strata = [r.station.stratum for r in reports]
    turnout = all(r.n_registered and r.n_in_boxes is not None for r in reports)
    registered = [r.n_registered for r in reports] if turnout else None
    ballots = [r.n_in_boxes for r in reports] if turnout else None
    page.design = decide_design(sample, [(r.station.location_id, r.submission.team_id)
                                         for r in reports])
    if page.design.kind == CLUSTERED:
        clusters = page.design.clusters
        page.result = _by_cluster(votes, clusters, len(reports), registered, ballots)
        page.steps = [_step(k, _by_cluster(votes, clusters, k))
                      for k in _steps(len(reports))]
    else:
        page.result = quick_count(votes, strata=strata, stratum_sizes=sample.stratum_sizes,
                                  n_registered=registered, n_ballots=ballots)
        page.steps = convergence(votes, strata=strata, stratum_sizes=sample.stratum_sizes,
                                 steps=_steps(len(reports)))
    official = page.official.shares if page.official else {}
    page.rows = [EstimateRow(e.name, names.get(e.name, e.name), e.share, e.margin95, e.margin99,
                             official.get(e.name)) for e in page.result.parties]
    return page


def _by_cluster(votes: dict[str, list[int]], clusters: list[str], k: int,
                registered: list[int] | None = None,
                ballots: list[int] | None = None) -> QuickCountResult:
    """The quick count of the first `k` reports with each cluster (team) as one unit: its
    stations' votes added up, the ratio estimator over clusters, its variance between clusters
    (Cochran 1977, §6.13 and §9A.2, with replacement: no finite-population correction)."""
    order = list(dict.fromkeys(clusters[:k]))
    at = {c: i for i, c in enumerate(order)}

    def added(values: list[int]) -> list[int]:
        sums = [0] * len(order)
        for cluster, value in zip(clusters[:k], values[:k], strict=True):
            sums[at[cluster]] += value
        return sums

    result = quick_count({c: added(v) for c, v in votes.items()},
                         n_registered=added(registered) if registered else None,
                         n_ballots=added(ballots) if ballots else None)
    if len(order) < 2:  # one cluster: no variance can be estimated, so nothing is decided
        result = replace(result, decided=False)
    return result


def _step(k: int, result: QuickCountResult) -> ConvergenceStep:
    return ConvergenceStep(k, {p.name: p.share for p in result.parties},
                           {p.name: p.margin95 for p in result.parties})


def official_figures(contest: Contest) -> Official | None:
    """The contest's national official result: the total the commission published for the
    country when there is one, else the sum of the official protocols; None without either."""
    country = Location.objects.filter(mission=contest.election.mission,
                                      level=LocationLevel.COUNTRY).first()
    if country is None:
        return None
    published = PublishedTotal.objects.filter(contest=contest, location=country).first()
    if published is not None and published.votes:
        votes, against = dict(published.votes), published.n_against_all
        registered, in_boxes = published.n_registered, published.n_in_boxes
        source = published.source or _("published total")
    else:
        head, _children = tree(contest, country, Protocol.objects.filter(contest=contest))
        if head.computed is None:
            return None
        votes, lines = dict(head.computed.votes), head.computed.lines
        against, registered = lines.get("n_against_all"), lines.get("n_registered")
        in_boxes = lines.get("n_in_boxes")
        source = _("sum of the official protocols")
    if against is not None and against >= 0:
        votes[AGAINST_ALL] = against
    total = sum(votes.values())
    if total <= 0:
        return None
    turnout = in_boxes / registered if registered and in_boxes is not None else None
    return Official({c: v / total for c, v in votes.items()}, turnout, source)
