"""Who may send, see and change submissions. Every channel asks these functions.

- An observer sends reports for the locations its teams are deployed to (and, for tabulation,
  the electoral district of those stations), while the deployment lasts; it sees its teams'
  submissions and edits its own within the mission's edit window.
- A coordinator sends, sees and edits for locations in its area's subtree.
- The core team and administrators send, see and edit everywhere; analysts read everything.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from eom.missions.models import Access, Location, Mission, Team
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


def team_for(user, mission: Mission, location: Location, on: dt.date | None = None) -> Team | None:
    """The user's team deployed to the location (or, for a commission, to a station below it)."""
    teams = observer_teams(user, mission)
    within = Q(deployments__locations=location) | Q(
        deployments__locations__path__startswith=location.path
    )
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
