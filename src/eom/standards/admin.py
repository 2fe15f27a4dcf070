"""Commitments and recommendations in the admin, as reference data: administrators keep them,
the admin's other readers see them. Tags and assessments are not in the admin: a tag may name
a confidential meeting, and the pages show each reader the evidence it may see."""

from django.contrib import admin
from django.db import models

from eom.missions.admin import AuditedAdmin

from .models import Commitment, Recommendation

# Addresses typed without a scheme are taken as https (Django 6's default, asked for now).
URLS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Commitment)
class CommitmentAdmin(AuditedAdmin):
    formfield_overrides = URLS
    list_display = ["source", "reference", "title", "quoted", "mission"]
    list_filter = ["mission", "source", "quoted"]


@admin.register(Recommendation)
class RecommendationAdmin(AuditedAdmin):
    formfield_overrides = URLS
    list_display = ["report_year", "number", "report_name", "priority", "quoted", "synthetic",
                    "mission"]
    list_filter = ["mission", "quoted", "synthetic"]
