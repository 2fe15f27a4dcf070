"""Samples in the Django admin, under the same access rules and audit as the rest of the admin.
A sample is drawn only by `eom sample draw` (or the demo), so that its seed explains every
station in it: here it is read, and an administrator may change the team sent to a station."""

from django.contrib import admin

from eom.missions.admin import AuditedAdmin

from .models import Sample, SampledStation


@admin.register(Sample)
class SampleAdmin(AuditedAdmin):
    list_display = ["name", "mission", "size", "stratum_level", "seed", "population_size",
                    "drawn_at"]
    readonly_fields = ["mission", "name", "seed", "stratum_level", "size", "population_size",
                       "stratum_sizes", "drawn_by", "drawn_at"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(SampledStation)
class SampledStationAdmin(AuditedAdmin):
    list_display = ["location", "sample", "stratum", "team"]
    list_filter = ["sample", "stratum"]
    list_select_related = ["location", "sample", "team"]
    search_fields = ["location__code", "team__code"]
    readonly_fields = ["sample", "location", "stratum"]
    raw_id_fields = ["team"]

    def has_add_permission(self, request) -> bool:
        return False
