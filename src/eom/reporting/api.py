"""The figures part of the JSON API: the named indicators of the mission's checklists."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError

from eom.missions.access import mission_for

from .indicators import UNIT, indicator_figures

router = Router(tags=["reporting"])


class IndicatorOut(Schema):
    key: str = Field(description="The indicator's name in its checklist.",
                     examples=["voting_negative"])
    label: str = Field(description="In the caller's language (Accept-Language).",
                       examples=["Voting assessed negatively (bad or very bad)"])
    form_id: str = Field(examples=["voting"])
    unit: str = Field(description=f"What is counted: always `{UNIT}` (live reports).",
                      examples=[UNIT])
    count: int = Field(description="Reports of the base where the formula holds.", examples=[7])
    base: int = Field(description="Reports in the base.", examples=[104])
    share: float | None = Field(description="count / base; null when the base is empty.",
                                examples=[0.0673])
    low: float | None = Field(description="Wilson 95 % interval, lower bound.", examples=[0.033])
    high: float | None = Field(description="Wilson 95 % interval, upper bound.", examples=[0.132])
    formula: str = Field(examples=["${assessment} = 'bad' or ${assessment} = 'very_bad'"])
    base_formula: str = Field(description="Which reports form the base.",
                              examples=["${assessment} != ''"])


class IndicatorFilters(Schema):
    area: str | None = Field(None, max_length=64,
                             description="A location code: only the reports of its subtree.")
    form_id: str | None = Field(None, max_length=64, description="Only this checklist's.")


@router.get("/indicators", response=list[IndicatorOut])
def list_indicators(request: HttpRequest, filters: Query[IndicatorFilters],
                    mission: str | None = None):
    """The named indicators of the mission's checklists with their counts, shares and
    intervals, over the reports the caller's figures count (as on the analysis page: an
    observer's own, a coordinator's area, everything for the core team and analysts)."""
    the_mission = mission_for(request.auth, mission)
    area = None
    if filters.area:
        area = the_mission.locations.filter(code=filters.area).first()
        if area is None:
            raise ValidationError([{"type": "value_error", "loc": ["query", "area"],
                                    "msg": _("no place has this code")}])
    return indicator_figures(the_mission, user=request.auth, area=area,
                             form_id=filters.form_id)
