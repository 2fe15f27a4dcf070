"""The JSON API channel: reports in, as one or as a batch, and read back in the same format.

- `POST /api/submissions`: one filled checklist (`SubmissionIn`), idempotent by the client's
  UUID: the first call answers 201, any replay 200 with the stored record; errors answer 403,
  409 or 422 with `errors` per question or field (`RejectedOut`).
- `POST /api/submissions/with-files`: one filled checklist with its photos and files
  (multipart: the report as JSON in the part `submission`, each file in a part named by its
  question, `photo`, or by its repeat instance, `visits[2]/photo`), answered as above.
- `POST /api/submissions/batch`: up to `batch.MAX_BATCH` of them in one call, each answered as
  above (`BatchOut`).
- `GET /api/submissions`, `GET /api/submissions/<uuid>`: the reports the caller may see, in the
  format a report is answered with (`SubmissionOut`). They are here because django-ninja
  answers a path from one router: a GET and a POST of `/submissions` cannot be in two.

Each report becomes a `services.SubmissionInput` and goes through `batch.ingest_submissions` (a
single one through `services.ingest_submission`, a batch of one).

There is no separate offline channel: the offline app (the outbox of the observer's phone,
`static/eom/outbox.js`) posts its queue here, to `/api/submissions/batch`, and so does the
checklist page when it sends through the outbox. Each says what it is in `X-Eom-Client`, so that
the report is recorded with the channel it came through (`CLIENT_CHANNELS`: "offline" or
"page"; "api" for any other client).

The operation ids of the OpenAPI schema are the ones these endpoints had before they moved here
from `eom.observation.api`, so that clients generated from the schema keep their names.
"""

import datetime as dt
import json
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Form, Query, Router, Schema, Status
from ninja.errors import ValidationError
from ninja.pagination import paginate
from pydantic import BaseModel
from pydantic import ValidationError as NotAReport

from eom.missions.access import mission_for
from eom.missions.api import Pagination
from eom.missions.models import Channel
from eom.missions.validators import bad_texts, printable_path

from .. import batch, permissions, services

router = Router(tags=["observation"])
# Bodies that are plain data (what a client sends, what the batch answers) are pydantic models:
# a ninja Schema also reads attributes off ORM objects, which costs time on every report.


class SubmissionIn(BaseModel):
    uuid: UUID = Field(description="Made by the client once per filled form; replays are safe.")
    form_id: str = Field(max_length=64, examples=["voting"])
    version: str | None = Field(None, max_length=64,
                                description="The form version; the current one if left out.")
    location: str = Field(max_length=64, description="Code of the polling station or commission.",
                          examples=["010001"])
    observed_at: dt.datetime | None = Field(
        None, description="Within the mission's observation period, not in the future.",
        examples=["2023-03-19T10:42:00+06:00"])
    answers: dict[str, Any] = Field(
        examples=[{"registered": 1177, "voted": 402, "secrecy": "yes", "assessment": "good"}]
    )


class FlagOut(Schema):
    rule: str
    severity: str
    message: dict[str, str]
    values: dict[str, Any]


class SubmissionOut(Schema):
    uuid: UUID
    form_id: str
    version: str
    location: str
    team: str | None
    observer: str | None
    observed_at: dt.datetime
    received_at: dt.datetime
    channel: str
    answers: dict[str, Any]
    flags: list[FlagOut]
    deleted: bool

    @staticmethod
    def resolve_form_id(obj) -> str:
        return obj.form.form_id

    @staticmethod
    def resolve_version(obj) -> str:
        return obj.form_version.version

    @staticmethod
    def resolve_location(obj) -> str:
        return obj.location.code

    @staticmethod
    def resolve_team(obj) -> str | None:
        return obj.team.code if obj.team else None

    @staticmethod
    def resolve_observer(obj) -> str | None:
        return obj.observer.code if obj.observer else None

    @staticmethod
    def resolve_flags(obj) -> list:
        # n_flags counts the stored flags: an unflagged record needs no query.
        return list(obj.flags.all()) if obj.n_flags else []

    @staticmethod
    def resolve_deleted(obj) -> bool:
        return obj.deleted_at is not None


class RejectedOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(
        examples=[{"voted": ["The number of voters cannot exceed the registered voters."]}]
    )


class SubmissionFilters(Schema):
    form_id: str | None = None
    location: str | None = Field(None, description="A location code: its whole subtree.")
    team: str | None = None
    received_since: dt.datetime | None = None
    flagged: bool | None = None


def _submissions(request, mission):
    return permissions.submissions_visible_to(request.auth, mission).select_related(
        "form", "form_version", "location", "team", "observer"
    ).prefetch_related("flags")


# What the observer's phone says it is (X-Eom-Client), so that each report is recorded with the
# channel it really came through: the checklist page sending a report as soon as Send is
# pressed, or the offline outbox sending one that waited on the phone.
CLIENT_CHANNELS = {"checklist-page": Channel.PAGE, "offline-app": Channel.OFFLINE}


def _channel(request: HttpRequest) -> str:
    return CLIENT_CHANNELS.get(request.headers.get("X-Eom-Client", ""), Channel.API)


@router.post("/submissions", response={200: SubmissionOut, 201: SubmissionOut,
                                       403: RejectedOut, 409: RejectedOut, 422: RejectedOut},
             operation_id="eom_observation_api_create_submission")
def create_submission(request: HttpRequest, payload: SubmissionIn, mission: str | None = None):
    """Store a filled checklist. 201 when stored now, 200 when that UUID was stored before."""
    the_mission = mission_for(request.auth, mission)
    data = services.SubmissionInput(
        uuid=payload.uuid, form_id=payload.form_id, version=payload.version,
        location_code=payload.location, observed_at=payload.observed_at, answers=payload.answers,
    )
    submission, created = services.ingest_submission(
        actor=request.auth, channel=_channel(request), mission=the_mission, data=data
    )
    # The record comes back as stored, with what the answer shows: no need to read it again.
    return Status(201 if created else 200, answer_of(submission))


def answer_of(submission) -> SubmissionOut:
    """The answer about a stored report, `SubmissionOut` built from the record with the values
    its resolvers give, without validating them again (ninja then only serialises it): the
    record is what was just checked and stored, or read back. The same JSON as
    `SubmissionOut.model_validate(submission)` (tests/observation/test_ingest_submission.py)."""
    flags = list(submission.flags.all()) if submission.n_flags else []
    return SubmissionOut.model_construct(
        uuid=submission.uuid, form_id=submission.form.form_id,
        version=submission.form_version.version, location=submission.location.code,
        team=submission.team.code if submission.team else None,
        observer=submission.observer.code if submission.observer else None,
        observed_at=submission.observed_at, received_at=submission.received_at,
        channel=str(submission.channel), answers=submission.answers,
        flags=[FlagOut.model_construct(rule=f.rule, severity=f.severity, message=f.message,
                                       values=f.values) for f in flags],
        deleted=submission.deleted_at is not None,
    )


@router.post("/submissions/with-files", response={
    200: SubmissionOut, 201: SubmissionOut, 403: RejectedOut, 409: RejectedOut, 422: RejectedOut},
    operation_id="eom_observation_api_create_submission_with_files")
def create_submission_with_files(
    request: HttpRequest,
    submission: str = Form(..., description=(
        "The report as JSON, as the body of POST /api/submissions. Each photo or file is a "
        "part of its own, named by its question (`photo`) or, inside a repeat, by its "
        "instance (`visits[2]/photo`; `visits[1]/rooms[3]/plan` in a repeat inside one).")),
    mission: str | None = None,
):
    """Store a filled checklist with its photos and files (multipart/form-data), as
    POST /api/submissions: 201 when stored now, 200 when that UUID was stored before."""
    the_mission = mission_for(request.auth, mission)
    payload = _report_part(submission)
    data = services.SubmissionInput(
        uuid=payload.uuid, form_id=payload.form_id, version=payload.version,
        location_code=payload.location, observed_at=payload.observed_at, answers=payload.answers,
        attachments={name: upload for name, upload in request.FILES.items()},
    )
    stored, created = services.ingest_submission(
        actor=request.auth, channel=_channel(request), mission=the_mission, data=data
    )
    return Status(201 if created else 200, stored)


def _report_part(text: str) -> SubmissionIn:
    """The `submission` part read as a report; SubmissionRejected (422) naming what is wrong."""
    try:
        decoded = json.loads(text)
    except (ValueError, RecursionError):
        raise services.SubmissionRejected({"submission": [_("this is not JSON")]}) from None
    errors: dict[str, list[str]] = {}
    for path, problem in bad_texts(decoded, ("submission",)):
        errors.setdefault(printable_path(path), []).append(problem)
    if errors:
        raise services.SubmissionRejected(errors)
    try:
        return SubmissionIn.model_validate(decoded)
    except NotAReport as error:
        for problem in error.errors():
            where = printable_path(("submission", *problem["loc"]))
            errors.setdefault(where, []).append(problem["msg"])
        raise services.SubmissionRejected(errors) from None


class BatchIn(BaseModel):
    submissions: list[SubmissionIn] = Field(
        max_length=batch.MAX_BATCH,
        description=f"Up to {batch.MAX_BATCH} reports, each as for POST /api/submissions.",
    )
    all_or_nothing: bool = Field(
        False, description="Store none of them when any is refused (those answer 424)."
    )


class BatchItemOut(BaseModel):
    index: int = Field(description="The report's place in the batch, from 0.")
    uuid: str
    status: int = Field(description="201 stored now, 200 stored before, 403, 409, 422, or 424 "
                        "(not stored because another report was refused, with all_or_nothing).")
    flags: int | None = Field(None, description="QA flags raised, when stored.")
    errors: dict[str, list[str]] = Field(default_factory=dict)


class BatchOut(BaseModel):
    stored: int = Field(description="Reports stored by this call.")
    replayed: int = Field(description="Reports that were stored before (replays).")
    refused: int
    results: list[BatchItemOut]


@router.post("/submissions/batch", response={200: BatchOut, 422: BatchOut},
             operation_id="eom_observation_api_create_submissions")
def create_submissions(request: HttpRequest, payload: BatchIn, mission: str | None = None):
    """Store many filled checklists in one call (the offline outbox sends its queue this way).
    Each report is checked and answered as by POST /api/submissions; a refused one changes
    nothing. 200 with one result per report; 422 when `all_or_nothing` kept the batch out."""
    the_mission = mission_for(request.auth, mission)
    items = [
        services.SubmissionInput(
            uuid=p.uuid, form_id=p.form_id, version=p.version, location_code=p.location,
            observed_at=p.observed_at, answers=p.answers,
        )
        for p in payload.submissions
    ]
    outcomes = batch.ingest_submissions(
        actor=request.auth, channel=_channel(request), mission=the_mission, items=items,
        all_or_nothing=payload.all_or_nothing,
    )
    results = [
        BatchItemOut(index=o.index, uuid=o.uuid, status=o.status, errors=o.errors,
                     flags=o.submission.n_flags if o.submission else None)
        for o in outcomes
    ]
    counts = {status: sum(o.status == status for o in outcomes) for status in (200, 201)}
    refused = len(outcomes) - counts[200] - counts[201]
    body = BatchOut(stored=counts[201], replayed=counts[200], refused=refused, results=results)
    return Status(422 if payload.all_or_nothing and refused else 200, body)


@router.get("/submissions/{uuid}", response=SubmissionOut,
            operation_id="eom_observation_api_get_submission")
def get_submission(request: HttpRequest, uuid: UUID, mission: str | None = None):
    return get_object_or_404(_submissions(request, mission_for(request.auth, mission)), uuid=uuid)


def _moment(value: dt.datetime, name: str) -> dt.datetime:
    """A time from the query in UTC (a naive one is in the mission's time zone); 422 naming the
    parameter when it cannot be (near the calendar's ends)."""
    try:
        aware = timezone.make_aware(value) if timezone.is_naive(value) else value
        return aware.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        raise ValidationError([{"type": "out_of_range", "loc": ["query", name],
                                "msg": _("this time is out of range")}]) from None


@router.get("/submissions", response=list[SubmissionOut],
            operation_id="eom_observation_api_list_submissions")
@paginate(Pagination, page_size=100)
def list_submissions(request: HttpRequest, filters: Query[SubmissionFilters],
                     mission: str | None = None):
    """Submissions the caller may see, latest observed first (deleted ones are left out)."""
    the_mission = mission_for(request.auth, mission)
    rows = _submissions(request, the_mission).filter(deleted_at__isnull=True)
    if filters.form_id:
        rows = rows.filter(form__form_id=filters.form_id)
    if filters.location:
        place = the_mission.locations.filter(code=filters.location).first()
        rows = rows.filter(location__path__startswith=place.path) if place else rows.none()
    if filters.team:
        rows = rows.filter(team__code=filters.team)
    if filters.received_since:
        rows = rows.filter(received_at__gte=_moment(filters.received_since, "received_since"))
    if filters.flagged is not None:
        rows = rows.filter(n_flags__gt=0) if filters.flagged else rows.filter(n_flags=0)
    return rows
