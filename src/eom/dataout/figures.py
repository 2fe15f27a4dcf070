"""The one way a figure page's tables go out as files.

A figure page computes what it shows once, in its view; `page_or_download` then either renders
the page or, when the query string asks for a file (`?format=csv|xlsx&table=NAME`, beside the
page's own filters), turns the same context into the named table with the page's table builder
(`tables(context) -> {name: FigureTable}`) and sends it. The filters are the page's: the view
read them from the same query string before either happened. Every download is recorded and
audited (`services.record_export`).

Numbers are written as numbers (counts as integers; percentages rounded to one decimal as the
page shows them, half away from zero like Django's `floatformat`); a cell the page shows as
"—" is empty.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from django.http import FileResponse, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from eom.missions.models import Channel, Mission
from eom.missions.tabular import CONTENT_TYPES, write_table

from .services import filters_of, record_export

FORMATS = ("csv", "xlsx")


@dataclass
class FigureTable:
    """A table of a page: its name in the download's URL, its column titles, its rows."""

    name: str
    header: Sequence[str]
    rows: list[Sequence[Any]] = field(default_factory=list)


Tables = Callable[[dict], Mapping[str, FigureTable]]


def one_decimal(value: float | None, places: int = 1) -> float | None:
    """`value` rounded to one decimal (or `places`) the way the page's `floatformat` shows
    it."""
    if value is None:
        return None
    step = Decimal(1).scaleb(-places)
    return float(Decimal(repr(float(value))).quantize(step, rounding=ROUND_HALF_UP))


def channel_of(request) -> str:
    """The channel an export goes out through: the page, or `eom export` (which asks the
    page's view for it)."""
    return getattr(request, "eom_channel", Channel.PAGE)


def wanted_format(request) -> str | None:
    """The file format the query string asks for; None when it asks for the page."""
    return request.GET.get("format") or None


def page_or_download(request, mission: Mission, template: str, context: dict, *, page: str,
                     tables: Tables, status: int = 200) -> HttpResponse:
    """The page, or with `?format=csv|xlsx&table=NAME` the named table of the same context as
    a file `<page>-<table>.<format>`; 400 naming the field for an unknown format or table."""
    suffix = wanted_format(request)
    if suffix is None:
        return render(request, template, context, status=status)
    if suffix not in FORMATS:
        return HttpResponseBadRequest(_("format: use csv or xlsx."), content_type="text/plain")
    return send_named_table(request, mission, tables(context) if status == 200 else {},
                            page=page, suffix=suffix)


def send_named_table(request, mission: Mission, built: Mapping[str, FigureTable], *, page: str,
                     suffix: str) -> HttpResponse:
    """The table the query string names (`table=`, else the first) among a page's tables, as a
    file; 400 naming the field when the page has no such table."""
    name = request.GET.get("table") or next(iter(built), "")
    table = built.get(name)
    if table is None:
        return HttpResponseBadRequest(
            _("table: this page has no table %(name)s; it has %(names)s.")
            % {"name": name[:50], "names": ", ".join(built) or "—"},
            content_type="text/plain")
    return send_table(request, mission, table, page=page, suffix=suffix)


def send_table(request, mission: Mission, table: FigureTable, *, page: str,
               suffix: str) -> HttpResponse:
    """The table as a file to download, recorded as an export of the reader."""
    return send_rows(request, mission, name=f"{page}-{table.name}",
                     table=f"{page}/{table.name}", suffix=suffix, header=table.header,
                     rows=table.rows)


def send_rows(request, mission: Mission, *, name: str, table: str, suffix: str,
              header: Sequence[str], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    """Rows written by the one table writer (`eom.tables.write_table`) to a temporary file,
    recorded as an export of the reader (with the number of rows written), and sent from the
    file (never whole in memory)."""
    filename = f"{slugify(name) or 'table'}.{suffix}"
    folder = tempfile.mkdtemp(prefix="eom-export-")
    try:
        path = Path(folder) / filename
        n_rows = write_table(path, header, rows, sheet=slugify(name)[:31] or "table")
        handle = path.open("rb")
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # the open file lives on until it is sent
    record_export(actor=request.user, channel=channel_of(request), mission=mission, table=table,
                  format=suffix, filters=filters_of(request.GET), n_rows=n_rows)
    return FileResponse(handle, as_attachment=True, filename=filename,
                        content_type=CONTENT_TYPES[suffix])
