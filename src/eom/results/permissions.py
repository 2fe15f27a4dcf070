"""Who reads results and who imports them.

- core team, administrators and analysts read every protocol of the mission;
- a coordinator reads the protocols of its area's subtree (none without an area);
- observers read no results pages (they report; they do not audit the count);
- only administrators import official results;
- only the core team asks for the forensics' Monte Carlo check to be computed again (it runs
  inside the request, for seconds; analysts read, administrators import);
- the imports themselves (whole-country files) are read by those who read the national results:
  core team, administrators and analysts.
The admin asks the same functions: protocols and published totals in the reader's scope, import
batches to national readers only.
"""

from __future__ import annotations

from django.db.models import QuerySet

from eom.missions.models import Access, Location, Mission
from eom.missions.permissions import access_of, area_path, is_administrator, sees_everything

from .models import ImportBatch, Protocol, PublishedTotal


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


def can_recompute_forensics(user, mission: Mission) -> bool:
    return access_of(user, mission) is Access.CORE_TEAM


def published_totals_visible_to(user, mission: Mission) -> QuerySet[PublishedTotal]:
    """The commission's published totals at places in the reader's results scope."""
    totals = PublishedTotal.objects.filter(location__mission=mission)
    prefix = results_scope(user, mission)
    if prefix is None:
        return totals.none()
    return totals.filter(location__path__startswith=prefix) if prefix else totals


def can_read_imports(user, mission: Mission) -> bool:
    """Import batches are whole-country files (the forensics page reads them): national
    readers only."""
    return sees_everything(user, mission)


def imports_visible_to(user, mission: Mission) -> QuerySet[ImportBatch]:
    batches = ImportBatch.objects.filter(mission=mission)
    return batches if can_read_imports(user, mission) else batches.none()
