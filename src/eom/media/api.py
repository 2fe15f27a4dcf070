"""The media monitoring part of the JSON API: outlets, coded items (list, create) and the
figures with inter-coder reliability.

Every endpoint works in one mission (`?mission=CODE`, else the current one) and asks
`permissions`: a caller who does not read media monitoring gets 403, one who does not write it
403 on POST. Input that does not fit answers 422 naming the field (`body.payload.seconds`).
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import ValidationError
from ninja.pagination import paginate

from eom.missions.access import mission_for
from eom.missions.api import ERRORS, MissionCode, Pagination
from eom.missions.models import Candidate, Mission, Party

from . import figures, permissions, reliability, services
from .models import Item, Outlet, Topic
from .schemas import FiguresOut, ItemFiltersIn, ItemIn, ItemOut, OutletOut

router = Router(tags=["media"])


def _mission(request: HttpRequest, code: str | None) -> Mission:
    mission = mission_for(request.auth, code)
    if not permissions.can_read_media(request.auth, mission):
        raise PermissionDenied(_("You do not read media monitoring."))
    return mission


def _invalid(field: str, message: str, value=None) -> dict:
    return {"type": "invalid", "loc": ["body", "payload", field], "msg": message,
            "input": value}


def _items(mission: Mission):
    return Item.objects.filter(mission=mission).select_related(
        "outlet", "party", "candidate", "topic")


@router.get("/media/outlets", response={200: list[OutletOut], **ERRORS})
def list_outlets(request: HttpRequest, mission: MissionCode = None):
    """The outlets the mission monitors."""
    return Outlet.objects.filter(mission=_mission(request, mission))


@router.get("/media/items", response=list[ItemOut])
@paginate(Pagination)
def list_items(request: HttpRequest, filters: Query[ItemFiltersIn], mission: MissionCode = None):
    """Coded items, latest first; the filters are those of a figure's items (`counted`: first
    codings only, as the figures count them)."""
    the_mission = _mission(request, mission)
    outlet = (Outlet.objects.filter(mission=the_mission, pk=filters.outlet).first()
              if filters.outlet else None)
    if filters.outlet and outlet is None:
        return Item.objects.none()
    return figures.filter_items(
        _items(the_mission), outlet=outlet,
        ownership=filters.ownership.value if filters.ownership else "",
        measure=filters.measure, subject=filters.subject, week=filters.week,
        counted=filters.counted)


@router.post("/media/items", response={201: ItemOut, **ERRORS})
def create_item(request: HttpRequest, payload: ItemIn, mission: MissionCode = None):
    """Code one item (core team and administrators, else 403). A unit another monitor coded
    already is stored as a second coding."""
    the_mission = _mission(request, mission)
    if not permissions.can_write_media(request.auth, the_mission):
        raise PermissionDenied(_("Only the core team and administrators write media "
                                 "monitoring."))
    errors = []
    outlet = Outlet.objects.filter(mission=the_mission, pk=payload.outlet).first()
    party = candidate = topic = None
    if payload.party:
        party = Party.objects.filter(election__mission=the_mission, code=payload.party).first()
        if party is None:
            errors.append(_invalid("party", _("No party with this code."), payload.party))
    if payload.candidate:
        candidate = Candidate.objects.filter(contest__election__mission=the_mission,
                                             pk=payload.candidate).first()
        if candidate is None:
            errors.append(_invalid("candidate", _("No candidate with this id."),
                                   payload.candidate))
    if payload.topic:
        topic = Topic.objects.filter(mission=the_mission, code=payload.topic).first()
        if topic is None:
            errors.append(_invalid("topic", _("No topic with this code."), payload.topic))
    if errors:
        raise ValidationError(errors)
    data = services.ItemData(
        outlet=outlet, date=payload.date, programme=payload.programme,
        subject_kind=payload.subject_kind.value, tone=payload.tone.value, coder=payload.coder,
        seconds=payload.seconds, cm2=payload.cm2, party=party, candidate=candidate,
        subject_name=payload.subject_name, topic=topic,
        language=payload.language.value if payload.language else "", note=payload.note)
    try:
        item = services.create_item(actor=request.auth, channel="api", mission=the_mission,
                                    data=data)
    except services.ItemRejected as refused:
        raise ValidationError([_invalid(field, reason)
                               for field, reason in refused.errors.items()]) from None
    return Status(201, _items(the_mission).get(pk=item.pk))


@router.get("/media/figures", response={200: FiguresOut, **ERRORS})
def get_figures(request: HttpRequest, mission: MissionCode = None):
    """Each subject's share of time (seconds) and space (cm²) with its tone, over all and in
    state and private outlets (exact fractions and rounded percentages), and Krippendorff's
    alpha per variable against the mission's threshold."""
    the_mission = _mission(request, mission)
    coded = figures.counted(Item.objects.filter(mission=the_mission))
    found = reliability.reliability(the_mission)
    return {
        "overall": [figures.share_table(coded, m) for m in (figures.TIME, figures.SPACE)],
        "by_ownership": [{"ownership": o, "measure": t.measure, "total": t.total,
                          "rows": t.rows} for o, _label, t in figures.by_ownership(coded)],
        "reliability": found.variables,
        "alpha_threshold": float(found.threshold),
    }
