"""The mission's reports: interim reports, the statement of preliminary findings and
conclusions, the final report with recommendations.

A report has sections under the headings observation missions use (`Heading`), each drafted by
its author in English, Russian and Kazakh, reviewed, versioned (`SectionVersion`, one per save)
and commented on (`Comment`). A section's text embeds figures by reference, `[[figure:KEY]]`
(eom.publications.figures): while the report is a draft the text shows each figure's current
value; publishing freezes them (`FrozenFigure`: the value, the fingerprint of the rows it was
computed from, the code version and any seed), and `eom reports verify NAME` recomputes them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from eom.missions.models import Mission

LANGUAGES = ("en", "ru", "kk")


class Kind(models.TextChoices):
    INTERIM = "interim", _("interim report")
    PRELIMINARY = "preliminary", _("statement of preliminary findings and conclusions")
    FINAL = "final", _("final report")


class State(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


class Heading(models.TextChoices):
    """The usual headings of an observation mission's report, in their usual order."""

    EXECUTIVE_SUMMARY = "executive_summary", _("Executive summary")
    BACKGROUND = "background", _("Background")
    LEGAL_FRAMEWORK = "legal_framework", _("Legal framework and electoral system")
    ELECTION_ADMINISTRATION = "election_administration", _("Election administration")
    REGISTRATION = "registration", _("Voter and candidate registration")
    CAMPAIGN = "campaign", _("Election campaign")
    CAMPAIGN_FINANCE = "campaign_finance", _("Campaign finance")
    MEDIA = "media", _("Media")
    COMPLAINTS = "complaints", _("Complaints and appeals")
    OBSERVERS = "observers", _("Citizen and international observers")
    ELECTION_DAY = "election_day", _("Election day")
    OPENING = "opening", _("Opening")
    VOTING = "voting", _("Voting")
    COUNTING = "counting", _("Counting")
    TABULATION = "tabulation", _("Tabulation")
    RESULTS = "results", _("Announcement of results")
    POST_ELECTION = "post_election", _("Post-election developments")
    RECOMMENDATIONS = "recommendations", _("Recommendations")


# Headings printed one level down, under "Election day".
SUBHEADINGS = {Heading.OPENING, Heading.VOTING, Heading.COUNTING, Heading.TABULATION}


class Review(models.TextChoices):
    DRAFTING = "drafting", _("drafting")
    IN_REVIEW = "in_review", _("in review")
    APPROVED = "approved", _("approved")


class Translation(models.TextChoices):
    """The state of a section's Russian or Kazakh text against its English one."""

    MISSING = "missing", pgettext_lazy("translation", "missing")
    IN_PROGRESS = "in_progress", pgettext_lazy("translation", "in progress")
    DONE = "done", pgettext_lazy("translation", "done")
    OUTDATED = "outdated", pgettext_lazy("translation", "outdated")


class Report(models.Model):
    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="+")
    name = models.SlugField(_("name"), max_length=80,
                            help_text=_("Short name for the command line, e.g. "
                                        "preliminary-statement."))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                      null=True, blank=True, related_name="+")
    code_version = models.CharField(_("code version"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    synthetic = models.BooleanField(_("synthetic"), default=False)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["mission", "name"],
                                               name="publication_name_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def published(self) -> bool:
        return self.state == State.PUBLISHED


class Section(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    heading = models.CharField(_("heading"), max_length=30, choices=Heading.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("text (English)"), blank=True)
    text_ru = models.TextField(_("text (Russian)"), blank=True)
    text_kk = models.TextField(_("text (Kazakh)"), blank=True)
    translation_ru = models.CharField(_("Russian translation"), max_length=12,
                                      choices=Translation.choices, default=Translation.MISSING)
    translation_kk = models.CharField(_("Kazakh translation"), max_length=12,
                                      choices=Translation.choices, default=Translation.MISSING)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                               null=True, blank=True, related_name="+",
                               verbose_name=_("author"))
    review = models.CharField(_("review"), max_length=10, choices=Review.choices,
                              default=Review.DRAFTING)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["report", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["report", "heading"],
                                               name="publication_section_unique")]

    def __str__(self) -> str:
        return f"{self.report.name}: {self.heading}"

    def text_in(self, language: str) -> str:
        """The text in `language`; English where that one is empty."""
        if language in ("ru", "kk"):
            return getattr(self, f"text_{language}") or self.text
        return self.text

    @property
    def is_subheading(self) -> bool:
        return self.heading in SUBHEADINGS


class SectionVersion(models.Model):
    """A section's texts as one save left them."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(blank=True)
    text_ru = models.TextField(blank=True)
    text_kk = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["section", "-number"]
        constraints = [models.UniqueConstraint(fields=["section", "number"],
                                               name="publication_version_unique")]

    def __str__(self) -> str:
        return f"{self.section} v{self.number}"


class Comment(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+")
    text = models.TextField(_("comment"))
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["section", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.section}: comment {self.pk}"


class FrozenFigure(models.Model):
    """A figure as the report was published with it."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="figures")
    key = models.CharField(_("figure"), max_length=120)
    value = models.JSONField(_("value"))
    fingerprint = models.CharField(_("fingerprint of its inputs"), max_length=64)
    n_inputs = models.PositiveIntegerField(_("rows read"), default=0)
    input_models = models.JSONField(default=list)
    query = models.TextField(_("computed from"), blank=True)
    code_version = models.CharField(_("code version"), max_length=100, blank=True)
    seed = models.BigIntegerField(_("seed"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        ordering = ["report", "key"]
        constraints = [models.UniqueConstraint(fields=["report", "key"],
                                               name="publication_figure_unique")]

    def __str__(self) -> str:
        return f"{self.report.name}: {self.key}"
