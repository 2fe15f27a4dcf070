"""Protocols of the count (official, observer copy, territorial summary), the imports that
brought the official ones, and the totals the commission published at each level."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from eom.missions.models import Contest, Location, Mission

from .checks import LINES


class Source(models.TextChoices):
    OFFICIAL = "official", _("official")
    OBSERVER = "observer", _("observer copy")
    SUMMARY = "summary", _("territorial summary")


class ProtocolLines(models.Model):
    """The fixed lines of the Kazakh protocol (None when the protocol does not give one) and the
    votes per party or candidate code, integers only."""

    n_registered = models.PositiveBigIntegerField(_("registered voters"), null=True, blank=True)
    n_received = models.PositiveBigIntegerField(_("ballots received"), null=True, blank=True)
    n_issued = models.PositiveBigIntegerField(_("ballots issued"), null=True, blank=True)
    n_cancelled = models.PositiveBigIntegerField(_("ballots cancelled"), null=True, blank=True)
    n_in_boxes = models.PositiveBigIntegerField(
        _("ballots in the boxes"), null=True, blank=True
    )
    n_invalid = models.PositiveBigIntegerField(_("invalid ballots"), null=True, blank=True)
    n_valid = models.PositiveBigIntegerField(_("valid ballots"), null=True, blank=True)
    n_against_all = models.PositiveBigIntegerField(_("against all"), null=True, blank=True)
    votes = models.JSONField(_("votes"), default=dict, blank=True)

    class Meta:
        abstract = True

    def figures(self) -> dict:
        """{line: int or None, "votes": {code: int}}: what the checks read."""
        return {**{line: getattr(self, line) for line in LINES}, "votes": dict(self.votes)}


class ImportBatch(models.Model):
    """One import of official results: who, when, which file, with which mapping, and counts."""

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="+")
    contest = models.ForeignKey(
        Contest, on_delete=models.PROTECT, related_name="import_batches", verbose_name=_("contest")
    )
    file_name = models.CharField(_("file"), max_length=300)
    preset = models.CharField(_("preset"), max_length=32, blank=True)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("imported by"),
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    n_rows = models.PositiveIntegerField(_("rows"), default=0)
    n_created = models.PositiveIntegerField(_("protocols created"), default=0)
    n_updated = models.PositiveIntegerField(_("protocols updated"), default=0)
    n_unchanged = models.PositiveIntegerField(_("protocols unchanged"), default=0)
    n_locations_created = models.PositiveIntegerField(_("locations created"), default=0)
    n_parties_created = models.PositiveIntegerField(_("parties created"), default=0)
    synthetic = models.BooleanField(
        _("synthetic"), default=False,
        help_text=_("Generated for the demo, not the commission's figures."),
    )

    class Meta:
        verbose_name = _("import of official results")
        verbose_name_plural = _("imports of official results")
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.imported_at:%Y-%m-%d %H:%M})"


class Protocol(ProtocolLines):
    """One protocol of one contest at one location, from one source.

    Official and summary protocols are unique per contest and location; observer copies are one
    per counting submission (two teams may copy the same station's protocol). `failed` holds the
    names of the arithmetic checks the protocol fails, kept up to date on every write.
    """

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="+")
    contest = models.ForeignKey(
        Contest, on_delete=models.PROTECT, related_name="protocols", verbose_name=_("contest")
    )
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="protocols", verbose_name=_("location")
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    submission = models.ForeignKey(
        "observation.Submission", on_delete=models.RESTRICT, null=True, blank=True,
        related_name="+", verbose_name=_("observer's report"),
    )
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="protocols",
        verbose_name=_("import"),
    )
    imported_at = models.DateTimeField(_("received at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    failed = models.JSONField(_("failed checks"), default=list, blank=True)
    n_failed = models.PositiveSmallIntegerField(_("checks failed"), default=0)

    class Meta:
        verbose_name = _("protocol")
        verbose_name_plural = _("protocols")
        ordering = ["contest", "location__path", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "location", "source"],
                condition=Q(source__in=["official", "summary"]),
                name="protocol_unique_official",
            ),
            models.UniqueConstraint(
                fields=["contest", "submission"],
                condition=Q(submission__isnull=False),
                name="protocol_unique_submission",
            ),
        ]
        indexes = [
            models.Index(fields=["contest", "source", "n_failed"]),
            models.Index(fields=["mission", "source"]),
        ]

    def __str__(self) -> str:
        return f"{self.location.code} {self.get_source_display()}"


class PublishedTotal(ProtocolLines):
    """Totals the commission published for a contest at one level (country, region, district)."""

    contest = models.ForeignKey(
        Contest, on_delete=models.PROTECT, related_name="published_totals",
        verbose_name=_("contest"),
    )
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="+", verbose_name=_("location")
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("published total")
        verbose_name_plural = _("published totals")
        ordering = ["contest", "location__path"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "location"], name="published_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.contest} {self.location.code}"


class MonteCarloTrigger(models.TextChoices):
    IMPORT = "import", _("import of official results")
    DEMO = "demo", _("demo loader")
    REQUEST = "request", _("request of the core team")


class MonteCarloCheck(models.Model):
    """The Monte Carlo null of the integer-percentage test, computed once and stored: the pages
    show it and never draw it (thousands of simulated elections take seconds).

    What it was computed from: the contest's official protocols (`batch` None) or those one
    import wrote, with `leader` as the leader; `inputs_digest` fingerprints the four figures of
    every station used (registered, issued, counted, the leader's votes), so a page can tell
    whether the results have changed since (`eom.results.forensics.inputs_digest`). `n_draws`
    and `seed` are the parameters; `computed_at` is None while the draws run (one at a time per
    mission: a unique constraint).
    """

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="+")
    contest = models.ForeignKey(
        Contest, on_delete=models.CASCADE, related_name="+", verbose_name=_("contest")
    )
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("import"),
    )
    leader = models.CharField(_("leader"), max_length=64)
    n_draws = models.PositiveIntegerField(_("draws"))
    seed = models.PositiveBigIntegerField(_("seed"))
    inputs_digest = models.CharField(_("fingerprint of the results used"), max_length=64)
    n_protocols = models.PositiveIntegerField(_("official protocols"), default=0)
    n_stations = models.PositiveIntegerField(_("stations kept"), default=0)
    latest_batch = models.ForeignKey(
        ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("newest import"),
    )
    synthetic = models.BooleanField(_("synthetic"), default=False)
    trigger = models.CharField(_("occasion"), max_length=10, choices=MonteCarloTrigger.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("requested by"),
    )
    started_at = models.DateTimeField(_("started at"))
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    seconds = models.FloatField(_("seconds"), null=True, blank=True)
    observed = models.PositiveIntegerField(_("integer stations"), null=True, blank=True)
    null_mean = models.FloatField(_("Monte Carlo null mean"), null=True, blank=True)
    null_sd = models.FloatField(_("Monte Carlo null standard deviation"), null=True, blank=True)
    null_p999 = models.FloatField(_("Monte Carlo null 99.9th percentile"), null=True,
                                  blank=True)

    class Meta:
        verbose_name = _("Monte Carlo check")
        verbose_name_plural = _("Monte Carlo checks")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mission"], condition=Q(computed_at__isnull=True),
                name="monte_carlo_one_running_per_mission",
            ),
        ]
        indexes = [models.Index(fields=["contest", "leader", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.contest} {self.leader} {self.n_draws} draws"

    @property
    def excess(self) -> float | None:
        if self.observed is None or self.null_mean is None:
            return None
        return self.observed - self.null_mean
