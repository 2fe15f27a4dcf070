"""The Django admin for every record, under the same permissions as the pages and the API.

Model permissions of django.contrib.auth are not used: each ModelAdmin asks
`eom.missions.permissions`, and every save and delete is audited with channel "admin" in eom's
own audit trail (Django's LogEntry is not written: one trail, hash-chained, read in each
record's "history" under `permissions.audit_entries_visible_to`).

Confidential records (a confidential meeting, its follow-ups, the interlocutors, organisations
and topics that appear only in confidential meetings) are left out of every list, choice,
history and deletion summary shown to anyone outside the core team. A record that appears in
the meetings log is not deleted here (its meetings would change without an entry of theirs).
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import NestedObjects, quote, unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import router, transaction
from django.db.models import Q
from django.forms.models import BaseInlineFormSet
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import admin_users, audit, evidence, permissions, services
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
    LocationLevel,
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

# The rows that link a meeting to its participants, interlocutors and topics.
MEETING_LINKS = (Meeting.participants.through, Meeting.interlocutors.through,
                 Meeting.topics.through)


def _meetings_touched(collector: NestedObjects, objs) -> set[int]:
    """The meetings a deletion would delete, unlink or change, other than those deleted on
    purpose (`objs`)."""
    own = {obj.pk for obj in objs if isinstance(obj, Meeting)}
    touched: set[int] = set()
    for model, instances in collector.model_objs.items():
        if model is Meeting:
            touched |= {meeting.pk for meeting in instances}
        elif model is FollowUp or model in MEETING_LINKS:
            touched |= {row.meeting_id for row in instances}
    for (field, _value), updates in collector.field_updates.items():
        if field.model is Meeting:
            touched |= {meeting.pk for rows in updates for meeting in rows}
        elif field.model is FollowUp:
            touched |= {row.meeting_id for rows in updates for row in rows}
    for obj in collector.protected:
        if isinstance(obj, Meeting):
            touched.add(obj.pk)
        elif isinstance(obj, (FollowUp, *MEETING_LINKS)):
            touched.add(obj.meeting_id)
    return touched - own


def _without_hidden(nested: list) -> list:
    """The nested list of a deletion summary without the items made None (and their
    children)."""
    kept, skip_children = [], False
    for item in nested:
        if isinstance(item, list):
            if not skip_children:
                kept.append(_without_hidden(item))
            skip_children = False
        elif item is None:
            skip_children = True
        else:
            kept.append(item)
            skip_children = False
    return kept


# Models that moved from one app to another: their audit entries written before the move keep
# the label they were written under (an entry is hashed into the chain), and a record's history
# reads them under either label.
FORMER_LABELS = {
    "missions.sample": ("reporting.sample",),
    "missions.sampledstation": ("reporting.sampledstation",),
}


def audit_labels(opts) -> list[str]:
    """The labels a model's audit entries are written under: its own, then its former ones."""
    return [opts.label_lower, *FORMER_LABELS.get(opts.label_lower, ())]


class AuditedAdmin(admin.ModelAdmin):
    """Reference data: everyone with admin access reads it, administrators change it."""

    audit_m2m: tuple[str, ...] = ()
    object_history_template = "admin/missions/audit_history.html"

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

    # -- the audit trail ---------------------------------------------------------------

    def audit_snapshot(self, obj) -> dict:
        """What the audit trail keeps of `obj` (its fields and `audit_m2m` sets)."""
        return audit.snapshot(obj, m2m=self.audit_m2m)

    def save_model(self, request, obj, form, change):
        before = {}
        if change:
            before = self.audit_snapshot(type(obj).objects.get(pk=obj.pk))
        super().save_model(request, obj, form, change)
        request._eom_audit = (obj, before, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj, before, change = request._eom_audit
        changes = audit.diff(before, self.audit_snapshot(obj))
        if change and not changes:
            return
        audit.record(
            actor=request.user,
            channel=Channel.ADMIN,
            action="update" if change else "create",
            obj=obj,
            changes=changes,
            mission=getattr(obj, "mission", None),
        )

    def delete_model(self, request, obj):
        refusal = self.deletion_refusal([obj])
        if refusal:
            raise PermissionDenied(refusal)
        audit.record(
            actor=request.user,
            channel=Channel.ADMIN,
            action="delete",
            obj=obj,
            changes=audit.diff(self.audit_snapshot(obj), {}),
            mission=getattr(obj, "mission", None),
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic(using=router.db_for_write(self.model)):
            for obj in queryset:
                self.delete_model(request, obj)

    # Django's own LogEntry is not written: eom's audit trail holds every admin write.
    def log_addition(self, request, obj, message):
        return None

    def log_change(self, request, obj, message):
        return None

    def log_deletions(self, request, queryset):
        return None

    def history_view(self, request, object_id, extra_context=None):
        """A record's entries of the audit trail, those the reader may see, oldest first."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        entries = permissions.audit_entries_visible_to(
            request.user, services.current_mission()
        ).filter(model__in=audit_labels(self.opts), object_id=str(obj.pk)).order_by("pk")
        page = Paginator(entries, 100).get_page(request.GET.get("p"))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Change history: %s") % obj,
            "subtitle": None,
            "entries": page,
            "module_name": str(capfirst(self.opts.verbose_name_plural)),
            "object": obj,
            "opts": self.opts,
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_template, context)

    # -- deleting ------------------------------------------------------------------------

    def deletion_refusal(self, objs, collector: NestedObjects | None = None) -> str:
        """Why `objs` may not be deleted here ("" when they may)."""
        if collector is None:
            collector = NestedObjects(using=router.db_for_write(self.model), origin=objs)
            collector.collect(objs)
        if _meetings_touched(collector, objs):
            return gettext(
                "It appears in the meetings log (a meeting's participant, interlocutor, topic, "
                "follow-up or region, or the mission of meetings): deleting it would change "
                "those meetings without their own audit entry. Remove it from them first."
            )
        return ""

    def _deleted_objects_in_scope(self, objs, request):
        """Django's deletion summary, without the confidential records a reader outside the
        core team may not see, and refused (as protected) when meetings would change."""
        objs = list(objs)
        if not objs:
            return [], {}, set(), []
        collector = NestedObjects(using=router.db_for_write(self.model), origin=objs)
        collector.collect(objs)
        core = permissions.access_of(request.user) is Access.CORE_TEAM
        secret_meetings = set() if core else set(
            Meeting.objects.filter(confidential=True).values_list("pk", flat=True)
        )
        perms_needed = set()

        def hidden(obj) -> bool:
            if core:
                return False
            if isinstance(obj, (FollowUp, *MEETING_LINKS)):
                return obj.meeting_id in secret_meetings
            return permissions.is_confidential_record(obj)

        def described(obj):
            if hidden(obj):
                return None
            opts = obj._meta
            if not self.admin_site.is_registered(type(obj)):
                return f"{capfirst(opts.verbose_name)}: {obj}"
            if not self.admin_site.get_model_admin(type(obj)).has_delete_permission(request, obj):
                perms_needed.add(opts.verbose_name)
            try:
                url = reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                              None, (quote(obj.pk),))
            except NoReverseMatch:
                return f"{capfirst(opts.verbose_name)}: {obj}"
            return format_html('{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), url, obj)

        to_delete = _without_hidden(collector.nested(described))
        protected = [text for text in map(described, collector.protected) if text is not None]
        refusal = self.deletion_refusal(objs, collector)
        if refusal:
            protected.append(refusal)
        counts = {
            model._meta.verbose_name_plural: sum(1 for obj in instances if not hidden(obj))
            for model, instances in collector.model_objs.items()
        }
        return to_delete, {name: n for name, n in counts.items() if n}, perms_needed, protected

    def get_deleted_objects(self, objs, request):
        """When evidence hangs on `objs`, the delete page refuses with what protects them,
        counted per kind (eom.missions.evidence), without listing every record."""
        protected = evidence.protected_records(objs)
        if protected:
            return [], {}, set(), [f"{kind}: {n:,}" for kind, n in protected]
        return self._deleted_objects_in_scope(objs, request)


class ViewOnlyAdmin(AuditedAdmin):
    """Records written on the pages and through the API, by services that check and audit them:
    the admin shows them to whoever reads them there (`get_queryset`), and changes nothing."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ViewOnlyInline(admin.TabularInline):
    """A view-only record's rows, shown with it and changed nowhere here."""

    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None) -> bool:
        return permissions.access_of(request.user) in READERS

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


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
    """People and teams: visible and changeable as the permissions say, also for the values
    being saved (the form refuses them, naming the field; the save checks once more)."""

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

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user  # a new class on every call: no request shares it
        return form

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and permissions.access_of(request.user) is not Access.ADMINISTRATOR:
            fields.append("mission")
        return fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "mission":
            mission = services.current_mission()
            kwargs["queryset"] = Mission.objects.filter(pk=getattr(mission, "pk", None))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class _ActorForm(forms.ModelForm):
    actor = None  # the user saving, set by the ModelAdmin's get_form

    def stored(self):
        model = type(self.instance)
        return model.objects.filter(pk=self.instance.pk).first() if self.instance.pk else None

    def refuse(self, problems: dict[str, str]) -> None:
        for field, message in problems.items():
            self.add_error(field if field in self.fields else None, message)


class PersonAdminForm(_ActorForm):
    def clean(self):
        data = super().clean()
        stored = self.stored()
        mission = data.get("mission") or (stored.mission if stored else None)
        if mission is None:
            return data
        values = {name: data[field] for name, field in
                  (("access", "access"), ("area", "area"), ("login", "user"))
                  if field in self.fields and field in data}
        self.refuse(permissions.person_write_problems(self.actor, stored, mission=mission,
                                                      **values))
        return data


class TeamAdminForm(_ActorForm):
    def clean(self):
        data = super().clean()
        stored = self.stored()
        mission = data.get("mission") or (stored.mission if stored else None)
        if mission is None:
            return data
        values = {"area": data["area"]} if "area" in self.fields and "area" in data else {}
        self.refuse(permissions.team_write_problems(self.actor, stored, mission=mission,
                                                    **values))
        return data


class ScopedInlineFormSet(BaseInlineFormSet):
    """An inline of a team whose every added, changed or deleted row is checked against the
    actor's scope (`problems`); a refusal names the row's problem above the inline."""

    actor = None

    def problems(self, form, stored, deleting: bool, mission: Mission) -> dict[str, str]:
        """{field: reason} for one row: `stored` is the row as saved (None when new)."""
        raise NotImplementedError

    def clean(self):
        super().clean()
        mission = Mission.objects.filter(pk=self.instance.mission_id).first()
        if mission is None:  # the team's own form names the missing mission
            return
        found = []
        for form in self.forms:
            if not hasattr(form, "cleaned_data"):
                continue
            deleting = self.can_delete and self._should_delete_form(form)
            if not (form.has_changed() or deleting):
                continue
            model = type(form.instance)
            stored = model.objects.filter(pk=form.instance.pk).first() if form.instance.pk else None
            found += self.problems(form, stored, deleting, mission).values()
        if found:
            raise forms.ValidationError(sorted(set(found)))


class MembershipFormSet(ScopedInlineFormSet):
    def problems(self, form, stored, deleting, mission):
        people = [stored.person] if stored is not None else []
        if not deleting and form.cleaned_data.get("person") is not None:
            people.append(form.cleaned_data["person"])
        found = {}
        for person in people:
            found |= permissions.membership_write_problems(self.actor, person, mission=mission)
        return found


class DeploymentFormSet(ScopedInlineFormSet):
    def problems(self, form, stored, deleting, mission):
        locations = list(stored.locations.all()) if stored is not None else []
        if not deleting:
            locations += list(form.cleaned_data.get("locations") or [])
        return permissions.deployment_write_problems(self.actor, locations, mission=mission)


class ScopedInline(admin.TabularInline):
    """A team's members or deployments: read by whoever reads the team, changed by whoever may
    change it (not by Django's model permissions), each row checked by the formset."""

    extra = 0

    def has_view_permission(self, request, obj=None) -> bool:
        return permissions.access_of(request.user) in READERS

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is None:
            return permissions.can_manage_people(request.user)
        return permissions.can_manage_team(request.user, obj)

    has_add_permission = has_delete_permission = has_change_permission

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.actor = request.user  # a new class on every call
        return formset


class MembershipInline(ScopedInline):
    model = TeamMembership
    formset = MembershipFormSet
    raw_id_fields = ["person"]


class DeploymentInline(ScopedInline):
    model = Deployment
    formset = DeploymentFormSet
    raw_id_fields = ["locations"]


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    form = PersonAdminForm
    list_display = ["code", "full_name", "role", "access", "area", "phone", "email", "user"]
    list_filter = ["role__group", "access", "election_day_contact", "synthetic"]
    search_fields = ["code", "full_name", "email", "phone"]
    raw_id_fields = ["area", "user"]
    list_select_related = ["role", "area", "user"]

    def visible(self, user, mission):
        return permissions.people_visible_to(user, mission)

    def can_manage(self, user, obj):
        return permissions.can_manage_person(user, obj)

    def get_readonly_fields(self, request, obj=None):
        """Access, area and login: read-only on one's own record, on a superuser's for anyone
        but a superuser; the login for a coordinator."""
        fields = super().get_readonly_fields(request, obj)
        user, me = request.user, permissions.person_of(request.user)
        locked = set()
        if obj is not None and me is not None and obj.pk == me.pk:
            locked |= {"access", "area", "user"}
        if obj is not None and obj.user_id and obj.user.is_superuser and not user.is_superuser:
            locked |= {"access", "area", "user"}
        if permissions.access_of(user) is Access.COORDINATOR:
            locked.add("user")
        return [*fields, *sorted(locked - set(fields))]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        access = form.base_fields.get("access")
        if access is not None and permissions.access_of(request.user) is Access.COORDINATOR:
            access.choices = [(value, label) for value, label in Access.choices
                              if value in permissions.COORDINATOR_GRANTS]
        return form

    def save_model(self, request, obj, form, change):
        stored = Person.objects.select_related("user").filter(pk=obj.pk).first() if change else None
        problems = permissions.person_write_problems(
            request.user, stored, mission=obj.mission, access=obj.access, area=obj.area,
            login=obj.user,
        )
        if problems:
            raise PermissionDenied(" ".join(sorted(set(problems.values()))))
        super().save_model(request, obj, form, change)


@admin.register(Team)
class TeamAdmin(ScopedAdmin):
    form = TeamAdminForm
    list_display = ["code", "kind", "area"]
    list_filter = ["kind"]
    search_fields = ["code"]
    raw_id_fields = ["area"]
    inlines = [MembershipInline, DeploymentInline]

    def visible(self, user, mission):
        return permissions.teams_visible_to(user, mission)

    def can_manage(self, user, obj):
        return permissions.can_manage_team(user, obj)

    def audit_snapshot(self, obj) -> dict:
        return services.team_snapshot(obj)

    def save_model(self, request, obj, form, change):
        stored = Team.objects.filter(pk=obj.pk).first() if change else None
        problems = permissions.team_write_problems(request.user, stored, mission=obj.mission,
                                                   area=obj.area)
        if problems:
            raise PermissionDenied(" ".join(sorted(set(problems.values()))))
        super().save_model(request, obj, form, change)


def _meeting_choices(request, field: str, rows):
    """The visible choices of a meeting's field, plus what the meeting already holds (an
    editor outside the core team must not drop what it cannot see)."""
    meeting = getattr(request, "_eom_meeting", None)
    held = getattr(meeting, field).values("pk") if meeting is not None else []
    return rows.model.objects.filter(Q(pk__in=rows.values("pk")) | Q(pk__in=held))


class FollowUpInline(admin.TabularInline):
    """A meeting's follow-ups, changed by whoever may change the meeting; audited with it."""

    model = FollowUp
    extra = 0
    raw_id_fields = ["owner"]

    def has_view_permission(self, request, obj=None) -> bool:
        return permissions.access_of(request.user) in READERS

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is None:
            return permissions.can_create_meeting(request.user)
        return permissions.can_edit_meeting(request.user, obj)

    has_add_permission = has_delete_permission = has_change_permission

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        mission = services.current_mission()
        if db_field.name == "owner" and mission is not None:
            meeting = getattr(request, "_eom_meeting", None)
            held = (FollowUp.objects.filter(meeting=meeting).values("owner")
                    if meeting is not None else [])
            visible = permissions.people_visible_to(request.user, mission).values("pk")
            kwargs["queryset"] = Person.objects.filter(Q(pk__in=visible) | Q(pk__in=held))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Meeting)
class MeetingAdmin(AuditedAdmin):
    list_display = ["date", "place", "region", "confidential"]
    list_filter = ["confidential", ("region", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["search_text"]
    date_hierarchy = "date"
    filter_horizontal = ["participants", "interlocutors", "topics"]
    inlines = [FollowUpInline]

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

    def get_search_results(self, request, queryset, search_term):
        # Confidential meetings keep no search text: search_meetings opens those the reader sees.
        return services.search_meetings(queryset, search_term), False

    def get_form(self, request, obj=None, change=False, **kwargs):
        request._eom_meeting = obj  # for the choices below and the follow-ups' owners
        return super().get_form(request, obj, change=change, **kwargs)

    def get_formsets_with_inlines(self, request, obj=None):
        request._eom_meeting = obj
        return super().get_formsets_with_inlines(request, obj)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        mission = services.current_mission()
        choices = {
            "participants": permissions.people_visible_to,
            "interlocutors": permissions.interlocutors_visible_to,
            "topics": permissions.topics_visible_to,
        }.get(db_field.name)
        if choices is not None and mission is not None:
            kwargs["queryset"] = _meeting_choices(request, db_field.name,
                                                  choices(request.user, mission))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        mission = services.current_mission()
        if db_field.name == "region":
            kwargs["queryset"] = Location.objects.filter(mission=mission,
                                                         level=LocationLevel.REGION)
        elif db_field.name == "mission":
            kwargs["queryset"] = Mission.objects.filter(pk=getattr(mission, "pk", None))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def audit_snapshot(self, obj) -> dict:
        return services.meeting_snapshot(obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.refresh_search_text(form.instance)

    def delete_model(self, request, obj):
        services.delete_meeting(actor=request.user, channel=Channel.ADMIN, meeting=obj)


class MeetingRecordAdmin(AuditedAdmin):
    """Organisations, interlocutors and topics: those that appear only in confidential
    meetings are the core team's alone."""

    @staticmethod
    def visible(user, mission):
        raise NotImplementedError

    def get_queryset(self, request):
        mission = services.current_mission()
        queryset = super().get_queryset(request)
        if mission is None:
            return queryset.none()
        return queryset.filter(pk__in=self.visible(request.user, mission).values("pk"))


@admin.register(Organisation)
class OrganisationAdmin(MeetingRecordAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    visible = staticmethod(permissions.organisations_visible_to)


@admin.register(Interlocutor)
class InterlocutorAdmin(MeetingRecordAdmin):
    list_display = ["name", "title", "organisation"]
    search_fields = ["name", "title"]
    list_select_related = ["organisation"]
    visible = staticmethod(permissions.interlocutors_visible_to)

    def get_search_results(self, request, queryset, search_term):
        # Names and titles are encrypted in the database: the reader's interlocutors (a bounded
        # set) are read and searched here, every word in the name, title or organisation.
        words = search_term.lower().split()
        if not words:
            return queryset, False
        found = [i.pk for i in queryset.select_related("organisation")
                 if all(w in f"{i.name} {i.title} {i.organisation.name}".lower() for w in words)]
        return queryset.filter(pk__in=found), False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        mission = services.current_mission()
        if db_field.name == "organisation" and mission is not None:
            kwargs["queryset"] = permissions.organisations_visible_to(request.user, mission)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Topic)
class TopicAdmin(MeetingRecordAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    visible = staticmethod(permissions.topics_visible_to)


admin.site.register(KeyDate, AuditedAdmin)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit trail, read only: administrators without the confidential entries, the core
    team all of it (`permissions.audit_entries_visible_to`)."""

    list_display = ["at", "actor_username", "channel", "action", "model", "object_repr", "seq"]
    list_filter = ["channel", "action", "model"]
    search_fields = ["object_repr", "object_id"]
    date_hierarchy = "at"
    fields = ["seq", "at", "actor_username", "channel", "action", "model", "object_id",
              "object_repr", "what_changed", "mission", "confidential", "prev_hash", "hash"]
    readonly_fields = fields

    @admin.display(description=_("changes"))
    def what_changed(self, obj) -> str:
        return format_html("<pre>{}</pre>", json.dumps(obj.plain_changes, ensure_ascii=False,
                                                       indent=2, sort_keys=True))

    def get_queryset(self, request):
        return permissions.audit_entries_visible_to(request.user, services.current_mission())

    def has_module_permission(self, request) -> bool:
        return permissions.can_read_audit(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
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

    def audit_snapshot(self, obj) -> dict:
        values = super().audit_snapshot(obj)
        values.pop("digest", None)
        return values

admin_users.register(admin.site)


# Two-factor devices hold their secret: no admin page for them (an administrator could read or
# set a core-team member's secret). `eom reset_two_factor USERNAME` removes a lost one.
from django_otp.plugins.otp_totp import admin as _otp_totp_admin  # noqa: E402, F401  registers
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
