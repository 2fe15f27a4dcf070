"""The complaints and appeals part of the JSON API: list, read, create, update cases.

Every endpoint works in one mission (`?mission=CODE`, else the current one) and asks
`permissions`: a caller who does not read the register gets 403, a case it may not see 404,
a reader who writes 403. Input that does not fit answers 422 naming the field
(`body.payload.decided`).
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
from eom.missions.models import Location, Mission
from eom.missions.validators import MAX_ID, body_error

from . import permissions, services
from .models import Case, Subject
from .schemas import CaseFilters, CaseIn, CaseOut

router = Router(tags=["complaints"])
CaseId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _mission(request: HttpRequest, code: str | None) -> Mission:
    mission = mission_for(request.auth, code)
    if not permissions.can_read_cases(request.auth, mission):
        raise PermissionDenied(_("You do not read the complaints register."))
    return mission


def _cases(request: HttpRequest, mission: Mission) -> QuerySet[Case]:
    return permissions.cases_visible_to(request.auth, mission).select_related(
        "body_location", "subject", "mission", "note").prefetch_related("appeals", "documents")


def _data(request: HttpRequest, mission: Mission, payload: CaseIn) -> services.CaseData:
    errors = []
    location = subject = appealed = None
    if payload.body_location:
        location = Location.objects.filter(mission=mission, code=payload.body_location).first()
        if location is None:
            errors.append(body_error("body_location", _("No location with this code."),
                                   payload.body_location))
    if payload.subject:
        subject = Subject.objects.filter(mission=mission, code=payload.subject).first()
        if subject is None:
            errors.append(body_error("subject", _("No subject with this code."), payload.subject))
    if payload.appeal_of is not None:
        appealed = permissions.cases_visible_to(request.auth, mission).filter(
            pk=payload.appeal_of).first()
        if appealed is None:
            errors.append(body_error("appeal_of", _("No case with this id."), payload.appeal_of))
    if errors:
        raise ValidationError(errors)
    values = payload.dict(exclude={"body_location", "subject", "appeal_of"})
    return services.CaseData(**values, body_location=location, subject=subject,
                             appeal_of=appealed)


def _write(request: HttpRequest, write, **kwargs):
    try:
        return write(actor=request.auth, channel="api", **kwargs)
    except services.CaseRejected as refused:
        raise ValidationError([body_error(field, reason)
                               for field, reason in refused.errors.items()]) from None


@router.get("/complaints", response=list[CaseOut])
@paginate(Pagination)
def list_cases(request: HttpRequest, filters: Query[CaseFilters], mission: MissionCode = None):
    """The complaints and appeals the caller may see, latest filed first."""
    the_mission = _mission(request, mission)
    cases = _cases(request, the_mission)
    params = filters.dict(exclude_none=True)
    if "appeal" in params:
        params["appeal"] = "yes" if params["appeal"] else "no"
    if "subject" in params:
        params["subject"] = Subject.objects.filter(
            mission=the_mission, code=params["subject"]).values_list("pk", flat=True).first() or -1
    return services.filtered(cases, params)


@router.get("/complaints/{case_id}", response={200: CaseOut, **ERRORS})
def get_case(request: HttpRequest, case_id: CaseId, mission: MissionCode = None):
    return get_object_or_404(_cases(request, _mission(request, mission)), pk=case_id)


@router.post("/complaints", response={201: CaseOut, **ERRORS})
def create_case(request: HttpRequest, payload: CaseIn, mission: MissionCode = None):
    """Record a complaint or an appeal (core team and administrators; else 403)."""
    the_mission = _mission(request, mission)
    if not permissions.can_write_cases(request.auth, the_mission):
        raise PermissionDenied(_("Only the core team and administrators record complaints."))
    case = _write(request, services.create_case, mission=the_mission,
                  data=_data(request, the_mission, payload))
    return Status(201, get_object_or_404(_cases(request, the_mission), pk=case.pk))


@router.put("/complaints/{case_id}", response={200: CaseOut, **ERRORS})
def update_case(request: HttpRequest, case_id: CaseId, payload: CaseIn,
                mission: MissionCode = None):
    """Replace a case's fields (the note and links kept when left out or null)."""
    the_mission = _mission(request, mission)
    case = get_object_or_404(_cases(request, the_mission), pk=case_id)
    if not permissions.can_write_cases(request.auth, the_mission):
        raise PermissionDenied(_("Only the core team and administrators record complaints."))
    _write(request, services.update_case, case=case, data=_data(request, the_mission, payload))
    return get_object_or_404(_cases(request, the_mission), pk=case_id)
