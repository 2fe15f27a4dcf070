"""Many checklists in one call: the offline outbox, ODK briefcases and bulk senders.

`ingest_submissions` gives each report exactly what `ingest_submission` would (the same checks,
messages, QA flags, idempotency by UUID and audit), with the per-report database work done once
per batch: one query for the stored UUIDs, one for the forms, one for the locations, one for the
sender's deployments, then the new records, their flags and their audit entries inserted in
bulk in one transaction.

Each report is answered on its own (its index in the batch, its UUID, a status as the single
endpoint gives it: 201 stored now, 200 stored before, 403, 409, 422 with errors per question).
A refused report changes nothing. With `all_or_nothing`, one refused report keeps the whole
batch out (the others answer 424, "not stored because another report was refused").
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_module
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from eom.missions import audit, bulk
from eom.missions.models import Location, Mission
from eom.missions.permissions import person_of

from . import coding, hooks, permissions, services
from .answers import clean_answers, qa_flags
from .models import Form, FormVersion, QAFlag, Submission

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
    """Store many filled checklists; one Outcome per item, in order. Side effects: the new
    records with their QA flags and one audit entry each, in one transaction."""
    if len(items) > MAX_BATCH:
        raise services.SubmissionRejected({"submissions": [
            _("at most %(max)d reports in one batch, not %(n)d") % {
                "max": MAX_BATCH, "n": len(items)}]})
    outcomes: list[Outcome | None] = [None] * len(items)
    keys: dict[int, uuid_module.UUID] = {}
    first_of: dict[uuid_module.UUID, int] = {}
    for index, item in enumerate(items):
        try:
            key = services._parse_uuid(item.uuid)
        except services.SubmissionRejected as refused:
            outcomes[index] = Outcome(index, str(item.uuid), refused.status, errors=refused.errors)
            continue
        keys[index] = key
        first_of.setdefault(key, index)
    stored = _stored(actor, mission, set(first_of))
    versions = _versions(mission, {items[i].form_id for i in first_of.values()})
    locations = _locations(mission, {items[i].location_code for i in first_of.values()})
    rights = permissions.SubmitRights(actor, mission)
    new: list[_New] = []
    for key, index in first_of.items():
        if key in stored:
            outcomes[index] = stored[key](index)
            continue
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


def _stored(actor, mission: Mission, keys: set) -> dict:
    """{uuid: a function index -> Outcome} for the UUIDs stored before (200, or 409 when the
    record belongs to what the sender may not see)."""
    # The usual case, new reports only, costs one narrow query.
    found = _stored_keys(keys)
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


def _checked(actor, channel, mission, data, key, versions, locations, rights):
    """The unsaved record and its QA flags, after the same checks as ingest_submission; else
    SubmissionRejected with the same messages."""
    version = _version_for(versions, data)
    location = locations.get(data.location_code)
    if version is None or location is None:
        services._reject_unresolved(mission, data, FormVersion.objects.defer(
            "definition", "source").select_related("form"), location)
    observed_at = services.observed_at_of(mission, data)
    decision = rights.decide(location, version.form.stage, observed_at)
    if not decision.allowed:
        raise services.SubmissionRejected(decision.errors, decision.status)
    definition = services.definition_of(version)
    checked = clean_answers(definition, data.answers, location=location, now=observed_at)
    services._check_attachments(definition, data, checked.errors)
    if data.attachments:
        checked.errors.setdefault("attachments", []).append(
            _("send reports with photos one at a time"))
    if checked.errors:
        raise services.SubmissionRejected(checked.errors)
    raised = qa_flags(definition, checked.answers, location)
    submission = Submission(
        uuid=key, mission=mission, form=version.form, form_version=version,
        observer=person_of(actor), team=decision.team, location=location,
        observed_at=observed_at.astimezone(dt.UTC), channel=channel,
        answers=checked.answers, n_flags=len(raised),
        choice_codes=coding.encode(services.layout_of(version), checked.answers),
    )
    return submission, raised


def _insert(actor, channel, mission, new: list[_New], items) -> None:
    """The new records, their flags and audit entries in one transaction. When another request
    stored one of these UUIDs meanwhile, each report goes through the single path instead
    (which answers a replay for that one)."""
    try:
        with transaction.atomic():
            bulk.insert_many(Submission, [n.submission for n in new])
            bulk.insert_many(QAFlag, [
                QAFlag(submission=n.submission, rule=f.rule, severity=f.severity,
                       message=f.message, expression=f.expression, values=f.values)
                for n in new for f in n.raised
            ], with_ids=False)
            audit.record_many(actor=actor, channel=channel, mission=mission, entries=(
                ("create", n.submission, {"answers": [None, n.submission.answers]}) for n in new
            ))
            hooks.reports_changed([n.submission for n in new])
    except IntegrityError:
        for n in new:
            try:
                submission, created = services.ingest_submission(
                    actor=actor, channel=channel, mission=mission,
                    data=items[n.outcome.index])
            except services.SubmissionRejected as refused:
                n.outcome.status, n.outcome.submission = refused.status, None
                n.outcome.errors = refused.errors
                continue
            n.outcome.status, n.outcome.submission = (201 if created else 200), submission
