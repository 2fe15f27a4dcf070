"""The media monitoring pages: the figures (shares of time and space with tone, state and
private outlets, weeks, as SVG charts and tables whose figures open their items), the items
list and its export, one item's form (to code it, change it or delete it), the coding sheet
upload, inter-coder reliability."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eom.missions.access import mission_page
from eom.missions.models import Channel, Mission
from eom.missions.tabular import saved_upload, table_download

from . import charts, figures, permissions, reliability, services
from .forms import ImportForm, ItemFilters, ItemForm
from .importer import import_items
from .models import Item, MonitoringPeriod, Tone

EXPORT_HEADER = ["outlet", "date", "programme", "seconds", "cm2", "subject_kind", "subject",
                 "tone", "topic", "language", "coder", "second_coding", "note", "synthetic"]


def media_page(view):
    """A mission page for those who read media monitoring (403 for everyone else)."""

    @mission_page
    def wrapper(request, mission: Mission, *args, **kwargs):
        if not permissions.can_read_media(request.user, mission):
            raise PermissionDenied(_("You do not read media monitoring."))
        return view(request, mission, *args, **kwargs)

    wrapper.__name__ = wrapper.__qualname__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _writer(request, mission: Mission) -> None:
    if not permissions.can_write_media(request.user, mission):
        raise PermissionDenied(_("Only the core team and administrators write media "
                                 "monitoring."))


def figures_context(request, mission: Mission) -> dict:
    """What the figures page shows, with `?period=` as its filter: computed once, drawn by the
    page and sent as files by its downloads (`eom.dataout`)."""
    periods = MonitoringPeriod.objects.filter(mission=mission)
    wanted = request.GET.get("period", "")
    period = (periods.filter(pk=int(wanted)).first()
              if wanted.isdigit() and len(wanted) < 10 else None)
    items = Item.objects.filter(mission=mission)
    if period is not None:
        items = items.filter(period=period)
    coded = figures.counted(items)
    extra = {"period": period.pk} if period else {}
    overall = [figures.share_table(coded, measure, **extra)
               for measure in (figures.TIME, figures.SPACE)]
    weeks = [figures.by_week(coded, measure) for measure in (figures.TIME, figures.SPACE)]
    return {
        "periods": periods, "period": period, "n_items": len(coded),
        "overall": [(t, charts.share_chart(t)) for t in overall if t.total],
        "ownership": [(o, label, t, charts.share_chart(t))
                      for o, label, t in figures.by_ownership(coded)],
        "outlets": figures.by_outlet(coded),
        "weeks": [(t, charts.week_chart(t)) for t in weeks if t.rows],
        "can_write": permissions.can_write_media(request.user, mission),
        "tone_legend": [(charts.TONE_COLOURS[tone.value], tone.label) for tone in Tone],
    }


@media_page
def figures_page(request, mission: Mission):
    return render(request, "media/figures.html", figures_context(request, mission))


def _filtered(request, mission: Mission):
    form = ItemFilters(request.GET or None, mission=mission)
    items = Item.objects.filter(mission=mission).select_related(
        "outlet", "party", "candidate", "topic")
    if form.is_bound and form.is_valid():
        items = figures.filter_items(items, **form.cleaned_data)
    elif form.is_bound:
        items = items.none()
    return form, items


@media_page
def items(request, mission: Mission):
    form, found = _filtered(request, mission)
    page = Paginator(found, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(),
               "total": sum(i.volume for i in page.object_list),
               "can_write": permissions.can_write_media(request.user, mission)}
    return render(request, "media/items.html", context)


@media_page
def items_export(request, mission: Mission):
    _form, found = _filtered(request, mission)
    suffix = request.GET.get("format", "csv")
    if suffix not in ("csv", "xlsx"):
        return HttpResponseBadRequest(_("format: must be csv or xlsx"))
    rows = ([i.outlet.name, i.date.isoformat(), i.programme, i.seconds, i.cm2, i.subject_kind,
             figures.subject_label(i), i.tone, i.topic.code if i.topic else "", i.language,
             i.coder, "yes" if i.second_coding else "no", i.note,
             "yes" if i.synthetic else "no"] for i in found.iterator(chunk_size=2000))
    return table_download("media-items", suffix, EXPORT_HEADER, rows, sheet="items")


@media_page
def item_create(request, mission: Mission):
    _writer(request, mission)
    return _item_page(request, mission)


@media_page
def item_edit(request, mission: Mission, pk: int):
    _writer(request, mission)
    item = get_object_or_404(Item.objects.select_related("outlet"), mission=mission, pk=pk)
    return _item_page(request, mission, item)


def _item_page(request, mission: Mission, item: Item | None = None):
    """The item form: a new item (back to an empty form once saved, for the next one) or
    `item` changed (back to the list)."""
    form = ItemForm(request.POST or None, mission=mission,
                    initial=vars(services.data_of(item)) if item else None)
    if request.method == "POST" and form.is_valid():
        try:
            if item is None:
                services.create_item(actor=request.user, channel=Channel.PAGE,
                                     mission=mission, data=form.to_data())
            else:
                services.update_item(actor=request.user, channel=Channel.PAGE, item=item,
                                     data=form.to_data())
        except services.ItemRejected as refused:
            form.show_errors(refused.errors)
        else:
            messages.success(request, _("The item was saved."))
            return redirect("media:item_create" if item is None else "media:items")
    return render(request, "media/item_form.html", {"form": form, "item": item})


@require_POST
@media_page
def item_delete(request, mission: Mission, pk: int):
    _writer(request, mission)
    item = get_object_or_404(Item, mission=mission, pk=pk)
    services.delete_item(actor=request.user, channel=Channel.PAGE, item=item)
    messages.success(request, _("The item was deleted."))
    return redirect("media:items")


@media_page
def import_sheet(request, mission: Mission):
    _writer(request, mission)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with saved_upload(upload) as path:
            report = import_items(mission, path, actor=request.user, channel=Channel.IMPORT,
                                  mapping=form.cleaned_data["mapping"],
                                  dry_run=form.cleaned_data["dry_run"])
    return render(request, "media/import.html", {"form": form, "report": report})


@media_page
def reliability_page(request, mission: Mission):
    return render(request, "media/reliability.html",
                  {"r": reliability.reliability(mission)})
