"""The web page channel: the checklist page, and what it answers when a report is sent.

`GET /observe/<place>/<form>/` draws the checklist for a place; `POST` to the same address turns
the posted fields and photos into a `services.SubmissionInput` (`rendering.answers_from_post`)
and stores it through `services.ingest_submission` (channel "page"). A stored report answers with
a redirect to `/observe/sent/<uuid>/`; a refused one draws the form again with the reasons next
to their questions (the refusal's status). With JavaScript, the page sends through the phone's
outbox to the JSON API instead (`channels.api`, `X-Eom-Client: checklist-page`); this form post
is what the page does without it, and how photos are sent.

The other pages of election day (my reports, the mission's submissions, conflicts, coverage,
forms) are in `eom.observation.views`.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from eom.missions.access import mission_page
from eom.missions.models import Channel, Location

from .. import home, permissions, rendering, services
from ..models import Form
from ..views import submission_for


def _forms(mission):
    return Form.objects.filter(mission=mission, current_version__isnull=False).select_related(
        "current_version"
    )


def _render_form(request, mission, location, form, answers, errors, key, observed_at,
                 status=200):
    rights = permissions.SubmitRights(request.user, mission)
    days = rights.days_at(location)
    team = rights.team_at(location)
    context = {
        "location": location,
        "form": form,
        "deployment": home.deployment_days(days, timezone.localdate()),
        "sections": rendering.form_view(form.current_version.definition, answers, errors,
                                        location, team),
        "logic": rendering.logic(form.current_version.definition, location, team),
        "errors": errors,
        "uuid": key,
        "observed_at": observed_at.strftime("%Y-%m-%dT%H:%M")
        if hasattr(observed_at, "strftime") else observed_at,
    }
    return render(request, "observation/checklist.html", context, status=status)


@mission_page
def checklist(request, mission, location_pk: int, form_id: str):
    location = get_object_or_404(Location, mission=mission, pk=location_pk)
    form = get_object_or_404(_forms(mission), form_id=form_id)
    now = timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)
    if request.method != "POST":
        # Kept on the phone before the day: any day of a deployment opens the page; the report
        # sent from it is checked for the moment it was observed.
        opened = permissions.SubmitRights(request.user, mission).decide(location, form.stage,
                                                                        None)
        if not opened.allowed:
            raise PermissionDenied(opened.reason)
        return _render_form(request, mission, location, form, {}, {}, uuid.uuid4(), now)
    definition = form.current_version.definition
    answers = rendering.answers_from_post(definition, request.POST)
    if action := request.POST.get("eom_repeat", ""):  # a repeat's instance added or removed
        return _render_form(request, mission, location, form,
                            rendering.change_instances(answers, action[:200]), {},
                            request.POST.get("uuid"), request.POST.get("observed_at"))
    data = services.SubmissionInput(
        uuid=request.POST.get("uuid", ""), form_id=form.form_id, location_code=location.code,
        answers=answers, observed_at=request.POST.get("observed_at", ""),
        attachments=dict(request.FILES.items()),
    )
    try:
        submission, _created = services.ingest_submission(
            actor=request.user, channel=Channel.PAGE, mission=mission, data=data
        )
    except services.SubmissionRejected as rejected:  # the form again, with the reasons
        return _render_form(request, mission, location, form, answers, rejected.errors,
                            request.POST.get("uuid"), request.POST.get("observed_at"),
                            rejected.status)
    return redirect("observation:sent", key=submission.uuid)


@mission_page
def sent(request, mission, key):
    submission = submission_for(request, mission, key)
    return render(request, "observation/sent.html", {"submission": submission})
