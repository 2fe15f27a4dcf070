"""The mission's reports in the admin, read-only: reports, sections, versions and frozen figures
are written on the report pages and by `eom reports`, whose services check the texts and the
figures, keep the versions and write the audit entries. Shown to whoever reads them on the pages
(`reports_visible_to`): drafts only to the core team, analysts and administrators."""

from django.contrib import admin
from django.utils.translation import pgettext_lazy

from eom.missions import services as mission_services
from eom.missions.admin import ViewOnlyAdmin, ViewOnlyInline

from . import permissions
from .models import FrozenFigure, Report, Section


class ReportsAdmin(ViewOnlyAdmin):
    def _mission(self):
        return mission_services.current_mission()

    def has_module_permission(self, request) -> bool:
        mission = self._mission()
        return (super().has_module_permission(request) and mission is not None
                and permissions.can_read_reports(request.user, mission))

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def reports(self, request):
        mission = self._mission()
        if mission is None:
            return Report.objects.none()
        return permissions.reports_visible_to(request.user, mission)


class SectionInline(ViewOnlyInline):
    model = Section
    fields = ["order", "heading", "author", "review", "translation_ru", "translation_kk"]
    readonly_fields = fields


class FrozenFigureInline(ViewOnlyInline):
    model = FrozenFigure
    verbose_name = pgettext_lazy("publications", "frozen figure")
    verbose_name_plural = pgettext_lazy("publications", "frozen figures")
    fields = ["key", "value", "fingerprint", "n_inputs", "code_version", "seed", "computed_at"]
    readonly_fields = fields


@admin.register(Report)
class ReportAdmin(ReportsAdmin):
    list_display = ["name", "title", "kind", "state", "published_at", "synthetic"]
    list_filter = ["kind", "state"]
    search_fields = ["name", "title"]
    fields = ["name", "kind", "title", "title_ru", "title_kk", "state", "published_at",
              "code_version", "synthetic"]
    inlines = [SectionInline, FrozenFigureInline]

    def get_queryset(self, request):
        return self.reports(request)


@admin.register(Section)
class SectionAdmin(ReportsAdmin):
    list_display = ["report_name", "heading", "author", "review", "translation_ru",
                    "translation_kk"]
    list_filter = ["heading", "review"]
    list_select_related = ["report", "author"]
    fields = ["heading", "order", "text", "text_ru", "text_kk", "translation_ru",
              "translation_kk", "author", "review"]

    def get_queryset(self, request):
        return Section.objects.filter(report__in=self.reports(request))

    @admin.display(description=pgettext_lazy("publications", "Report"), ordering="report__name")
    def report_name(self, section: Section) -> str:
        return section.report.name
