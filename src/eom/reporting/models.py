"""The mission's random samples of polling stations (for a quick count and for findings that
generalise beyond the stations observed)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eom.missions.models import Location, LocationLevel, Mission, Team


class Sample(models.Model):
    """A reproducible stratified random sample of polling stations: the seed, the stratum level
    and the stations drawn; re-drawing with the same seed over the same stations gives the same
    sample."""

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="samples",
                                verbose_name=_("mission"))
    name = models.CharField(_("name"), max_length=100)
    seed = models.BigIntegerField(_("seed"))
    stratum_level = models.CharField(
        _("strata"), max_length=20, choices=LocationLevel.choices, default=LocationLevel.REGION
    )
    size = models.PositiveIntegerField(_("size"))
    population_size = models.PositiveIntegerField(_("polling stations in the population"))
    stratum_sizes = models.JSONField(_("polling stations per stratum"), default=dict)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("drawn by"),
    )
    drawn_at = models.DateTimeField(_("drawn at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sample")
        verbose_name_plural = _("samples")
        constraints = [
            models.UniqueConstraint(fields=["mission", "name"], name="sample_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class SampledStation(models.Model):
    """One polling station of a sample, its stratum (a location code at the sample's stratum
    level) and the team sent to it."""

    sample = models.ForeignKey(Sample, on_delete=models.RESTRICT, related_name="stations",
                               verbose_name=_("sample"))
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="+", verbose_name=_("polling station")
    )
    stratum = models.CharField(_("stratum"), max_length=64)
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("team"),
    )

    class Meta:
        verbose_name = _("sampled polling station")
        verbose_name_plural = _("sampled polling stations")
        constraints = [
            models.UniqueConstraint(fields=["sample", "location"], name="sampled_station_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.sample} – {self.location}"
