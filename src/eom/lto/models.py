"""Long-term observers' reports: reporting periods with their deadlines, the mission's report
template (short structured questions), and each LTO team's weekly and flash reports with their
narrative sections under fixed headings, confidential passages and the core team's review."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eom.missions.fields import EncryptedTextField
from eom.missions.models import Location, Mission, Team


class Heading(models.TextChoices):
    """The fixed headings of a report's narrative, in the order a report lists them."""

    ELECTION_ADMINISTRATION = "election_administration", _("election administration")
    CANDIDATE_REGISTRATION = "candidate_registration", _("candidate registration")
    CAMPAIGN_ENVIRONMENT = "campaign_environment", _("campaign environment")
    MEDIA = "media", _("media")
    COMPLAINTS = "complaints", _("complaints and appeals")
    OBSERVERS = "observers", _("citizen and international observers")
    SECURITY = "security", _("security")
    OTHER = "other", _("other")


class QuestionType(models.TextChoices):
    INTEGER = "integer", _("number")
    YES_NO = "yes_no", _("yes or no")
    TEXT = "text", _("short text")


class ReportTemplate(models.Model):
    """The short structured questions every weekly report of a mission answers (the narrative
    headings are fixed: `Heading`), in one of two ways:
    - `questions`, a list of {"name", "type", "label", "label_ru", "label_kk"}; `type` is one of
      `QuestionType`;
    - `form`, a general form of the mission (an XLSForm loaded without a stage): its current
      version's questions, answered with the checklists' widgets and checks (`lto.questions`).
    Not both."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="lto_templates",
                                verbose_name=_("mission"))
    name = models.CharField(_("name"), max_length=200)
    questions = models.JSONField(_("questions"), default=list, blank=True)
    form = models.ForeignKey(
        "observation.Form", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        limit_choices_to={"stage": ""}, verbose_name=_("form of structured questions"),
        help_text=_("A general form of the mission (an XLSForm loaded without a stage) whose "
                    "questions the report answers, instead of the questions above."))

    class Meta:
        verbose_name = _("LTO report template")
        verbose_name_plural = _("LTO report templates")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from .validators import template_form_problems, template_problems

        problems = template_problems(self.questions)
        if problems:
            raise ValidationError({"questions": problems})
        problems = template_form_problems(self)
        if problems:
            raise ValidationError({"form": problems})


class Period(models.Model):
    """One week (or any stretch) the LTO teams report on, and when their report is due. The
    deadline is a moment (stored in UTC, shown in the mission's time zone, TIME_ZONE)."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="lto_periods",
                                verbose_name=_("mission"))
    number = models.PositiveSmallIntegerField(_("number"))
    starts = models.DateField(_("from"))
    ends = models.DateField(_("to"))
    deadline = models.DateTimeField(_("deadline"))
    template = models.ForeignKey(ReportTemplate, on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="periods",
                                 verbose_name=_("report template"))

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["starts", "number"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "number"], name="lto_period_unique"),
        ]

    def __str__(self) -> str:
        return str(_("Week %(n)s") % {"n": self.number})

    def clean(self) -> None:
        if self.starts and self.ends and self.starts > self.ends:
            raise ValidationError({"ends": _("A period cannot end before it starts.")})
        if self.starts and self.deadline and timezone.localdate(self.deadline) < self.starts:
            raise ValidationError({"deadline": _("The deadline cannot fall before the period "
                                                 "starts.")})


class ReportKind(models.TextChoices):
    WEEKLY = "weekly", _("weekly report")
    FLASH = "flash", _("flash report")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    FOLLOW_UP = "follow_up", _("follow-up requested")
    ACCEPTED = "accepted", _("accepted")


class Report(models.Model):
    """A team's report on its region: weekly (one per team and period) or flash (urgent, one
    topic, any time). Its narrative is in `sections` (open) and `passages` (confidential)."""

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="lto_reports",
                                verbose_name=_("mission"))
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices,
                            default=ReportKind.WEEKLY)
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="reports",
                               verbose_name=_("period"))
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="lto_reports",
                             verbose_name=_("team"))
    region = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("region"))
    title = models.CharField(_("title"), max_length=200, blank=True,
                             help_text=_("A flash report's headline."))
    status = models.CharField(_("status"), max_length=12, choices=ReportStatus.choices,
                              default=ReportStatus.DRAFT)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    form_version = models.ForeignKey(
        "observation.FormVersion", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("version of the form answered"),
        help_text=_("The version of the template's form the answers were last checked "
                    "against (empty for a template with its own questions)."))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Generated for the demo, not a real report."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("written by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("LTO report")
        verbose_name_plural = _("LTO reports")
        ordering = ["-period__starts", "team__code", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["period", "team"], name="lto_weekly_unique",
                                    condition=models.Q(kind="weekly")),
        ]

    def __str__(self) -> str:
        # Neutral: no words of the report (pages that list records by name show it).
        return f"{self.team.code} · {self.period}"

    @property
    def lateness(self):
        """How long after the deadline the report was first submitted (a timedelta), None when
        on time or not submitted; flash reports have no deadline."""
        if self.kind != ReportKind.WEEKLY or self.first_submitted_at is None:
            return None
        late = self.first_submitted_at - self.period.deadline
        return late if late.total_seconds() > 0 else None

    @property
    def is_open_for_team(self) -> bool:
        return self.status in {ReportStatus.DRAFT, ReportStatus.FOLLOW_UP}


class Section(models.Model):
    """The open text a report gives under one heading; tags for the roll-up's filter.
    `search_text` holds the lower-cased words the roll-up searches (text, tags)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections",
                               verbose_name=_("report"))
    heading = models.CharField(_("heading"), max_length=32, choices=Heading.choices)
    text = models.TextField(_("text"), blank=True)
    tags = models.CharField(_("tags"), max_length=1100, blank=True,
                            help_text=_("Words separated by commas."))
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("report section")
        verbose_name_plural = _("report sections")
        ordering = ["report", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "heading"], name="lto_section_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.get_heading_display()}"

    @property
    def tag_list(self) -> list[str]:
        return [tag for tag in self.tags.split(",") if tag]


class ConfidentialPassage(models.Model):
    """A passage under one heading for the core team only (`permissions`): sealed in the
    database (`crypto`), its audit entries sealed too. The team that writes it may replace it
    while the report is in its hands, but does not read it back."""

    # Every passage is confidential: its audit entries are for the core team only.
    audit_confidential = True

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="passages",
                               verbose_name=_("report"))
    heading = models.CharField(_("heading"), max_length=32, choices=Heading.choices)
    text = EncryptedTextField(_("text"))

    class Meta:
        verbose_name = _("confidential passage")
        verbose_name_plural = _("confidential passages")
        ordering = ["report", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "heading"], name="lto_passage_unique"),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class ReviewNote(models.Model):
    """The core team's word on a report: a comment, a request for follow-up, an acceptance."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("comment")
        FOLLOW_UP = "follow_up", _("follow-up requested")
        ACCEPTED = "accepted", _("accepted")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="notes",
                               verbose_name=_("report"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("text"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("review note")
        verbose_name_plural = _("review notes")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report} · {self.get_kind_display()}"
