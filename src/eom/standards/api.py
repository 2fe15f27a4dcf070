"""The commitments and recommendations part of the JSON API: the commitments with their
evidence, tagging, the recommendations with their assessments and the counts by status.

Every endpoint works in one mission (`?mission=CODE`, else the current one) and asks
`permissions`: a caller who does not read them gets 403, a reader who writes 403, a record it
may not see 404. Input that does not fit answers 422 naming the field (`body.payload.reference`).
Evidence is what the caller may see of it, each kind through its own access helper.
"""

from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status
from ninja.errors import ValidationError

from eom.missions.access import mission_for
from eom.missions.api import ERRORS, MissionCode
from eom.missions.models import Mission
from eom.missions.validators import MAX_ID, body_error

from . import permissions, services
from .models import AssessmentStatus, Commitment, Recommendation
from .schemas import (
    AssessmentIn,
    CommitmentIn,
    CommitmentOut,
    EvidenceOut,
    RecommendationFiguresOut,
    RecommendationIn,
    RecommendationOut,
    TagIn,
    TagOut,
)

router = Router(tags=["standards"])
RecordId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _mission(request: HttpRequest, code: str | None, *, write: bool = False) -> Mission:
    mission = mission_for(request.auth, code)
    if not permissions.can_read_standards(request.auth, mission):
        raise PermissionDenied(_("You do not read the commitments and recommendations."))
    if write and not permissions.can_write_standards(request.auth, mission):
        raise PermissionDenied(_("Only the core team writes commitments, evidence and "
                                 "assessments."))
    return mission


def _rejected(refused: services.Rejected) -> ValidationError:
    return ValidationError([body_error(name, reason) for name, reason in refused.errors.items()])


def _evidence(groups) -> list[EvidenceOut]:
    return [EvidenceOut(**vars(item)) for group in groups for item in group.items]


def _commitment_out(rolled) -> CommitmentOut:
    c = rolled.target
    return CommitmentOut(id=c.pk, source=c.source, reference=c.reference, title=c.title,
                         title_ru=c.title_ru, title_kk=c.title_kk, text=c.text, text_ru=c.text_ru,
                         text_kk=c.text_kk, quoted=c.quoted,
                         source_url=c.source_url, evidence=_evidence(rolled.groups))


def _recommendation_out(request: HttpRequest, r: Recommendation) -> RecommendationOut:
    a = getattr(r, "assessment", None)
    assessment = None if a is None else {
        "status": a.status, "evidence": a.evidence, "evidence_ru": a.evidence_ru,
        "evidence_kk": a.evidence_kk, "synthetic": a.synthetic,
        "assessed_by": a.assessed_by.get_username() if a.assessed_by else None,
        "assessed_at": a.assessed_at}
    return RecommendationOut(
        id=r.pk, report_name=r.report_name, report_year=r.report_year, number=r.number,
        text=r.text, text_ru=r.text_ru, text_kk=r.text_kk, priority=r.priority,
        quoted=r.quoted, source_url=r.source_url, synthetic=r.synthetic, status=r.status,
        assessment=assessment,
        evidence=_evidence(services.recommendation_evidence(request.auth, r)))


@router.get("/standards/commitments", response={200: list[CommitmentOut], **ERRORS})
def list_commitments(request: HttpRequest, source: Annotated[str | None, Query(
        max_length=200)] = None, mission: MissionCode = None):
    """The mission's commitments, each with the evidence the caller may see."""
    the_mission = _mission(request, mission)
    chosen = permissions.commitments_visible_to(request.auth, the_mission)
    if source:
        chosen = chosen.filter(source=source)
    return [_commitment_out(r) for r in services.rollup(request.auth, the_mission, chosen)]


@router.get("/standards/commitments/{commitment_id}", response={200: CommitmentOut, **ERRORS})
def get_commitment(request: HttpRequest, commitment_id: RecordId, mission: MissionCode = None):
    the_mission = _mission(request, mission)
    chosen = permissions.commitments_visible_to(request.auth, the_mission)
    get_object_or_404(chosen, pk=commitment_id)
    return _commitment_out(services.rollup(request.auth, the_mission,
                                           chosen.filter(pk=commitment_id))[0])


@router.post("/standards/commitments", response={201: CommitmentOut, **ERRORS})
def create_commitment(request: HttpRequest, payload: CommitmentIn, mission: MissionCode = None):
    """List a commitment (the core team; else 403)."""
    the_mission = _mission(request, mission, write=True)
    try:
        made = services.create_commitment(actor=request.auth, channel="api",
                                          mission=the_mission,
                                          data=services.CommitmentData(**payload.dict()))
    except services.Rejected as refused:
        raise _rejected(refused) from None
    rolled = services.rollup(request.auth, the_mission,
                             Commitment.objects.filter(pk=made.pk))[0]
    return Status(201, _commitment_out(rolled))


@router.post("/standards/tags", response={201: TagOut, **ERRORS})
def create_tag(request: HttpRequest, payload: TagIn, mission: MissionCode = None):
    """Give a record as evidence for a commitment or a recommendation (the core team)."""
    the_mission = _mission(request, mission, write=True)
    commitment = recommendation = None
    if payload.commitment is not None:
        commitment = permissions.commitments_visible_to(request.auth, the_mission).filter(
            pk=payload.commitment).first()
        if commitment is None:
            raise ValidationError([body_error("commitment", _("No commitment with this id."),
                                              payload.commitment)])
    if payload.recommendation is not None:
        recommendation = permissions.recommendations_visible_to(
            request.auth, the_mission).filter(pk=payload.recommendation).first()
        if recommendation is None:
            raise ValidationError([body_error("recommendation",
                                              _("No recommendation with this id."),
                                              payload.recommendation)])
    try:
        made = services.tag(actor=request.auth, channel="api", mission=the_mission,
                            kind=payload.kind, reference=payload.reference, note=payload.note,
                            commitment=commitment, recommendation=recommendation)
    except services.Rejected as refused:
        raise _rejected(refused) from None
    return Status(201, made)


@router.get("/standards/recommendations", response={200: list[RecommendationOut], **ERRORS})
def list_recommendations(request: HttpRequest, status: AssessmentStatus | None = None,
                         mission: MissionCode = None):
    """The previous report's recommendations, with their assessments; `status` filters."""
    the_mission = _mission(request, mission)
    found = permissions.recommendations_visible_to(request.auth, the_mission)
    if status is not None:
        found = services.with_status(found, status)
    found = found.select_related("assessment__assessed_by", "mission")
    return [_recommendation_out(request, r) for r in found]


@router.get("/standards/recommendations/figures", response={200: RecommendationFiguresOut, **ERRORS})
def recommendation_figures(request: HttpRequest, mission: MissionCode = None):
    """How many recommendations have each status."""
    visible = permissions.recommendations_visible_to(request.auth, _mission(request, mission))
    return {"n_recommendations": visible.count(),
            "by_status": [vars(c) for c in services.status_counts(visible)]}


@router.get("/standards/recommendations/{recommendation_id}",
            response={200: RecommendationOut, **ERRORS})
def get_recommendation(request: HttpRequest, recommendation_id: RecordId,
                       mission: MissionCode = None):
    visible = permissions.recommendations_visible_to(request.auth, _mission(request, mission))
    found = get_object_or_404(visible.select_related("assessment__assessed_by", "mission"),
                              pk=recommendation_id)
    return _recommendation_out(request, found)


@router.post("/standards/recommendations", response={201: RecommendationOut, **ERRORS})
def create_recommendation(request: HttpRequest, payload: RecommendationIn,
                          mission: MissionCode = None):
    """List a recommendation of a previous report (the core team; else 403)."""
    the_mission = _mission(request, mission, write=True)
    values = payload.dict()
    values["priority"] = values["priority"] or ""
    try:
        made = services.create_recommendation(
            actor=request.auth, channel="api", mission=the_mission,
            data=services.RecommendationData(**values))
    except services.Rejected as refused:
        raise _rejected(refused) from None
    return Status(201, _recommendation_out(request, made))


@router.put("/standards/recommendations/{recommendation_id}/assessment",
            response={200: RecommendationOut, **ERRORS})
def assess_recommendation(request: HttpRequest, recommendation_id: RecordId,
                          payload: AssessmentIn, mission: MissionCode = None):
    """Set a recommendation's status and evidence (the core team; else 403)."""
    the_mission = _mission(request, mission)
    visible = permissions.recommendations_visible_to(request.auth, the_mission)
    found = get_object_or_404(visible.select_related("mission"), pk=recommendation_id)
    if not permissions.can_write_standards(request.auth, the_mission):
        raise PermissionDenied(_("Only the core team writes commitments, evidence and "
                                 "assessments."))
    try:
        services.assess(actor=request.auth, channel="api", recommendation=found,
                        status=payload.status, evidence=payload.evidence,
                        evidence_ru=payload.evidence_ru, evidence_kk=payload.evidence_kk)
    except services.Rejected as refused:
        raise _rejected(refused) from None
    found = visible.select_related("assessment__assessed_by", "mission").get(pk=found.pk)
    return _recommendation_out(request, found)
