"""Reporting periods and report templates in the admin: administrators manage them, the admin's
other readers see them. Reports are not in the admin: they hold confidential passages, and the
pages already show each reader what it may read."""

from django.contrib import admin

from eom.missions.admin import AuditedAdmin

from .models import Period, ReportTemplate


@admin.register(ReportTemplate)
class ReportTemplateAdmin(AuditedAdmin):
    list_display = ["name", "mission"]


@admin.register(Period)
class PeriodAdmin(AuditedAdmin):
    list_display = ["number", "starts", "ends", "deadline", "template", "mission"]
    list_filter = ["mission"]
