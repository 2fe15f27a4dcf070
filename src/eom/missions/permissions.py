"""Who may see and change what. Pages, API and admin all ask these functions.

Access levels (Person.access):
- administrator: manages accounts, locations, people and teams; reads every non-confidential record;
- core team: reads everything, including confidential meetings; writes meetings;
- coordinator: manages people and teams in its area's subtree; reads what lies there;
- observer: its own teams, their deployments, its own meetings;
- analyst: reads every non-confidential record, writes nothing.

The SMS pages (the log of messages in and out, broadcasts to observers) are for the core team
and administrators (`can_use_sms_pages`): a broadcast reaches every observer's phone, and the
log holds their numbers.

Confidential: a meeting marked confidential is seen by the core team only, and so is
everything that appears only in confidential meetings (its follow-ups, and the interlocutors,
organisations and topics that no public meeting names) and the audit entries of all of these
(`audit_entries_visible_to`). The audit trail is read by administrators and the core team.

People and teams (`person_write_problems`, `team_write_problems`, the same rules in the admin
and the people import):
- access levels, areas and logins of existing people are changed by administrators only (a
  coordinator sets them, within its area and up to observer access, on people it creates); the core team does not manage people: it
  reads confidential meetings, and keeping account management apart means no one member both
  reads them and decides who else may;
- only an administrator gives or takes core team or administrator access (or coordinator or
  analyst access);
- a coordinator creates and edits people and teams whose area lies in its own subtree, gives
  the people it creates observer access or none, and never changes a person whose access is above observer; every
  check applies to the values saved as well as to the stored ones (moving a person or team out
  of its area, or into it from elsewhere, is refused);
- only an administrator attaches a login, never one that belongs to another person or to the
  administrator itself; a superuser's login, and the access of the person holding it, are
  changed by a superuser only (an administrator could otherwise lock the operator out);
- nobody changes their own access level, area or login.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from .models import (
    Access,
    AuditEntry,
    FollowUp,
    Interlocutor,
    Location,
    Meeting,
    Mission,
    Organisation,
    Person,
    Team,
    Topic,
)


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


def can_use_sms_pages(user, mission: Mission) -> bool:
    """Reads the SMS log and sends broadcasts: the core team and administrators."""
    return access_of(user, mission) in {Access.CORE_TEAM, Access.ADMINISTRATOR}


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


# --- interlocutors, organisations, topics ---------------------------------------------------


def _confidential_only(lookup: str) -> Q:
    """Rows named by at least one confidential meeting and by no public one; `lookup` goes from
    Meeting to the row (`topics`, `interlocutors`, `interlocutors__organisation`)."""

    def named(confidential: bool) -> Exists:
        return Exists(Meeting.objects.filter(**{lookup: OuterRef("pk"),
                                                "confidential": confidential}))

    return named(True) & ~named(False)


def confidential_topics(mission: Mission) -> QuerySet[Topic]:
    """The mission's topics that appear only in confidential meetings."""
    return Topic.objects.filter(mission=mission).filter(_confidential_only("topics"))


def confidential_organisations(mission: Mission) -> QuerySet[Organisation]:
    """The organisations whose people appear only in confidential meetings."""
    return Organisation.objects.filter(mission=mission).filter(
        _confidential_only("interlocutors__organisation")
    )


def confidential_interlocutors(mission: Mission) -> QuerySet[Interlocutor]:
    """The interlocutors who appear only in confidential meetings, and those of a confidential
    organisation (their organisation's name comes with them)."""
    return Interlocutor.objects.filter(organisation__mission=mission).filter(
        _confidential_only("interlocutors")
        | Q(organisation__in=confidential_organisations(mission).values("pk"))
    )


def _visible(user, mission: Mission, rows: QuerySet, confidential: QuerySet) -> QuerySet:
    access = access_of(user, mission)
    if access is Access.CORE_TEAM:
        return rows
    if access is Access.NONE:
        return rows.none()
    return rows.exclude(pk__in=confidential.values("pk"))


def topics_visible_to(user, mission: Mission) -> QuerySet[Topic]:
    return _visible(user, mission, Topic.objects.filter(mission=mission),
                    confidential_topics(mission))


def organisations_visible_to(user, mission: Mission) -> QuerySet[Organisation]:
    return _visible(user, mission, Organisation.objects.filter(mission=mission),
                    confidential_organisations(mission))


def interlocutors_visible_to(user, mission: Mission) -> QuerySet[Interlocutor]:
    return _visible(user, mission, Interlocutor.objects.filter(organisation__mission=mission),
                    confidential_interlocutors(mission))


def is_confidential_record(obj) -> bool:
    """Whether the record is for the core team only: a confidential meeting, a follow-up of
    one, an interlocutor, organisation or topic that appears only in confidential meetings, a
    record of another app whose model says `audit_confidential` (an LTO report's confidential
    passage)."""
    if isinstance(obj, Meeting | FollowUp):
        return obj.confidential
    if getattr(obj, "audit_confidential", False):  # another app's record kept for the core team
        return True
    if obj.pk is None:
        return False
    if isinstance(obj, Topic):
        return confidential_topics(obj.mission_id).filter(pk=obj.pk).exists()
    if isinstance(obj, Organisation):
        return confidential_organisations(obj.mission_id).filter(pk=obj.pk).exists()
    if isinstance(obj, Interlocutor):
        mission_id = obj.organisation.mission_id
        return confidential_interlocutors(mission_id).filter(pk=obj.pk).exists()
    return False


# --- the audit trail --------------------------------------------------------------------------

# The kinds of record whose audit entries may be confidential.
CONFIDENTIAL_KINDS = ("missions.meeting", "missions.followup", "missions.interlocutor",
                      "missions.organisation", "missions.topic")


# Other apps' kinds of record that are confidential now because of what they point at (a
# commitment's tag on a meeting made confidential after it was tagged): {"app.model": a function
# of the mission giving those records}. Their earlier entries, written in the clear, are then
# hidden from administrators as a confidential meeting's are. Filled by the apps' `ready()`.
CONFIDENTIAL_NOW: dict[str, Callable[[Mission], QuerySet]] = {}


def can_read_audit(user) -> bool:
    return access_of(user) in {Access.ADMINISTRATOR, Access.CORE_TEAM}


def _ids_as_text(rows: QuerySet) -> QuerySet:
    return rows.annotate(id_text=Cast("pk", output_field=CharField())).values("id_text")


def audit_entries_visible_to(user, mission: Mission | None) -> QuerySet[AuditEntry]:
    """The audit entries the user may read: the mission's (and those of no mission) for the
    core team; the same without the confidential ones for an administrator; none otherwise.

    Confidential for this purpose: an entry written confidential; every earlier entry of a
    record that later had a confidential entry (a public meeting made confidential takes its
    history with it); every entry of a record that is confidential now (a confidential
    meeting, its follow-ups, interlocutors, organisations and topics that appear only in
    confidential meetings)."""
    access = access_of(user, mission)
    entries = AuditEntry.objects.all()
    if mission is None:
        entries = entries.filter(mission__isnull=True)
    else:
        entries = entries.filter(Q(mission=mission) | Q(mission__isnull=True))
    if access is Access.CORE_TEAM:
        return entries
    if access is not Access.ADMINISTRATOR:
        return entries.none()
    later_confidential = AuditEntry.objects.filter(
        model=OuterRef("model"), object_id=OuterRef("object_id"), confidential=True,
        pk__gte=OuterRef("pk"),  # written later: ids follow the order of writes to a record
    )
    earlier = AuditEntry.objects.filter(model__in=CONFIDENTIAL_KINDS).filter(
        Exists(later_confidential)
    )
    entries = entries.filter(confidential=False).exclude(pk__in=earlier.values("pk"))
    if mission is None:
        return entries
    now = {
        "missions.meeting": Meeting.objects.filter(mission=mission, confidential=True),
        "missions.followup": FollowUp.objects.filter(
            meeting__mission=mission, meeting__confidential=True
        ),
        "missions.interlocutor": confidential_interlocutors(mission),
        "missions.organisation": confidential_organisations(mission),
        "missions.topic": confidential_topics(mission),
        **{kind: rows_of(mission) for kind, rows_of in CONFIDENTIAL_NOW.items()},
    }
    for kind, rows in now.items():
        entries = entries.exclude(model=kind, object_id__in=_ids_as_text(rows))
    return entries


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


def election_day_contacts(user, mission: Mission) -> tuple[list[Person], list[Person]]:
    """Whom a sender calls on election day: (the coordinators whose area holds its person's
    area, one of its teams' areas or a place they are deployed to, nearest first; the core
    team's election-day contacts). Both lists are shown with phone numbers on the Observe page;
    an observer sees nobody else outside its teams."""
    me = person_of(user)
    if me is None or access_of(user, mission) is Access.NONE:
        return [], []
    teams = Team.objects.filter(mission=mission, members=me)
    paths = set(Location.objects.filter(
        Q(pk=me.area_id) | Q(pk__in=teams.values("area")) | Q(deployments__team__in=teams),
        mission=mission).values_list("path", flat=True))
    coordinators = [
        person for person in Person.objects.filter(
            mission=mission, access=Access.COORDINATOR, area__isnull=False,
        ).exclude(pk=me.pk).select_related("area", "role").order_by("full_name")
        if any(path.startswith(person.area.path) for path in paths)
    ]
    coordinators.sort(key=lambda person: -len(person.area.path))
    core = Person.objects.filter(CORE_TEAM_DIRECTORY, mission=mission,
                                 election_day_contact=True).select_related("role")
    return coordinators, list(core.order_by("role__order", "full_name"))


def can_manage_people(user) -> bool:
    """May create people and teams (within its area for a coordinator)."""
    return access_of(user) in {Access.ADMINISTRATOR, Access.COORDINATOR}


def _location_in_area(user, location: Location | None) -> bool:
    prefix = area_path(user)
    return prefix is not None and location is not None and location.path.startswith(prefix)


# The access levels a coordinator may give, take or hold in its people.
COORDINATOR_GRANTS = frozenset({Access.NONE, Access.OBSERVER})


def _access_in(user, mission_id: int) -> Access:
    """access_of(user, mission), from the mission's id alone."""
    me = person_of(user)
    if me is not None and me.mission_id != mission_id:
        return Access.NONE
    return access_of(user)


def can_manage_person(user, person: Person) -> bool:
    """May edit the person's record (its access, area and login as `person_write_problems`
    says): an administrator of its mission; a coordinator for itself, and for people with
    observer access or none whose area, or one of whose teams, lies in its own."""
    access = _access_in(user, person.mission_id)
    if access is Access.ADMINISTRATOR:
        return True
    if access is not Access.COORDINATOR:
        return False
    if person.pk is not None and person.pk == getattr(person_of(user), "pk", None):
        return True
    if person.access not in COORDINATOR_GRANTS:
        return False
    if _location_in_area(user, person.area):
        return True
    return person.pk is not None and any(
        _location_in_area(user, team.area) for team in person.teams.all()
    )


def can_manage_team(user, team: Team) -> bool:
    access = _access_in(user, team.mission_id)
    if access is Access.ADMINISTRATOR:
        return True
    return access is Access.COORDINATOR and _location_in_area(user, team.area)


def can_manage_locations(user) -> bool:
    return access_of(user) is Access.ADMINISTRATOR


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()  # a field the write does not set


def _same_mission(user, mission: Mission | None) -> bool:
    me = person_of(user)
    return mission is not None and (me is None or me.mission_id == mission.pk)


def person_write_problems(
    user, person: Person | None, *, mission: Mission, access: Any = UNSET, area: Any = UNSET,
    login: Any = UNSET,
) -> dict[str, str]:
    """What is wrong with `user` saving these values for `person` (None: a new person), as
    {field: reason}; empty when the write is allowed. `access`, `area` (a Location or None)
    and `login` (a user or None) are the values to be saved; a field left UNSET keeps its
    stored value. The other fields (name, phone …) need only `can_manage_person`. See the
    module's docstring for the rules."""
    if user is None:  # the server's operator, on the command line
        return {}
    level = access_of(user, mission)
    if level not in {Access.ADMINISTRATOR, Access.COORDINATOR} or not _same_mission(user, mission):
        return {"__all__": _("Only an administrator or a coordinator changes people.")}
    if person is not None and not can_manage_person(user, person):
        return {"__all__": _("This person lies outside what you may change.")}
    stored_access = person.access if person is not None else Access.NONE
    stored_area = person.area_id if person is not None else None
    stored_login = person.user_id if person is not None else None
    new_access = stored_access if access is UNSET else access
    new_area_id = stored_area if area is UNSET else getattr(area, "pk", None)
    new_login_id = stored_login if login is UNSET else getattr(login, "pk", None)
    changed = {
        "access": new_access != stored_access,
        "area": person is None or new_area_id != stored_area,
        "user": new_login_id != stored_login,
    }
    problems: dict[str, str] = {}
    me = person_of(user)
    if person is not None and me is not None and person.pk == me.pk:
        message = _("Nobody changes their own access level, area or login.")
        problems.update({name: message for name, moved in changed.items() if moved})
        return problems
    if level is Access.COORDINATOR and person is not None:
        # A coordinator keeps its people's details up to date; their access level and area
        # are changed by administrators only.
        message = _("Access levels and areas are changed by an administrator.")
        problems.update({name: message for name in ("access", "area") if changed[name]})
    if changed["access"] and "access" not in problems:
        if level is Access.COORDINATOR and new_access not in COORDINATOR_GRANTS:
            problems["access"] = _("a coordinator may only give observer access or none")
    new_area = area if area is not UNSET else (person.area if person is not None else None)
    if (changed["area"] and "area" not in problems and level is Access.COORDINATOR
            and not _location_in_area(user, new_area)):
        problems["area"] = _("A coordinator places people only in its own area.")
    if changed["area"] and new_area is not None and new_area.mission_id != mission.pk:
        problems["area"] = _("The area must be a location of this mission.")
    if changed["user"] and new_login_id is not None:
        problems.update(_login_problems(user, level, person, login))
    elif changed["user"] and level is not Access.ADMINISTRATOR:
        problems["user"] = _("Only an administrator attaches or removes a login.")
    if (person is not None and any(changed.values()) and not user.is_superuser
            and person.user_id is not None and person.user.is_superuser):
        message = _("Only a superuser changes the access of a superuser's login.")
        problems.update({name: message for name, moved in changed.items() if moved})
    return problems


def _login_problems(user, level: Access, person: Person | None, login) -> dict[str, str]:
    if level is not Access.ADMINISTRATOR:
        return {"user": _("Only an administrator attaches or removes a login.")}
    if login.pk == user.pk:
        return {"user": _("Nobody changes their own access level, area or login.")}
    if login.is_superuser and not user.is_superuser:
        return {"user": _("Only a superuser attaches a superuser's login.")}
    others = Person.objects.filter(user=login)
    if person is not None:
        others = others.exclude(pk=person.pk)
    if others.exists():
        return {"user": _("This login belongs to another person.")}
    return {}


def team_write_problems(
    user, team: Team | None, *, mission: Mission, area: Any = UNSET
) -> dict[str, str]:
    """What is wrong with `user` saving `team` (None: a new team) with this `area`, as
    {field: reason}; empty when allowed. A coordinator keeps its teams in its own area."""
    if user is None:
        return {}
    level = access_of(user, mission)
    if level not in {Access.ADMINISTRATOR, Access.COORDINATOR} or not _same_mission(user, mission):
        return {"__all__": _("Only an administrator or a coordinator changes teams.")}
    if team is not None and not can_manage_team(user, team):
        return {"__all__": _("This team lies outside what you may change.")}
    new_area = area if area is not UNSET else (team.area if team is not None else None)
    if new_area is not None and new_area.mission_id != mission.pk:
        return {"area": _("The area must be a location of this mission.")}
    if level is Access.COORDINATOR and not _location_in_area(user, new_area):
        return {"area": _("A coordinator keeps its teams in its own area.")}
    return {}


def membership_write_problems(user, person: Person, *, mission: Mission) -> dict[str, str]:
    """A team's members come from its mission; a coordinator puts in (or takes out of) its
    teams only people it may manage, so no one from elsewhere is moved into its area."""
    if person.mission_id != mission.pk:
        return {"person": _("The person must belong to this mission.")}
    if access_of(user, mission) is Access.COORDINATOR and not can_manage_person(user, person):
        return {"person": _("This person lies outside what you may change.")}
    return {}


def deployment_write_problems(user, locations, *, mission: Mission) -> dict[str, str]:
    """A team is deployed to places of its mission; a coordinator's teams only to places in
    its own area (the stored places as well as the new ones)."""
    if any(location.mission_id != mission.pk for location in locations):
        return {"locations": _("The places must be locations of this mission.")}
    if access_of(user, mission) is Access.COORDINATOR and not all(
        _location_in_area(user, location) for location in locations
    ):
        return {"locations": _("A coordinator deploys teams only in its own area.")}
    return {}
