"""Outlets, monitoring periods, the topic list and the reliability threshold in the admin:
the core team (the media analyst) and administrators manage them, analysts read them,
coordinators and observers do not see them (media monitoring is national). Items are coded on
the pages, through the import and the API, and shown here read-only to the same readers."""

from django.contrib import admin

from eom.missions import services as mission_services
from eom.missions.admin import AuditedAdmin, ViewOnlyAdmin

from . import permissions
from .models import Item, MediaSettings, MonitoringPeriod, Outlet, Topic


class MediaAdmin(AuditedAdmin):
    def has_module_permission(self, request) -> bool:
        return permissions.can_read_media(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return permissions.can_read_media(request.user)

    def has_add_permission(self, request) -> bool:
        return permissions.can_write_media(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return permissions.can_write_media(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return permissions.can_write_media(request.user)


@admin.register(Outlet)
class OutletAdmin(MediaAdmin):
    list_display = ["name", "kind", "ownership", "ownership_assumed", "language", "mission"]
    list_filter = ["kind", "ownership", "mission"]


@admin.register(MonitoringPeriod)
class MonitoringPeriodAdmin(MediaAdmin):
    list_display = ["name", "starts", "ends", "mission"]


@admin.register(Topic)
class TopicAdmin(MediaAdmin):
    list_display = ["code", "name", "mission"]


@admin.register(MediaSettings)
class MediaSettingsAdmin(MediaAdmin):
    list_display = ["mission", "alpha_threshold"]


@admin.register(Item)
class ItemAdmin(ViewOnlyAdmin):
    list_display = ["date", "outlet", "programme", "subject_kind", "subject_name", "tone",
                    "seconds", "cm2", "coder", "second_coding"]
    list_filter = ["tone", "subject_kind", "second_coding", "period"]
    search_fields = ["programme", "subject_name", "coder"]

    def has_module_permission(self, request) -> bool:
        return permissions.can_read_media(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return permissions.can_read_media(request.user)

    def get_queryset(self, request):
        mission = mission_services.current_mission()
        return Item.objects.filter(mission=mission).select_related("outlet")
