"""Who may see and change what. Pages, API and admin all ask these functions.

Access levels (Person.access):
- administrator: manages accounts, locations, people and teams; reads every non-confidential record;
- core team: reads everything, including confidential meetings; writes meetings;
- coordinator: manages people and teams in its area's subtree; reads what lies there;
- observer: its own teams, their deployments, its own meetings;
- analyst: reads every non-confidential record, writes nothing.
A meeting marked confidential is seen by the core team only.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Access, Location, Meeting, Mission, Person, Team


def person_of(user) -> Person | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.person
    except Person.DoesNotExist:
        return None


def access_of(user, mission: Mission | None = None) -> Access:
    """The user's access level; NONE in a mission its person does not belong to."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Access.NONE
    person = person_of(user)
    if person is not None:
        if mission is not None and person.mission_id != mission.pk:
            return Access.NONE
        return Access(person.access)
    return Access.ADMINISTRATOR if user.is_superuser else Access.NONE


def is_administrator(user) -> bool:
    return access_of(user) is Access.ADMINISTRATOR


def area_path(user) -> str | None:
    """The path prefix of the subtree a person answers for; None when it has no area."""
    person = person_of(user)
    if person is None or person.area_id is None:
        return None
    return person.area.path


def _in_area(prefix: str | None, field: str) -> Q:
    """Rows whose `field` location lies in the subtree; none at all without an area."""
    if prefix is None:
        return Q(pk__in=[])
    return Q(**{f"{field}__path__startswith": prefix})


def can_use(user, mission: Mission | None = None) -> bool:
    return access_of(user, mission) is not Access.NONE


def sees_everything(user, mission: Mission) -> bool:
    return access_of(user, mission) in {Access.ADMINISTRATOR, Access.CORE_TEAM, Access.ANALYST}


# --- meetings ---------------------------------------------------------------------------


def meetings_visible_to(user, mission: Mission) -> QuerySet[Meeting]:
    access = access_of(user, mission)
    meetings = Meeting.objects.filter(mission=mission)
    if access is Access.CORE_TEAM:
        return meetings
    public = meetings.filter(confidential=False)
    if access in {Access.ADMINISTRATOR, Access.ANALYST}:
        return public
    own = Q(participants=person_of(user)) | Q(created_by=user)
    if access is Access.COORDINATOR:
        return public.filter(_in_area(area_path(user), "region") | own).distinct()
    if access is Access.OBSERVER:
        return public.filter(own).distinct()
    return meetings.none()


def can_create_meeting(user) -> bool:
    return access_of(user) in {
        Access.ADMINISTRATOR,
        Access.CORE_TEAM,
        Access.COORDINATOR,
        Access.OBSERVER,
    }


def can_mark_confidential(user) -> bool:
    return access_of(user) is Access.CORE_TEAM


def can_edit_meeting(user, meeting: Meeting) -> bool:
    access = access_of(user, meeting.mission)
    if access is Access.CORE_TEAM:
        return True
    if meeting.confidential or access in {Access.ANALYST, Access.NONE}:
        return False
    if access is Access.ADMINISTRATOR:
        return True
    return meetings_visible_to(user, meeting.mission).filter(pk=meeting.pk).exists()


# --- people and teams -------------------------------------------------------------------


def teams_visible_to(user, mission: Mission) -> QuerySet[Team]:
    access = access_of(user, mission)
    teams = Team.objects.filter(mission=mission)
    if sees_everything(user, mission):
        return teams
    if access is Access.COORDINATOR:
        return teams.filter(_in_area(area_path(user), "area"))
    if access is Access.OBSERVER:
        return teams.filter(members=person_of(user))
    return teams.none()


# Everyone in the mission may see who is in the core team and how to reach them.
CORE_TEAM_DIRECTORY = Q(role__group="core")


def people_visible_to(user, mission: Mission) -> QuerySet[Person]:
    access = access_of(user, mission)
    people = Person.objects.filter(mission=mission)
    if sees_everything(user, mission):
        return people
    me = person_of(user)
    if access is Access.COORDINATOR:
        prefix = area_path(user)
        in_area = _in_area(prefix, "area") | _in_area(prefix, "teams__area")
        return people.filter(in_area | Q(pk=me.pk) | CORE_TEAM_DIRECTORY).distinct()
    if access is Access.OBSERVER:
        return people.filter(Q(teams__members=me) | Q(pk=me.pk) | CORE_TEAM_DIRECTORY).distinct()
    return people.none()


def can_manage_people(user) -> bool:
    """May create people and teams (within its area for a coordinator)."""
    return access_of(user) in {Access.ADMINISTRATOR, Access.COORDINATOR}


def _location_in_area(user, location: Location | None) -> bool:
    prefix = area_path(user)
    return prefix is not None and location is not None and location.path.startswith(prefix)


def can_manage_person(user, person: Person) -> bool:
    access = access_of(user)
    if access is Access.ADMINISTRATOR:
        return True
    if access is not Access.COORDINATOR:
        return False
    if _location_in_area(user, person.area):
        return True
    return any(_location_in_area(user, team.area) for team in person.teams.all())


def can_manage_team(user, team: Team) -> bool:
    access = access_of(user)
    if access is Access.ADMINISTRATOR:
        return True
    return access is Access.COORDINATOR and _location_in_area(user, team.area)


def can_manage_locations(user) -> bool:
    return access_of(user) is Access.ADMINISTRATOR
