"""Who reads the mission's figures and its quick-count sample.

- The quick count (its estimates, the sample it rests on: which polling stations were drawn and
  which team goes to each) is for the core team, analysts and administrators. Coordinators do
  not see it: the estimate is national and rests on reports from every region, which they do not
  otherwise see; and a sample known in advance to the field could be steered. Observers do not.
- Administrators change the team sent to a sampled station; nobody draws a sample except through
  `eom sample draw`, so that its seed explains every station in it.
- The situation room (election day as it goes: reports in against expected, silent teams with
  their members' phone numbers, critical reports, key figures) is for those who run the day:
  the core team and administrators for the whole mission, a coordinator for its area (none
  without one). Analysts do not open it: they direct no team and call no observer, and they
  read the same reports and figures on the coverage, submissions and analysis pages.
  Observers and logins outside the mission do not.
The pages, the submissions filters and the admin ask these functions.
"""

from __future__ import annotations

from django.db.models import QuerySet

from eom.missions.models import Access, Mission, Sample, SampledStation
from eom.missions.permissions import access_of, area_path, person_of, sees_everything


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


# --- the situation room --------------------------------------------------------------------

SITUATION_READERS = {Access.CORE_TEAM, Access.ADMINISTRATOR}


def situation_scope(user, mission: Mission) -> str | None:
    """The part of the tree the reader's situation room shows: "" for the whole mission (core
    team, administrators), its area's path for a coordinator, None for none (everyone else, a
    coordinator without an area)."""
    access = access_of(user, mission)
    if access in SITUATION_READERS:
        return ""
    if access is Access.COORDINATOR:
        return area_path(user)
    return None


def can_view_situation_room(user, mission: Mission | None = None) -> bool:
    """Whether `situation_scope` is not None; asks the database nothing once the reader's person
    is loaded (the menu asks it on every page)."""
    access = access_of(user, mission)
    if access is Access.COORDINATOR:
        return getattr(person_of(user), "area_id", None) is not None
    return access in SITUATION_READERS
