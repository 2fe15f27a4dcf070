"""The situation room: election day as it goes, for those who run it (see `permissions`).

What it shows, for the reader's part of the tree (the whole mission, or a coordinator's area):
- reports in against expected, per stage and per area one level down, exactly as coverage counts
  them (`eom.observation.queries.coverage`: voting, the polling stations assigned to teams;
  opening, counting and tabulation, one report per team deployed on election day);
- the silent teams, as coverage defines them: deployed teams that have sent nothing for
  `SILENT_MINUTES` before the reference time, or nothing at all, unless they have sent their
  tabulation report (their day is over); with their latest report and their members' phones;
- the critical reports, newest first: reports that raised a QA flag of high severity. Which
  answers are critical is declared in each workbook's `qa` sheet (the shipped incident checklist
  flags every incident its observers rate "high"; the counting checklist, protocols that do not
  add up);
- the key figures with their 95 % intervals (`key_figures`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from eom.missions.models import Location, Mission, Person, Team, TeamMembership
from eom.observation import queries
from eom.observation.models import Form, QAFlag, Severity, Stage, Submission
from eom.observation.permissions import submissions_listed_to, submissions_visible_to

from .analysis import analyse
from .permissions import situation_scope

SILENT_MINUTES = 60
CRITICAL_SHOWN = 10  # the newest critical reports listed; the count says how many there are
SILENT_SHOWN = 20  # the longest-silent teams listed; the count says how many there are
NEGATIVE = ("bad", "very_bad")


@dataclass(frozen=True)
class KeyFigure:
    """One figure of the situation room, in the shape of `eom.reporting.indicators`'
    IndicatorFigure: `count` of `base` reports, their share and its 95 % interval (None when
    the base is 0), and how the count is made (`formula`)."""

    key: str
    label: str
    form_id: str
    count: int
    base: int
    share: float | None
    low: float | None
    high: float | None
    formula: str


@dataclass
class SilentTeam:
    team: Team
    last_at: dt.datetime | None  # its latest report; None: nothing sent yet
    last_stage: str
    members: list[Person]

    @property
    def last_stage_label(self) -> str:
        return str(Stage(self.last_stage).label) if self.last_stage in Stage.values else ""


@dataclass
class Situation:
    node: Location
    reference: dt.datetime
    total: queries.CoverageRow
    rows: list[queries.CoverageRow]
    silent: list[SilentTeam]
    n_silent: int
    critical: list[Submission]  # each with `critical_flags`
    n_critical: int

    @property
    def silent_minutes(self) -> int:
        return SILENT_MINUTES


def top_of_scope(mission: Mission, prefix: str) -> Location | None:
    """The place the reader's situation room starts from: the top of the tree, or its area."""
    return Location.objects.filter(mission=mission, path__startswith=prefix).order_by(
        "path").first()


def situation(mission: Mission, user) -> Situation | None:
    """The situation room of `user` (None when the mission has no place in its scope; the
    caller has checked `can_view_situation_room`)."""
    prefix = situation_scope(user, mission)
    node = top_of_scope(mission, prefix) if prefix is not None else None
    if node is None:
        return None
    total, rows, reference = queries.coverage(mission, node, silent_minutes=SILENT_MINUTES)
    silent = _silent_teams(total)
    critical = critical_reports(submissions_visible_to(user, mission))
    return Situation(node, reference, total, rows, silent[:SILENT_SHOWN], len(silent),
                     list(critical[:CRITICAL_SHOWN]), critical.count())


def _silent_teams(total: queries.CoverageRow) -> list[SilentTeam]:
    """Coverage's silent teams with their members, those that have sent nothing first, then the
    longest silent."""
    members = {
        team.pk: [m.person for m in team.memberships.all()]
        for team in Team.objects.filter(pk__in=[t.pk for t in total.silent]).prefetch_related(
            Prefetch("memberships", queryset=TeamMembership.objects.select_related("person")
                     .order_by("-is_leader", "person__full_name")))
    }
    found = []
    for team in total.silent:
        last_at, last_stage = total.last_reports.get(team.pk, (None, ""))
        found.append(SilentTeam(team, last_at, last_stage, members.get(team.pk, [])))
    never = dt.datetime.min.replace(tzinfo=dt.UTC)
    found.sort(key=lambda s: (s.last_at is not None, s.last_at or never, s.team.code))
    return found


def critical_reports(visible: QuerySet[Submission]) -> QuerySet[Submission]:
    """The live reports of `visible` that raised a high-severity QA flag, newest first, each
    with its high flags as `critical_flags`."""
    high = QAFlag.objects.filter(submission=OuterRef("pk"), severity=Severity.HIGH)
    return (
        visible.live().filter(Exists(high))
        .select_related("form", "location", "team")
        .prefetch_related(Prefetch("flags", to_attr="critical_flags",
                                   queryset=QAFlag.objects.filter(severity=Severity.HIGH)))
        .order_by("-observed_at", "-pk")
    )


def key_figures(mission: Mission, user, area: Location | None) -> list[KeyFigure]:
    """The key figures of the reader's reports (`area`: the coordinator's, or None for all).

    For now the negative answers of each stage checklist's overall assessment, as the process
    analysis counts them (each choice with its Wilson interval); the mission's named indicators
    take their place when they are declared."""
    visible = submissions_listed_to(user, mission)
    forms = Form.objects.filter(mission=mission, current_version__isnull=False,
                                stage__in=queries.STAGES).select_related("current_version")
    figures = []
    for form in forms:
        question = analyse(form, visible, scope=area).question("assessment")
        if question is None:
            continue
        for choice in question.figures:
            if choice.name not in NEGATIVE:
                continue
            answered = question.n > 0
            figures.append(KeyFigure(
                key=f"{form.form_id}.{question.name}.{choice.name}",
                label=f"{form.title}: {question.label} — {choice.label}",
                form_id=form.form_id, count=choice.n_yes, base=choice.n,
                share=choice.share if answered else None,
                low=choice.lower if answered else None,
                high=choice.upper if answered else None,
                formula=f"{question.name} = '{choice.name}'",
            ))
    return figures
