"""The LTO reports part of the JSON API: periods, reports (list, read, write a draft, submit)
and the core team's review.

Every endpoint works in one mission (`?mission=CODE`, else the current one) and asks
`permissions`: a caller who does not read LTO reports gets 403, a report it may not see 404.
Input that does not fit answers 422 naming the field (`body.payload.sections.0.text`).
"""


from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status
from ninja.errors import ValidationError
from ninja.pagination import paginate

from eom.missions.access import mission_for
from eom.missions.api import ERRORS, MissionCode, Pagination
from eom.missions.models import Location, Mission, Team
from eom.missions.validators import MAX_ID, body_error

from . import permissions, services
from .models import Period, Report
from .schemas import PeriodOut, ReportContentIn, ReportFilters, ReportIn, ReportOut, ReviewIn

router = Router(tags=["lto"])
ReportId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _mission(request: HttpRequest, code: str | None) -> Mission:
    mission = mission_for(request.auth, code)
    if not permissions.can_read_reports(request.auth, mission):
        raise PermissionDenied(_("You do not read long-term observers' reports."))
    return mission


def _reports(request: HttpRequest, mission: Mission) -> QuerySet[Report]:
    return permissions.reports_visible_to(request.auth, mission).select_related(
        "period__template__form__current_version", "team", "region", "mission",
        "form_version").prefetch_related(
        "sections", "passages", "notes__author")


def _report(request: HttpRequest, mission: Mission, report_id: int) -> Report:
    return get_object_or_404(_reports(request, mission), pk=report_id)


def _refused(refused: services.ReportRejected) -> ValidationError:
    return ValidationError([body_error(field, reason) for field, reason in refused.errors.items()])


def _content(payload: ReportContentIn) -> services.ReportData:
    return services.ReportData(
        answers=payload.answers, title=payload.title,
        sections=[services.SectionData(s.heading, s.text, ",".join(s.tags))
                  for s in payload.sections],
        passages={p.heading: p.text for p in payload.passages},
    )


@router.get("/lto/periods", response={200: list[PeriodOut], **ERRORS})
def list_periods(request: HttpRequest, mission: MissionCode = None):
    """The mission's reporting periods, with their deadlines and template questions."""
    the_mission = _mission(request, mission)
    return Period.objects.filter(mission=the_mission).select_related("template__form")


@router.get("/lto/reports", response=list[ReportOut])
@paginate(Pagination)
def list_reports(request: HttpRequest, filters: Query[ReportFilters], mission: MissionCode = None):
    """The LTO reports the caller may see, latest period first. Drafts are seen by their
    team only; confidential passages by the core team only."""
    reports = _reports(request, _mission(request, mission))
    if filters.period is not None:
        reports = reports.filter(period__number=filters.period)
    if filters.team:
        reports = reports.filter(team__code=filters.team)
    if filters.status:
        reports = reports.filter(status=filters.status)
    if filters.kind:
        reports = reports.filter(kind=filters.kind)
    return reports


@router.get("/lto/reports/{report_id}", response={200: ReportOut, **ERRORS})
def get_report(request: HttpRequest, report_id: ReportId, mission: MissionCode = None):
    return _report(request, _mission(request, mission), report_id)


@router.post("/lto/reports", response={201: ReportOut, **ERRORS})
def create_report(request: HttpRequest, payload: ReportIn, mission: MissionCode = None):
    """Start a team's report (a draft): weekly (one per team and period) or flash. Only the
    team's members may (else 403)."""
    the_mission = _mission(request, mission)
    errors = []
    team = Team.objects.filter(mission=the_mission, code=payload.team).first()
    if team is None or not permissions.lto_teams_of(request.auth, the_mission).filter(
            pk=team.pk).exists():
        errors.append(body_error("team", _("No LTO team of yours has this code."), payload.team))
    period = Period.objects.filter(mission=the_mission, number=payload.period).first()
    if period is None:
        errors.append(body_error("period", _("No reporting period with this number."),
                               payload.period))
    region = None
    if payload.region:
        region = Location.objects.filter(mission=the_mission, code=payload.region).first()
        if region is None:
            errors.append(body_error("region", _("No location with this code."), payload.region))
    if errors:
        raise ValidationError(errors)
    try:
        report = services.create_report(actor=request.auth, channel="api", team=team,
                                        period=period, kind=payload.kind, region=region,
                                        data=_content(payload))
    except services.ReportRejected as refused:
        raise _refused(refused) from None
    return Status(201, _report(request, the_mission, report.pk))


@router.put("/lto/reports/{report_id}", response={200: ReportOut, **ERRORS})
def update_report(request: HttpRequest, report_id: ReportId, payload: ReportContentIn,
                  mission: MissionCode = None):
    """Replace a draft's answers and sections (and the passages it names). 403 once
    submitted, unless the core team asked for follow-up."""
    the_mission = _mission(request, mission)
    report = _report(request, the_mission, report_id)
    try:
        services.update_report(actor=request.auth, channel="api", report=report,
                               data=_content(payload))
    except services.ReportRejected as refused:
        raise _refused(refused) from None
    return _report(request, the_mission, report_id)


@router.post("/lto/reports/{report_id}/submit", response={200: ReportOut, **ERRORS})
def submit_report(request: HttpRequest, report_id: ReportId, mission: MissionCode = None):
    """Send the report to the core team; it is read-only for the team from then on."""
    the_mission = _mission(request, mission)
    services.submit_report(actor=request.auth, channel="api",
                           report=_report(request, the_mission, report_id))
    return _report(request, the_mission, report_id)


@router.post("/lto/reports/{report_id}/review", response={200: ReportOut, **ERRORS})
def review_report(request: HttpRequest, report_id: ReportId, payload: ReviewIn,
                  mission: MissionCode = None):
    """The core team's comment, request for follow-up or acceptance (else 403)."""
    the_mission = _mission(request, mission)
    report = _report(request, the_mission, report_id)
    try:
        services.review_report(actor=request.auth, channel="api", report=report,
                               kind=payload.kind, text=payload.text)
    except services.ReportRejected as refused:
        raise _refused(refused) from None
    return _report(request, the_mission, report_id)
