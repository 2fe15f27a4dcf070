"""The complaints register in the admin. Subjects, deadline rules and holidays: the register's
writers (the core team, administrators) manage them, its readers see them. Cases are shown
read-only to whoever reads them on the pages (`cases_visible_to`): they are recorded on the
register's pages, through the import and the API, where their deadlines are counted. A case's
confidential note, documents and links to meetings and LTO reports are not shown here: the
note is the core team's alone (an administrator must not read it), and the others are on the
case's page under the rules of their own records."""

from django.contrib import admin

from eom.missions import services as mission_services
from eom.missions.admin import AuditedAdmin, ViewOnlyAdmin

from . import permissions
from .models import Case, DeadlineRule, Holiday, Subject


class RegisterAdmin(AuditedAdmin):
    def has_module_permission(self, request) -> bool:
        return permissions.can_read_cases(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return permissions.can_read_cases(request.user)

    def has_add_permission(self, request) -> bool:
        return permissions.can_write_cases(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return permissions.can_write_cases(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return permissions.can_write_cases(request.user)


@admin.register(Subject)
class SubjectAdmin(RegisterAdmin):
    list_display = ["code", "name", "name_ru", "name_kk", "mission"]
    search_fields = ["code", "name", "name_ru", "name_kk"]


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(RegisterAdmin):
    list_display = ["body_kind", "body_level", "days", "counting", "moves_off_weekends",
                    "period_starts", "period_ends", "assumption", "mission"]
    list_filter = ["body_kind", "counting", "assumption"]


@admin.register(Holiday)
class HolidayAdmin(RegisterAdmin):
    list_display = ["date", "name", "mission"]


@admin.register(Case)
class CaseAdmin(ViewOnlyAdmin):
    list_display = ["reference", "filed", "body_kind", "body_level", "subject", "decision",
                    "deadline", "decided"]
    list_filter = ["decision", "body_kind", "body_level", "subject"]
    search_fields = ["reference", "filer_name", "against"]
    exclude = ["meetings", "lto_reports"]

    def has_module_permission(self, request) -> bool:
        return permissions.can_read_cases(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return permissions.can_read_cases(request.user)

    def get_queryset(self, request):
        mission = mission_services.current_mission()
        if mission is None:
            return Case.objects.none()
        return permissions.cases_visible_to(request.user, mission).select_related("subject")
