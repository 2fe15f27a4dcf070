"""LTO reports in the admin. Reporting periods and report templates: administrators manage
them, the admin's other readers see them. Reports, with their sections and the core team's
review notes, are shown read-only to whoever reads them on the pages (`reports_visible_to`):
teams write them on the pages and through the API. Their confidential passages are never shown
here, to anyone: an administrator must not read them, and the core team reads them on the
report's page."""

from django.contrib import admin

from eom.missions import services as mission_services
from eom.missions.admin import AuditedAdmin, ViewOnlyAdmin, ViewOnlyInline
from eom.observation.models import Form

from . import permissions
from .models import Period, Report, ReportTemplate, ReviewNote, Section


@admin.register(ReportTemplate)
class ReportTemplateAdmin(AuditedAdmin):
    list_display = ["name", "form", "mission"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """The form of structured questions: a general form of the current mission."""
        if db_field.name == "form":
            kwargs["queryset"] = Form.objects.filter(
                mission=mission_services.current_mission(), stage="")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Period)
class PeriodAdmin(AuditedAdmin):
    list_display = ["number", "starts", "ends", "deadline", "template", "mission"]
    list_filter = ["mission"]


class SectionInline(ViewOnlyInline):
    model = Section
    fields = ["heading", "text", "tags"]


class ReviewNoteInline(ViewOnlyInline):
    model = ReviewNote
    fields = ["kind", "text", "author", "at"]


@admin.register(Report)
class ReportAdmin(ViewOnlyAdmin):
    list_display = ["team", "period", "kind", "region", "status", "first_submitted_at"]
    list_filter = ["status", "kind", "period"]
    fields = ["mission", "kind", "period", "team", "region", "title", "status", "answers",
              "form_version", "submitted_at", "first_submitted_at", "reviewed_at", "synthetic", "created_by",
              "created_at", "updated_at"]
    inlines = [SectionInline, ReviewNoteInline]

    def get_queryset(self, request):
        mission = mission_services.current_mission()
        if mission is None:
            return Report.objects.none()
        return permissions.reports_visible_to(request.user, mission).select_related(
            "team", "period", "region")
