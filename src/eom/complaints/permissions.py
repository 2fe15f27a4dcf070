"""Who reads and writes the complaints and appeals register. Pages and API ask these functions.

- The core team (the mission's legal analyst is of the core team) and administrators write:
  record cases and appeals, their decisions, documents and links, import the commission's lists.
- Analysts read every case.
- A coordinator reads the cases of bodies in its area (by the body's location; a case whose
  body has no location, such as the Central Election Commission, is not in any area).
- Observers and everyone else: nothing.

A case's confidential note is read by the core team only (as the confidential meetings), and
its audit entries are sealed.
"""

from __future__ import annotations

from django.db.models import QuerySet

from eom.missions.models import Access, Mission
from eom.missions.permissions import access_of, area_path

from .models import Case

READ_ALL = {Access.CORE_TEAM, Access.ANALYST, Access.ADMINISTRATOR}
WRITERS = {Access.CORE_TEAM, Access.ADMINISTRATOR}


def can_read_cases(user, mission: Mission | None = None) -> bool:
    return access_of(user, mission) in READ_ALL | {Access.COORDINATOR}


def can_write_cases(user, mission: Mission | None = None) -> bool:
    return access_of(user, mission) in WRITERS


def can_read_confidential(user, mission: Mission) -> bool:
    return access_of(user, mission) is Access.CORE_TEAM


def cases_visible_to(user, mission: Mission) -> QuerySet[Case]:
    access = access_of(user, mission)
    cases = Case.objects.filter(mission=mission)
    if access in READ_ALL:
        return cases
    if access is Access.COORDINATOR:
        prefix = area_path(user)
        return cases.filter(body_location__path__startswith=prefix) if prefix else cases.none()
    return cases.none()
