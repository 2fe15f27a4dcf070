"""Read-side queries shared by pages, API and exports."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet

from .dbfunctions import UnicodeLower
from .models import Interlocutor, Location, Meeting, Person, Role, Team, TeamKind
from .services import search_meetings


def filter_meetings(
    meetings: QuerySet[Meeting],
    *,
    q: str = "",
    organisation: str = "",
    interlocutor: str = "",
    topic: str = "",
    region: Location | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[Meeting]:
    """Meetings matching every given filter; text filters match a substring in any case."""
    if q:
        meetings = search_meetings(meetings, q)
    if organisation:
        meetings = meetings.filter(interlocutors__organisation__name__icontains=organisation)
    if interlocutor:
        meetings = meetings.filter(interlocutors__in=_interlocutors_named(meetings, interlocutor))
    if topic:
        meetings = meetings.filter(topics__name__icontains=topic)
    if region is not None:
        meetings = meetings.filter(region__path__startswith=region.path)
    if date_from:
        meetings = meetings.filter(date__gte=date_from)
    if date_to:
        meetings = meetings.filter(date__lte=date_to)
    return meetings.distinct()


def _interlocutors_named(meetings: QuerySet[Meeting], text: str) -> list[int]:
    """Ids of the interlocutors of `meetings` whose name holds `text` (any case). Names are
    encrypted in the database, so they are compared here, over the interlocutors these
    meetings met (a bounded set: a mission meets hundreds of people, not millions)."""
    text = text.strip().lower()
    met = Interlocutor.objects.filter(meetings__in=meetings.values("pk")).distinct()
    return [i.pk for i in met.only("pk", "name") if text in i.name.lower()]


# The interlocutors a search reads at most (the latest recorded): names are encrypted, so they
# are compared in Python, over a bounded set (a mission meets hundreds of people).
MAX_INTERLOCUTORS_SEARCHED = 2000


def people_named(people: QuerySet[Person], text: str, limit: int) -> list[Person]:
    """Up to `limit` of `people` whose full name holds every word of `text` (any case, any
    alphabet), by name."""
    found = Person.objects.filter(pk__in=people.values("pk")).annotate(
        _name=UnicodeLower("full_name"))
    for word in text.lower().split():
        found = found.filter(_name__contains=word)
    return list(found.select_related("role").order_by("full_name", "pk")[:limit])


def interlocutors_named(interlocutors: QuerySet[Interlocutor], text: str,
                        limit: int) -> list[Interlocutor]:
    """Up to `limit` of `interlocutors` whose name, title or organisation hold every word of
    `text` (any case), by name. Names and titles are encrypted in the database: they are read
    and compared here, over the latest MAX_INTERLOCUTORS_SEARCHED of them."""
    words = text.lower().split()
    latest = interlocutors.select_related("organisation").order_by("-pk")
    found = []
    for interlocutor in latest[:MAX_INTERLOCUTORS_SEARCHED]:
        words_of = "\n".join([interlocutor.name, interlocutor.title,
                              interlocutor.organisation.name]).lower()
        if all(word in words_of for word in words):
            found.append(interlocutor)
    found.sort(key=lambda i: (i.name.lower(), i.organisation.name.lower(), i.pk))
    return found[:limit]


def meetings_for_list(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return meetings.select_related("region").prefetch_related(
        "interlocutors__organisation", "topics", "participants", "follow_ups"
    )


def _count_by(queryset: QuerySet, field: str) -> dict[str, int]:
    """{value: count}, over a visible set that may hold joins and DISTINCT."""
    model = queryset.model
    rows = model.objects.filter(pk__in=queryset.values("pk")).order_by()
    return dict(rows.values_list(field).annotate(n=Count("pk")))


def people_by_group(people: QuerySet[Person]) -> list[tuple[str, int]]:
    counts = _count_by(people, "role__group")
    return [(label, counts.get(value, 0)) for value, label in Role.Group.choices]


def teams_by_kind(teams: QuerySet[Team]) -> list[tuple[str, int]]:
    counts = _count_by(teams, "kind")
    return [(label, counts[value]) for value, label in TeamKind.choices if counts.get(value)]


def search_locations(locations: QuerySet[Location], text: str) -> QuerySet[Location]:
    """Locations whose code starts with, or whose name in any language contains, `text`
    (any case, any alphabet)."""
    text = text.strip().lower()
    return locations.annotate(
        _en=UnicodeLower("name_en"), _ru=UnicodeLower("name_ru"), _kk=UnicodeLower("name_kk")
    ).filter(
        Q(code__istartswith=text)
        | Q(_en__contains=text)
        | Q(_ru__contains=text)
        | Q(_kk__contains=text)
    )
