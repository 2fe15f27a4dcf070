"""Checklists: their forms, the reports received and the changes made to them afterwards.

Every channel (pages, API, SMS, ODK Collect, the offline app) builds a `SubmissionInput` and
calls `ingest_submission` (one report) or `batch.ingest_submissions` (many); the first is a
batch of one, so validation, QA flags, idempotency, permissions and audit live in one place
(`batch`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid as uuid_module
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eom.missions import audit, validators
from eom.missions.models import Location, Mission
from eom.xlsform import coding
from eom.xlsform.reader import (
    NOTE_NO_STAGE,
    NOTE_NO_VERSION,
    FormDefinition,
    note_message,
    read_xlsform,
)
from eom.xlsform.wording import Message, gettext_noop

from . import hooks, permissions, queries
from .answers import clean_answers, qa_flags
from .models import (
    ConflictResolution,
    Form,
    FormMediaFile,
    FormVersion,
    QAFlag,
    Stage,
    Submission,
    SubmissionRevision,
    localised,
)


class SubmissionRejected(Exception):
    """The submission is not stored. `errors` maps a field (or question) to its reasons."""

    def __init__(self, errors: dict[str, list[str]], status: int = 422) -> None:
        super().__init__("; ".join(f"{k}: {', '.join(v)}" for k, v in errors.items()))
        self.errors = errors
        self.status = status


@dataclass
class SubmissionInput:
    uuid: uuid_module.UUID | str
    form_id: str
    location_code: str
    answers: dict[str, Any]
    observed_at: dt.datetime | str | None = None  # ISO 8601 text is read by the ingestion
    version: str | None = None
    attachments: dict[str, UploadedFile] = field(default_factory=dict)


# --- forms --------------------------------------------------------------------------------


MAX_MEDIA_FILES = 20  # files attached to one form version
MAX_MEDIA_BYTES = 10 * 1024 * 1024  # in all


def _media_problem(media: dict[str, bytes]) -> str | None:
    if len(media) > MAX_MEDIA_FILES:
        return _("a form has at most %(n)d attached files") % {"n": MAX_MEDIA_FILES}
    if sum(len(data) for data in media.values()) > MAX_MEDIA_BYTES:
        return _("the attached files hold more than %(n)d MB") % {"n": MAX_MEDIA_BYTES // 2**20}
    for name in media:
        if not name or "/" in name or "\\" in name or len(name) > 200 or name.startswith("."):
            return _("“%(name)s” is not a plain file name") % {"name": name[:60]}
    return None


@transaction.atomic
def load_form(*, actor, channel: str, mission: Mission, source, filename: str,
              media: dict[str, bytes] | None = None, stage: str | None = None) -> FormVersion:
    """Read an XLSForm workbook and store it as the form's current version.

    `media` are the files the form reads, by name (the CSV of a select_one_from_file); they
    are stored with the version and served to ODK Collect with it. `stage` gives the form its
    stage when the workbook names none ("" or None: a general form). A workbook without a
    version gets the time of the upload (YYYYMMDDHHMMSS, UTC), as ODK Central gives one;
    loading the same workbook and files again then finds the version stored before.

    Raises XLSFormError (naming sheet, row, column) for a malformed workbook and ValueError
    when that version of the form is already loaded with other contents, or the stage or the
    files are refused. Loading the same workbook again changes nothing. Side effects: the new
    version's QA rules are run again over the form's stored submissions; audit entries.
    """
    if actor is not None and not permissions.can_manage_forms(actor, mission):
        raise PermissionDenied(_("You may not load forms."))
    data = source if isinstance(source, bytes) else source.read()
    media = dict(media or {})
    if (problem := _media_problem(media)) is not None:
        raise ValueError(problem)
    definition = read_xlsform(data, filename, settings.EOM_FORM_LIMITS, media=media).to_dict()
    if stage:
        if stage not in Stage.values:
            raise ValueError(_("stage “%(stage)s” is unknown; use one of %(stages)s") % {
                "stage": stage, "stages": ", ".join(Stage.values)})
        if definition["stage"] and definition["stage"] != stage:
            raise ValueError(_("the workbook's stage is %(stage)s, not %(given)s") % {
                "stage": definition["stage"], "given": stage})
        if not definition["stage"]:
            _note_instead(definition, NOTE_NO_STAGE, gettext_noop(
                "the settings give no stage; it is %(stage)s, as given when the form was "
                "loaded", stage=stage))
        definition["stage"] = stage
    media = {name: media[name] for name in definition.get("media", []) if name in media}
    if not definition["version"]:
        same = _same_upload(mission, definition["form_id"], data, media)
        if same is not None:
            return same
        stamp = timezone.now().strftime("%Y%m%d%H%M%S")
        taken = set(FormVersion.objects.filter(
            form__mission=mission, form__form_id=definition["form_id"],
            version__startswith=stamp).values_list("version", flat=True))
        definition["version"] = next(v for n in range(len(taken) + 1)
                                     if (v := stamp if n == 0 else f"{stamp}-{n + 1}") not in taken)
        _note_instead(definition, NOTE_NO_VERSION, gettext_noop(
            "the settings give no version; it is %(version)s, the time of the upload (UTC), as "
            "ODK Central gives one", version=definition["version"]))
    form, created = Form.objects.get_or_create(
        mission=mission,
        form_id=definition["form_id"],
        defaults={"title": definition["title"], "titles": definition.get("titles") or {},
                  "stage": definition["stage"]},
    )
    existing = form.versions.filter(version=definition["version"]).first()
    if existing is not None:
        if _contents(existing.definition) != _contents(definition):
            raise ValueError(
                _("version %(version)s of %(form)s is loaded already with other contents; "
                  "raise the version in the settings sheet") % {
                    "version": definition["version"], "form": form.form_id}
            )
        _place(actor, channel, mission, form, definition.get("order"),
               definition.get("titles") or {})
        return existing
    version = FormVersion.objects.create(
        form=form,
        version=definition["version"],
        definition=definition,
        source=data,
        source_name=filename,
        uploaded_by=actor,
    )
    FormMediaFile.objects.bulk_create(
        FormMediaFile(version=version, name=name, data=content,
                      md5=hashlib.md5(content, usedforsecurity=False).hexdigest())
        for name, content in sorted(media.items())
    )
    form.title, form.titles, form.stage, form.current_version = (
        definition["title"], definition.get("titles") or {}, definition["stage"], version,
    )
    form.order = definition.get("order") or form.order
    form.save()
    audit.record(
        actor=actor, channel=channel, action="create", obj=version, mission=mission,
        changes={"version": [None, version.version], "file": [None, filename],
                 **({"media": [None, sorted(media)]} if media else {})},
    )
    rerun_qa(form)
    return version


def _note_instead(definition: dict, old: str, note: Message) -> None:
    """Put `note` in place of the reader's note `old` (what the loader decided instead)."""
    notes = [str(n) for n in definition.get("notes", [])]
    messages = list(definition.get("note_messages", []))
    if old in notes:
        index = notes.index(old)
        notes[index] = str(note)
        if index < len(messages):
            messages[index] = note_message(note)
    else:
        notes.append(str(note))
        messages.append(note_message(note))
    definition["notes"], definition["note_messages"] = notes, messages


def _same_upload(mission: Mission, form_id: str, data: bytes, media: dict[str, bytes]
                 ) -> FormVersion | None:
    """The stored version of a workbook without a version that was uploaded before with the
    same bytes and the same files, if any."""
    for version in FormVersion.objects.filter(form__mission=mission, form__form_id=form_id,
                                              ).order_by("-uploaded_at")[:20]:
        if bytes(version.source) != data:
            continue
        stored = {f.name: bytes(f.data) for f in version.media_files.all()}
        if stored == media:
            return version
    return None


def _contents(definition: dict) -> dict:
    """A definition without the form's place in the list and its titles in other languages
    (`order`, `titles`: a workbook may change them without a new version), with the defaults of fields added since it was stored (e.g.
    `indicators`); one holding a key the reader no longer knows is compared as stored."""
    try:
        contents = FormDefinition.from_dict(definition).to_dict()
    except TypeError:
        contents = dict(definition)
    contents.pop("order", None)
    contents.pop("titles", None)
    return contents


def _place(actor, channel: str, mission: Mission, form: Form, order: int | None,
           titles: dict[str, str]) -> None:
    """Move the form to the place in the observer's list its workbook gives, and give it the
    workbook's titles in other languages (audited)."""
    changes = {}
    if order and order != form.order:
        changes["order"] = [form.order, order]
        form.order = order
    if titles and titles != form.titles:
        changes["titles"] = [form.titles, titles]
        form.titles = titles
    if changes:
        audit.record(actor=actor, channel=channel, action="update", obj=form, mission=mission,
                     changes=changes)
        form.save(update_fields=list(changes))


def rerun_qa(form: Form) -> int:
    """Run the current version's QA rules again over the form's submissions; returns how many
    submissions carry flags afterwards."""
    form.refresh_from_db(fields=["current_version"])
    definition = form.current_version.definition
    flagged = 0
    for submission in form.submissions.select_related("location", "team").iterator():
        flagged += bool(_write_flags(submission, definition))
    return flagged


def _write_flags(submission: Submission, definition: dict) -> int:
    raised = qa_flags(definition, submission.answers, submission.location, submission.team)
    submission.flags.all().delete()
    _create_flags(submission, raised)
    if submission.n_flags != len(raised):
        submission.n_flags = len(raised)
        Submission.objects.filter(pk=submission.pk).update(n_flags=len(raised))
    return len(raised)


def _create_flags(submission: Submission, raised: list) -> None:
    QAFlag.objects.bulk_create(
        QAFlag(submission=submission, rule=f.rule, severity=f.severity, message=f.message,
               expression=f.expression, values=f.values)
        for f in raised
    )


# --- ingestion ----------------------------------------------------------------------------


_DEFINITIONS: dict[tuple, dict] = {}


def definition_of(version: FormVersion) -> dict:
    """A version's definition, read once per process: a stored version never changes (the key
    holds its upload time too, so a database loaded anew never serves a stale one)."""
    key = (version.pk, version.uploaded_at)
    definition = _DEFINITIONS.get(key)
    if definition is None:
        definition = FormVersion.objects.values_list("definition", flat=True).get(pk=version.pk)
        if len(_DEFINITIONS) > 200:
            _DEFINITIONS.clear()
        _DEFINITIONS[key] = definition
    return definition


_LAYOUTS: dict[tuple, coding.Layout] = {}


def layout_of(version: FormVersion) -> coding.Layout:
    """The choice-code layout of a version's definition, worked out once per process."""
    key = (version.pk, version.uploaded_at)
    shape = _LAYOUTS.get(key)
    if shape is None:
        if len(_LAYOUTS) > 200:
            _LAYOUTS.clear()
        shape = _LAYOUTS[key] = coding.layout(definition_of(version))
    return shape


def ingest_submission(
    *, actor, channel: str, mission: Mission, data: SubmissionInput
) -> tuple[Submission, bool]:
    """Store a filled checklist once; returns (submission, created).

    A batch of one: `batch.ingest_submissions` checks and stores it. A replay of a stored UUID
    returns the stored record unchanged (created=False), also when duplicates arrive at the same
    moment. Raises SubmissionRejected with errors per field (status 422), or 403 when the actor
    may not report for that location, or 409 when the UUID belongs to a record the actor may
    not see. The record returned comes with its form, version, location, team and observer, as
    stored (no need to read it again). Side effects: QA flags, attachments, one audit entry.
    """
    from .batch import ingest_submissions  # batch uses this module's types and caches

    [outcome] = ingest_submissions(actor=actor, channel=channel, mission=mission, items=[data])
    if not outcome.stored:
        raise SubmissionRejected(outcome.errors, outcome.status)
    return outcome.submission, outcome.status == 201


# --- later changes ------------------------------------------------------------------------


def _check_texts(**fields: tuple[str, int]) -> None:
    """SubmissionRejected naming each field whose text (value, at most so many characters)
    cannot be stored."""
    errors = {name: [problem] for name, (value, max_chars) in fields.items()
              if (problem := validators.text_problem(value, max_chars=max_chars))}
    if errors:
        raise SubmissionRejected(errors)


@transaction.atomic
def edit_submission(
    *, actor, channel: str, submission: Submission, answers: dict[str, Any], reason: str = ""
) -> Submission:
    """Replace the answers after checking them like a new submission; keeps a revision with
    who, when, channel and what changed. Raises PermissionDenied or SubmissionRejected."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.is_deleted or not permissions.can_edit_submission(actor, submission):
        raise PermissionDenied(_("You may not edit this submission."))
    _check_texts(reason=(reason, 300))
    definition = submission.form_version.definition
    checked = clean_answers(definition, answers, location=submission.location,
                            team=submission.team, now=submission.observed_at)
    if checked.errors:
        raise SubmissionRejected(checked.errors)
    changes = audit.diff(submission.answers, checked.answers)
    if not changes:
        return submission
    number = submission.revisions.count() + 1
    SubmissionRevision.objects.create(
        submission=submission, number=number, actor=actor, channel=channel, changes=changes,
        reason=reason,
    )
    submission.answers = checked.answers
    submission.choice_codes = coding.encode(definition, checked.answers)
    submission.save(update_fields=["answers", "choice_codes", "updated_at"])
    _write_flags(submission, definition)
    hooks.reports_changed([submission])
    audit.record(actor=actor, channel=channel, action="update", obj=submission,
                 mission=submission.mission, changes=changes)
    return submission


@transaction.atomic
def delete_submission(*, actor, channel: str, submission: Submission, reason: str) -> None:
    """Soft delete: the record stays, marked with who, when and why; figures leave it out."""
    if not reason.strip():
        raise SubmissionRejected({"reason": [_("Say why the submission is deleted.")]})
    _check_texts(reason=(reason.strip(), 300))
    if not permissions.can_edit_submission(actor, submission):
        raise PermissionDenied(_("You may not delete this submission."))
    submission.deleted_at = timezone.now()
    submission.deleted_by = actor
    submission.delete_reason = reason.strip()
    submission.save(update_fields=["deleted_at", "deleted_by", "delete_reason", "updated_at"])
    hooks.reports_changed([submission])
    audit.record(actor=actor, channel=channel, action="delete", obj=submission,
                 mission=submission.mission, changes={"reason": [None, reason.strip()]})


def _question_label(form: Form, name: str) -> str:
    """The question's label in the reader's language (its name when the form has none)."""
    definition = form.current_version.definition if form.current_version else {}
    return next((localised(q.get("label"), name) for s in definition.get("sections", [])
                 for q in s["questions"] if q["name"] == name), name)


@transaction.atomic
def resolve_conflict(
    *, actor, channel: str, mission: Mission, location: Location, form: Form, question: str,
    chosen: Submission | None, note: str = "",
) -> ConflictResolution:
    """Record which of the disagreeing reports the mission keeps for a fact to reconcile (a
    question the workbook marks `reconcile`, such as a protocol figure). Raises
    PermissionDenied, or SubmissionRejected naming a field that cannot be stored: among them a
    question that is not a fact (an assessment), whose different answers are independent
    observations with nothing to resolve."""
    if not permissions.can_resolve_conflicts(actor, mission):
        raise PermissionDenied(_("You may not resolve conflicts."))
    _check_texts(question=(question, 64), note=(note, 500))
    if not queries.is_fact(form, question):
        raise SubmissionRejected({"question": [_(
            "“%(question)s” is not a fact to reconcile in %(form)s: each team's answer is an "
            "observation of its own visit, and no report is kept over another."
        ) % {"question": _question_label(form, question), "form": form.shown_title}]})
    if chosen is not None and (chosen.location_id != location.pk or chosen.form_id != form.pk):
        raise SubmissionRejected({"chosen": [_("that report is not one of the conflict's")]})
    resolution, _created = ConflictResolution.objects.update_or_create(
        location=location, form=form, question=question,
        defaults={"mission": mission, "chosen": chosen, "note": note, "resolved_by": actor},
    )
    audit.record(actor=actor, channel=channel, action="update", obj=resolution, mission=mission,
                 changes={"chosen": [None, str(chosen.uuid) if chosen else None]})
    return resolution
