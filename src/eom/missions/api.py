"""The missions part of the JSON API: missions, elections, locations, people, teams, meetings.

Every endpoint works in one mission: `?mission=CODE`, else the current mission. What a caller
sees is what `permissions.*_visible_to` gives it; a record it may not see answers 404. Ids in a
path or a query hold 64 bits (a larger one answers 422 naming it), and lists come a page at a
time through `Pagination`, whose page numbers are bounded the same way.
"""

from typing import Annotated

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import ValidationError
from ninja.pagination import PageNumberPagination, paginate

from . import permissions, queries, services, validators
from .access import mission_for
from .models import (
    Contest,
    Deployment,
    Election,
    FollowUp,
    Location,
    Meeting,
    Mission,
    Party,
    Person,
    Team,
    TeamMembership,
)
from .schemas import (
    ContestOut,
    ElectionOut,
    ErrorOut,
    LocationDetailOut,
    LocationFilters,
    LocationOut,
    MeetingFilters,
    MeetingIn,
    MeetingOut,
    MissionOut,
    PartyOut,
    PeopleFilters,
    PersonOut,
    TeamOut,
)

router = Router()

MissionCode = Annotated[
    str | None,
    Query(
        description="Mission code; the current mission when left out.",
        example="kz-2023-parliamentary",
        max_length=64,
    ),
]
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
PathId = Annotated[int, Path(ge=1, le=validators.MAX_ID)]
QueryId = Annotated[int | None, Query(ge=1, le=validators.MAX_ID)]
# Pages of at most 100 items: a page number up to a billion keeps the offset within 64 bits.
MAX_PAGE = 10**9


class Pagination(PageNumberPagination):
    """Django Ninja's page numbers, bounded: a page beyond MAX_PAGE answers 422 naming `page`."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE)


def _location_filter(mission: Mission, pk: int, field: str) -> Location:
    """The location a filter names; 422 naming the parameter when it is not in the mission."""
    location = Location.objects.filter(mission=mission, pk=pk).first()
    if location is None:
        message = _("No location with id %(id)s in this mission.") % {"id": pk}
        raise ValidationError(
            [{"type": "unknown_id", "loc": ["query", field], "msg": message, "input": pk}]
        )
    return location


# --- missions, elections, contests, parties -----------------------------------------------


@router.get("/missions", response=list[MissionOut], tags=["missions"])
def list_missions(request: HttpRequest):
    """The missions the caller belongs to (every mission for an administrator without one)."""
    person = permissions.person_of(request.auth)
    missions = Mission.objects.all()
    return missions.filter(pk=person.mission_id) if person is not None else missions


@router.get("/elections", response=list[ElectionOut], tags=["elections"])
def list_elections(request: HttpRequest, mission: MissionCode = None):
    """The mission's elections, each with its contests."""
    return Election.objects.filter(mission=mission_for(request.auth, mission)).prefetch_related("contests")


@router.get("/contests", response=list[ContestOut], tags=["elections"])
def list_contests(request: HttpRequest, election: QueryId = None, mission: MissionCode = None):
    """The contests of the mission's elections (of one election with `election=id`)."""
    contests = Contest.objects.filter(election__mission=mission_for(request.auth, mission))
    return contests.filter(election_id=election) if election is not None else contests


@router.get("/parties", response=list[PartyOut], tags=["elections"])
def list_parties(request: HttpRequest, election: QueryId = None, mission: MissionCode = None):
    """The parties in registration order (of one election with `election=id`)."""
    parties = Party.objects.filter(election__mission=mission_for(request.auth, mission))
    return parties.filter(election_id=election) if election is not None else parties


# --- locations ----------------------------------------------------------------------------


def _locations(mission: Mission) -> QuerySet[Location]:
    return Location.objects.filter(mission=mission).annotate(n_children=Count("children"))


@router.get("/locations", response=list[LocationOut], tags=["locations"])
@paginate(Pagination)
def list_locations(
    request: HttpRequest, filters: Query[LocationFilters], mission: MissionCode = None
):
    """The location tree, in path order, a page at a time."""
    locations = _locations(mission_for(request.auth, mission))
    if filters.parent is not None:
        locations = locations.filter(parent_id=filters.parent)
    if filters.level:
        locations = locations.filter(level=filters.level)
    if filters.q:
        locations = queries.search_locations(locations, filters.q)
    return locations.order_by("path")


@router.get(
    "/locations/{location_id}",
    response={200: LocationDetailOut, **ERRORS},
    tags=["locations"],
)
def get_location(request: HttpRequest, location_id: PathId, mission: MissionCode = None):
    """One location with its ancestors (root first) and its children."""
    the_mission = mission_for(request.auth, mission)
    location = get_object_or_404(_locations(the_mission), pk=location_id)
    location.ancestor_list = list(
        Location.objects.filter(mission=the_mission, code__in=location.ancestor_codes()).order_by(
            "path"
        )
    )
    location.child_list = list(_locations(the_mission).filter(parent=location).order_by("path"))
    return location


# --- people and teams ---------------------------------------------------------------------


@router.get("/people", response=list[PersonOut], tags=["people"])
@paginate(Pagination)
def list_people(request: HttpRequest, filters: Query[PeopleFilters], mission: MissionCode = None):
    """The people the caller may see: everyone for the core team, administrators and
    analysts; a coordinator's area; an observer's own team mates."""
    the_mission = mission_for(request.auth, mission)
    people = permissions.people_visible_to(request.auth, the_mission)
    if filters.role:
        people = people.filter(role__code=filters.role)
    if filters.access:
        people = people.filter(access=filters.access)
    if filters.area is not None:
        area = _location_filter(the_mission, filters.area, "area")
        people = people.filter(area__path__startswith=area.path)
    if filters.team is not None:
        people = people.filter(
            pk__in=TeamMembership.objects.filter(team_id=filters.team).values("person_id")
        )
    return people.select_related("role", "area").prefetch_related("teams")


def _teams(request: HttpRequest, mission: Mission) -> QuerySet[Team]:
    return (
        permissions.teams_visible_to(request.auth, mission)
        .select_related("area")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=TeamMembership.objects.select_related("person").order_by(
                    "-is_leader", "person__full_name"
                ),
            ),
            Prefetch(
                "deployments",
                queryset=Deployment.objects.prefetch_related("locations"),
            ),
        )
    )


@router.get("/teams", response=list[TeamOut], tags=["people"])
@paginate(Pagination)
def list_teams(request: HttpRequest, mission: MissionCode = None):
    """The teams the caller may see, with members (leader first), area and deployments."""
    return _teams(request, mission_for(request.auth, mission))


@router.get("/teams/{team_id}", response={200: TeamOut, **ERRORS}, tags=["people"])
def get_team(request: HttpRequest, team_id: PathId, mission: MissionCode = None):
    return get_object_or_404(_teams(request, mission_for(request.auth, mission)), pk=team_id)


# --- meetings -----------------------------------------------------------------------------


def _with_contents(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return meetings.select_related("region", "created_by").prefetch_related(
        "participants",
        "interlocutors__organisation",
        "topics",
        Prefetch("follow_ups", queryset=FollowUp.objects.select_related("owner")),
    )


def _meetings(request: HttpRequest, mission: Mission) -> QuerySet[Meeting]:
    return _with_contents(permissions.meetings_visible_to(request.auth, mission))


def _visible_meeting(request: HttpRequest, mission: Mission, meeting_id: int) -> Meeting:
    """The meeting if the caller may see it; 404 otherwise, confidential or not."""
    return get_object_or_404(_meetings(request, mission), pk=meeting_id)


@router.get("/meetings", response=list[MeetingOut], tags=["meetings"])
@paginate(Pagination)
def list_meetings(
    request: HttpRequest, filters: Query[MeetingFilters], mission: MissionCode = None
):
    """The stakeholder meetings the caller may see, latest first. Confidential meetings are
    seen by the core team only."""
    the_mission = mission_for(request.auth, mission)
    meetings = _meetings(request, the_mission)
    if filters.organisation is not None:
        meetings = meetings.filter(interlocutors__organisation_id=filters.organisation)
    if filters.interlocutor is not None:
        meetings = meetings.filter(interlocutors=filters.interlocutor)
    if filters.topic:
        meetings = meetings.filter(topics__name__iexact=filters.topic.strip())
    if filters.region is not None:
        region = _location_filter(the_mission, filters.region, "region")
        meetings = meetings.filter(region__path__startswith=region.path)
    if filters.date_from:
        meetings = meetings.filter(date__gte=filters.date_from)
    if filters.date_to:
        meetings = meetings.filter(date__lte=filters.date_to)
    if filters.q:
        meetings = services.search_meetings(meetings, filters.q)
    return meetings.distinct()


@router.get("/meetings/{meeting_id}", response={200: MeetingOut, **ERRORS}, tags=["meetings"])
def get_meeting(request: HttpRequest, meeting_id: PathId, mission: MissionCode = None):
    return _visible_meeting(request, mission_for(request.auth, mission), meeting_id)


def _meeting_data(
    request: HttpRequest, mission: Mission, payload: MeetingIn, meeting: Meeting | None = None
) -> services.MeetingData:
    """The service's input from the request body; codes that name nothing the caller may see
    (or the meeting already names) → 422 naming them."""
    codes = set(payload.participants) | {f.owner for f in payload.follow_ups if f.owner}
    reachable = Q(pk__in=permissions.people_visible_to(request.auth, mission).values("pk"))
    if meeting is not None:
        reachable |= Q(pk__in=meeting.participants.values("pk")) | Q(
            pk__in=meeting.follow_ups.values("owner"))
    people = {p.code: p for p in Person.objects.filter(reachable, mission=mission,
                                                         code__in=codes)}
    errors = []

    def person(code: str, field: tuple) -> Person | None:
        if code not in people:
            message = _("No person with code %(code)s in this mission.") % {"code": code}
            errors.append(validators.body_error(field, message, code, kind="unknown_code"))
        return people.get(code)

    participants = [person(c, ("participants", i)) for i, c in enumerate(payload.participants)]
    owners = [
        person(f.owner, ("follow_ups", i, "owner")) if f.owner else None
        for i, f in enumerate(payload.follow_ups)
    ]
    region = None
    if payload.region:
        region = Location.objects.filter(mission=mission, code=payload.region).first()
        if region is None:
            message = _("No location with code %(code)s in this mission.") % {
                "code": payload.region
            }
            errors.append(validators.body_error(("region",), message, payload.region, kind="unknown_code"))
    if errors:
        raise ValidationError(errors)
    return services.MeetingData(
        date=payload.date,
        time=payload.time,
        place=payload.place,
        region=region,
        participants=participants,
        interlocutors=[
            services.InterlocutorData(i.name, i.title, i.organisation, i.organisation_kind)
            for i in payload.interlocutors
        ],
        topics=payload.topics,
        key_points=payload.key_points,
        follow_ups=[
            services.FollowUpData(f.text, owner, f.due, f.status)
            for f, owner in zip(payload.follow_ups, owners, strict=True)
        ],
        confidential=bool(payload.confidential),
        source=payload.source,
    )


@router.post(
    "/meetings",
    response={201: MeetingOut, **ERRORS},
    tags=["meetings"],
)
def create_meeting(request: HttpRequest, payload: MeetingIn, mission: MissionCode = None):
    """Record a meeting. Only the core team may mark it confidential (else 403)."""
    the_mission = mission_for(request.auth, mission)
    data = _meeting_data(request, the_mission, payload)
    meeting = services.create_meeting(
        actor=request.auth, channel="api", mission=the_mission, data=data
    )
    # What was just written is answered even when the caller would not see it in the list.
    return Status(201, _with_contents(Meeting.objects.all()).get(pk=meeting.pk))


@router.put(
    "/meetings/{meeting_id}",
    response={200: MeetingOut, **ERRORS},
    tags=["meetings"],
)
def update_meeting(
    request: HttpRequest, meeting_id: PathId, payload: MeetingIn, mission: MissionCode = None
):
    """Replace a meeting's contents (every field; `confidential` left out keeps its value)."""
    the_mission = mission_for(request.auth, mission)
    meeting = _visible_meeting(request, the_mission, meeting_id)
    data = _meeting_data(request, the_mission, payload, meeting)
    if payload.confidential is None:
        data.confidential = meeting.confidential
    services.update_meeting(actor=request.auth, channel="api", meeting=meeting, data=data)
    return _with_contents(Meeting.objects.all()).get(pk=meeting.pk)
