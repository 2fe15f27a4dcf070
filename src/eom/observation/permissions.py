"""Who may send, see and change submissions, and who reads coverage. Every channel asks these
functions.

Sending: one rule, `SubmitRights.decide`, for every channel (pages, API, batch, offline app,
SMS, ODK Collect), so that a report is accepted or refused the same way however it arrives.
- A report's place matches its stage: opening, voting and counting are observed at a polling
  station; tabulation at a commission above the polling stations; an incident at either.
- An observer reports station stages for the polling stations its teams are deployed to on that
  day, and tabulation (or an incident there) at the territorial commission of that deployment:
  the parent of a deployed polling station, or a commission the team is deployed to itself.
- A coordinator reports for places in its area's subtree.
- The core team and administrators report everywhere; analysts send nothing.
A refusal names the `location` field and the reason: 422 when no report of that stage is made
at such a place, 403 when the place is not the sender's.

Seeing: an observer sees its teams' submissions (and lists its own) and edits its own within
the mission's edit window; a coordinator sees and edits those of its area's subtree; the core
team and administrators see and edit everything; analysts read everything.

Coverage (the tree's reporting rates and silent teams): the core team, administrators and
analysts read the whole tree, a coordinator its area's subtree; observers read none of it (their
own stations are on their assignments page).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from eom.missions import bulk
from eom.missions.models import (
    Access,
    Deployment,
    Location,
    LocationLevel,
    Mission,
    Team,
    TeamMembership,
)
from eom.missions.permissions import access_of, area_path, person_of, sees_everything

from .models import Stage, Submission

SENDERS = {Access.OBSERVER, Access.COORDINATOR, Access.CORE_TEAM, Access.ADMINISTRATOR}
STATION_STAGES = frozenset({Stage.OPENING, Stage.VOTING, Stage.COUNTING})


def observer_teams(user, mission: Mission) -> QuerySet[Team]:
    person = person_of(user)
    if person is None:
        return Team.objects.none()
    return Team.objects.filter(mission=mission, members=person)


def assigned_locations(user, mission: Mission, on: dt.date | None = None) -> QuerySet[Location]:
    """The locations the user's teams are deployed to (on that day, when given)."""
    deployments = Q(deployments__team__in=observer_teams(user, mission))
    if on is not None:
        deployments &= Q(deployments__starts__lte=on, deployments__ends__gte=on)
    return Location.objects.filter(deployments, mission=mission).distinct()


# --- sending ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """May the sender file a report of that stage at that place? When not, `status` (403: the
    place is not the sender's; 422: no report of that stage is made at such a place) and
    `reason`, said of the `location` field. `team` is the sender's team deployed there (on any
    day; for a commission, to a polling station below it), or None."""

    allowed: bool
    team: Team | None = None
    status: int = 0
    reason: str = ""

    @property
    def errors(self) -> dict[str, list[str]]:
        return {"location": [self.reason]}


def _parent_path(path: str) -> str:
    """`KZ/R1/D1/` of `KZ/R1/D1/01001/`."""
    return path[: path.rstrip("/").rfind("/") + 1]


class SubmitRights:
    """The submit rule, the only one: the sender's deployments are read once (one query), then
    `decide` answers each (place, stage, moment) without the database. The ingestion
    (`batch.ingest_submissions`, one report being a batch of one) asks it for every report, the
    checklist page before it opens, the observer's home for the days of its deployments."""

    def __init__(self, user, mission: Mission) -> None:
        self.mission = mission
        self.access = access_of(user, mission)
        self.prefix = area_path(user) if self.access is Access.COORDINATOR else None
        self.zone = timezone.get_current_timezone()
        self.answers: dict[tuple, Decision] = {}  # the same place, stage and day
        # (team, starts, ends, location pk, path, level) per deployed place, in team code order.
        self.places: list[tuple] = []
        person = person_of(user)
        if person is not None and self.access in SENDERS:
            self.places = _deployed_places(person, mission)

    def decide(self, location: Location, stage: str, when: dt.datetime | None) -> Decision:
        """The decision for a report observed at `when` (None: on any day of a deployment, for
        a page that is opened before the day)."""
        day = when.astimezone(self.zone).date() if when is not None else None
        key = (location.pk, location.path, location.level, location.mission_id, stage, day)
        answer = self.answers.get(key)
        if answer is None:
            answer = self.answers[key] = self._decide(location, stage, day)
        return answer

    def _decide(self, location: Location, stage: str, day: dt.date | None) -> Decision:
        code = location.code
        if self.access not in SENDERS:
            return Decision(False, None, 403, _("your access does not allow sending reports"))
        covering = [p for p in self.places if p[4].startswith(location.path)]
        team = self.team_at(location)
        at_station = location.level == LocationLevel.POLLING_STATION
        if stage in STATION_STAGES and not at_station:
            return Decision(False, team, 422, _(
                "%(stage)s is observed at a polling station; %(code)s is not one (%(level)s)"
            ) % {"stage": Stage(stage).label, "code": code,
                 "level": LocationLevel(location.level).label})
        if stage == Stage.TABULATION and at_station:
            return Decision(False, team, 422, _(
                "tabulation is observed at the commission above the polling stations; "
                "%(code)s is a polling station") % {"code": code})
        if self.access is Access.COORDINATOR and not (
                self.prefix and location.path.startswith(self.prefix)):
            return Decision(False, team, 403, _("%(code)s is outside your area") % {"code": code})
        if self.access is not Access.OBSERVER:
            return Decision(True, team)
        that_day = [p for p in covering if day is None or p[1] <= day <= p[2]]
        if location.mission_id == self.mission.pk:
            if at_station and any(p[3] == location.pk for p in that_day):
                return Decision(True, team)
            if not at_station and any(
                p[3] == location.pk
                or (p[5] == LocationLevel.POLLING_STATION and _parent_path(p[4]) == location.path)
                for p in that_day
            ):
                return Decision(True, team)
        refused = _("you are not deployed to %(code)s") % {"code": code}
        commissions = sorted({_parent_path(p[4]).rstrip("/").rsplit("/", 1)[-1]
                              for p in that_day if p[5] == LocationLevel.POLLING_STATION})
        if not at_station and commissions:
            refused = _("you are not deployed to %(code)s; the commission of your polling "
                        "stations is %(commissions)s") % {
                "code": code, "commissions": ", ".join(commissions)}
        return Decision(False, team, 403, refused)

    def team_at(self, location: Location) -> Team | None:
        """The team a report from the place is recorded for: the first of the sender's teams,
        in code order, deployed there or below."""
        return next((p[0] for p in self.places if p[4].startswith(location.path)), None)

    def days_at(self, location: Location) -> list[tuple[dt.date, dt.date]] | None:
        """The (first, last) days the sender's teams are deployed at the place (for a
        commission: to it, or to a polling station below it), merged and in order; None when
        the sender may report there on any day (not an observer)."""
        if self.access is not Access.OBSERVER:
            return None
        spans = sorted({(p[1], p[2]) for p in self.places if p[3] == location.pk or (
            p[5] == LocationLevel.POLLING_STATION and _parent_path(p[4]) == location.path)})
        merged: list[tuple[dt.date, dt.date]] = []
        for first, last in spans:
            if merged and first <= merged[-1][1] + dt.timedelta(days=1):
                merged[-1] = (merged[-1][0], max(merged[-1][1], last))
            else:
                merged.append((first, last))
        return merged


def _deployed_places(person, mission: Mission) -> list[tuple]:
    """(team, starts, ends, location pk, path, level) for each place a deployment of the
    person's teams names, in team code order: the rows of observer_teams(user, mission)
    .filter(deployments__locations__isnull=False).order_by("code") and their deployments'
    places, in SQL: every report asks it, and Django compiling its four joins took longer than
    the database answering."""
    quote = connection.ops.quote_name
    tables = {model: quote(model._meta.db_table) for model in (Team, TeamMembership, Deployment,
                                                               Location)}
    places = quote(Deployment.locations.through._meta.db_table)
    team_fields = list(Team._meta.concrete_fields)
    team_columns = ", ".join(f"t.{quote(f.column)}" for f in team_fields)
    found = bulk.rows(
        f"SELECT {team_columns}, d.starts, d.ends, dl.location_id, l.path, l.level"
        f" FROM {tables[Team]} t"
        f" JOIN {tables[TeamMembership]} m ON m.team_id = t.id"
        f" JOIN {tables[Deployment]} d ON d.team_id = t.id"
        f" JOIN {places} dl ON dl.deployment_id = d.id"
        f" JOIN {tables[Location]} l ON l.id = dl.location_id"
        " WHERE m.person_id = %s AND t.mission_id = %s ORDER BY t.code, t.id",
        [person.pk, mission.pk],
        [*team_fields, *(Deployment._meta.get_field(name) for name in ("starts", "ends")),
         Location._meta.pk, *(Location._meta.get_field(name) for name in ("path", "level"))])
    teams: dict[int, Team] = {}
    split = len(team_fields)
    rows = []
    for row in found:
        team = teams.get(row[0])
        if team is None:
            team = teams[row[0]] = Team.from_db(
                "default", [f.attname for f in team_fields], row[:split])
        rows.append((team, *row[split:]))
    return rows


def can_see_submission(user, mission: Mission, submission: Submission) -> bool:
    """Whether the submission is in `submissions_visible_to(user, mission)`; asks the database
    only when the answer is not plain from the access level or the observer."""
    if submission.mission_id != mission.pk:
        return False
    access = access_of(user, mission)
    if access in {Access.CORE_TEAM, Access.ADMINISTRATOR, Access.ANALYST}:
        return True
    if access is Access.OBSERVER and submission.observer_id == getattr(person_of(user), "pk", 0):
        return True
    return submissions_visible_to(user, mission).filter(pk=submission.pk).exists()


def submissions_visible_to(user, mission: Mission) -> QuerySet[Submission]:
    access = access_of(user, mission)
    submissions = Submission.objects.filter(mission=mission)
    if access in {Access.CORE_TEAM, Access.ADMINISTRATOR, Access.ANALYST}:
        return submissions
    if access is Access.COORDINATOR:
        prefix = area_path(user)
        if prefix is None:
            return submissions.none()
        return submissions.filter(location__path__startswith=prefix)
    if access is Access.OBSERVER:
        person = person_of(user)
        return submissions.filter(
            Q(observer=person) | Q(team__in=observer_teams(user, mission))
        )
    return submissions.none()


def can_edit_submission(user, submission: Submission, now: dt.datetime | None = None) -> bool:
    mission = submission.mission
    access = access_of(user, mission)
    if access in {Access.CORE_TEAM, Access.ADMINISTRATOR}:
        return True
    if access is Access.COORDINATOR:
        prefix = area_path(user)
        return prefix is not None and submission.location.path.startswith(prefix)
    if access is Access.OBSERVER and submission.observer_id == getattr(person_of(user), "pk", 0):
        now = now or timezone.now()
        window = dt.timedelta(minutes=mission.edit_window_minutes)
        return now - submission.received_at <= window
    return False


def can_manage_forms(user, mission: Mission) -> bool:
    return access_of(user, mission) in {Access.CORE_TEAM, Access.ADMINISTRATOR}


def can_resolve_conflicts(user, mission: Mission) -> bool:
    return access_of(user, mission) in {Access.CORE_TEAM, Access.ADMINISTRATOR, Access.COORDINATOR}


# --- coverage -----------------------------------------------------------------------------


def coverage_scope(user, mission: Mission) -> str | None:
    """The part of the tree whose coverage the reader sees: "" for the whole tree (core team,
    administrators, analysts), its area's path for a coordinator, None for none at all
    (observers, a coordinator without an area)."""
    if sees_everything(user, mission):
        return ""
    if access_of(user, mission) is Access.COORDINATOR:
        return area_path(user)
    return None


def can_view_coverage(user, mission: Mission) -> bool:
    return coverage_scope(user, mission) is not None


def coverage_nodes_visible_to(user, mission: Mission) -> QuerySet[Location]:
    """The places whose coverage the reader may open (and whose silent teams it sees)."""
    locations = Location.objects.filter(mission=mission)
    prefix = coverage_scope(user, mission)
    if prefix is None:
        return locations.none()
    return locations.filter(path__startswith=prefix) if prefix else locations


def submissions_listed_to(user, mission: Mission) -> QuerySet[Submission]:
    """The reports a reader's lists and figures count: those it may see, and for an observer
    its own only (its team mate's stay readable one by one, not listed)."""
    visible = submissions_visible_to(user, mission)
    if access_of(user, mission) is Access.OBSERVER:
        return visible.filter(observer=person_of(user))
    return visible
