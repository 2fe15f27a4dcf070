"""LTO reports in the admin. Reporting periods and report templates: administrators manage
them, the admin's other readers see them. Reports, with their sections and the core team's
review notes, are shown read-only to whoever reads them on the pages (`reports_visible_to`):
teams write them on the pages and through the API. Their confidential passages are never shown
here, to anyone: an administrator must not read them, and the core team reads them on the
report's page."""

from django.contrib import admin

from eom.missions import services as mission_services
from eom.missions.admin import AuditedAdmin, ViewOnlyAdmin, ViewOnlyInline

from . import permissions
from .models import Period, Report, ReportTemplate, ReviewNote, Section


@admin.register(ReportTemplate)
class ReportTemplateAdmin(AuditedAdmin):
    list_display = ["name", "mission"]


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
              "submitted_at", "first_submitted_at", "reviewed_at", "synthetic", "created_by",
              "created_at", "updated_at"]
    inlines = [SectionInline, ReviewNoteInline]

    def get_queryset(self, request):
        mission = mission_services.current_mission()
        if mission is None:
            return Report.objects.none()
        return permissions.reports_visible_to(request.user, mission).select_related(
            "team", "period", "region")
