"""The shapes of the missions API: `XOut` for what it answers, `XIn` for what it accepts.

Examples are taken from the Kazakhstan 2023 demo so that /api/docs shows real-looking values.
What a body or a query may hold is bounded (docs/security-limits.md): lengths as the models
store them, list lengths and text sizes by the settings `EOM_MAX_…` (read at start-up), ids
within 64 bits; a body over a bound answers 422 naming the field.
"""

import datetime as dt
import decimal
from typing import Annotated

from django.conf import settings
from ninja import Field, Schema
from pydantic import field_validator

from . import validators
from .languages import localised
from .models import Access, ContestKind, FollowUp, LocationLevel, OrganisationKind, TeamKind

Id = validators.Id
PersonCode = Annotated[str, Field(min_length=1, max_length=32)]
TopicName = Annotated[str, Field(max_length=200)]


def _filter(description: str, example):
    """An optional query parameter; `example` (not `examples`) is what OpenAPI allows there."""
    return Field(None, description=description, json_schema_extra={"example": example})


# --- missions, elections, contests, parties -----------------------------------------------


READER_LANGUAGE = "In the reader's language (Accept-Language), English where it has none."


class NamesOut(Schema):
    """Answers `name` in the reader's language and `name_en` from the English `name` column;
    the schemas that use it declare `name`, `name_en`, `name_ru` and `name_kk`."""

    @staticmethod
    def resolve_name(obj) -> str:
        return localised(obj, "name")

    @staticmethod
    def resolve_name_en(obj) -> str:
        return obj.name


class MissionOut(NamesOut):
    code: str = Field(examples=["kz-2023-parliamentary"])
    name: str = Field(
        description=READER_LANGUAGE,
        examples=["OSCE/ODIHR Election Observation Mission, Republic of Kazakhstan"])
    name_en: str
    name_ru: str
    name_kk: str
    host_organisation: str = Field(
        examples=["OSCE Office for Democratic Institutions and Human Rights (ODIHR)"]
    )
    country: str = Field(examples=["KZ"])
    headquarters: str = Field(examples=["Astana"])
    deployment_start: dt.date | None = Field(examples=["2023-02-07"])
    deployment_end: dt.date | None = Field(examples=["2023-03-29"])


class ContestOut(NamesOut):
    id: int = Field(examples=[1])
    election: int = Field(alias="election_id", examples=[1])
    kind: ContestKind = Field(examples=["party_list"])
    name: str = Field(description=READER_LANGUAGE, examples=["Mazhilis, nationwide party list"])
    name_en: str
    name_ru: str
    name_kk: str
    seats: int | None = Field(examples=[69])
    rule: str = Field(examples=["kz-mazhilis-2023"])
    threshold_pct: decimal.Decimal | None = Field(examples=["5.00"])


class ElectionOut(NamesOut):
    id: int = Field(examples=[1])
    name: str = Field(description=READER_LANGUAGE,
                      examples=["Early election of deputies of the Mazhilis"])
    name_en: str
    name_ru: str
    name_kk: str
    date: dt.date = Field(examples=["2023-03-19"])
    note: str = Field(description=READER_LANGUAGE)
    contests: list[ContestOut]

    @staticmethod
    def resolve_note(obj) -> str:
        return localised(obj, "note")

    @staticmethod
    def resolve_contests(obj) -> list:
        return list(obj.contests.all())


class PartyOut(Schema):
    id: int = Field(examples=[1])
    election: int = Field(alias="election_id", examples=[1])
    code: str = Field(examples=["AMANAT"])
    name: str = Field(
        description="In the reader's language (Accept-Language).", examples=["Amanat"]
    )
    name_en: str
    name_ru: str
    name_kk: str
    short_name: str = Field(examples=["Amanat"])
    registration_order: int = Field(examples=[1])


# --- locations ----------------------------------------------------------------------------


class LocationRef(Schema):
    id: int = Field(examples=[2])
    code: str = Field(examples=["KZ-01"])
    level: LocationLevel = Field(examples=["region"])
    name: str = Field(examples=["Astana"])


class LocationOut(Schema):
    id: int = Field(examples=[2])
    code: str = Field(examples=["KZ-01"])
    level: LocationLevel = Field(examples=["region"])
    name: str = Field(
        description="In the reader's language (Accept-Language).", examples=["Astana"]
    )
    name_en: str = Field(examples=["Astana"])
    name_ru: str = Field(examples=["город Астана"])
    name_kk: str = Field(examples=["Астана қаласы"])
    kind: str = Field(examples=["city"])
    address: str
    parent: int | None = Field(alias="parent_id", examples=[1])
    path: str = Field(
        description="Codes from the root; a subtree shares the prefix.", examples=["KZ/KZ-01/"]
    )
    n_children: int = Field(examples=[2])
    n_stations: int = Field(description="Polling stations in the subtree.", examples=[698])
    n_registered: int = Field(description="Registered voters in the subtree.", examples=[821437])
    synthetic: bool = Field(description="Generated for the demo, not real data.")


class LocationDetailOut(LocationOut):
    ancestors: list[LocationRef] = Field(
        alias="ancestor_list", description="From the root down to the parent."
    )
    children: list[LocationOut] = Field(alias="child_list")


class LocationFilters(Schema):
    parent: Id | None = _filter("Only the children of this location (id).", 2)
    level: LocationLevel | None = _filter("Only this level.", "district")
    q: Annotated[str, Field(max_length=settings.EOM_MAX_SEARCH_CHARS)] | None = _filter(
        "Part of the code or of a name in any of the three languages.", "Astana"
    )


# --- people and teams ---------------------------------------------------------------------


class PersonRef(Schema):
    id: int = Field(examples=[15])
    code: str = Field(examples=["LTO01"])
    full_name: str = Field(examples=["Pavel Olsen"])


class PersonOut(Schema):
    id: int = Field(examples=[15])
    code: str = Field(examples=["LTO01"])
    full_name: str = Field(examples=["Pavel Olsen"])
    role: str = Field(alias="role.code", examples=["lto"])
    role_name: str = Field(alias="role.name", examples=["Long-term observer"])
    access: Access = Field(examples=["observer"])
    area: LocationRef | None
    teams: list[str] = Field(description="Codes of the person's teams.", examples=[["LTO-01"]])
    email: str
    phone: str
    nationality: str = Field(examples=["SE"])
    languages: str = Field(examples=["en, ru"])

    @staticmethod
    def resolve_teams(obj) -> list[str]:
        return [team.code for team in obj.teams.all()]


class PeopleFilters(Schema):
    role: Annotated[str, Field(max_length=40)] | None = _filter("Role code.", "lto")
    access: Access | None = _filter("Access level.", "observer")
    area: Id | None = _filter("Location id: people whose area lies in its subtree.", 2)
    team: Id | None = _filter("Team id: its members.", 1)


class MemberOut(Schema):
    id: int = Field(alias="person.id", examples=[15])
    code: str = Field(alias="person.code", examples=["LTO01"])
    full_name: str = Field(alias="person.full_name", examples=["Pavel Olsen"])
    is_leader: bool


class DeploymentOut(Schema):
    id: int
    starts: dt.date = Field(examples=["2023-02-09"])
    ends: dt.date = Field(examples=["2023-03-22"])
    note: str
    locations: list[LocationRef]

    @staticmethod
    def resolve_locations(obj) -> list:
        return list(obj.locations.all())


class TeamOut(Schema):
    id: int = Field(examples=[2])
    code: str = Field(examples=["LTO-01"])
    kind: TeamKind = Field(examples=["lto"])
    area: LocationRef | None
    members: list[MemberOut]
    deployments: list[DeploymentOut]

    @staticmethod
    def resolve_members(obj) -> list:
        return list(obj.memberships.all())

    @staticmethod
    def resolve_deployments(obj) -> list:
        return list(obj.deployments.all())


# --- meetings -----------------------------------------------------------------------------


class InterlocutorIn(Schema):
    name: str = Field(min_length=1, max_length=200, examples=["Nurlan Abdirov"])
    title: str = Field("", max_length=300, examples=["Chairperson"])
    organisation: str = Field("", max_length=300, examples=["Central Election Commission"])
    organisation_kind: OrganisationKind = Field(
        OrganisationKind.OTHER, examples=["election_administration"]
    )


class InterlocutorOut(Schema):
    id: int = Field(examples=[4])
    name: str = Field(examples=["Nurlan Abdirov"])
    title: str = Field(examples=["Chairperson"])
    organisation: str = Field(alias="organisation.name", examples=["Central Election Commission"])
    organisation_kind: OrganisationKind = Field(
        alias="organisation.kind", examples=["election_administration"]
    )


class FollowUpIn(Schema):
    text: str = Field(
        min_length=1,
        max_length=500,
        examples=["Send the CEC the list of observers for accreditation"],
    )
    owner: PersonCode | None = Field(None, description="Person code.", examples=["CT03"])
    due: dt.date | None = Field(None, examples=["2023-02-15"])
    status: FollowUp.Status = Field(FollowUp.Status.OPEN, examples=["open"])


class FollowUpOut(Schema):
    id: int
    text: str = Field(examples=["Send the CEC the list of observers for accreditation"])
    owner: PersonRef | None
    due: dt.date | None = Field(examples=["2023-02-15"])
    status: FollowUp.Status = Field(examples=["open"])


class MeetingIn(Schema):
    date: dt.date = Field(examples=["2023-02-08"])
    time: dt.time | None = Field(
        None, description="Local time of day, without a time zone.", examples=["10:00"]
    )
    place: str = Field(
        min_length=1, max_length=300, examples=["Central Election Commission, Astana"]
    )
    region: str | None = Field(
        None, max_length=64, description="Location code.", examples=["KZ-01"]
    )
    participants: list[PersonCode] = Field(
        default_factory=list,
        max_length=settings.EOM_MAX_MEETING_PARTICIPANTS,
        description="Person codes of the mission's participants.",
        examples=[["CT01", "CT03"]],
    )
    interlocutors: list[InterlocutorIn] = Field(
        default_factory=list, max_length=settings.EOM_MAX_MEETING_INTERLOCUTORS
    )
    topics: list[TopicName] = Field(
        default_factory=list,
        max_length=settings.EOM_MAX_MEETING_TOPICS,
        examples=[["accreditation", "voter lists"]],
    )
    key_points: str = Field(
        "",
        max_length=settings.EOM_MAX_MEETING_TEXT_CHARS,
        examples=["Accreditation of observers is on track."],
    )
    follow_ups: list[FollowUpIn] = Field(
        default_factory=list, max_length=settings.EOM_MAX_MEETING_FOLLOW_UPS
    )
    confidential: bool | None = Field(
        None,
        description="Only the core team may set it. Left out: false on create, "
        "unchanged on update.",
        examples=[False],
    )
    source: str = Field("", max_length=300, examples=["CT-03 notes"])

    @field_validator("time")
    @classmethod
    def _local_time(cls, value: dt.time | None) -> dt.time | None:
        problem = validators.naive_time_problem(value)
        if problem:
            raise ValueError(problem)
        return value


class MeetingOut(Schema):
    id: int = Field(examples=[1])
    date: dt.date = Field(examples=["2023-02-08"])
    time: dt.time | None = Field(examples=["10:00:00"])
    place: str = Field(examples=["Central Election Commission, Astana"])
    region: LocationRef | None
    participants: list[PersonRef]
    interlocutors: list[InterlocutorOut]
    topics: list[str] = Field(examples=[["accreditation", "voter lists"]])
    key_points: str = Field(examples=["Accreditation of observers is on track."])
    follow_ups: list[FollowUpOut]
    confidential: bool = Field(examples=[False])
    source: str = Field(examples=["CT-03 notes"])
    synthetic: bool = Field(description="Generated for the demo, not a real meeting.")
    created_by: str | None = Field(
        description="Username of whoever recorded it.", examples=["core"]
    )
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_participants(obj) -> list:
        return list(obj.participants.all())

    @staticmethod
    def resolve_interlocutors(obj) -> list:
        return list(obj.interlocutors.all())

    @staticmethod
    def resolve_topics(obj) -> list[str]:
        return [topic.name for topic in obj.topics.all()]

    @staticmethod
    def resolve_follow_ups(obj) -> list:
        return list(obj.follow_ups.all())

    @staticmethod
    def resolve_created_by(obj) -> str | None:
        return obj.created_by.get_username() if obj.created_by_id else None


class MeetingFilters(Schema):
    organisation: Id | None = _filter("Organisation id: meetings with someone from it.", 2)
    interlocutor: Id | None = _filter("Interlocutor id.", 2)
    topic: TopicName | None = _filter("Topic name (any case).", "voter lists")
    region: Id | None = _filter("Location id: meetings whose region lies in its subtree.", 2)
    date_from: dt.date | None = _filter("On or after this day.", "2023-02-07")
    date_to: dt.date | None = _filter("On or before this day.", "2023-03-19")
    q: Annotated[str, Field(max_length=settings.EOM_MAX_SEARCH_CHARS)] | None = _filter(
        f"Every word must appear somewhere in the meeting (any case); at most "
        f"{settings.EOM_MAX_SEARCH_WORDS} words.", "accreditation"
    )


class ErrorOut(Schema):
    detail: str = Field(examples=["Not found."])
