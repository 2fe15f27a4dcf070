"""The one ingestion path: a report, or many in one call (the offline outbox, ODK briefcases,
bulk senders), is checked and stored here. A single report is a batch of one
(`services.ingest_submission` asks `ingest_submissions` with one item), so every channel gets
the same checks, messages, QA flags, idempotency by UUID, rights and audit from one checker
(`_checked`) and one submit rule (`permissions.SubmitRights`).

The database work is done once per call, whatever its size: one query for the stored UUIDs, one
for the forms, one for the locations, one for the sender's deployments, then the new records,
their photos, flags and audit entries written in bulk in one transaction.

Each report is answered on its own (its index in the batch, its UUID, a status as the single
endpoint gives it: 201 stored now, 200 stored before, 403, 409, 422 with errors per question).
A refused report changes nothing. With `all_or_nothing`, one refused report keeps the whole
batch out (the others answer 424, "not stored because another report was refused").
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_module
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from eom.missions import audit, bulk, validators
from eom.missions.models import Location, Mission
from eom.missions.permissions import person_of
from eom.xlsform import coding
from eom.xlsform.reader import FILE_TYPES

from . import hooks, permissions, photos, services
from .answers import clean_answers, instance_held, qa_flags, question_at
from .models import Attachment, Form, FormVersion, QAFlag, Submission

MAX_BATCH = settings.EOM_MAX_BATCH_REPORTS  # read at start-up: the API's schema states it
NOT_STORED = 424


@dataclass
class Outcome:
    index: int
    uuid: str
    status: int
    submission: Submission | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def stored(self) -> bool:
        return self.status in (200, 201)


@dataclass
class _New:
    outcome: Outcome
    submission: Submission
    raised: list


def ingest_submissions(
    *, actor, channel: str, mission: Mission, items: Sequence[services.SubmissionInput],
    all_or_nothing: bool = False,
) -> list[Outcome]:
    """Store filled checklists, one or many; one Outcome per item, in order. Side effects: the
    new records with their photos, QA flags and one audit entry each, in one transaction."""
    if len(items) > MAX_BATCH:
        raise services.SubmissionRejected({"submissions": [
            _("at most %(max)d reports in one batch, not %(n)d") % {
                "max": MAX_BATCH, "n": len(items)}]})
    outcomes: list[Outcome | None] = [None] * len(items)
    keys: dict[int, uuid_module.UUID] = {}
    first_of: dict[uuid_module.UUID, int] = {}
    for index, item in enumerate(items):
        try:
            key = _parse_uuid(item.uuid)
        except services.SubmissionRejected as refused:
            outcomes[index] = Outcome(index, str(item.uuid), refused.status, errors=refused.errors)
            continue
        keys[index] = key
        first_of.setdefault(key, index)
    lone = len(items) == 1 and len(first_of) == 1
    if lone:  # a report sent alone: its UUID, form and place asked in one statement
        found, versions, locations = _lone_reads(mission, next(iter(first_of)), items[0])
    else:
        found = _stored_keys(set(first_of))
    stored = _stored(actor, mission, found)
    for key, index in first_of.items():
        if key in stored:
            outcomes[index] = stored[key](index)
    fresh = {key: index for key, index in first_of.items() if key not in stored}
    new: list[_New] = []
    if fresh:  # a replay reads nothing more
        if not lone:
            versions = _versions(mission, {items[i].form_id for i in fresh.values()})
            locations = _locations(mission, {items[i].location_code for i in fresh.values()})
        rights = permissions.SubmitRights(actor, mission)
    for key, index in fresh.items():
        try:
            submission, raised = _checked(actor, channel, mission, items[index], key, versions,
                                          locations, rights)
        except services.SubmissionRejected as refused:
            outcomes[index] = Outcome(index, str(key), refused.status, errors=refused.errors)
            continue
        outcome = Outcome(index, str(key), 201, submission)
        outcomes[index] = outcome
        new.append(_New(outcome, submission, raised))
    refused = any(o is not None and not o.stored for o in outcomes)
    if all_or_nothing and refused:
        for item in new:
            item.outcome.status, item.outcome.submission = NOT_STORED, None
            item.outcome.errors = {"batch": [
                _("not stored: another report of the batch was refused")]}
        new = []
    if new:
        _insert(actor, channel, mission, new, items)
    for index, key in keys.items():  # a UUID repeated within the batch: as a replay
        if outcomes[index] is None:
            first = outcomes[first_of[key]]
            outcomes[index] = Outcome(index, str(key), 200 if first.stored else first.status,
                                      first.submission, first.errors)
    return outcomes


def _stored(actor, mission: Mission, found: set) -> dict:
    """{uuid: a function index -> Outcome} for the UUIDs `found` stored before (200, or 409
    when the record belongs to what the sender may not see)."""
    # The usual case, new reports only, costs nothing here.
    if not found:
        return {}
    answers = {}
    rows = (
        Submission.objects.filter(uuid__in=found)
        .select_related("form", "form_version", "location", "team", "observer")
        .defer("form_version__definition", "form_version__source")
    )
    for row in rows:
        if permissions.can_see_submission(actor, mission, row):
            answers[row.uuid] = lambda i, row=row: Outcome(i, str(row.uuid), 200, row)
        else:
            errors = {"uuid": [_("this id belongs to another record")]}
            answers[row.uuid] = lambda i, row=row, errors=errors: Outcome(
                i, str(row.uuid), 409, errors=errors)
    return answers


# The reads of every batch, written in SQL (bulk.select): Django compiling them took longer than
# checking a dozen reports. Each gives what the queryset in its docstring would.


def _stored_keys(keys: set) -> set:
    """set(Submission.objects.filter(uuid__in=keys).values_list("uuid", flat=True))"""
    if not keys:
        return set()
    field = Submission._meta.get_field("uuid")
    values = [field.get_db_prep_value(key, connection) for key in keys]
    table = connection.ops.quote_name(Submission._meta.db_table)
    return {row[0] for row in bulk.rows(
        f"SELECT uuid FROM {table} WHERE uuid IN ({bulk.marks(values)})", values, [field])}


_VERSION_FIELDS = ("id", "form", "version", "source_name", "uploaded_by", "uploaded_at")
_LOCATION_FIELDS = ("id", "mission", "level", "code", "path", "kind", "n_registered")


def _lone_reads(mission: Mission, key: uuid_module.UUID, data: services.SubmissionInput
                ) -> tuple[set, list[FormVersion], dict[str, Location]]:
    """What `_stored_keys({key})`, `_versions(mission, {data.form_id})` and
    `_locations(mission, {data.location_code})` give, in one statement: for a report sent
    alone, two round trips fewer. One row per version of the form (one with empty columns when
    there is none), each with the location and whether the UUID is stored."""
    quote = connection.ops.quote_name
    uuid_field = Submission._meta.get_field("uuid")
    version_fields = [FormVersion._meta.get_field(name) for name in _VERSION_FIELDS]
    form_fields = Form._meta.concrete_fields
    location_fields = [Location._meta.get_field(name) for name in _LOCATION_FIELDS]
    columns = ", ".join(
        [f"v.{quote(f.column)}" for f in version_fields] + [f"f.{quote(f.column)}" for f in form_fields]
        + [f"l.{quote(f.column)}" for f in location_fields])
    found = bulk.rows(
        f"SELECT (SELECT s.uuid FROM {quote(Submission._meta.db_table)} s WHERE s.uuid = %s),"
        f" {columns} FROM (SELECT 1 AS one) AS one"
        f" LEFT JOIN {quote(FormVersion._meta.db_table)} v ON v.form_id IN ("
        f"SELECT id FROM {quote(Form._meta.db_table)} WHERE mission_id = %s AND form_id = %s)"
        f" LEFT JOIN {quote(Form._meta.db_table)} f ON f.id = v.form_id"
        f" LEFT JOIN {quote(Location._meta.db_table)} l ON l.mission_id = %s AND l.code = %s",
        [uuid_field.get_db_prep_value(key, connection), mission.pk, data.form_id, mission.pk,
         data.location_code],
        [uuid_field, *version_fields, *form_fields, *location_fields])
    stored = {found[0][0]} - {None}
    n_version, n_form = len(version_fields), len(form_fields)
    versions, form = [], None
    for row in found:
        if row[1] is None:  # no version of that form
            continue
        version = FormVersion.from_db("default", [f.attname for f in version_fields],
                                      row[1:1 + n_version])
        form = form or Form.from_db("default", [f.attname for f in form_fields],
                                    row[1 + n_version:1 + n_version + n_form])
        version.form = form
        versions.append(version)
    place = found[0][1 + n_version + n_form:]
    locations = {}
    if place[0] is not None:
        location = Location.from_db("default", [f.attname for f in location_fields], place)
        locations[location.code] = location
    return stored, versions, locations


def _versions(mission: Mission, form_ids: set[str]) -> list[FormVersion]:
    """FormVersion.objects.defer("definition", "source").select_related("form")
    .filter(form__mission=mission, form__form_id__in=form_ids)"""
    form_ids = sorted(f for f in form_ids if f is not None)
    if not form_ids:
        return []
    version_fields = [FormVersion._meta.get_field(name) for name in (
        "id", "form", "version", "source_name", "uploaded_by", "uploaded_at")]
    form_fields = Form._meta.concrete_fields
    quote = connection.ops.quote_name
    columns = ([f"v.{quote(f.column)}" for f in version_fields]
               + [f"f.{quote(f.column)}" for f in form_fields])
    found = bulk.rows(
        f"SELECT {', '.join(columns)} FROM {quote(FormVersion._meta.db_table)} v"
        f" JOIN {quote(Form._meta.db_table)} f ON f.id = v.form_id"
        f" WHERE f.mission_id = %s AND f.form_id IN ({bulk.marks(form_ids)})",
        [mission.pk, *form_ids], [*version_fields, *form_fields])
    forms, versions, split = {}, [], len(version_fields)
    for row in found:
        version = FormVersion.from_db("default", [f.attname for f in version_fields], row[:split])
        form = forms.get(version.form_id)
        if form is None:
            form = forms[version.form_id] = Form.from_db(
                "default", [f.attname for f in form_fields], row[split:])
        version.form = form
        versions.append(version)
    return versions


def _locations(mission: Mission, codes: set[str]) -> dict[str, Location]:
    """{code: location} of Location.objects.filter(mission=mission, code__in=codes), with the
    fields that the checks, the rights and the record read."""
    codes = sorted(c for c in codes if c is not None)
    if not codes:
        return {}
    return {location.code: location for location in bulk.select(
        Location, ["id", "mission", "level", "code", "path", "kind", "n_registered"],
        f"WHERE t.mission_id = %s AND t.code IN ({bulk.marks(codes)})", [mission.pk, *codes])}


def _version_for(versions: list[FormVersion], data: services.SubmissionInput):
    for version in versions:
        if version.form.form_id != data.form_id:
            continue
        if (version.version == data.version if data.version
                else version.pk == version.form.current_version_id):
            return version
    return None


def _parse_uuid(value) -> uuid_module.UUID:
    try:
        return value if isinstance(value, uuid_module.UUID) else uuid_module.UUID(str(value))
    except ValueError:
        raise services.SubmissionRejected(
            {"uuid": [_("“%(value)s” is not a UUID") % {"value": str(value)[:40]}]}
        ) from None


def observed_at_of(mission: Mission, data: services.SubmissionInput) -> dt.datetime:
    """When the report says it was observed (aware; now when it does not say), else
    SubmissionRejected naming `observed_at`: not a date and time, outside the mission's
    observation period, or in the future (validators.observed_at_problem)."""
    try:
        moment = validators.parse_observed_at(data.observed_at)
    except ValueError as error:
        raise services.SubmissionRejected({"observed_at": [str(error)]}) from None
    now = timezone.now()
    problem = validators.observed_at_problem(mission, moment or now, now)
    if problem:
        raise services.SubmissionRejected({"observed_at": [problem]})
    return moment or now


def _checked(actor, channel, mission, data, key, versions, locations, rights):
    """The unsaved record and its QA flags, or SubmissionRejected: the form and place named, the
    moment observed, the submit rule, the answers and the photos, in that order (the first
    failing step answers)."""
    version = _version_for(versions, data)
    location = locations.get(data.location_code)
    if version is None or location is None:
        _reject_unresolved(mission, data, location)
    observed_at = observed_at_of(mission, data)
    decision = rights.decide(location, version.form.stage, observed_at)
    if not decision.allowed:
        raise services.SubmissionRejected(decision.errors, decision.status)
    definition = services.definition_of(version)
    checked = clean_answers(definition, data.answers, location=location, team=decision.team,
                            now=observed_at)
    _check_attachments(definition, data, checked.errors, checked.answers)
    if checked.errors:
        raise services.SubmissionRejected(checked.errors)
    raised = qa_flags(definition, checked.answers, location, decision.team)
    submission = Submission(
        uuid=key, mission=mission, form=version.form, form_version=version,
        observer=person_of(actor), team=decision.team, location=location,
        # in UTC, as the database gives it back
        observed_at=observed_at.astimezone(dt.UTC), channel=channel,
        answers=checked.answers, n_flags=len(raised),
        choice_codes=coding.encode(services.layout_of(version), checked.answers),
    )
    return submission, raised


def _reject_unresolved(mission: Mission, data: services.SubmissionInput,
                       location: Location | None) -> None:
    """SubmissionRejected naming each unknown one of the form, its version and the location."""
    versions = FormVersion.objects.defer("definition", "source").select_related("form")
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
        raise services.SubmissionRejected(errors or {
            "version": [_("form %(form)s has no version %(version)s") % {
                "form": data.form_id, "version": data.version or "—"}]
        })


def _check_attachments(definition: dict, data: services.SubmissionInput, errors: dict,
                       answers: dict) -> None:
    """Errors, by question, of the files sent with a report: each answers a question that
    takes a file (image, file, audio, video, audit), is at most EOM_MAX_PHOTO_BYTES, and for
    an image is a photo by its content (see `photos`); a report holds at most
    EOM_MAX_PHOTOS_PER_REPORT files. A file of a question inside a repeat is named by its
    instance (`visits[2]/photo`), which the report must hold (`answers`, as checked; when the
    answers were refused, as sent). The type and name the sender gave are ignored."""
    if not data.attachments:
        return
    held = data.answers if errors else answers
    max_bytes = settings.EOM_MAX_PHOTO_BYTES
    max_count = settings.EOM_MAX_PHOTOS_PER_REPORT
    max_path = Attachment._meta.get_field("question").max_length
    for number, (name, upload) in enumerate(data.attachments.items(), start=1):
        found = question_at(definition, name)
        if found is None or found[1]["type"] not in FILE_TYPES:
            errors.setdefault(name, []).append(_("this question takes no file"))
        elif len(name) > max_path:
            errors.setdefault(name, []).append(
                _("a file's question and instance are named in at most %(n)d characters") % {
                    "n": max_path})
        elif not instance_held(held, found[0]):
            errors.setdefault(name, []).append(_("the report has no such instance"))
        elif number > max_count:
            errors.setdefault(name, []).append(ngettext(
                "a report holds at most %(n)s photo; send this one with another report",
                "a report holds at most %(n)s photos; send this one with another report",
                max_count) % {"n": max_count})
        elif upload.size > max_bytes:
            errors.setdefault(name, []).append(
                _("the photo is larger than %(size)s") % {"size": filesizeformat(max_bytes)})
        elif found[1]["type"] == "image" and photos.kind_of_file(upload) is None:
            errors.setdefault(name, []).append(
                _("the file is not a JPEG, PNG, WebP or HEIC photo (by its content)"))


def _insert(actor, channel, mission, new: list[_New], items) -> None:
    """The new records, their photos, flags and audit entries in one transaction. When another
    request stored one of these UUIDs meanwhile, a lone new report is answered with the record
    stored (200, or 409), and several are each sent again as a batch of one."""
    try:
        if _inserted_alone(actor, channel, mission, new, items):
            return
        with _attachment_files() as written, transaction.atomic():
            bulk.insert_many(Submission, [n.submission for n in new])
            for n in new:
                _store_attachments(n.submission, items[n.outcome.index], written)
            bulk.insert_many(QAFlag, [
                QAFlag(submission=n.submission, rule=f.rule, severity=f.severity,
                       message=f.message, expression=f.expression, values=f.values)
                for n in new for f in n.raised
            ], with_ids=False)
            hooks.reports_changed([n.submission for n in new])
            # Last: the audit chain's head stays locked from here to the commit.
            audit.record_many(actor=actor, channel=channel, mission=mission, entries=(
                ("create", n.submission, {"answers": [None, n.submission.answers]}) for n in new
            ))
    except IntegrityError:
        if len(new) == 1:
            [n] = new
            stored = _stored(actor, mission, _stored_keys({n.submission.uuid})).get(
                n.submission.uuid)
            if stored is None:  # not a concurrent duplicate
                raise
            again = stored(n.outcome.index)
            n.outcome.status, n.outcome.submission, n.outcome.errors = (
                again.status, again.submission, again.errors)
            return
        for n in new:
            [again] = ingest_submissions(actor=actor, channel=channel, mission=mission,
                                         items=[items[n.outcome.index]])
            n.outcome.status, n.outcome.submission, n.outcome.errors = (
                again.status, again.submission, again.errors)


def _inserted_alone(actor, channel, mission, new: list[_New], items) -> bool:
    """On PostgreSQL, a lone new report without photos or QA flags, of which no consequence
    (`hooks.concerned`) needs to know: its record and its audit entry written by one statement,
    its own transaction (a savepoint inside another), the entry linked after it as usual.
    Stored as `_insert`'s transaction would store it; False, with nothing done, for any other
    report. Raises IntegrityError, with nothing written, when its UUID was stored meanwhile."""
    if len(new) != 1 or connection.vendor != "postgresql":
        return False
    [n] = new
    if n.raised or items[n.outcome.index].attachments or hooks.concerned([n.submission]):
        return False
    entry = audit.pending_entry(actor=actor, channel=channel, action="create", mission=mission,
                                obj=n.submission, changes={"answers": [None, n.submission.answers]})
    if entry is None:
        return False
    if connection.in_atomic_block:
        with transaction.atomic():
            bulk.insert_with_entry(n.submission, entry, refers="object_id")
    else:
        bulk.insert_with_entry(n.submission, entry, refers="object_id")
    audit.link_when_committed([entry], connection.alias)
    return True


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


def _store_attachments(submission: Submission, data: services.SubmissionInput,
                       written: list[str]) -> None:
    """Write the report's checked photos, named after the report and the question with the
    extension of their content, and their rows; the names written are added to `written`."""
    field_ = Attachment._meta.get_field("file")
    for name, upload in data.attachments.items():
        kind = photos.kind_of_file(upload)
        extension = photos.EXTENSIONS[kind] if kind is not None else "bin"
        kind = kind or "application/octet-stream"  # a recording, a file: served to download
        filename = get_valid_filename(f"{submission.uuid.hex[:8]}-{name[:40]}.{extension}")
        stored = field_.storage.save(field_.generate_filename(None, filename), upload,
                                     max_length=field_.max_length)
        written.append(stored)
        Attachment.objects.create(
            submission=submission, question=name, file=stored, content_type=kind,
            size=upload.size,
        )
