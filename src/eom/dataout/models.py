"""What left the system: one record per download, file written by `eom export` or page of the
OData feed read, so that the audit trail says who took which table, with which filters."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eom.missions.models import Channel, Mission


class Export(models.Model):
    """One export: the table (`analysis/questions`, `submissions/wide`, `odata/Stations` …),
    the file format, the filters as given (the query string's pairs) and the rows written."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="+")
    table = models.CharField(_("table"), max_length=100)
    format = models.CharField(_("format"), max_length=10)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    n_rows = models.PositiveIntegerField(_("rows"), default=0)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+", verbose_name=_("who"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-at"]

    def __str__(self) -> str:
        # a number only: the audit trail's list shows it in every language (the table, the
        # format and the filters are in the entry's changes)
        return f"#{self.pk}"
