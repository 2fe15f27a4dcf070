"""Outlets, monitoring periods, the topic list and the reliability threshold in the admin:
the core team (the media analyst) and administrators manage them, analysts read them,
coordinators and observers do not see them (media monitoring is national). Items are coded on
the pages, through the import and the API."""

from django.contrib import admin

from eom.missions.admin import AuditedAdmin

from . import permissions
from .models import MediaSettings, MonitoringPeriod, Outlet, Topic


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
