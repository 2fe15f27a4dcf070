"""Checklists (XLSForm forms, versioned) and what observers send with them."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath
from urllib.parse import quote

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from eom.missions.fields import BulkJSONField, ShownDateTimeField
from eom.missions.models import Channel, Location, Mission, Person, Team

from . import photos


class Stage(models.TextChoices):
    OPENING = "opening", _("opening")
    VOTING = "voting", _("voting")
    COUNTING = "counting", _("counting")
    TABULATION = "tabulation", _("tabulation")
    INCIDENT = "incident", _("incident")


# A checklist's place in the observer's list when its workbook gives none: the order of the day.
STAGE_ORDER = {Stage.OPENING: 10, Stage.VOTING: 20, Stage.COUNTING: 30, Stage.TABULATION: 40,
               Stage.INCIDENT: 50, "": 60}


class Form(models.Model):
    """A checklist of the mission; its questions live in its versions."""

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="forms", verbose_name=_("mission")
    )
    form_id = models.SlugField(_("form id"), max_length=64)
    title = models.CharField(_("title"), max_length=200)
    titles = models.JSONField(
        _("titles"), default=dict, blank=True,
        help_text=_("The title in each language ({language code: title}), from the settings "
                    "columns form_title::Russian (ru) … of the workbook; title is the English."),
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, blank=True,
        help_text=_("The part of election day the checklist observes; empty for a general form "
                    "of the mission (an LTO questionnaire, a rally form, a media form)."),
    )
    current_version = models.ForeignKey(
        "FormVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current version"),
    )
    order = models.PositiveIntegerField(
        _("order"), default=0,
        help_text=_("The checklist's place in the observer's list (the order of the day): the "
                    "settings column order of its workbook, else its stage's place (opening "
                    "10, voting 20, counting 30, tabulation 40, incident 50, general forms "
                    "60)."),
    )

    class Meta:
        verbose_name = _("form")
        verbose_name_plural = _("forms")
        ordering = ["mission", "order", "form_id"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "form_id"], name="form_unique_id"),
        ]

    def __str__(self) -> str:
        return self.shown_title

    def save(self, *args, **kwargs) -> None:
        if not self.order:
            self.order = STAGE_ORDER.get(self.stage, 0)
        super().save(*args, **kwargs)

    @property
    def shown_title(self) -> str:
        """The title in the reader's language, else the English one."""
        return localised(self.titles, self.title) or self.title


class FormVersion(models.Model):
    """One uploaded workbook, read into a definition (sections, questions, QA rules)."""

    form = models.ForeignKey(
        Form, on_delete=models.CASCADE, related_name="versions", verbose_name=_("form")
    )
    version = models.CharField(_("version"), max_length=64)
    definition = models.JSONField(_("definition"))
    source = models.BinaryField(_("workbook"), editable=False)
    source_name = models.CharField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")
        ordering = ["form", "-uploaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["form", "version"], name="formversion_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.form.form_id} {self.version}"


class FormMediaFile(models.Model):
    """A file a form version reads (the CSV of a select_one_from_file), served to ODK Collect
    with the form (its manifest)."""

    version = models.ForeignKey(
        FormVersion, on_delete=models.CASCADE, related_name="media_files",
        verbose_name=_("form version"),
    )
    name = models.CharField(_("file name"), max_length=200)
    data = models.BinaryField(_("contents"))
    md5 = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("form media file")
        verbose_name_plural = _("form media files")
        constraints = [
            models.UniqueConstraint(fields=["version", "name"], name="formmedia_unique"),
        ]

    def __str__(self) -> str:
        return self.name


def localised(texts: dict[str, str] | None, default: str = "") -> str:
    """The reader's language from a {language: text} dict, else English, else any."""
    if not texts:
        return default
    language = (get_language() or "en")[:2]
    return texts.get(language) or texts.get("en") or next(iter(texts.values()), default)


class SubmissionQuerySet(models.QuerySet):
    def live(self):
        return self.filter(deleted_at__isnull=True)


class Submission(models.Model):
    """One filled checklist, as received. Idempotent by its client-generated `uuid`."""

    uuid = models.UUIDField(_("id"), unique=True, default=uuid.uuid4, editable=False)
    # Every report writes each index once: mission and team are led by the composite indexes
    # below, who deleted a report is never searched for.
    mission = models.ForeignKey(
        Mission, on_delete=models.PROTECT, related_name="submissions", db_index=False
    )
    form = models.ForeignKey(Form, on_delete=models.PROTECT, related_name="submissions")
    form_version = models.ForeignKey(
        FormVersion, on_delete=models.PROTECT, related_name="submissions"
    )
    observer = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="submissions",
        verbose_name=_("observer"),
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="submissions",
        verbose_name=_("team"), db_index=False,
    )
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("location")
    )
    observed_at = ShownDateTimeField(_("observed at"))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    answers = BulkJSONField(_("answers"), default=dict)
    # The choice answers as fixed-width codes of the version's layout (eom.xlsform.coding),
    # rebuilt whenever the answers change; analysis counts them in numpy.
    choice_codes = models.BinaryField(default=b"", editable=False)
    n_flags = models.PositiveIntegerField(_("QA flags"), default=0)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", db_index=False,
    )
    delete_reason = models.CharField(_("reason for deletion"), max_length=300, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-observed_at", "-pk"]
        indexes = [
            models.Index(fields=["mission", "form", "location"]),
            models.Index(fields=["team", "observed_at"]),
            models.Index(fields=["mission", "received_at"]),
            # Covers the analysis' pull of codes: read from the index, not from the wide rows.
            models.Index(fields=["mission", "form", "deleted_at", "form_version", "location",
                                 "choice_codes"], name="submission_codes_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.form.form_id} {self.location.code} {self.uuid}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class SubmissionRevision(models.Model):
    """A change to a stored submission: who, when, through which channel, what changed."""

    submission = models.ForeignKey(
        Submission, on_delete=models.RESTRICT, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("revision"))
    at = models.DateTimeField(_("when"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    changes = models.JSONField(_("changes"), default=dict)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["submission", "number"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="revision_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} r{self.number}"


class Attachment(models.Model):
    submission = models.ForeignKey(
        Submission, on_delete=models.RESTRICT, related_name="attachments"
    )
    question = models.CharField(_("question"), max_length=64)
    file = models.FileField(_("file"), upload_to="attachments/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.file.name

    def served_type(self, opened) -> str:
        """The media type to serve the open file with: the stored type when it is a photo type
        and the content agrees; application/octet-stream otherwise (files stored before eom
        checked the content of uploads)."""
        kind = photos.kind_of_file(opened)
        return kind if kind == self.content_type else "application/octet-stream"

    def content_disposition(self) -> str:
        """`attachment` with the file's name: a plain ASCII `filename` and the exact one as an
        RFC 5987 `filename*`."""
        name = PurePosixPath(self.file.name).name or "photo"
        plain = "".join(c if c.isascii() and c.isprintable() and c not in '"\\;' else "_"
                        for c in name)
        return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"


class Severity(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")


class QAFlag(models.Model):
    """A QA rule that a submission raised, with the values that raised it."""

    # (submission, rule) is unique: that index serves the submission's flags too.
    submission = models.ForeignKey(
        Submission, on_delete=models.RESTRICT, related_name="flags", db_index=False
    )
    rule = models.CharField(_("rule"), max_length=64)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    message = BulkJSONField(_("message"), default=dict)
    expression = models.CharField(_("expression"), max_length=2000)
    values = BulkJSONField(_("values"), default=dict)

    class Meta:
        verbose_name = _("QA flag")
        verbose_name_plural = _("QA flags")
        ordering = ["submission", "rule"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "rule"], name="qaflag_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.rule} ({self.severity})"

    @property
    def text(self) -> str:
        return localised(self.message, self.rule)


class ConflictResolution(models.Model):
    """A coordinator's decision on a key answer that two teams reported differently."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="+")
    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="+")
    question = models.CharField(_("question"), max_length=64)
    chosen = models.ForeignKey(
        Submission, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("submission kept"),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved at"), auto_now=True)

    class Meta:
        verbose_name = _("conflict resolution")
        verbose_name_plural = _("conflict resolutions")
        constraints = [
            models.UniqueConstraint(
                fields=["location", "form", "question"], name="conflict_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.location.code} {self.form.form_id} {self.question}"
from .sms_models import *  # noqa: E402,F401,F403
