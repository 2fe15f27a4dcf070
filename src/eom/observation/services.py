"""The one ingestion path for checklists, and the changes made to them afterwards.

Every channel (pages, API, SMS, ODK Collect, the offline app) builds a `SubmissionInput` and
calls `ingest_submission`. Validation, QA flags, idempotency, permissions and audit live here.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_module
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from eom.missions import audit, validators
from eom.missions.models import Location, Mission
from eom.missions.permissions import person_of

from . import coding, hooks, permissions, photos, queries
from .answers import clean_answers, qa_flags
from .models import (
    Attachment,
    ConflictResolution,
    Form,
    FormVersion,
    QAFlag,
    Submission,
    SubmissionRevision,
    localised,
)
from .xlsform import FormDefinition, read_xlsform


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


@transaction.atomic
def load_form(*, actor, channel: str, mission: Mission, source, filename: str) -> FormVersion:
    """Read an XLSForm workbook and store it as the form's current version.

    Raises XLSFormError (naming sheet, row, column) for a malformed workbook and ValueError
    when that version of the form is already loaded with other contents. Loading the same
    workbook again changes nothing. Side effects: the new version's QA rules are run again over
    the form's stored submissions; audit entries.
    """
    if actor is not None and not permissions.can_manage_forms(actor, mission):
        raise PermissionDenied(_("You may not load forms."))
    data = source if isinstance(source, bytes) else source.read()
    definition = read_xlsform(data, filename, settings.EOM_FORM_LIMITS).to_dict()
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
    form.title, form.titles, form.stage, form.current_version = (
        definition["title"], definition.get("titles") or {}, definition["stage"], version,
    )
    form.order = definition.get("order") or form.order
    form.save()
    audit.record(
        actor=actor, channel=channel, action="create", obj=version, mission=mission,
        changes={"version": [None, version.version], "file": [None, filename]},
    )
    rerun_qa(form)
    return version


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
    for submission in form.submissions.select_related("location").iterator():
        flagged += bool(_write_flags(submission, definition))
    return flagged


def _write_flags(submission: Submission, definition: dict) -> int:
    raised = qa_flags(definition, submission.answers, submission.location)
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


def observed_at_of(mission: Mission, data: SubmissionInput) -> dt.datetime:
    """When the report says it was observed (aware; now when it does not say), else
    SubmissionRejected naming `observed_at`: not a date and time, outside the mission's
    observation period, or in the future (validators.observed_at_problem)."""
    try:
        moment = validators.parse_observed_at(data.observed_at)
    except ValueError as error:
        raise SubmissionRejected({"observed_at": [str(error)]}) from None
    now = timezone.now()
    problem = validators.observed_at_problem(mission, moment or now, now)
    if problem:
        raise SubmissionRejected({"observed_at": [problem]})
    return moment or now


def _parse_uuid(value) -> uuid_module.UUID:
    try:
        return value if isinstance(value, uuid_module.UUID) else uuid_module.UUID(str(value))
    except ValueError:
        raise SubmissionRejected(
            {"uuid": [_("“%(value)s” is not a UUID") % {"value": str(value)[:40]}]}
        ) from None


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


def _one(rows):
    """The row a unique key selects, or None; unordered (models' default orderings join)."""
    return rows.order_by().first()


def _resolve(mission: Mission, data: SubmissionInput) -> tuple[FormVersion, Location]:
    """The form version and the location a submission names (their definition and workbook
    left out), else SubmissionRejected naming each unknown one."""
    versions = FormVersion.objects.defer("definition", "source").select_related("form")
    # The usual case in one query: the form and its named, or current, version.
    named = versions.filter(form__mission=mission, form__form_id=data.form_id)
    if data.version:
        version = _one(named.filter(version=data.version))
    else:
        version = _one(named.filter(form__current_version=F("pk")))
    location = _one(Location.objects.filter(mission=mission, code=data.location_code))
    if version is None or location is None:
        _reject_unresolved(mission, data, versions, location)
    return version, location


def _reject_unresolved(mission: Mission, data: SubmissionInput, versions, location) -> None:
    errors: dict[str, list[str]] = {}
    form = Form.objects.filter(mission=mission, form_id=data.form_id).first()
    version = None
    if form is None:
        errors["form_id"] = [_("unknown form “%(form)s”") % {"form": data.form_id}]
    elif data.version:
        version = versions.filter(form=form, version=data.version).first()
        if version is None:
            errors["version"] = [_("form %(form)s has no version %(version)s") % {
                "form": data.form_id, "version": data.version}]
    else:
        version = versions.filter(pk=form.current_version_id).first()
    if location is None:
        errors["location"] = [_("unknown location code “%(code)s”") % {"code": data.location_code}]
    if errors or version is None:
        raise SubmissionRejected(errors or {
            "version": [_("form %(form)s has no version %(version)s") % {
                "form": data.form_id, "version": data.version or "—"}]
        })


def ingest_submission(
    *, actor, channel: str, mission: Mission, data: SubmissionInput
) -> tuple[Submission, bool]:
    """Store a filled checklist once; returns (submission, created).

    A replay of a stored UUID returns the stored record unchanged (created=False), also when
    duplicates arrive at the same moment. Raises SubmissionRejected with errors per field
    (status 422), or 403 when the actor may not report for that location, or 409 when the UUID
    belongs to a record the actor may not see. The record returned comes with its form, version,
    location, team and observer, as stored (no need to read it again). Side effects: QA flags,
    attachments, one audit entry.
    """
    key = _parse_uuid(data.uuid)
    existing = _replay(actor, mission, key)
    if existing is not None:
        return existing, False
    version, location = _resolve(mission, data)
    observed_at = observed_at_of(mission, data)
    decision = permissions.submit_check(actor, mission, location, version.form.stage,
                                        observed_at)
    if not decision.allowed:
        raise SubmissionRejected(decision.errors, decision.status)
    definition = definition_of(version)
    checked = clean_answers(definition, data.answers, location=location, now=observed_at)
    _check_attachments(definition, data, checked.errors)
    if checked.errors:
        raise SubmissionRejected(checked.errors)
    raised = qa_flags(definition, checked.answers, location)
    try:
        with _attachment_files() as written, transaction.atomic():
            submission = Submission.objects.create(
                uuid=key, mission=mission, form=version.form, form_version=version,
                observer=person_of(actor), team=decision.team, location=location,
                # in UTC, as the database gives it back
                observed_at=observed_at.astimezone(dt.UTC), channel=channel,
                answers=checked.answers, n_flags=len(raised),
                choice_codes=coding.encode(layout_of(version), checked.answers),
            )
            _store_attachments(submission, data, written)
            _create_flags(submission, raised)
            hooks.reports_changed([submission])
            audit.record(
                actor=actor, channel=channel, action="create", obj=submission, mission=mission,
                changes={"answers": [None, checked.answers]},
            )
    except IntegrityError:
        # The same UUID was stored by a concurrent request: answer with that record.
        existing = _replay(actor, mission, key)
        if existing is None:
            raise
        return existing, False
    return submission, True


def _replay(actor, mission: Mission, key: uuid_module.UUID) -> Submission | None:
    """The record stored under that UUID (with what the API shows of it), else None."""
    pk = _one(Submission.objects.filter(uuid=key).values_list("pk", flat=True))
    if pk is None:  # the usual case: a new report, found out by the cheapest query
        return None
    stored = (
        Submission.objects.select_related("form", "form_version", "location", "team", "observer")
        .defer("form_version__definition", "form_version__source")
        .get(pk=pk)
    )
    if not permissions.can_see_submission(actor, mission, stored):
        raise SubmissionRejected({"uuid": [_("this id belongs to another record")]}, 409)
    return stored


def _check_attachments(definition: dict, data: SubmissionInput, errors: dict) -> None:
    """Errors, by question, of the files sent with a report: each answers an image question,
    is at most EOM_MAX_PHOTO_BYTES and is a photo by its content (see `photos`); a report holds
    at most EOM_MAX_PHOTOS_PER_REPORT files. The type and name the sender gave are ignored."""
    images = {
        q["name"] for s in definition["sections"] for q in s["questions"] if q["type"] == "image"
    }
    max_bytes = settings.EOM_MAX_PHOTO_BYTES
    max_count = settings.EOM_MAX_PHOTOS_PER_REPORT
    for number, (name, upload) in enumerate(data.attachments.items(), start=1):
        if name not in images:
            errors.setdefault(name, []).append(_("this question takes no file"))
        elif number > max_count:
            errors.setdefault(name, []).append(ngettext(
                "a report holds at most %(n)s photo; send this one with another report",
                "a report holds at most %(n)s photos; send this one with another report",
                max_count) % {"n": max_count})
        elif upload.size > max_bytes:
            errors.setdefault(name, []).append(
                _("the photo is larger than %(size)s") % {"size": filesizeformat(max_bytes)})
        elif photos.kind_of_file(upload) is None:
            errors.setdefault(name, []).append(
                _("the file is not a JPEG, PNG, WebP or HEIC photo (by its content)"))


@contextmanager
def _attachment_files() -> Iterator[list[str]]:
    """A list to note the names of the files written to storage in the block; they are deleted
    when the block raises (the transaction that referred to them is rolled back)."""
    written: list[str] = []
    try:
        yield written
    except BaseException:
        storage = Attachment._meta.get_field("file").storage
        for name in written:
            storage.delete(name)
        raise


def _store_attachments(submission: Submission, data: SubmissionInput, written: list[str]) -> None:
    """Write the report's checked photos, named after the report and the question with the
    extension of their content, and their rows; the names written are added to `written`."""
    field_ = Attachment._meta.get_field("file")
    for name, upload in data.attachments.items():
        kind = photos.kind_of_file(upload)
        filename = get_valid_filename(
            f"{submission.uuid.hex[:8]}-{name[:40]}.{photos.EXTENSIONS[kind]}")
        stored = field_.storage.save(field_.generate_filename(None, filename), upload,
                                     max_length=field_.max_length)
        written.append(stored)
        Attachment.objects.create(
            submission=submission, question=name, file=stored, content_type=kind,
            size=upload.size,
        )


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
                            now=submission.observed_at)
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
