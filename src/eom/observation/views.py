"""Pages of election day: observers' checklists, the mission's submissions, conflicts, coverage."""

from __future__ import annotations

import uuid
from pathlib import Path

from csp.constants import NONE
from csp.decorators import csp
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eom.dataout.figures import page_or_download
from eom.dataout.pages import coverage_tables
from eom.missions.access import mission_page
from eom.missions.models import Channel
from eom.xlsform.reader import XLSFormError

from . import home, permissions, queries, rendering, services
from .filters import CoverageFilterForm, filter_form_for, filter_submissions
from .models import Form, Submission
from .rendering import load_notes

SERVICE_WORKER = Path(__file__).resolve().parent.parent / "static" / "eom" / "sw.js"


def service_worker(request):
    """The service worker, served from the site's root so that it may look after every page."""
    response = HttpResponse(SERVICE_WORKER.read_bytes(), content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


def submission_for(request, mission, key) -> Submission:
    """The submission if the reader may see it; 404 otherwise."""
    visible = permissions.submissions_visible_to(request.user, mission)
    return get_object_or_404(visible.select_related("form", "form_version", "location"), uuid=key)


@mission_page
def assignments(request, mission):
    """The observer's home: its polling stations, then the commissions where it observes
    tabulation, each with its checklists and the reports received; whom to call."""
    return render(request, "observation/assignments.html", {"home": home.home(request.user, mission)})


@mission_page
def mine(request, mission):
    """My submissions: the reports the server holds from the reader (what waits on the phone is
    added by the page's script); kept on the phone for offline use."""
    context = {"submissions": home.mine(request.user, mission), "as_of": timezone.now(),
               "limit": home.MAX_MINE,
               "forms": {f.form_id: f.shown_title for f in home.checklists(mission)}}
    return render(request, "observation/mine.html", context)


@mission_page
def submissions(request, mission):
    form = filter_form_for(request.GET or None, user=request.user, mission=mission)
    visible = permissions.submissions_listed_to(request.user, mission)
    if form.is_valid():
        visible = filter_submissions(visible, **form.cleaned_data)
    elif form.is_bound:  # a filter that cannot be applied lists nothing, not everything
        visible = visible.none()
    visible = visible.select_related("form", "location__parent", "team", "observer")
    page = Paginator(visible, 50).get_page(request.GET.get("page"))
    template = "observation/_submission_rows.html" if request.htmx else "observation/submissions.html"
    return render(request, template, {"filter": form, "submissions": page})


@mission_page
def submission_detail(request, mission, key):
    submission = submission_for(request, mission, key)
    definition = submission.form_version.definition
    context = {
        "submission": submission,
        "rows": rendering.answer_rows(definition, submission.answers, submission.location,
                                      submission.team),
        "flags": [(flag, rendering.value_rows(definition, flag.values))
                  for flag in submission.flags.all()],
        "revisions": [(revision, rendering.change_rows(definition, revision.changes))
                      for revision in submission.revisions.select_related("actor")],
        "attachments": [(a, rendering.attachment_label(definition, a.question))
                        for a in submission.attachments.all()],
        "can_edit": permissions.can_edit_submission(request.user, submission),
    }
    return render(request, "observation/submission_detail.html", context)


@csp({"default-src": [NONE], "sandbox": True})
@mission_page
def attachment(request, mission, key, pk: int):
    """A photo sent with a report, for those who may see the report: always downloaded, never
    shown as a page of eom, with the type its content was checked to be (else octet-stream)."""
    submission = submission_for(request, mission, key)
    stored = get_object_or_404(submission.attachments, pk=pk)
    opened = stored.file.open("rb")
    response = FileResponse(opened, content_type=stored.served_type(opened))
    response["Content-Disposition"] = stored.content_disposition()
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private"
    return response


@mission_page
def submission_edit(request, mission, key):
    submission = submission_for(request, mission, key)
    if submission.is_deleted or not permissions.can_edit_submission(request.user, submission):
        raise PermissionDenied(_("You may not edit this submission."))
    definition = submission.form_version.definition
    answers, errors = submission.answers, {}
    if request.method == "POST" and request.POST.get("eom_repeat"):  # an instance added, removed
        answers = rendering.change_instances(
            rendering.answers_from_post(definition, request.POST), request.POST["eom_repeat"][:200])
    elif request.method == "POST":
        answers = rendering.answers_from_post(definition, request.POST)
        try:
            services.edit_submission(actor=request.user, channel=Channel.PAGE,
                                     submission=submission, answers=answers,
                                     reason=request.POST.get("reason", ""))
            messages.success(request, _("The submission was updated."))
            return redirect("observation:submission", key=submission.uuid)
        except services.SubmissionRejected as rejected:
            errors = rejected.errors
    context = {
        "submission": submission,
        "sections": rendering.form_view(definition, answers, errors, submission.location,
                                        submission.team),
        "logic": rendering.logic(definition, submission.location, submission.team),
        "errors": errors,
        "editing": True,  # photos and files are not posted from the edit page
    }
    return render(request, "observation/submission_edit.html", context, status=422 if errors else 200)


@require_POST
@mission_page
def submission_delete(request, mission, key):
    submission = submission_for(request, mission, key)
    try:
        services.delete_submission(actor=request.user, channel=Channel.PAGE,
                                   submission=submission, reason=request.POST.get("reason", ""))
        messages.success(request, _("The submission was deleted."))
    except services.SubmissionRejected as rejected:
        messages.error(request, " ".join(sum(rejected.errors.values(), [])))
    return redirect("observation:submission", key=submission.uuid)


def _conflicts_page(request, mission, errors: list[str] | None = None, status: int = 200):
    visible = permissions.submissions_visible_to(request.user, mission)
    found = queries.disagreements(mission, visible)
    context = {
        "conflicts": [c for c in found if c.fact],
        "observations": [c for c in found if not c.fact],
        "can_resolve": permissions.can_resolve_conflicts(request.user, mission),
        "errors": errors or [],
    }
    return render(request, "observation/conflicts.html", context, status=status)


@mission_page
def conflicts(request, mission):
    """Facts two teams reported differently, each resolved by keeping one report; then the
    other key answers in which teams differ, side by side (independent observations)."""
    return _conflicts_page(request, mission)


@require_POST
@mission_page
def conflict_resolve(request, mission):
    try:
        key = uuid.UUID(request.POST.get("chosen", ""))
    except ValueError:
        return HttpResponseBadRequest(_("chosen: give the id of the report to keep."),
                                      content_type="text/plain; charset=utf-8")
    visible = permissions.submissions_visible_to(request.user, mission)
    chosen = get_object_or_404(visible, uuid=key)
    try:
        services.resolve_conflict(
            actor=request.user, channel=Channel.PAGE, mission=mission, location=chosen.location,
            form=chosen.form, question=request.POST.get("question", ""), chosen=chosen,
            note=request.POST.get("note", ""),
        )
    except services.SubmissionRejected as rejected:
        return _conflicts_page(request, mission, status=rejected.status, errors=[
            " ".join(reasons) for reasons in rejected.errors.values()])
    messages.success(request, _("The conflict was resolved."))
    return redirect("observation:conflicts")


@mission_page
def coverage(request, mission, pk: int | None = None):
    """Coverage of a place of the reader's part of the tree (the top of that part by default);
    a place outside it is not found."""
    if not permissions.can_view_coverage(request.user, mission):
        raise PermissionDenied(_("Coverage is read by the core team, analysts, administrators "
                                 "and the coordinators of an area."))
    nodes = permissions.coverage_nodes_visible_to(request.user, mission)
    node = get_object_or_404(nodes, pk=pk) if pk else nodes.order_by("path").first()
    if node is None:
        raise Http404(_("The mission has no locations yet."))
    settings = CoverageFilterForm(request.GET)
    context = {"node": node, "settings": settings,
               "ancestors": nodes.filter(code__in=node.ancestor_codes()).order_by("path")}
    if not settings.is_valid():
        return render(request, "observation/coverage.html", context, status=400)
    minutes = settings.minutes()
    total, rows, reference = queries.coverage(mission, node, silent_minutes=minutes)
    context.update({"total": total, "rows": rows, "reference": reference, "silent": minutes})
    template = "observation/_coverage_table.html" if request.htmx else "observation/coverage.html"
    return page_or_download(request, mission, template, context, page="coverage",
                            tables=coverage_tables)


@mission_page
def forms(request, mission):
    if request.method == "POST":
        if not permissions.can_manage_forms(request.user, mission):
            raise PermissionDenied(_("You may not load forms."))
        upload = request.FILES.get("workbook")
        try:
            if upload is None:
                raise ValueError(_("Choose an XLSForm workbook (.xlsx) to upload."))
            media = {f.name: f.read(services.MAX_MEDIA_BYTES + 1)
                     for f in request.FILES.getlist("media")[:services.MAX_MEDIA_FILES + 1]}
            version = services.load_form(actor=request.user, channel=Channel.PAGE, mission=mission,
                                         source=upload, filename=upload.name, media=media)
            messages.success(request, _("Loaded %(form)s version %(version)s.") % {
                "form": version.form.shown_title, "version": version.version})
            return redirect("observation:forms")
        except XLSFormError as error:
            problems = [problem.translated(_) for problem in error.problems]
        except ValueError as error:
            problems = [str(error)]
        return render(request, "observation/forms.html", _forms_context(request, mission, problems),
                      status=422)
    return render(request, "observation/forms.html", _forms_context(request, mission, []))


def _forms_context(request, mission, problems: list[str]) -> dict:
    forms = Form.objects.filter(mission=mission).select_related("current_version"
                                                                ).prefetch_related("versions")
    return {
        "forms": [(form, load_notes(form.current_version)) for form in forms],
        "can_manage": permissions.can_manage_forms(request.user, mission),
        "problems": problems,
    }
