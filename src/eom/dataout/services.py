"""Every export is recorded: an `Export` row and its audit entry, in one transaction."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction

from eom.missions import audit
from eom.missions.models import Mission

from .models import Export

MAX_FILTERS = 30
MAX_FILTER_CHARS = 200
NOT_FILTERS = {"format", "table", "page", "csrfmiddlewaretoken"}


def filters_of(query: Mapping[str, str]) -> dict[str, str]:
    """The filters of a query string as recorded: its pairs other than the download's own
    (format, table, page), at most 30, each value cut at 200 characters."""
    kept = {}
    for key, value in query.items():
        if key in NOT_FILTERS or not value:
            continue
        kept[str(key)[:MAX_FILTER_CHARS]] = str(value)[:MAX_FILTER_CHARS]
        if len(kept) == MAX_FILTERS:
            break
    return kept


def record_export(*, actor, channel: str, mission: Mission, table: str, format: str,
                  filters: Mapping[str, str], n_rows: int) -> Export:
    """Record one export (who, which table, which filters, how many rows) and audit it.

    Side effects: an `Export` row and an audit entry ("create", dataout.export), in one
    transaction."""
    with transaction.atomic():
        export = Export.objects.create(
            mission=mission, table=table[:100], format=format[:10], filters=dict(filters),
            n_rows=n_rows, actor=actor if getattr(actor, "pk", None) else None, channel=channel)
        audit.record(actor=actor if getattr(actor, "pk", None) else None, channel=channel,
                     action="create", obj=export, mission=mission,
                     changes={"table": [None, export.table], "format": [None, export.format],
                              "filters": [None, export.filters], "n_rows": [None, n_rows]})
    return export
