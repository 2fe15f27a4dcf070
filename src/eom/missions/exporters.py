"""Exports of the location tree, the people and teams, and the meetings log to CSV or XLSX.

Locations and people are written in exactly the import format (`importers.LOCATION_COLUMNS`,
`importers.PEOPLE_COLUMNS`): importing an export changes nothing. The file type follows the
extension (.csv or .xlsx).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from django.db.models import Prefetch

from eom.tables import write_table

from .importers import LOCATION_COLUMNS, PEOPLE_COLUMNS
from .models import (
    FollowUp,
    Interlocutor,
    Location,
    LocationLevel,
    Meeting,
    Mission,
    Person,
    TeamMembership,
)

MEETING_COLUMNS = (
    "date",
    "time",
    "place",
    "region",
    "participants",
    "interlocutors",
    "topics",
    "key_points",
    "follow_ups",
    "confidential",
)
DASH = " — "


def export_locations(mission: Mission, path: str | Path) -> int:
    """Write the mission's location tree, parents before children; returns the rows written.

    Registered voters are written on polling stations only (the importer sums the rest).
    """
    locations = Location.objects.filter(mission=mission).order_by("path")
    code_of = dict(locations.values_list("pk", "code"))

    def rows() -> Iterator[list]:
        for location in locations.iterator(chunk_size=2000):
            station = location.level == LocationLevel.POLLING_STATION
            yield [
                location.code,
                location.level,
                code_of.get(location.parent_id, ""),
                location.name_en,
                location.name_ru,
                location.name_kk,
                location.n_registered if station else "",
                location.kind,
                location.address,
            ]

    return write_table(path, LOCATION_COLUMNS, rows(), sheet="locations")


def export_people(mission: Mission, path: str | Path) -> int:
    """Write the mission's people with their team; returns the rows written.

    The file holds one team per person: someone in several teams is written with the first of
    them by code (an import of the file would leave them in that team only).
    """
    people = (
        Person.objects.filter(mission=mission)
        .select_related("role", "area")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=TeamMembership.objects.select_related("team").order_by("team__code"),
            )
        )
        .order_by("role__order", "code")
    )

    def rows() -> Iterator[list]:
        for person in people:
            memberships = list(person.memberships.all())
            membership = memberships[0] if memberships else None
            yield [
                person.code,
                person.full_name,
                person.role.code,
                person.access,
                person.email,
                person.phone,
                person.nationality,
                person.languages,
                person.area.code if person.area else "",
                membership.team.code if membership else "",
                membership.team.kind if membership else "",
                ("yes" if membership.is_leader else "no") if membership else "",
            ]

    return write_table(path, PEOPLE_COLUMNS, rows(), sheet="people")


def export_meetings(
    mission: Mission, path: str | Path, *, include_confidential: bool = False
) -> int:
    """Write the meetings log, oldest first; returns the rows written.

    Confidential meetings are left out unless `include_confidential` (the caller checks that
    the reader may see them). Interlocutors are "name — title — organisation" and follow-ups
    "text — owner — due — status", one per line within their cell.
    """
    meetings = (
        Meeting.objects.filter(mission=mission)
        .select_related("region")
        .prefetch_related(
            "participants",
            "topics",
            Prefetch(
                "interlocutors",
                queryset=Interlocutor.objects.select_related("organisation").order_by("name"),
            ),
            Prefetch("follow_ups", queryset=FollowUp.objects.select_related("owner")),
        )
        .order_by("date", "time", "pk")
    )
    if not include_confidential:
        meetings = meetings.filter(confidential=False)

    def rows() -> Iterator[list]:
        for meeting in meetings:
            yield [
                meeting.date.isoformat(),
                meeting.time.strftime("%H:%M") if meeting.time else "",
                meeting.place,
                meeting.region.name_en if meeting.region else "",
                "; ".join(sorted(person.full_name for person in meeting.participants.all())),
                "\n".join(
                    DASH.join([i.name, i.title, i.organisation.name])
                    for i in meeting.interlocutors.all()
                ),
                "; ".join(sorted(topic.name for topic in meeting.topics.all())),
                meeting.key_points,
                "\n".join(
                    DASH.join(
                        [
                            f.text,
                            f.owner.full_name if f.owner else "",
                            f.due.isoformat() if f.due else "",
                            f.status,
                        ]
                    )
                    for f in meeting.follow_ups.all()
                ),
                "yes" if meeting.confidential else "no",
            ]

    return write_table(path, MEETING_COLUMNS, rows(), sheet="meetings")
