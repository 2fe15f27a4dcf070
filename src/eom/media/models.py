"""Media monitoring: the outlets a mission follows, its monitoring periods and topic list, and
the coded items: one stretch of coverage of one subject in one programme or section of one
outlet on one day, with its time (broadcast, in seconds) or space (print and online, in cm²),
tone, topic and language, and the monitor who coded it.

The coding unit is (outlet, date, programme or section, subject): `unit` holds it as a key.
A unit coded by a second monitor is a second coding (`second_coding`): it serves the
inter-coder reliability (`reliability`) and is left out of the figures, which count each unit
once, as its first coder coded it."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from eom.missions.languages import localised
from eom.missions.models import Candidate, Mission, Party


class OutletKind(models.TextChoices):
    TV = "tv", _("television")
    RADIO = "radio", _("radio")
    PRINT = "print", _("print")
    ONLINE = "online", _("online")


BROADCAST = {OutletKind.TV, OutletKind.RADIO}


class Ownership(models.TextChoices):
    STATE = "state", _("state-owned")
    PRIVATE = "private", _("private")


class Language(models.TextChoices):
    KAZAKH = "kk", _("Kazakh")
    RUSSIAN = "ru", _("Russian")
    BOTH = "kk+ru", _("Kazakh and Russian")
    OTHER = "other", _("other language")


class SubjectKind(models.TextChoices):
    PARTY = "party", _("party")
    CANDIDATE = "candidate", _("candidate")
    OFFICIAL = "official", _("official")
    OTHER = "other", _("other")


class Tone(models.TextChoices):
    POSITIVE = "positive", _("positive")
    NEUTRAL = "neutral", _("neutral")
    NEGATIVE = "negative", _("negative")


class Outlet(models.Model):
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="media_outlets",
                                verbose_name=_("mission"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=8, choices=OutletKind.choices)
    ownership = models.CharField(_("ownership"), max_length=8, choices=Ownership.choices)
    ownership_assumed = models.BooleanField(
        _("ownership assumed"), default=False,
        help_text=_("The ownership is the mission's assumption, not established."))
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)

    class Meta:
        verbose_name = _("media outlet")
        verbose_name_plural = _("media outlets")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "name"], name="media_outlet_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_broadcast(self) -> bool:
        return self.kind in BROADCAST


class MonitoringPeriod(models.Model):
    """A stretch of days the monitors code (the campaign, the silence period…). Once a mission
    has periods, every item falls in one."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE,
                                related_name="media_periods", verbose_name=_("mission"))
    name = models.CharField(_("name"), max_length=100)
    starts = models.DateField(_("from"))
    ends = models.DateField(_("to"))

    class Meta:
        verbose_name = _("monitoring period")
        verbose_name_plural = _("monitoring periods")
        ordering = ["starts"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "name"], name="media_period_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.starts and self.ends and self.starts > self.ends:
            raise ValidationError({"ends": _("A period cannot end before it starts.")})


class Topic(models.Model):
    """One entry of the mission's topic list (the monitors code each item's main topic)."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="media_topics",
                                verbose_name=_("mission"))
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)  # English, and the fallback
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("media topic")
        verbose_name_plural = _("media topics")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "code"], name="media_topic_unique"),
        ]

    def __str__(self) -> str:
        return localised(self, "name")


DEFAULT_ALPHA_THRESHOLD = Decimal("0.667")


class MediaSettings(models.Model):
    """The mission's choices for media monitoring: the lowest Krippendorff's alpha it accepts
    (0.667 is the usual minimum for tentative conclusions, 0.8 for reliable ones)."""

    mission = models.OneToOneField(Mission, on_delete=models.CASCADE,
                                   related_name="media_settings", verbose_name=_("mission"))
    alpha_threshold = models.DecimalField(
        _("reliability threshold"), max_digits=4, decimal_places=3,
        default=DEFAULT_ALPHA_THRESHOLD,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text=_("The lowest Krippendorff's alpha the mission accepts: 0.667 for tentative "
                    "conclusions, 0.8 for reliable ones."))

    class Meta:
        verbose_name = _("media monitoring settings")
        verbose_name_plural = _("media monitoring settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class Item(models.Model):
    """One coded item. `seconds` for television and radio, `cm2` for print and online: the
    other is empty. `subject_name` names an official or other subject (and is kept for parties
    and candidates as the sheet wrote them)."""

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="media_items",
                                verbose_name=_("mission"))
    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="items",
                               verbose_name=_("outlet"))
    period = models.ForeignKey(MonitoringPeriod, on_delete=models.PROTECT, null=True,
                               blank=True, related_name="items",
                               verbose_name=_("monitoring period"))
    date = models.DateField(_("date"))
    programme = models.CharField(_("programme or section"), max_length=200)
    seconds = models.PositiveIntegerField(_("time (seconds)"), null=True, blank=True)
    cm2 = models.PositiveIntegerField(_("space (cm²)"), null=True, blank=True)
    subject_kind = models.CharField(_("subject"), max_length=10, choices=SubjectKind.choices)
    party = models.ForeignKey(Party, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("party"))
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("candidate"))
    subject_name = models.CharField(_("subject name"), max_length=200, blank=True)
    tone = models.CharField(_("tone"), max_length=8, choices=Tone.choices)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="items", verbose_name=_("topic"))
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    coder = models.CharField(_("monitor"), max_length=100,
                             help_text=_("The monitor who coded the item (name or code)."))
    note = models.TextField(_("note"), blank=True)
    unit = models.CharField(_("coding unit"), max_length=600, editable=False)
    second_coding = models.BooleanField(
        _("second coding"), default=False, editable=False,
        help_text=_("Another monitor coded the same unit first: counted for reliability, not "
                    "in the figures."))
    synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Generated for the demo, not real coding."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("entered by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("coded media item")
        verbose_name_plural = _("coded media items")
        ordering = ["-date", "outlet__name", "programme", "pk"]
        indexes = [models.Index(fields=["mission", "unit"], name="media_item_unit")]
        constraints = [
            models.UniqueConstraint(fields=["mission", "unit", "coder"],
                                    name="media_item_unit_coder_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.outlet.name} · {self.date} · {self.programme}"

    @property
    def subject_key(self) -> str:
        return subject_key(self.subject_kind, self.party_id, self.candidate_id, self.subject_name)

    @property
    def volume(self) -> int:
        return self.seconds if self.seconds is not None else (self.cm2 or 0)


def subject_key(kind: str, party_id, candidate_id, name: str) -> str:
    """The subject as the unit key and the figures name it: `party:12`, `candidate:7`,
    `official:akim of almaty`, `other:…` (names folded: case and spaces do not count)."""
    if kind == SubjectKind.PARTY:
        return f"party:{party_id}"
    if kind == SubjectKind.CANDIDATE:
        return f"candidate:{candidate_id}"
    return f"{kind}:{' '.join(name.split()).casefold()}"


def unit_key(outlet_id: int, date, programme: str, subject: str) -> str:
    """The coding unit: outlet, date, programme or section (folded), subject."""
    return f"{outlet_id}|{date.isoformat()}|{' '.join(programme.split()).casefold()}|{subject}"
