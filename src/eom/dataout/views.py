"""Downloads of the evidence: the submissions (wide, long, QA flags, revisions) and the
incident photos, scoped and filtered exactly as the submissions page lists them."""

from __future__ import annotations

from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.utils.translation import gettext as _

from eom.missions.access import mission_page
from eom.missions.models import Channel
from eom.observation.filters import filter_form_for, filter_submissions
from eom.observation.permissions import submissions_listed_to

from . import photos, submissions
from .figures import FORMATS, send_rows
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
    found = photos.photos_of(reports)
    try:
        n_photos = photos.check_bounds(found)
    except submissions.ExportRefused as refused:
        return _bad(str(refused))
    record_export(actor=request.user, channel=Channel.PAGE, mission=mission, table="photos",
                  format="zip", filters=filters_of(request.GET), n_rows=n_photos)
    response = StreamingHttpResponse(photos.archive(found), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="photos.zip"'
    return response
