"""The complaints register's pages: the list with its filters and export, a case, its form,
its documents, the figures, the import."""

from __future__ import annotations

from csp.constants import NONE
from csp.decorators import csp
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from eom.lto.permissions import reports_visible_to
from eom.missions.access import readers_page
from eom.missions.models import Channel, Mission
from eom.missions.permissions import meetings_visible_to
from eom.missions.tabular import saved_upload, table_download

from . import importers, permissions, services
from .forms import CaseForm, DocumentForm, FilterForm, ImportForm
from .models import Case

EXPORT_COLUMNS = ("id", "reference", "filer_kind", "filer_name", "against", "body_kind",
                  "body_level", "body_location", "subject", "filed", "decided", "deadline",
                  "within_deadline", "decision", "reasons", "published", "appeal_of",
                  "synthetic")


complaints_page = readers_page(permissions.can_read_cases,
                               gettext_lazy("You do not read the complaints register."))


def _writer(request, mission: Mission) -> None:
    if not permissions.can_write_cases(request.user, mission):
        raise PermissionDenied(_("Only the core team and administrators record complaints."))


def case_for(request, mission: Mission, pk: int) -> Case:
    cases = permissions.cases_visible_to(request.user, mission)
    return get_object_or_404(cases.select_related("body_location", "subject", "appeal_of"),
                             pk=pk)


def _listed(request, mission: Mission):
    form = FilterForm(request.GET or None, mission=mission)
    cases = permissions.cases_visible_to(request.user, mission)
    if form.is_bound and not form.is_valid():
        return form, cases.none()
    params = form.cleaned_data if form.is_bound else {}
    return form, services.filtered(cases, params).select_related("body_location", "subject")


@complaints_page
def cases(request, mission: Mission):
    form, found = _listed(request, mission)
    context = {"form": form, "cases": found[:500], "n": found.count(),
               "can_write": permissions.can_write_cases(request.user, mission),
               "query": request.GET.urlencode()}
    return render(request, "complaints/cases.html", context)


@complaints_page
def export(request, mission: Mission):
    """The list as filtered, as CSV or XLSX (`?format=xlsx`)."""
    _form, found = _listed(request, mission)
    suffix = "xlsx" if request.GET.get("format") == "xlsx" else "csv"

    def rows():
        for case in found.iterator(chunk_size=1000):
            yield [case.pk, case.reference, case.filer_kind, case.filer_name, case.against,
                   case.body_kind, case.body_level,
                   case.body_location.code if case.body_location_id else "",
                   case.subject.code if case.subject_id else "", case.filed.isoformat(),
                   case.decided.isoformat() if case.decided else "",
                   case.deadline.isoformat() if case.deadline else "",
                   {True: "yes", False: "no", None: ""}[case.within_deadline], case.decision,
                   case.reasons, "yes" if case.published else "no", case.appeal_of_id or "",
                   "yes" if case.synthetic else "no"]

    return table_download("complaints", suffix, EXPORT_COLUMNS, rows(), sheet="complaints")


@complaints_page
def figures(request, mission: Mission):
    cases = permissions.cases_visible_to(request.user, mission)
    return render(request, "complaints/figures.html", {"f": services.figures(cases)})


@complaints_page
def case_detail(request, mission: Mission, pk: int):
    case = case_for(request, mission, pk)
    note = None
    if permissions.can_read_confidential(request.user, mission) and hasattr(case, "note"):
        note = case.note.text
    context = {
        "case": case, "note": note,
        "appeals": permissions.cases_visible_to(request.user, mission).filter(appeal_of=case),
        "meetings": meetings_visible_to(request.user, mission).filter(complaints=case),
        "reports": reports_visible_to(request.user, mission).filter(
            complaints=case).select_related("team", "period"),
        "documents": case.documents.all(),
        "can_write": permissions.can_write_cases(request.user, mission),
        "document_form": DocumentForm(),
    }
    return render(request, "complaints/case_detail.html", context)


def _form_page(request, mission: Mission, case: Case | None):
    _writer(request, mission)
    form = CaseForm(request.POST or None, user=request.user, mission=mission, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            if case is None:
                case = services.create_case(actor=request.user, channel=Channel.PAGE,
                                            mission=mission, data=form.to_data())
            else:
                services.update_case(actor=request.user, channel=Channel.PAGE, case=case,
                                     data=form.to_data())
        except services.CaseRejected as refused:
            form.show_errors(refused.errors)
        else:
            messages.success(request, _("The case was saved."))
            return redirect("complaints:case", pk=case.pk)
    return render(request, "complaints/case_form.html", {"form": form, "case": case})


@complaints_page
def case_create(request, mission: Mission):
    return _form_page(request, mission, None)


@complaints_page
def case_edit(request, mission: Mission, pk: int):
    return _form_page(request, mission, case_for(request, mission, pk))


@require_POST
@complaints_page
def document_upload(request, mission: Mission, pk: int):
    case = case_for(request, mission, pk)
    _writer(request, mission)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to attach."))
        return redirect("complaints:case", pk=case.pk)
    try:
        services.attach_document(actor=request.user, channel=Channel.PAGE, case=case,
                                 upload=form.cleaned_data["file"])
    except services.CaseRejected as refused:
        messages.error(request, f"{_('file')}: {refused.errors['file']}")
    else:
        messages.success(request, _("The document was attached."))
    return redirect("complaints:case", pk=case.pk)


@csp({"default-src": [NONE], "sandbox": True})
@complaints_page
def document(request, mission: Mission, pk: int, doc: int):
    """A case's document, for those who read the case: always downloaded, never shown as a
    page of eom."""
    case = case_for(request, mission, pk)
    stored = get_object_or_404(case.documents, pk=doc)
    response = FileResponse(stored.file.open("rb"), content_type="application/octet-stream",
                            as_attachment=True, filename=stored.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private"
    return response


@complaints_page
def import_cases(request, mission: Mission):
    _writer(request, mission)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with saved_upload(upload) as path:
            report = importers.import_cases(
                mission, path, actor=request.user, mapping=form.cleaned_data["mapping"],
                dry_run=form.cleaned_data["dry_run"])
    return render(request, "complaints/import.html", {"form": form, "report": report})
