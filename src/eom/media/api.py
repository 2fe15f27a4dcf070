"""The media monitoring part of the JSON API: outlets, coded items (list, create, change,
delete) and the figures with inter-coder reliability.

Every endpoint works in one mission (`?mission=CODE`, else the current one) and asks
`permissions`: a caller who does not read media monitoring gets 403, one who does not write it
403 on POST, PATCH and DELETE. Input that does not fit answers 422 naming the field (`body.payload.seconds`).
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import ValidationError
from ninja.pagination import paginate

from eom.missions.access import mission_for
from eom.missions.api import ERRORS, MissionCode, Pagination, PathId
from eom.missions.models import Candidate, Mission, Party

from . import figures, permissions, reliability, services
from .models import Item, Outlet, Topic
from .schemas import FiguresOut, ItemFiltersIn, ItemIn, ItemOut, ItemPatch, OutletOut

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


def _writing(request: HttpRequest, code: str | None) -> Mission:
    the_mission = _mission(request, code)
    if not permissions.can_write_media(request.auth, the_mission):
        raise PermissionDenied(_("Only the core team and administrators write media "
                                 "monitoring."))
    return the_mission


def _data(the_mission: Mission, given: dict, base: services.ItemData) -> services.ItemData:
    """`base` with the fields `given` (an ItemIn's or ItemPatch's set fields), references
    looked up in the mission; 422 naming each reference that is not found."""
    errors = []
    values = dict(vars(base))
    if "outlet" in given:
        values["outlet"] = Outlet.objects.filter(mission=the_mission, pk=given["outlet"]).first()
    lookups = (("party", lambda v: Party.objects.filter(election__mission=the_mission, code=v),
                _("No party with this code.")),
               ("candidate", lambda v: Candidate.objects.filter(
                   contest__election__mission=the_mission, pk=v), _("No candidate with this id.")),
               ("topic", lambda v: Topic.objects.filter(mission=the_mission, code=v),
                _("No topic with this code.")))
    for field, query, message in lookups:
        if field in given:
            value = given[field]
            values[field] = query(value).first() if value else None
            if value and values[field] is None:
                errors.append(_invalid(field, message, value))
    if errors:
        raise ValidationError(errors)
    for field in ("date", "seconds", "cm2"):
        if field in given:
            values[field] = given[field]
    for field in ("programme", "subject_name", "coder", "note"):
        if field in given:
            values[field] = given[field] or ""
    for field in ("subject_kind", "tone", "language"):
        if field in given:
            values[field] = given[field].value if given[field] is not None else ""
    return services.ItemData(**values)


def _refused(refused: services.ItemRejected) -> ValidationError:
    return ValidationError([_invalid(field, reason) for field, reason in refused.errors.items()])


@router.post("/media/items", response={201: ItemOut, **ERRORS})
def create_item(request: HttpRequest, payload: ItemIn, mission: MissionCode = None):
    """Code one item (core team and administrators, else 403). A unit another monitor coded
    already is stored as a second coding."""
    the_mission = _writing(request, mission)
    empty = services.ItemData(outlet=None, date=None, programme="", subject_kind="", tone="",
                              coder="")
    data = _data(the_mission, {field: getattr(payload, field)
                               for field in ItemIn.model_fields}, empty)
    try:
        item = services.create_item(actor=request.auth, channel="api", mission=the_mission,
                                    data=data)
    except services.ItemRejected as refused:
        raise _refused(refused) from None
    return Status(201, _items(the_mission).get(pk=item.pk))


@router.patch("/media/items/{item_id}", response={200: ItemOut, **ERRORS})
def update_item(request: HttpRequest, item_id: PathId, payload: ItemPatch,
                mission: MissionCode = None):
    """Change a coded item: the fields given replace the stored ones, the same checks as on
    creation (core team and administrators, else 403; 404 for no item of the mission)."""
    the_mission = _writing(request, mission)
    item = get_object_or_404(_items(the_mission), pk=item_id)
    given = {field: getattr(payload, field) for field in payload.model_fields_set}
    data = _data(the_mission, given, services.data_of(item))
    try:
        services.update_item(actor=request.auth, channel="api", item=item, data=data)
    except services.ItemRejected as refused:
        raise _refused(refused) from None
    return _items(the_mission).get(pk=item.pk)


@router.delete("/media/items/{item_id}", response={204: None, **ERRORS})
def delete_item(request: HttpRequest, item_id: PathId, mission: MissionCode = None):
    """Delete a coded item (core team and administrators, else 403; 404 for no item of the
    mission). When it was a unit's first coding, another monitor's coding of the unit counts
    in its place."""
    the_mission = _writing(request, mission)
    item = get_object_or_404(_items(the_mission), pk=item_id)
    services.delete_item(actor=request.auth, channel="api", item=item)
    return Status(204, None)


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
