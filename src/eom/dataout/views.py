"""Downloads of the evidence: the submissions (wide, long, QA flags, revisions) and the
incident photos, scoped and filtered exactly as the submissions page lists them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.utils.translation import gettext as _

from eom.missions.access import mission_page
from eom.observation.filters import filter_form_for, filter_submissions
from eom.observation.permissions import submissions_listed_to

from . import photos, submissions
from .figures import FORMATS, channel_of, send_named_table, send_rows
from .pages import capfirst, media_tables
from .services import filters_of, record_export


def _bad(message: str) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def listed_reports(request, mission):
    """The reports the submissions page lists to the reader with the query string's filters;
    (None, errors) when a filter cannot be applied."""
    form = filter_form_for(request.GET, user=request.user, mission=mission)
    if not form.is_valid():
        return None, form, "; ".join(f"{field}: {' '.join(errors)}"
                                     for field, errors in form.errors.items())
    visible = submissions_listed_to(request.user, mission)
    return filter_submissions(visible, **form.cleaned_data), form, ""


@mission_page
def submissions_export(request, mission):
    """`?shape=wide|long|flags|revisions&format=csv|xlsx&values=codes|labels&lang=en|ru|kk`
    with the submissions page's filters (`form`, `region`, `team`, `flag` …)."""
    suffix = request.GET.get("format", "csv")
    if suffix not in FORMATS:
        return _bad(_("format: use csv or xlsx."))
    reports, form, errors = listed_reports(request, mission)
    if reports is None:
        return _bad(errors)
    shape = request.GET.get("shape", "wide")
    choices = submissions.Choices(labels=request.GET.get("values") == "labels",
                                  language=request.GET.get("lang", "en"))
    try:
        header, rows = submissions.table(shape, reports, form.cleaned_data["form"], choices)
    except submissions.ExportRefused as refused:
        return _bad(str(refused))
    chosen = form.cleaned_data["form"]
    name = f"submissions-{shape}" + (f"-{chosen.form_id}" if chosen else "")
    return send_rows(request, mission, name=name, table=f"submissions/{shape}", suffix=suffix,
                     header=header, rows=rows)


@mission_page
def photos_export(request, mission):
    """The photos of the reports listed with the query string's filters, as a ZIP with
    index.csv; 400 when they are more than one archive carries."""
    reports, _form, errors = listed_reports(request, mission)
    if reports is None:
        return _bad(errors)
    try:
        n_photos = photos.check_bounds(reports)
    except submissions.ExportRefused as refused:
        return _bad(str(refused))
    record_export(actor=request.user, channel=channel_of(request), mission=mission, table="photos",
                  format="zip", filters=filters_of(request.GET), n_rows=n_photos)
    response = StreamingHttpResponse(photos.archive(reports), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="photos.zip"'
    return response


# --- figure pages of other apps: the same figures, as files --------------------------------


@mission_page
def complaints_figures(request, mission):
    """The complaints register's figures page as a table: every count of its four tables
    (group, label, cases), as the reader sees the register."""
    from eom.complaints import permissions as complaints_permissions
    from eom.complaints import services as complaints_services

    if not complaints_permissions.can_read_cases(request.user, mission):
        raise PermissionDenied(_("You do not read the complaints register."))
    suffix = request.GET.get("format", "csv")
    if suffix not in FORMATS:
        return _bad(_("format: use csv or xlsx."))
    f = complaints_services.figures(complaints_permissions.cases_visible_to(request.user,
                                                                            mission))
    groups = [(_("By body"), f.by_body, True), (_("By subject"), f.by_subject, False),
              (_("By outcome"), f.by_outcome, True),
              (_("Appeals by outcome"), f.appeals_by_outcome, True)]
    rows = [[str(group), capfirst(c.label) if cap else str(c.label), c.n]
            for group, counts, cap in groups for c in counts]
    return send_rows(request, mission, name="complaints-figures", table="complaints/figures",
                     suffix=suffix, header=[_("Table"), _("Label"), _("Cases")], rows=rows)


@mission_page
def media_figures(request, mission):
    """The media monitoring figures page's tables, computed by the page's own context
    (`?period=` as on the page): `table=figures` (default: the share tables as one table) or
    `table=weeks` (each subject's share week by week)."""
    from eom.media import permissions as media_permissions
    from eom.media.views import figures_context

    if not media_permissions.can_read_media(request.user, mission):
        raise PermissionDenied(_("You do not read media monitoring."))
    suffix = request.GET.get("format", "csv")
    if suffix not in FORMATS:
        return _bad(_("format: use csv or xlsx."))
    return send_named_table(request, mission, media_tables(figures_context(request, mission)),
                            page="media", suffix=suffix)
