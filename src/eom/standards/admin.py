"""Commitments and recommendations in the admin, as reference data: administrators keep them,
the admin's other readers see them. Tags and assessments are not in the admin: a tag may name
a confidential meeting, and the pages show each reader the evidence it may see."""

from django.contrib import admin

from eom.missions.admin import AuditedAdmin

from .models import Commitment, Recommendation


@admin.register(Commitment)
class CommitmentAdmin(AuditedAdmin):
    list_display = ["source", "reference", "title", "quoted", "mission"]
    list_filter = ["mission", "source", "quoted"]


@admin.register(Recommendation)
class RecommendationAdmin(AuditedAdmin):
    list_display = ["report_year", "number", "report_name", "priority", "quoted", "synthetic",
                    "mission"]
    list_filter = ["mission", "quoted", "synthetic"]
