"""Who reads and writes the mission's reports. Pages and commands ask these functions.

- The core team and administrators draft: they write sections, translations, reviews and
  comments, and create reports.
- The core team publishes (the Head of Mission signs the statement); publishing freezes the
  figures.
- Analysts read drafts (they check the figures) and comment, but write no text.
- A published report is read by everyone in the mission; drafts are not shown to coordinators
  and observers.
"""

from __future__ import annotations

from django.db.models import QuerySet

from eom.missions.models import Access, Mission
from eom.missions.permissions import access_of, can_use

from .models import Report, State

DRAFT_READERS = {Access.CORE_TEAM, Access.ANALYST, Access.ADMINISTRATOR}
WRITERS = {Access.CORE_TEAM, Access.ADMINISTRATOR}


def can_read_reports(user, mission: Mission) -> bool:
    return can_use(user, mission)


def can_read_drafts(user, mission: Mission) -> bool:
    return access_of(user, mission) in DRAFT_READERS


def can_write_reports(user, mission: Mission) -> bool:
    return access_of(user, mission) in WRITERS


def can_comment(user, mission: Mission) -> bool:
    return can_read_drafts(user, mission)


def can_publish(user, mission: Mission) -> bool:
    return access_of(user, mission) is Access.CORE_TEAM


def reports_visible_to(user, mission: Mission) -> QuerySet[Report]:
    reports = Report.objects.filter(mission=mission)
    if can_read_drafts(user, mission):
        return reports
    if can_read_reports(user, mission):
        return reports.filter(state=State.PUBLISHED)
    return reports.none()
