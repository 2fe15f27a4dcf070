"""The complaints and appeals register: each case filed with an election commission or a court,
who filed it and against whom, its subject, the deadline the law sets for the body, the decision
and its reasons, the appeals against it, its documents and the meetings and LTO reports that
mention it. The mission's subjects, deadline rules and holidays are kept beside the cases."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from eom.lto.models import Report
from eom.missions.fields import EncryptedTextField
from eom.missions.languages import localised
from eom.missions.models import Location, Meeting, Mission

from . import deadlines


class FilerKind(models.TextChoices):
    CANDIDATE = "candidate", _("candidate")
    PARTY = "party", _("political party")
    VOTER = "voter", _("voter")
    OBSERVER = "observer", _("observer")
    OTHER = "other", pgettext_lazy("kind of filer", "other")  # Russian: «другой» (заявитель)


class BodyKind(models.TextChoices):
    COMMISSION = "commission", _("election commission")
    COURT = "court", _("court")


class BodyLevel(models.TextChoices):
    """A commission's level; a court's is central (the Supreme Court), regional or district.
    The labels stand alone, beside the word "level" (in Russian they agree with «уровень»);
    a body with its level is named by `body_label`, where the adjective agrees with the body."""

    CENTRAL = "central", pgettext_lazy("level of an election body", "central")
    REGIONAL = "regional", pgettext_lazy("level of an election body", "regional or territorial")
    DISTRICT = "district", pgettext_lazy("level of an election body", "district")
    PRECINCT = "precinct", pgettext_lazy("level of an election body", "precinct")


# A body named with its level, as one phrase: the languages' adjectives agree with the noun
# (Russian «центральная избирательная комиссия», «районный суд»).
BODY_LABELS = {
    (BodyKind.COMMISSION, BodyLevel.CENTRAL): _("Central Election Commission"),
    (BodyKind.COMMISSION, BodyLevel.REGIONAL): _("regional or territorial election commission"),
    (BodyKind.COMMISSION, BodyLevel.DISTRICT): _("district election commission"),
    (BodyKind.COMMISSION, BodyLevel.PRECINCT): _("precinct election commission"),
    (BodyKind.COURT, BodyLevel.CENTRAL): _("Supreme Court"),
    (BodyKind.COURT, BodyLevel.REGIONAL): _("regional court"),
    (BodyKind.COURT, BodyLevel.DISTRICT): _("district court"),
}


def body_label(kind: str, level: str) -> str:
    """The body with its level in the reader's language ("district election commission")."""
    label = BODY_LABELS.get((kind, level))
    if label is not None:
        return str(label)
    return f"{BodyKind(kind).label}, {BodyLevel(level).label}"  # a court has no precinct level


class Decision(models.TextChoices):
    PENDING = "pending", _("pending")
    UPHELD = "upheld", _("upheld")
    PARTLY_UPHELD = "partly_upheld", _("partly upheld")
    REJECTED = "rejected", _("rejected")
    NOT_CONSIDERED = "not_considered", _("not considered or returned")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Counting(models.TextChoices):
    CALENDAR = deadlines.CALENDAR, _("calendar days")
    WORKING = deadlines.WORKING, _("working days")


class Subject(models.Model):
    """One of the mission's categories of complaints (candidate registration, campaign, …)."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE,
                                related_name="complaint_subjects", verbose_name=_("mission"))
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)  # English, and the fallback
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("complaint subject")
        verbose_name_plural = _("complaint subjects")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["mission", "code"],
                                               name="complaints_subject_unique")]

    def __str__(self) -> str:
        return localised(self, "name")


class DeadlineRule(models.Model):
    """How long a body has to decide: N calendar or working days from filing. A rule for a
    level applies before one for every level (level left empty); a rule with an election period
    (`period_starts`–`period_ends`) applies to cases filed within it, before one without.
    `source` names the article of the law; `assumption` marks a figure the mission could not
    verify (shown as its assumption, never as the law)."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE,
                                related_name="complaint_rules", verbose_name=_("mission"))
    body_kind = models.CharField(_("body"), max_length=12, choices=BodyKind.choices)
    body_level = models.CharField(_("level"), max_length=10, choices=BodyLevel.choices,
                                  blank=True, help_text=_("Empty: every level."))
    days = models.PositiveSmallIntegerField(_("days"), help_text=_("0: on the day of filing."))
    counting = models.CharField(_("days counted as"), max_length=10, choices=Counting.choices,
                                default=Counting.CALENDAR)
    moves_off_weekends = models.BooleanField(
        _("moves off weekends"), default=True,
        help_text=_("A deadline in calendar days that falls on a weekend or holiday moves to "
                    "the next working day."))
    period_starts = models.DateField(_("election period from"), null=True, blank=True)
    period_ends = models.DateField(_("election period to"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    assumption = models.BooleanField(
        _("mission's assumption"), default=False,
        help_text=_("The mission could not verify this figure in the law."))

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["body_kind", "body_level", "pk"]

    def __str__(self) -> str:
        return f"{self.get_body_kind_display()} {self.body_level or '*'}: {self.days} " \
               f"{self.get_counting_display()}"

    def applies_on(self, filed) -> bool:
        if self.period_starts and filed < self.period_starts:
            return False
        return not (self.period_ends and filed > self.period_ends)


class Holiday(models.Model):
    """A public holiday: not a working day when deadlines are counted."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE,
                                related_name="complaint_holidays", verbose_name=_("mission"))
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["mission", "date"],
                                               name="complaints_holiday_unique")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class Case(models.Model):
    """A complaint, or an appeal against the decision on another case (`appeal_of`)."""

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="complaints",
                                verbose_name=_("mission"))
    reference = models.CharField(_("reference"), max_length=100, blank=True,
                                 help_text=_("The body's registration number."))
    filer_kind = models.CharField(_("filed by"), max_length=12, choices=FilerKind.choices)
    filer_name = models.CharField(_("filer's name"), max_length=300)
    against = models.CharField(_("against"), max_length=500, blank=True,
                               help_text=_("Whom or what the complaint is against."))
    body_kind = models.CharField(_("body"), max_length=12, choices=BodyKind.choices)
    body_level = models.CharField(_("level"), max_length=10, choices=BodyLevel.choices)
    body_location = models.ForeignKey(
        Location, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("body's location"))
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="cases", verbose_name=_("subject"))
    summary = models.TextField(_("summary"), blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    filed = models.DateField(_("filed"))
    decided = models.DateField(_("decided"), null=True, blank=True)
    deadline = models.DateField(_("legal deadline"), null=True, blank=True,
                                help_text=_("From the mission's deadline rules."))
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices,
                                default=Decision.PENDING)
    reasons = models.TextField(_("reasons"), blank=True)
    published = models.BooleanField(_("decision published"), default=False)
    appeal_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="appeals", verbose_name=_("appeal of"))
    meetings = models.ManyToManyField(Meeting, blank=True, related_name="complaints",
                                      verbose_name=_("meetings"))
    lto_reports = models.ManyToManyField(Report, blank=True, related_name="complaints",
                                         verbose_name=_("LTO reports"))
    synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Generated for the demo, not a real case."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("complaint or appeal")
        verbose_name_plural = _("complaints and appeals")
        ordering = ["-filed", "-pk"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.reference}".strip()

    @property
    def is_appeal(self) -> bool:
        return self.appeal_of_id is not None

    @property
    def body_label(self) -> str:
        return body_label(self.body_kind, self.body_level)

    @property
    def within_deadline(self) -> bool | None:
        return deadlines.within(self.decided, self.deadline)

    @property
    def days_to_decision(self) -> int | None:
        return (self.decided - self.filed).days if self.decided else None


class ConfidentialNote(models.Model):
    """The core team's note on a case: sealed in the database, read by the core team only."""

    audit_confidential = True

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="note",
                                verbose_name=_("case"))
    text = EncryptedTextField(_("text"))

    class Meta:
        verbose_name = _("confidential note")
        verbose_name_plural = _("confidential notes")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Document(models.Model):
    """A file attached to a case (the complaint, the decision, …): stored under MEDIA_ROOT with
    the uploads' private mode, at most EOM_MAX_COMPLAINT_DOCUMENT_BYTES, always downloaded."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents",
                             verbose_name=_("case"))
    file = models.FileField(_("file"), upload_to="complaints/%Y/%m/")
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name
