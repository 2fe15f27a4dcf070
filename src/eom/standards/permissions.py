"""Who reads and writes the commitments, the evidence tagged with them and the previous
report's recommendations. Pages, API and admin ask these functions.

- The core team writes: lists commitments and recommendations, tags evidence, assesses.
- Analysts and administrators read (administrators also keep commitments and recommendations
  in the admin, as reference data).
- Coordinators, observers and everyone else: nothing (the roll-up reads across every region).

Evidence is read through the access helper of its own kind, never past it
(`tags_visible_to`): an LTO passage through `lto.permissions.reports_visible_to` (submitted
reports; a draft is its team's), a complaint through `complaints.permissions.cases_visible_to`,
a meeting through `missions.permissions.meetings_visible_to` (a confidential meeting, its tags
and their notes, for the core team only); an indicator is a figure of the analysis page, which
every reader here reads.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from eom.complaints.permissions import cases_visible_to
from eom.lto.permissions import reports_visible_to
from eom.missions.models import Access, Mission
from eom.missions.permissions import access_of, meetings_visible_to

from .models import Commitment, EvidenceKind, Recommendation, Tag

READERS = {Access.CORE_TEAM, Access.ANALYST, Access.ADMINISTRATOR}
WRITERS = {Access.CORE_TEAM}


def can_read_standards(user, mission: Mission) -> bool:
    return access_of(user, mission) in READERS


def can_write_standards(user, mission: Mission) -> bool:
    """Lists commitments and recommendations, tags evidence, assesses: the core team."""
    return access_of(user, mission) in WRITERS


def commitments_visible_to(user, mission: Mission) -> QuerySet[Commitment]:
    commitments = Commitment.objects.filter(mission=mission)
    return commitments if can_read_standards(user, mission) else commitments.none()


def recommendations_visible_to(user, mission: Mission) -> QuerySet[Recommendation]:
    recommendations = Recommendation.objects.filter(mission=mission)
    return recommendations if can_read_standards(user, mission) else recommendations.none()


def tags_visible_to(user, mission: Mission) -> QuerySet[Tag]:
    """The tags whose evidence the user may see, each kind through its own helper."""
    tags = Tag.objects.filter(mission=mission)
    if not can_read_standards(user, mission):
        return tags.none()
    return tags.filter(
        Q(kind=EvidenceKind.LTO_SECTION,
          report__in=reports_visible_to(user, mission).values("pk"))
        | Q(kind=EvidenceKind.COMPLAINT, case__in=cases_visible_to(user, mission).values("pk"))
        | Q(kind=EvidenceKind.MEETING,
            meeting__in=meetings_visible_to(user, mission).values("pk"))
        | Q(kind=EvidenceKind.INDICATOR))
