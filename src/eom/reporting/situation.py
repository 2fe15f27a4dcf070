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
- the key figures: the mission's named indicators with their 95 % intervals
  (`eom.reporting.indicators`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from eom.missions.models import Location, Mission, Person, Team, TeamMembership
from eom.observation import queries
from eom.observation.models import QAFlag, Severity, Stage, Submission
from eom.observation.permissions import submissions_visible_to

from .indicators import IndicatorFigure, indicator_figures
from .permissions import situation_scope

SILENT_MINUTES = 60
CRITICAL_SHOWN = 10  # the newest critical reports listed; the count says how many there are
SILENT_SHOWN = 20  # the longest-silent teams listed; the count says how many there are


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


def key_figures(mission: Mission, user, area: Location | None) -> list[IndicatorFigure]:
    """The key figures of the reader's reports (`area`: the coordinator's, or None for all): the
    named indicators the mission's checklists declare, each with its 95 % interval."""
    return indicator_figures(mission, user=user, area=area)
