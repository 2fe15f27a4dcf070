"""Read-side figures over submissions: coverage of the location tree and conflicts between teams."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from eom.missions.models import Location, LocationLevel, Mission, Team, TeamKind

from .models import ConflictResolution, Form, Stage, Submission, localised
from .rendering import answer_text

STAGES = [Stage.OPENING, Stage.VOTING, Stage.COUNTING, Stage.TABULATION]


def election_day(mission: Mission) -> dt.date | None:
    election = mission.elections.order_by("date").first()
    return election.date if election else None


def reference_time(mission: Mission) -> dt.datetime:
    """'Now' for silence: the clock while the election is on; once it is over, the time of the
    last report seen, so that a past day can be reviewed as it ended."""
    now = timezone.now()
    day = election_day(mission)
    if day is None or timezone.localdate(now) <= day + dt.timedelta(days=1):
        return now
    last = Submission.objects.live().filter(mission=mission).order_by("-observed_at").first()
    return last.observed_at if last else now


@dataclass
class StageCoverage:
    stage: str
    expected: int
    received: int

    @property
    def percent(self) -> int:
        return round(100 * self.received / self.expected) if self.expected else 0


@dataclass
class CoverageRow:
    location: Location
    stages: list[StageCoverage]
    n_teams: int
    silent: list[Team] = field(default_factory=list)
    n_incidents: int = 0
    # team pk → (time observed, stage) of its latest report, for the teams of `silent`
    last_reports: dict[int, tuple[dt.datetime, str]] = field(default_factory=dict)


def _teams_on_day(mission: Mission, day: dt.date | None) -> QuerySet[Team]:
    teams = Team.objects.filter(mission=mission, kind=TeamKind.STO)
    if day is not None:
        teams = teams.filter(deployments__starts__lte=day, deployments__ends__gte=day)
    return teams.distinct()


def coverage(
    mission: Mission, node: Location, *, silent_minutes: int = 60, teams: QuerySet[Team] | None = None
) -> tuple[CoverageRow, list[CoverageRow], dt.datetime]:
    """Coverage of `node` and of each of its children: for each stage, how many polling
    stations were expected to be reported (voting: the stations teams are assigned; opening,
    counting, tabulation: one per team) and how many were; the silent teams: those that have
    sent nothing for longer than `silent_minutes` before the reference time (or nothing at all),
    unless they have sent their tabulation report, the last of their day. Each row's
    `last_reports` holds its silent teams' latest report. Returns (node row, child rows,
    reference time)."""
    day = election_day(mission)
    teams = _teams_on_day(mission, day) if teams is None else teams
    children = list(node.children.order_by("path")) or [node]
    prefixes = [(child, child.path) for child in children]

    def owner(path: str) -> Location | None:
        for child, prefix in prefixes:
            if path.startswith(prefix):
                return child
        return None

    assigned: dict[int, set[int]] = defaultdict(set)  # child pk → assigned station pks
    team_rows = []  # (child, team)
    team_area: dict[int, Location] = {}
    for team in teams.filter(deployments__locations__path__startswith=node.path).prefetch_related(
        "deployments__locations"
    ).distinct():
        for deployment in team.deployments.all():
            for station in deployment.locations.all():
                child = owner(station.path)
                if child is not None and station.level == LocationLevel.POLLING_STATION:
                    assigned[child.pk].add(station.pk)
                    team_area.setdefault(team.pk, child)
        if team.pk in team_area:
            team_rows.append((team_area[team.pk], team))
    stage_of = dict(Form.objects.filter(mission=mission).values_list("pk", "stage"))
    received: dict[tuple[int, str], set[int]] = defaultdict(set)
    last_seen: dict[int, tuple[dt.datetime, str]] = {}
    finished: set[int] = set()  # teams that have sent their tabulation report
    incidents: dict[int, int] = defaultdict(int)
    rows = Submission.objects.live().filter(mission=mission, location__path__startswith=node.path)
    for form_id, path, location_id, team_id, observed_at in rows.values_list(
        "form_id", "location__path", "location_id", "team_id", "observed_at"
    ).iterator():
        child = owner(path)
        stage = stage_of.get(form_id)
        if child is None:
            continue
        if stage == Stage.INCIDENT:
            incidents[child.pk] += 1
        else:
            received[(child.pk, stage)].add(location_id if stage != Stage.TABULATION else team_id)
        if team_id and (team_id not in last_seen or observed_at > last_seen[team_id][0]):
            last_seen[team_id] = (observed_at, stage)
        if team_id and stage == Stage.TABULATION:
            finished.add(team_id)
    reference = reference_time(mission)
    cutoff = reference - dt.timedelta(minutes=silent_minutes)
    n_teams: dict[int, int] = defaultdict(int)
    silent: dict[int, list[Team]] = defaultdict(list)
    for child, team in team_rows:
        n_teams[child.pk] += 1
        if team.pk not in finished and (team.pk not in last_seen
                                        or last_seen[team.pk][0] < cutoff):
            silent[child.pk].append(team)

    def row(child: Location) -> CoverageRow:
        stages = []
        for stage in STAGES:
            expected = len(assigned[child.pk]) if stage == Stage.VOTING else n_teams[child.pk]
            stages.append(StageCoverage(stage, expected, len(received[(child.pk, stage)])))
        return CoverageRow(child, stages, n_teams[child.pk], silent[child.pk], incidents[child.pk],
                           {t.pk: last_seen[t.pk] for t in silent[child.pk] if t.pk in last_seen})

    child_rows = [row(child) for child in children]
    total = CoverageRow(
        node,
        [
            StageCoverage(
                stage,
                sum(r.stages[i].expected for r in child_rows),
                sum(r.stages[i].received for r in child_rows),
            )
            for i, stage in enumerate(STAGES)
        ],
        sum(r.n_teams for r in child_rows),
        [team for r in child_rows for team in r.silent],
        sum(r.n_incidents for r in child_rows),
        {pk: seen for r in child_rows for pk, seen in r.last_reports.items()},
    )
    return total, child_rows, reference


@dataclass
class Conflict:
    """Teams' different answers to one question at one location. A `fact` (a question the
    workbook marks `reconcile`, such as a protocol figure) is a conflict the mission resolves
    by keeping one report; any other key answer (an assessment) is an independent observation
    of each visit, shown side by side with nothing to resolve."""

    location: Location
    form: Form
    question: str
    definition: dict  # the question, as the form's current version defines it
    reports: list[tuple[Submission, object]]  # (submission, its answer)
    resolution: ConflictResolution | None
    fact: bool = True

    @property
    def label_text(self) -> str:
        return localised(self.definition.get("label"), self.question)

    @property
    def shown(self) -> list[tuple[Submission, str]]:
        """Each report with its answer as the reader reads it (choice labels, not codes)."""
        return [(s, answer_text(self.definition, value)) for s, value in self.reports]


def compared_questions(form: Form) -> list[dict]:
    """The questions compared between teams: key answers and facts to reconcile."""
    if form.current_version is None:
        return []
    return [
        question
        for section in form.current_version.definition["sections"]
        for question in section["questions"]
        if question.get("key") or question.get("reconcile")
    ]


def is_fact(form: Form, name: str) -> bool:
    """Whether `name` is a fact to reconcile in the form's current version."""
    return any(q["name"] == name and q.get("reconcile") for q in compared_questions(form))


def disagreements(mission: Mission, submissions: QuerySet[Submission]) -> list[Conflict]:
    """Compared answers that two or more teams reported differently for the same location and
    form: facts first (open ones before resolved ones), then independent observations."""
    found: list[Conflict] = []
    resolutions = {
        (r.location_id, r.form_id, r.question): r
        for r in ConflictResolution.objects.filter(mission=mission)
    }
    for form in Form.objects.filter(mission=mission).select_related("current_version"):
        compared = compared_questions(form)
        if not compared:
            continue
        groups: dict[int, list[Submission]] = defaultdict(list)
        candidates = (
            submissions.live().filter(form=form, team__isnull=False)
            .select_related("location", "team", "observer")
            .order_by("location_id", "observed_at", "pk")
        )
        for submission in candidates:
            groups[submission.location_id].append(submission)
        for reports in groups.values():
            if len({s.team_id for s in reports}) < 2:
                continue
            for question in compared:
                name = question["name"]
                answered = [(s, s.answers.get(name)) for s in reports if name in s.answers]
                if len({repr(value) for _s, value in answered}) > 1:
                    location = reports[0].location
                    fact = bool(question.get("reconcile"))
                    found.append(Conflict(
                        location, form, name, question, answered,
                        resolutions.get((location.pk, form.pk, name)) if fact else None, fact,
                    ))
    found.sort(key=lambda c: (not c.fact, c.resolution is not None, c.location.path,
                              c.form.order))
    return found


def conflicts(mission: Mission, submissions: QuerySet[Submission]) -> list[Conflict]:
    """Facts to reconcile that two or more teams reported differently (see `disagreements`)."""
    return [c for c in disagreements(mission, submissions) if c.fact]
