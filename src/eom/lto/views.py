"""The LTO reports pages: the index (flash reports, the board of each period, a team's own
reports), a report, its form, submission and review, and the roll-up."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from eom.missions.access import readers_page
from eom.missions.models import Channel, Mission

from . import permissions, questions, services
from .forms import ReportForm, ReviewForm, RollupForm, StartForm
from .models import Heading, Period, Report, ReportKind

lto_page = readers_page(permissions.can_read_reports,
                        gettext_lazy("You do not read long-term observers' reports."))


def report_for(request, mission: Mission, pk: int) -> Report:
    """The report if the reader may see it; 404 otherwise (its existence is not revealed)."""
    reports = permissions.reports_visible_to(request.user, mission)
    return get_object_or_404(reports.select_related(
        "period__template__form__current_version", "team", "region", "form_version"), pk=pk)


@lto_page
def reports(request, mission: Mission):
    user = request.user
    visible = permissions.reports_visible_to(user, mission)
    periods = Period.objects.filter(mission=mission).order_by("-starts")
    teams = permissions.lto_teams_of(user, mission)
    boards = []
    if permissions.can_see_status_board(user, mission):
        boards = [(period, permissions.board_rows_for(user, mission, services.board(period)))
                  for period in periods]
    context = {
        "flash": services.flash_reports(visible)[:20],
        "boards": boards,
        "visible_ids": set(visible.values_list("pk", flat=True)),
        "teams": teams,
        "own": visible.filter(team__in=teams).select_related("period", "team", "region"),
        "periods": periods,
    }
    return render(request, "lto/reports.html", context)


@lto_page
def report_detail(request, mission: Mission, pk: int):
    report = report_for(request, mission, pk)
    confidential = permissions.can_read_passages(request.user, report)
    order = {code: n for n, code in enumerate(Heading.values)}
    context = {
        "report": report,
        "sections": sorted(report.sections.all(), key=lambda s: order[s.heading]),
        "passages": sorted(report.passages.all(), key=lambda p: order[p.heading])
        if confidential else [],
        "answers": questions.rows(report),
        "notes": report.notes.select_related("author"),
        "can_edit": permissions.can_edit_report(request.user, report),
        "review_form": ReviewForm() if permissions.can_review(request.user, mission) else None,
    }
    return render(request, "lto/report_detail.html", context)


@lto_page
def report_create(request, mission: Mission):
    teams = permissions.lto_teams_of(request.user, mission)
    if not teams.exists():
        raise PermissionDenied(_("Only members of an LTO team write its reports."))
    start = StartForm(request.GET or None, teams=teams, mission=mission)
    if not start.is_valid():
        return render(request, "lto/report_start.html", {"start": start})
    team, period, kind = (start.cleaned_data[k] for k in ("team", "period", "kind"))
    form = ReportForm(request.POST or None, period=period, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.create_report(actor=request.user, channel=Channel.PAGE,
                                            team=team, period=period, kind=kind,
                                            data=form.to_data())
        except services.ReportRejected as refused:
            form.show_errors(refused.errors)
        else:
            messages.success(request, _("The draft was saved."))
            return redirect("lto:report", pk=report.pk)
    context = {"form": form, "team": team, "period": period, "kind": kind}
    return render(request, "lto/report_form.html", context)


@lto_page
def report_edit(request, mission: Mission, pk: int):
    report = report_for(request, mission, pk)
    if not permissions.can_edit_report(request.user, report):
        raise PermissionDenied(_("This report is not open for you to change."))
    form = ReportForm(request.POST or None, period=report.period, kind=report.kind,
                      report=report)  # an editor is of the team: it reads its passages
    if request.method == "POST" and form.is_valid():
        try:
            services.update_report(actor=request.user, channel=Channel.PAGE, report=report,
                                   data=form.to_data())
        except services.ReportRejected as refused:
            form.show_errors(refused.errors)
        else:
            messages.success(request, _("The draft was saved."))
            return redirect("lto:report", pk=report.pk)
    context = {"form": form, "report": report, "team": report.team, "period": report.period,
               "kind": report.kind}
    return render(request, "lto/report_form.html", context)


@require_POST
@lto_page
def report_submit(request, mission: Mission, pk: int):
    report = report_for(request, mission, pk)
    services.submit_report(actor=request.user, channel=Channel.PAGE, report=report)
    messages.success(request, _("The report was submitted to the core team."))
    return redirect("lto:report", pk=report.pk)


@require_POST
@lto_page
def report_review(request, mission: Mission, pk: int):
    report = report_for(request, mission, pk)
    if not permissions.can_review(request.user, mission):
        raise PermissionDenied(_("Only the core team reviews LTO reports."))
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review_report(actor=request.user, channel=Channel.PAGE, report=report,
                                   **form.cleaned_data)
        except services.ReportRejected as refused:
            for key, reason in refused.errors.items():
                messages.error(request, f"{form[key].label if key in form.fields else key}: "
                                        f"{reason}")
        else:
            messages.success(request, _("The review was recorded."))
    return redirect("lto:report", pk=report.pk)


@lto_page
def rollup(request, mission: Mission):
    form = RollupForm(request.GET or None, mission=mission)
    found, filters = [], {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    heading = filters.pop("heading", Heading.CAMPAIGN_ENVIRONMENT)
    if not form.is_bound or form.is_valid():
        found = services.rollup(
            permissions.reports_visible_to(request.user, mission), heading=heading,
            reader=request.user, mission=mission, period=filters.get("period"),
            region=filters.get("region"), tag=filters.get("tag", ""),
            text=filters.get("q", ""))
    context = {"form": form, "found": found, "heading": Heading(heading),
               "flash": ReportKind.FLASH}
    return render(request, "lto/rollup.html", context)
