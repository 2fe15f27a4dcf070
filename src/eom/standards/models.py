"""Findings against the standards: the commitments a mission assesses an election against
(OSCE Copenhagen Document 1990 paragraphs, ICCPR article 25, others the mission lists), the
evidence tagged with each (an LTO report's passage, a complaint, a meeting, an election-day
indicator), and the previous final report's recommendations with the mission's assessment of
each and the evidence for it.

The evidence is linked from here, never from the other apps' tables: a `Tag` names its record
by explicit nullable keys (an LTO report and a heading, a case, a meeting) or, for an
indicator, by the checklist's `form_id` and the indicator's name. Whoever reads a tag reads it
through the access helper of its kind (`permissions.tags_visible_to`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from eom.complaints.models import Case
from eom.lto.models import Heading, Report
from eom.missions.languages import DATA_LANGUAGES, localised, reader_language
from eom.missions.models import Meeting, Mission


class Commitment(models.Model):
    """One commitment or standard: a paragraph of a document, with its words (quoted when they
    are the document's own, with where they come from; else the mission's paraphrase).
    `quoted` speaks of the English text: a Russian or Kazakh text is the mission's translation
    and is never shown as the document's words."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="commitments",
                                verbose_name=_("mission"))
    source = models.CharField(_("source"), max_length=200,
                              help_text=_("The document, e.g. Copenhagen Document 1990."))
    reference = models.CharField(_("reference"), max_length=60,
                                 help_text=_("The paragraph or article, e.g. para 7.4."))
    title = models.CharField(_("short title"), max_length=200)  # English, and the fallback
    title_ru = models.CharField(_("short title (Russian)"), max_length=200, blank=True)
    title_kk = models.CharField(_("short title (Kazakh)"), max_length=200, blank=True)
    text = models.TextField(_("text"), blank=True)  # English, and the fallback
    text_ru = models.TextField(_("text (Russian)"), blank=True)
    text_kk = models.TextField(_("text (Kazakh)"), blank=True)
    quoted = models.BooleanField(
        _("quoted"), default=False,
        help_text=_("The text is the document's own words; otherwise a paraphrase."))
    source_url = models.URLField(_("source address"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["mission", "source", "reference"],
                                               name="standards_commitment_unique")]

    def __str__(self) -> str:
        return f"{self.source}, {self.reference}: {localised(self, 'title')}"

    @property
    def shows_translation(self) -> bool:
        """Whether the reader's language has its own text (then shown, as a translation:
        never as the document's words), rather than the English one."""
        language = reader_language()
        return language in DATA_LANGUAGES and bool(getattr(self, f"text_{language}"))


class Priority(models.TextChoices):
    PRIORITY = "priority", _("priority")
    OTHER = "other", _("other")


class Recommendation(models.Model):
    """A recommendation of a previous final report, as numbered there."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE,
                                related_name="recommendations", verbose_name=_("mission"))
    report_name = models.CharField(_("report"), max_length=300)
    report_year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"))
    text_ru = models.TextField(_("text (Russian)"), blank=True)
    text_kk = models.TextField(_("text (Kazakh)"), blank=True)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices,
                                blank=True)
    quoted = models.BooleanField(
        _("quoted"), default=False,
        help_text=_("The text is the report's own words; otherwise the mission's wording."))
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Written for the demo, not a real text."))

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["report_year", "report_name", "number"]
        constraints = [models.UniqueConstraint(fields=["mission", "report_name", "number"],
                                               name="standards_recommendation_unique")]

    def __str__(self) -> str:
        return f"{self.report_year} № {self.number}"

    @property
    def status(self) -> str:
        assessment = getattr(self, "assessment", None)
        return assessment.status if assessment else AssessmentStatus.NOT_ASSESSED


class AssessmentStatus(models.TextChoices):
    NOT_ASSESSED = "not_assessed", _("not yet assessed")
    IMPLEMENTED = "implemented", _("implemented")
    PARTLY = "partly", _("partly implemented")
    NOT_IMPLEMENTED = "not_implemented", _("not implemented")
    NO_LONGER_RELEVANT = "no_longer_relevant", _("no longer relevant")


class Assessment(models.Model):
    """The mission's assessment of a recommendation: one per recommendation, changed in place;
    its history is the audit trail."""

    recommendation = models.OneToOneField(Recommendation, on_delete=models.CASCADE,
                                          related_name="assessment",
                                          verbose_name=_("recommendation"))
    status = models.CharField(_("status"), max_length=20, choices=AssessmentStatus.choices,
                              default=AssessmentStatus.NOT_ASSESSED)
    evidence = models.TextField(_("evidence"), blank=True)  # English, and the fallback
    evidence_ru = models.TextField(_("evidence (Russian)"), blank=True)
    evidence_kk = models.TextField(_("evidence (Kazakh)"), blank=True)
    synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Written for the demo, not a real finding."))
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("assessed by"))
    assessed_at = models.DateTimeField(_("assessed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"{self.recommendation}: {self.get_status_display()}"


class EvidenceKind(models.TextChoices):
    LTO_SECTION = "lto_section", _("LTO report passage")
    COMPLAINT = "complaint", _("complaint or appeal")
    MEETING = "meeting", _("meeting")
    INDICATOR = "indicator", _("election-day indicator")


class Tag(models.Model):
    """One record given as evidence for a commitment or for a recommendation's assessment
    (exactly one of the two), with a short note. An LTO passage is named by its report and
    heading (a report's sections are rewritten whenever its team saves it)."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("mission"))
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="tags", verbose_name=_("commitment"))
    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, null=True,
                                       blank=True, related_name="tags",
                                       verbose_name=_("recommendation"))
    kind = models.CharField(_("kind"), max_length=12, choices=EvidenceKind.choices)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="+", verbose_name=_("LTO report"))
    heading = models.CharField(_("heading"), max_length=32, choices=Heading.choices,
                               blank=True)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="+", verbose_name=_("complaint or appeal"))
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="+", verbose_name=_("meeting"))
    form_id = models.CharField(_("checklist"), max_length=64, blank=True)
    indicator = models.CharField(_("indicator"), max_length=64, blank=True)
    note = models.CharField(_("note"), max_length=1000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("tagged by"))
    created_at = models.DateTimeField(_("tagged at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence tag")
        verbose_name_plural = _("evidence tags")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(commitment__isnull=False, recommendation__isnull=True)
                           | Q(commitment__isnull=True, recommendation__isnull=False)),
                name="standards_tag_one_target"),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"

    @property
    def audit_confidential(self) -> bool:
        """A tag on a confidential meeting is for the core team only, its audit entries too."""
        return self.meeting_id is not None and self.meeting.confidential
