"""The observation part of the JSON API: forms and my assignments, what a client reads before
it reports.

The reports themselves (`POST /api/submissions`, `/api/submissions/batch`, and reading them
back) are the JSON API channel's: `eom.observation.channels.api`.
"""


from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from eom.missions.access import mission_for

from . import permissions, services
from .answers import place_env
from .models import Form

router = Router(tags=["observation"])


class FormOut(Schema):
    form_id: str = Field(examples=["voting"])
    title: str = Field(examples=["Voting"])
    stage: str = Field(examples=["voting"])
    version: str | None = Field(examples=["2023031901"])

    @staticmethod
    def resolve_version(obj) -> str | None:
        return obj.current_version.version if obj.current_version else None


class AssignmentOut(Schema):
    code: str = Field(examples=["010001"])
    name: str = Field(examples=["Polling station No. 1"])
    level: str = Field(examples=["polling_station"])
    district: str | None = Field(examples=["SMD-01"])
    n_registered: int = Field(examples=[1177])
    kind: str = Field(examples=["urban"])
    team: str | None = Field(examples=["STO-14"], description=(
        "the team a report from here is recorded for"))
    values: dict[str, Any] = Field(
        examples=[{"location.n_registered": 1177, "location.kind": "urban",
                   "location.level": "polling_station", "location.code": "010001",
                   "team.code": "STO-14", "team.kind": "sto"}],
        description="what a form's expressions read of the place and the team here "
                    "(${location.n_registered}, ${team.code} …)")


@router.get("/forms", response=list[FormOut])
def list_forms(request: HttpRequest, mission: str | None = None):
    """The mission's checklists with their current versions."""
    forms = Form.objects.filter(mission=mission_for(request.auth, mission))
    return forms.select_related("current_version")


@router.get("/forms/{form_id}", response=dict[str, Any])
def get_form(request: HttpRequest, form_id: str, version: str | None = None,
             mission: str | None = None):
    """A form's definition: sections, questions (types, labels in every language, choices,
    skip logic and constraints as text and as expression trees), QA rules."""
    form = get_object_or_404(Form, mission=mission_for(request.auth, mission), form_id=form_id)
    chosen = form.current_version if version is None else form.versions.filter(version=version).first()
    if chosen is None:
        raise services.SubmissionRejected({"version": [f"no version {version}"]}, 404)
    return chosen.definition


@router.get("/assignments", response=list[AssignmentOut])
def my_assignments(request: HttpRequest, mission: str | None = None):
    """The locations the caller's teams are deployed to."""
    the_mission = mission_for(request.auth, mission)
    stations = permissions.assigned_locations(request.auth, the_mission).select_related("parent")
    rights = permissions.SubmitRights(request.auth, the_mission)
    assignments = []
    for station in stations.order_by("path"):
        team = rights.team_at(station)
        assignments.append(AssignmentOut(
            code=station.code, name=station.name, level=station.level,
            n_registered=station.n_registered, kind=station.kind,
            district=station.parent.code if station.parent else None,
            team=team.code if team else None, values=place_env(station, team)))
    return assignments
