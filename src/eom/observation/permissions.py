"""Who may send, see and change submissions. Every channel asks these functions.

- An observer sends reports for the locations its teams are deployed to (and, for tabulation,
  the electoral district of those stations), while the deployment lasts; it sees its teams'
  submissions and edits its own within the mission's edit window.
- A coordinator sends, sees and edits for locations in its area's subtree.
- The core team and administrators send, see and edit everywhere; analysts read everything.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from eom.missions import bulk
from eom.missions.models import Access, Deployment, Location, Mission, Team, TeamMembership
from eom.missions.permissions import access_of, area_path, person_of

from .models import Stage, Submission


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


def _covering(location: Location) -> Q:
    """Deployments to the location or, for a commission, to a station below it."""
    return Q(deployments__locations=location) | Q(
        deployments__locations__path__startswith=location.path
    )


def team_for(user, mission: Mission, location: Location, on: dt.date | None = None) -> Team | None:
    """The user's team deployed to the location (or, for a commission, to a station below it)."""
    teams = observer_teams(user, mission)
    within = _covering(location)
    if on is not None:
        within &= Q(deployments__starts__lte=on, deployments__ends__gte=on)
    return teams.filter(within).order_by("code").first()


def can_submit(user, mission: Mission, location: Location, stage: str, when: dt.datetime) -> bool:
    access = access_of(user, mission)
    if access in {Access.CORE_TEAM, Access.ADMINISTRATOR}:
        return True
    if access is Access.COORDINATOR:
        prefix = area_path(user)
        return prefix is not None and location.path.startswith(prefix)
    if access is not Access.OBSERVER:
        return False
    day = timezone.localtime(when).date()
    if stage == Stage.TABULATION:
        # Tabulation is observed at the commission above the team's polling stations.
        return team_for(user, mission, location, on=day) is not None
    return assigned_locations(user, mission, on=day).filter(pk=location.pk).exists()


def submit_check(
    user, mission: Mission, location: Location, stage: str, when: dt.datetime
) -> tuple[bool, Team | None]:
    """`can_submit(...)` and `team_for(user, mission, location)` (any day) in one query: what
    the ingestion path asks for every report. Returns (may submit, team or None)."""
    access = access_of(user, mission)
    if access in {Access.CORE_TEAM, Access.ADMINISTRATOR}:
        allowed = True
    elif access is Access.COORDINATOR:
        prefix = area_path(user)
        allowed = prefix is not None and location.path.startswith(prefix)
    else:
        allowed = access is Access.OBSERVER
    if not allowed or person_of(user) is None:
        return allowed, None
    # One row per (team, deployment, location) covering the location, as team_for joins them.
    rows = list(
        observer_teams(user, mission)
        .filter(_covering(location))
        .annotate(
            starts=F("deployments__starts"), ends=F("deployments__ends"),
            station=F("deployments__locations"),
        )
        .order_by("code")
    )
    if access is Access.OBSERVER:
        # As can_submit: tabulation at the commission above the team's stations on that day,
        # any other stage at a station the team is deployed to on that day.
        day = timezone.localtime(when).date()
        that_day = [row for row in rows if row.starts <= day <= row.ends]
        if stage == Stage.TABULATION:
            allowed = bool(that_day)
        else:
            allowed = location.mission_id == mission.pk and any(
                row.station == location.pk for row in that_day
            )
    return allowed, (rows[0] if rows else None)


class SubmitRights:
    """`submit_check` for many reports of one sender, with one query for all of them: what the
    batch ingestion path asks. The sender's deployments are read once; each `check` then
    decides exactly as `submit_check` does, and names the team by its primary key."""

    def __init__(self, user, mission: Mission) -> None:
        self.mission = mission
        self.access = access_of(user, mission)
        self.prefix = area_path(user) if self.access is Access.COORDINATOR else None
        self.zone = timezone.get_current_timezone()
        self.answers: dict[tuple, tuple[bool, int | None]] = {}  # the same place, stage and day
        # (team, starts, ends, station, station path) per deployed station, in team code order.
        self.rows: list[tuple] = []
        person = person_of(user)
        if person is not None and self.access in SENDERS:
            self.rows = _deployed_stations(person, mission)

    def check(self, location: Location, stage: str, when: dt.datetime) -> tuple[bool, int | None]:
        """(may submit, the pk of the team deployed there or None)."""
        key = (location.pk, location.path, location.mission_id, stage,
               when.astimezone(self.zone).date())
        answer = self.answers.get(key)
        if answer is None:
            answer = self.answers[key] = self._check(location, stage, when)
        return answer

    def _check(self, location: Location, stage: str, when: dt.datetime) -> tuple[bool, int | None]:
        if self.access in {Access.CORE_TEAM, Access.ADMINISTRATOR}:
            allowed = True
        elif self.access is Access.COORDINATOR:
            allowed = self.prefix is not None and location.path.startswith(self.prefix)
        else:
            allowed = self.access is Access.OBSERVER
        if not allowed:
            return False, None
        rows = [row for row in self.rows if row[4].startswith(location.path)]
        if self.access is Access.OBSERVER:
            day = when.astimezone(self.zone).date()  # timezone.localtime(when), without its
            that_day = [row for row in rows if row[1] <= day <= row[2]]  # look-up per report
            if stage == Stage.TABULATION:
                allowed = bool(that_day)
            else:
                allowed = location.mission_id == self.mission.pk and any(
                    row[3] == location.pk for row in that_day
                )
        return allowed, (rows[0][0] if rows else None)


def _deployed_stations(person, mission: Mission) -> list[tuple]:
    """observer_teams(user, mission).filter(deployments__locations__isnull=False)
    .order_by("code").values_list("pk", "deployments__starts", "deployments__ends",
    "deployments__locations", "deployments__locations__path"), in SQL: every batch asks it, and
    Django compiling its four joins took longer than the database answering."""
    quote = connection.ops.quote_name
    tables = {model: quote(model._meta.db_table) for model in (Team, TeamMembership, Deployment,
                                                               Location)}
    places = quote(Deployment.locations.through._meta.db_table)
    return bulk.rows(
        f"SELECT t.id, d.starts, d.ends, dl.location_id, l.path FROM {tables[Team]} t"
        f" JOIN {tables[TeamMembership]} m ON m.team_id = t.id"
        f" JOIN {tables[Deployment]} d ON d.team_id = t.id"
        f" JOIN {places} dl ON dl.deployment_id = d.id"
        f" JOIN {tables[Location]} l ON l.id = dl.location_id"
        " WHERE m.person_id = %s AND t.mission_id = %s ORDER BY t.code",
        [person.pk, mission.pk],
        [Team._meta.pk, *(Deployment._meta.get_field(name) for name in ("starts", "ends")),
         Location._meta.pk, Location._meta.get_field("path")])


SENDERS = {Access.OBSERVER, Access.COORDINATOR, Access.CORE_TEAM, Access.ADMINISTRATOR}


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
