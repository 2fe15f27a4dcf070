"""Results in the Django admin: published totals are entered here at any level of the tree
(the figures the commission announced for a region or district); protocols and import batches
can be read, under the same access rules, scope and audit as the results pages
(`eom.results.permissions`): a coordinator reads the protocols and published totals of its
area's subtree and no import batch; observers reach no admin at all."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from eom.missions.admin import AuditedAdmin
from eom.missions.models import Mission
from eom.missions.services import current_mission

from . import permissions
from .models import ImportBatch, Protocol, PublishedTotal


class MissionScopedAdmin(AuditedAdmin):
    """An admin whose rows are those a page of the current mission shows the reader: `may_read`
    says whether it reads any (else the module is hidden and every URL answers 403), `visible`
    which. Writes stay as AuditedAdmin allows them, on visible rows only."""

    def may_read(self, user, mission: Mission) -> bool:
        raise NotImplementedError

    def visible(self, user, mission: Mission) -> QuerySet:
        raise NotImplementedError

    def _reads(self, request) -> bool:
        mission = current_mission()
        return mission is not None and self.may_read(request.user, mission)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        mission = current_mission()
        if mission is None or not self.may_read(request.user, mission):
            return queryset.none()
        return queryset.filter(pk__in=self.visible(request.user, mission).values("pk"))

    def get_object(self, request, object_id, from_field=None):
        if not self._reads(request):  # 403 on every record's URL, as on the list
            raise PermissionDenied
        return super().get_object(request, object_id, from_field)

    def has_module_permission(self, request) -> bool:
        return super().has_module_permission(request) and self._reads(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return super().has_view_permission(request, obj) and self._reads(request)

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and self._reads(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and self._reads(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and self._reads(request)


@admin.register(PublishedTotal)
class PublishedTotalAdmin(MissionScopedAdmin):
    list_display = ["contest", "location", "n_registered", "n_valid", "source"]
    raw_id_fields = ["location"]
    search_fields = ["location__code", "location__name_en"]

    def may_read(self, user, mission):
        return permissions.can_read_results(user, mission)

    def visible(self, user, mission):
        return permissions.published_totals_visible_to(user, mission)


class ReadOnlyAdmin(MissionScopedAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Protocol)
class ProtocolAdmin(ReadOnlyAdmin):
    list_display = ["location", "contest", "source", "n_valid", "n_failed", "updated_at"]
    list_filter = ["source", "n_failed"]
    search_fields = ["location__code"]
    raw_id_fields = ["location", "submission", "batch"]
    list_select_related = ["location", "contest"]

    def may_read(self, user, mission):
        return permissions.can_read_results(user, mission)

    def visible(self, user, mission):
        return permissions.protocols_visible_to(user, mission)


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ["imported_at", "file_name", "contest", "n_rows", "n_created", "n_updated"]

    def may_read(self, user, mission):
        return permissions.can_read_imports(user, mission)

    def visible(self, user, mission):
        return permissions.imports_visible_to(user, mission)
