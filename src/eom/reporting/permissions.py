"""Who reads the mission's figures and its quick-count sample.

- The quick count (its estimates, the sample it rests on: which polling stations were drawn and
  which team goes to each) is for the core team, analysts and administrators. Coordinators do
  not see it: the estimate is national and rests on reports from every region, which they do not
  otherwise see; and a sample known in advance to the field could be steered. Observers do not.
- Administrators change the team sent to a sampled station; nobody draws a sample except through
  `eom sample draw`, so that its seed explains every station in it.
The pages, the submissions filters and the admin ask these functions.
"""

from __future__ import annotations

from django.db.models import QuerySet

from eom.missions.models import Access, Mission
from eom.missions.permissions import access_of, sees_everything

from .models import Sample, SampledStation


def can_view_quick_count(user, mission: Mission) -> bool:
    """Core team, analysts and administrators."""
    return sees_everything(user, mission)


def samples_visible_to(user, mission: Mission) -> QuerySet[Sample]:
    samples = Sample.objects.filter(mission=mission)
    return samples if can_view_quick_count(user, mission) else samples.none()


def sampled_stations_visible_to(user, mission: Mission) -> QuerySet[SampledStation]:
    stations = SampledStation.objects.filter(sample__mission=mission)
    return stations if can_view_quick_count(user, mission) else stations.none()


def can_assign_sample_teams(user, mission: Mission) -> bool:
    """May change the team sent to a sampled station."""
    return can_view_quick_count(user, mission) and access_of(user, mission) is Access.ADMINISTRATOR
