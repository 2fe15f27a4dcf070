"""Who reads results and who imports them.

- core team, administrators and analysts read every protocol of the mission;
- a coordinator reads the protocols of its area's subtree (none without an area);
- observers read no results pages (they report; they do not audit the count);
- only administrators import official results.
"""

from __future__ import annotations

from django.db.models import QuerySet

from eom.missions.models import Access, Location, Mission
from eom.missions.permissions import access_of, area_path, is_administrator, sees_everything

from .models import Protocol


def can_read_results(user, mission: Mission) -> bool:
    return sees_everything(user, mission) or access_of(user, mission) is Access.COORDINATOR


def results_scope(user, mission: Mission) -> str | None:
    """The path prefix the reader's results are limited to: "" for everything, a subtree's path
    for a coordinator, None for no results at all."""
    if sees_everything(user, mission):
        return ""
    if access_of(user, mission) is Access.COORDINATOR:
        return area_path(user)
    return None


def protocols_visible_to(user, mission: Mission) -> QuerySet[Protocol]:
    protocols = Protocol.objects.filter(mission=mission)
    prefix = results_scope(user, mission)
    if prefix is None:
        return protocols.none()
    if prefix:
        return protocols.filter(location__path__startswith=prefix)
    return protocols


def locations_visible_to(user, mission: Mission) -> QuerySet[Location]:
    locations = Location.objects.filter(mission=mission)
    prefix = results_scope(user, mission)
    if prefix is None:
        return locations.none()
    return locations.filter(path__startswith=prefix) if prefix else locations


def can_import_results(user) -> bool:
    return is_administrator(user)
