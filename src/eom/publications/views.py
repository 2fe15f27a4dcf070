"""The reports' pages: the list, a report with its sections and live (or frozen) figures, a
section's editor with the figure picker and a preview, a figure and what it was computed from,
publishing, and the DOCX, PDF and HTML downloads."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from eom.missions.access import readers_page
from eom.missions.languages import reader_language
from eom.missions.models import Channel, Mission

from . import figures, history, permissions, services
from . import render as rendering
from .forms import CommentForm, NewReportForm, SectionForm
from .models import LANGUAGES, Report, Section

reports_page = readers_page(permissions.can_read_reports,
                            gettext_lazy("You do not read the mission's reports."))


def report_for(request, mission: Mission, name: str) -> Report:
    return get_object_or_404(permissions.reports_visible_to(request.user, mission), name=name)


def section_for(request, mission: Mission, name: str, heading: str) -> Section:
    return get_object_or_404(report_for(request, mission, name).sections, heading=heading)


def _writer(request, mission: Mission) -> None:
    if not permissions.can_write_reports(request.user, mission):
        raise PermissionDenied(_("Only the core team and administrators write reports."))


def _language(request) -> str:
    wanted = request.GET.get("lang", "")
    return wanted if wanted in LANGUAGES else reader_language()


@reports_page
def reports(request, mission: Mission):
    found = permissions.reports_visible_to(request.user, mission).order_by("name")
    return render(request, "publications/reports.html", {
        "reports": found, "can_write": permissions.can_write_reports(request.user, mission)})


@reports_page
def new_report(request, mission: Mission):
    """A new draft report of a kind, with an empty section under each heading of the kind."""
    _writer(request, mission)
    form = NewReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.create_report(actor=request.user, channel=Channel.PAGE,
                                             mission=mission, **form.cleaned_data)
        except services.ReportRejected as refused:
            form.show_errors(refused.errors)
        else:
            messages.success(request, _("The report was created."))
            return redirect("publications:report", name=created.name)
    return render(request, "publications/new_report.html", {"form": form})


@reports_page
def report(request, mission: Mission, name: str):
    found = report_for(request, mission, name)
    language = _language(request)
    doc = rendering.document(found, language)
    sections = list(found.sections.select_related("author").annotate(
        last_version=Max("versions__number")))
    return render(request, "publications/report.html", {
        "report": found, "doc": doc, "language": language, "text_languages": LANGUAGES,
        "rows": list(zip(doc.sections, sections, strict=True)),
        "formats": sorted(rendering.FORMATS),
        "can_write": permissions.can_write_reports(request.user, mission),
        "can_read_drafts": permissions.can_read_drafts(request.user, mission),
        "can_publish": permissions.can_publish(request.user, mission)})


@reports_page
def section_edit(request, mission: Mission, name: str, heading: str):
    section = section_for(request, mission, name, heading)
    _writer(request, mission)
    if section.report.published:
        raise PermissionDenied(_("The report is published; its text no longer changes."))
    form = SectionForm(request.POST or None, section=section)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_section(actor=request.user, channel=Channel.PAGE, section=section,
                                  **form.cleaned_data)
        except services.ReportRejected as refused:
            form.show_errors(refused.errors)
        else:
            messages.success(request, _("The section was saved."))
            return redirect(reverse("publications:report", args=[name]) + f"#{heading}")
    return render(request, "publications/section_form.html", {
        "section": section, "report": section.report, "form": form,
        "choices": figures.choices(mission),
        "versions": section.versions.select_related("author")[:20],
        "comments": section.comments.select_related("author"),
        "comment_form": CommentForm(auto_id="comment-%s")})


@require_POST
@reports_page
def preview(request, mission: Mission, name: str, heading: str):
    """The posted texts with their figures' current values (the editor's preview, htmx)."""
    section = section_for(request, mission, name, heading)
    _writer(request, mission)
    texts = {lang: request.POST.get(field, "")[:100_000] for lang, field in (
        ("en", "text"), ("ru", "text_ru"), ("kk", "text_kk"))}
    keys = figures.keys_in(texts.values())[:services.MAX_FIGURES]
    values = services.figure_values(section.report, keys)
    shown = [(lang, rendering.split(body, values, lang)) for lang, body in texts.items()]
    return render(request, "publications/_preview.html", {"shown": shown, "report": section.report})


@reports_page
def section_version(request, mission: Mission, name: str, heading: str, number: int):
    """An earlier version of a section's texts, and how the current texts differ from it."""
    section = section_for(request, mission, name, heading)
    if not permissions.can_read_drafts(request.user, mission):
        raise PermissionDenied(_("The drafts' history is the core team's, analysts' and "
                                 "administrators'."))
    version = get_object_or_404(section.versions.select_related("author"), number=number)
    return render(request, "publications/section_version.html", {
        "report": section.report, "section": section, "version": version,
        "compared": history.compared(version, section),
        "versions": section.versions.select_related("author")[:50]})


@require_POST
@reports_page
def comment(request, mission: Mission, name: str, heading: str):
    section = section_for(request, mission, name, heading)
    if not permissions.can_comment(request.user, mission):
        raise PermissionDenied(_("You do not comment on reports."))
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.add_comment(actor=request.user, channel=Channel.PAGE, section=section,
                                 text=form.cleaned_data["text"])
        except services.ReportRejected as refused:
            messages.error(request, f"{_('comment')}: {refused.errors['text']}")
        else:
            messages.success(request, _("The comment was added."))
    else:
        messages.error(request, _("Write a comment of at most 5,000 characters."))
    return redirect(reverse("publications:report", args=[name]) + f"#{heading}")


@reports_page
def figure(request, mission: Mission, name: str, key: str):
    """A figure of the report, and what it was computed from."""
    found = report_for(request, mission, name)
    if key not in services.figure_keys(found):
        raise Http404(_("The report names no such figure."))
    value = services.figure_values(found, [key])[key]
    language = reader_language()
    table = value.table(language) if value.value is not None else None
    return render(request, "publications/figure.html", {
        "report": found, "value": value, "text": value.text(language), "table": table,
        # the records' pages are the core team's, analysts' and administrators'
        "source": figures.source_url(key) if permissions.can_read_drafts(
            request.user, mission) else ""})


@require_POST
@reports_page
def publish(request, mission: Mission, name: str):
    found = report_for(request, mission, name)
    if not permissions.can_publish(request.user, mission):
        raise PermissionDenied(_("Only the core team publishes reports."))
    try:
        services.publish(actor=request.user, channel=Channel.PAGE, report=found)
    except services.ReportRejected as refused:
        messages.error(request, "; ".join(f"{k}: {v}" for k, v in refused.errors.items()))
    else:
        messages.success(request, _("The report was published; its figures are frozen."))
    return redirect("publications:report", name=name)


@reports_page
def download(request, mission: Mission, name: str, lang: str, fmt: str):
    found = report_for(request, mission, name)
    if lang not in LANGUAGES or fmt not in rendering.FORMATS:
        raise Http404(_("No such language or format."))
    response = HttpResponse(rendering.build(found, lang, fmt),
                            content_type=rendering.FORMATS[fmt][1])
    response["Content-Disposition"] = f'attachment; filename="{found.name}-{lang}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
