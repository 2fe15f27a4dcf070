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
    return [
        AssignmentOut(code=s.code, name=s.name, level=s.level, n_registered=s.n_registered,
                      district=s.parent.code if s.parent else None)
        for s in stations.order_by("path")
    ]
