"""The Django admin for every record, under the same permissions as the pages and the API.

Model permissions of django.contrib.auth are not used: each ModelAdmin asks
`eom.missions.permissions`, and every save and delete is audited with channel "admin".
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from . import audit, evidence, permissions, services
from .admin_site import ADMIN_READERS as READERS
from .models import (
    Access,
    AnnouncedResult,
    ApiToken,
    AuditEntry,
    Candidate,
    Channel,
    Contest,
    Deployment,
    Election,
    FollowUp,
    Interlocutor,
    KeyDate,
    Location,
    Meeting,
    Mission,
    Organisation,
    Party,
    Person,
    Role,
    Team,
    TeamMembership,
    Topic,
)


class AuditedAdmin(admin.ModelAdmin):
    """Reference data: everyone with admin access reads it, administrators change it."""

    audit_m2m: tuple[str, ...] = ()

    def _access(self, request) -> Access:
        return permissions.access_of(request.user)

    def has_module_permission(self, request) -> bool:
        return self._access(request) in READERS

    def has_view_permission(self, request, obj=None) -> bool:
        return self._access(request) in READERS

    def has_add_permission(self, request) -> bool:
        return self._access(request) is Access.ADMINISTRATOR

    def has_change_permission(self, request, obj=None) -> bool:
        return self._access(request) is Access.ADMINISTRATOR

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._access(request) is Access.ADMINISTRATOR

    def save_model(self, request, obj, form, change):
        before = {}
        if change:
            before = audit.snapshot(type(obj).objects.get(pk=obj.pk), m2m=self.audit_m2m)
        super().save_model(request, obj, form, change)
        request._eom_audit = (obj, before, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj, before, change = request._eom_audit
        changes = audit.diff(before, audit.snapshot(obj, m2m=self.audit_m2m))
        audit.record(
            actor=request.user,
            channel=Channel.ADMIN,
            action="update" if change else "create",
            obj=obj,
            changes=changes,
            mission=getattr(obj, "mission", None),
        )

    def delete_model(self, request, obj):
        audit.record(
            actor=request.user,
            channel=Channel.ADMIN,
            action="delete",
            obj=obj,
            changes=audit.diff(audit.snapshot(obj), {}),
            mission=getattr(obj, "mission", None),
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def get_deleted_objects(self, objs, request):
        """When evidence hangs on `objs`, the delete page refuses with what protects them,
        counted per kind (eom.missions.evidence), without listing every record."""
        protected = evidence.protected_records(objs)
        if protected:
            return [], {}, set(), [f"{kind}: {n:,}" for kind, n in protected]
        return super().get_deleted_objects(objs, request)


@admin.register(Mission)
class MissionAdmin(AuditedAdmin):
    list_display = ["code", "name", "country", "deployment_start", "deployment_end"]


class ContestInline(admin.TabularInline):
    model = Contest
    extra = 0


@admin.register(Election)
class ElectionAdmin(AuditedAdmin):
    list_display = ["name", "date", "mission"]
    inlines = [ContestInline]


@admin.register(Contest)
class ContestAdmin(AuditedAdmin):
    list_display = ["name", "kind", "seats", "threshold_pct", "rule", "election"]
    list_filter = ["kind"]


@admin.register(Party)
class PartyAdmin(AuditedAdmin):
    list_display = ["registration_order", "code", "name_en", "name_ru", "name_kk", "election"]
    ordering = ["election", "registration_order"]


@admin.register(Candidate)
class CandidateAdmin(AuditedAdmin):
    list_display = ["full_name", "contest", "party", "district", "list_position"]
    list_filter = ["contest"]
    search_fields = ["full_name"]
    raw_id_fields = ["district"]


@admin.register(AnnouncedResult)
class AnnouncedResultAdmin(AuditedAdmin):
    list_display = ["contest", "party", "votes", "seats", "source"]


@admin.register(Location)
class LocationAdmin(AuditedAdmin):
    list_display = ["code", "name_en", "level", "parent", "n_stations", "n_registered", "synthetic"]
    list_filter = ["level", "synthetic"]
    search_fields = ["code", "name_en", "name_ru", "name_kk"]
    raw_id_fields = ["parent"]
    readonly_fields = ["n_stations"]
    list_per_page = 100
    list_select_related = ["parent"]

    def save_model(self, request, obj, form, change):
        obj.path = f"{obj.parent.path if obj.parent else ''}{obj.code}/"
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.recompute_totals(form.instance.mission)


@admin.register(Role)
class RoleAdmin(AuditedAdmin):
    list_display = ["order", "code", "name_en", "name_ru", "name_kk", "group"]


class ScopedAdmin(AuditedAdmin):
    """People, teams and deployments: visible and changeable as the permissions say."""

    def get_queryset(self, request):
        mission = services.current_mission()
        queryset = super().get_queryset(request)
        visible = self.visible(request.user, mission) if mission else queryset.none()
        return queryset.filter(pk__in=visible.values("pk"))

    def has_add_permission(self, request) -> bool:
        return permissions.can_manage_people(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is None:
            return permissions.can_manage_people(request.user)
        return self.can_manage(request.user, obj)

    has_delete_permission = has_change_permission


class MembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 0
    raw_id_fields = ["person"]


class DeploymentInline(admin.TabularInline):
    model = Deployment
    extra = 0
    raw_id_fields = ["locations"]


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    list_display = ["code", "full_name", "role", "access", "area", "phone", "email", "user"]
    list_filter = ["role__group", "access", "synthetic"]
    search_fields = ["code", "full_name", "email", "phone"]
    raw_id_fields = ["area", "user"]
    list_select_related = ["role", "area", "user"]

    def visible(self, user, mission):
        return permissions.people_visible_to(user, mission)

    def can_manage(self, user, obj):
        return permissions.can_manage_person(user, obj)

    def save_model(self, request, obj, form, change):
        if obj.access == Access.CORE_TEAM or obj.access == Access.ADMINISTRATOR:
            if permissions.access_of(request.user) is not Access.ADMINISTRATOR:
                raise PermissionDenied(_("Only an administrator grants this access."))
        super().save_model(request, obj, form, change)


@admin.register(Team)
class TeamAdmin(ScopedAdmin):
    list_display = ["code", "kind", "area"]
    list_filter = ["kind"]
    search_fields = ["code"]
    raw_id_fields = ["area"]
    inlines = [MembershipInline, DeploymentInline]

    def visible(self, user, mission):
        return permissions.teams_visible_to(user, mission)

    def can_manage(self, user, obj):
        return permissions.can_manage_team(user, obj)


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0
    raw_id_fields = ["owner"]


@admin.register(Meeting)
class MeetingAdmin(AuditedAdmin):
    list_display = ["date", "place", "region", "confidential"]
    list_filter = ["confidential", ("region", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["search_text"]
    date_hierarchy = "date"
    filter_horizontal = ["participants", "interlocutors", "topics"]
    inlines = [FollowUpInline]
    audit_m2m = ("participants", "interlocutors", "topics")

    def get_queryset(self, request):
        mission = services.current_mission()
        queryset = super().get_queryset(request)
        if mission is None:
            return queryset.none()
        return queryset.filter(pk__in=permissions.meetings_visible_to(request.user, mission))

    def get_readonly_fields(self, request, obj=None):
        return [] if permissions.can_mark_confidential(request.user) else ["confidential"]

    def has_add_permission(self, request) -> bool:
        return self.has_module_permission(request) and permissions.can_create_meeting(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is None:
            return self.has_add_permission(request)
        return self.has_module_permission(request) and permissions.can_edit_meeting(request.user, obj)

    has_delete_permission = has_change_permission

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.refresh_search_text(form.instance)


for model in (Organisation, Interlocutor, Topic, KeyDate):
    admin.site.register(model, AuditedAdmin)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "channel", "action", "model", "object_repr"]
    list_filter = ["channel", "action", "model"]
    search_fields = ["object_repr", "object_id"]
    date_hierarchy = "at"

    def has_module_permission(self, request) -> bool:
        return permissions.access_of(request.user) in {Access.ADMINISTRATOR, Access.CORE_TEAM}

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "prefix", "created_at", "last_used_at", "revoked"]
    fields = ["user", "name", "prefix", "revoked"]
    readonly_fields = ["user", "name", "prefix"]

    def has_module_permission(self, request) -> bool:
        return permissions.access_of(request.user) is Access.ADMINISTRATOR

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
