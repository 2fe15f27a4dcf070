"""Samples in the Django admin, under the same access rules and audit as the rest of the admin.
The models are registry data (`eom.missions.models`, so the admin's URLs are
/admin/missions/sample/…); they are registered from here because who reads them is the quick
count's rule, and their admin builds on the results app's mission-scoped admin.
A sample is drawn only by `eom sample draw` (or the demo), so that its seed explains every
station in it: here it is read, and an administrator may change the team sent to a station.
The quick-count sample (which stations are drawn, which team goes to each) is read by those who
read the quick count (`eom.reporting.permissions`); for anyone else the module is hidden and its
URLs answer 403."""

from django.contrib import admin

from eom.missions.models import Sample, SampledStation
from eom.missions.services import current_mission
from eom.results.admin import MissionScopedAdmin

from . import permissions


class SampleScopedAdmin(MissionScopedAdmin):
    def may_read(self, user, mission):
        return permissions.can_view_quick_count(user, mission)

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Sample)
class SampleAdmin(SampleScopedAdmin):
    list_display = ["name", "mission", "size", "stratum_level", "seed", "population_size",
                    "drawn_at"]
    readonly_fields = ["mission", "name", "seed", "stratum_level", "size", "population_size",
                       "stratum_sizes", "drawn_by", "drawn_at"]

    def visible(self, user, mission):
        return permissions.samples_visible_to(user, mission)


@admin.register(SampledStation)
class SampledStationAdmin(SampleScopedAdmin):
    list_display = ["location", "sample", "stratum", "team"]
    list_filter = ["sample", "stratum"]
    list_select_related = ["location", "sample", "team"]
    search_fields = ["location__code", "team__code"]
    readonly_fields = ["sample", "location", "stratum"]
    raw_id_fields = ["team"]

    def visible(self, user, mission):
        return permissions.sampled_stations_visible_to(user, mission)

    def has_change_permission(self, request, obj=None) -> bool:
        mission = current_mission()
        return (super().has_change_permission(request, obj) and mission is not None
                and permissions.can_assign_sample_teams(request.user, mission))
