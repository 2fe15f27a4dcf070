"""The figures part of the JSON API: the named indicators of the mission's checklists."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError

from eom.missions.access import mission_for

from .design import REQUESTABLE
from .indicators import SAMPLED_UNIT, UNIT, indicator_figures
from .permissions import samples_visible_to

router = Router(tags=["reporting"])


class IndicatorOut(Schema):
    key: str = Field(description="The indicator's name in its checklist.",
                     examples=["voting_negative"])
    label: str = Field(description="In the caller's language (Accept-Language).",
                       examples=["Voting assessed negatively (bad or very bad)"])
    form_id: str = Field(examples=["voting"])
    unit: str = Field(description=f"What is counted: `{UNIT}` (live reports), or "
                                  f"`{SAMPLED_UNIT}` (the first report of each station of the "
                                  "sample asked for).", examples=[UNIT])
    count: int = Field(description="Reports of the base where the formula holds.", examples=[7])
    base: int = Field(description="Reports in the base.", examples=[104])
    share: float | None = Field(description="count / base; null when the base is empty.",
                                examples=[0.0673])
    low: float | None = Field(description="95 % interval, lower bound: Wilson's for the reports "
                              "observed, or the design's for all polling stations.",
                              examples=[0.033])
    high: float | None = Field(description="95 % interval, upper bound.", examples=[0.132])
    formula: str = Field(examples=["${assessment} = 'bad' or ${assessment} = 'very_bad'"])
    base_formula: str = Field(description="Which reports form the base.",
                              examples=["${assessment} != ''"])
    design: str = Field(description="The design used, decided from the data: `convenience` "
                                    "(observed only), `stratified` or `clustered` (by team).",
                        examples=["convenience"])
    design_name: str = Field(examples=["observed only"])
    design_reason: str = Field(description="Why this design, in the caller's language.")
    design_requested: str | None = Field(
        description="The design asked for (`design` parameter), if any; when it differs from "
                    "`design`, the data contradicted it and `design_reason` says why.")
    scope: str = Field(description="`observed` (the reports observed) or `population` (an "
                                   "estimate for all polling stations).", examples=["observed"])


class IndicatorFilters(Schema):
    area: str | None = Field(None, max_length=64,
                             description="A location code: only the reports of its subtree.")
    form_id: str | None = Field(None, max_length=64, description="Only this checklist's.")
    sample: str | None = Field(None, max_length=100,
                               description="A sample's name: only the reports from its polling "
                                           "stations, estimated for all polling stations.")
    design: str | None = Field(None, max_length=20,
                               description="A design to use (" + ", ".join(REQUESTABLE) + "); "
                                           "followed only when the data support it.")


@router.get("/indicators", response=list[IndicatorOut])
def list_indicators(request: HttpRequest, filters: Query[IndicatorFilters],
                    mission: str | None = None):
    """The named indicators of the mission's checklists with their counts, shares and
    intervals, over the reports the caller's figures count (as on the analysis page: an
    observer's own, a coordinator's area, everything for the core team and analysts). With a
    sample, estimates for all polling stations under the design the data call for, named with
    its reason; a design asked for is followed only when the data support it."""
    the_mission = mission_for(request.auth, mission)
    area = None
    if filters.area:
        area = the_mission.locations.filter(code=filters.area).first()
        if area is None:
            raise ValidationError([{"type": "value_error", "loc": ["query", "area"],
                                    "msg": _("no place has this code")}])
    if filters.design is not None and filters.design not in REQUESTABLE:
        raise ValidationError([{"type": "value_error", "loc": ["query", "design"],
                                "msg": _("must be one of: %(designs)s")
                                % {"designs": ", ".join(REQUESTABLE)}}])
    sample = None
    if filters.sample:
        sample = samples_visible_to(request.auth, the_mission).filter(name=filters.sample).first()
        if sample is None:
            raise ValidationError([{"type": "value_error", "loc": ["query", "sample"],
                                    "msg": _("no sample has this name")}])
    return indicator_figures(the_mission, user=request.auth, area=area,
                             form_id=filters.form_id, sample=sample, design=filters.design)
