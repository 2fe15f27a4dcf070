"""Results in the Django admin: published totals are entered here at any level of the tree
(the figures the commission announced for a region or district); protocols and import batches
can be read, under the same access rules and audit as the rest of the admin."""

from django.contrib import admin

from eom.missions.admin import AuditedAdmin

from .models import ImportBatch, Protocol, PublishedTotal


@admin.register(PublishedTotal)
class PublishedTotalAdmin(AuditedAdmin):
    list_display = ["contest", "location", "n_registered", "n_valid", "source"]
    raw_id_fields = ["location"]
    search_fields = ["location__code", "location__name_en"]


class ReadOnlyAdmin(AuditedAdmin):
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


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ["imported_at", "file_name", "contest", "n_rows", "n_created", "n_updated"]
