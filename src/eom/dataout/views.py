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
from .figures import FORMATS, channel_of, send_rows
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


def _capfirst(text) -> str:
    text = str(text)
    return text[:1].upper() + text[1:]


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
    rows = [[str(group), _capfirst(c.label) if cap else str(c.label), c.n]
            for group, counts, cap in groups for c in counts]
    return send_rows(request, mission, name="complaints-figures", table="complaints/figures",
                     suffix=suffix, header=[_("Table"), _("Label"), _("Cases")], rows=rows)


def _percent(value) -> float | None:
    """A media share as its page shows it (per cent, one decimal)."""
    return None if value is None else round(float(value) * 100, 1)


@mission_page
def media_figures(request, mission):
    """The media monitoring figures page's share tables as one table: the outlets they cover
    (all, state or private, one outlet), the measure, each subject's volume, share and tones,
    and each table's total; `?period=` as on the page."""
    from eom.media import figures as media
    from eom.media import permissions as media_permissions
    from eom.media.models import Item, MonitoringPeriod

    if not media_permissions.can_read_media(request.user, mission):
        raise PermissionDenied(_("You do not read media monitoring."))
    suffix = request.GET.get("format", "csv")
    if suffix not in FORMATS:
        return _bad(_("format: use csv or xlsx."))
    items = Item.objects.filter(mission=mission)
    wanted = request.GET.get("period", "")
    period = (MonitoringPeriod.objects.filter(mission=mission, pk=int(wanted)).first()
              if wanted.isdigit() and len(wanted) < 10 else None)
    if period is not None:
        items = items.filter(period=period)
    coded = media.counted(items)
    tables = [(_("All outlets"), media.share_table(coded, measure))
              for measure in (media.TIME, media.SPACE)]
    tables = [(scope, t) for scope, t in tables if t.total]
    tables += [(_capfirst(label), t) for _o, label, t in media.by_ownership(coded)]
    tables += [(o.name, o.table) for o in media.by_outlet(coded)]
    rows = []
    for scope, table in tables:
        for row in table.rows:
            rows.append([scope, table.measure_label, row.label, row.volume, _percent(row.share),
                         *(_percent(row.tone_shares.get(tone)) for tone in
                           ("positive", "neutral", "negative"))])
        rows.append([scope, table.measure_label, _("total"), table.total, None, None, None,
                     None])
    header = [_("outlets"), _("measure"), _("subject"), _("volume"), _("share"), _("positive"),
              _("neutral"), _("negative")]
    return send_rows(request, mission, name="media-figures", table="media/figures",
                     suffix=suffix, header=header, rows=rows)
