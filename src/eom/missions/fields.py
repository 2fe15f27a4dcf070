"""Model fields of eom's own."""

from __future__ import annotations

import datetime as dt

from django.db import models


class BulkJSONField(models.JSONField):
    """A JSONField for rows that are inserted many at a time (reports, their QA flags, audit
    entries). On PostgreSQL, Django inserts a batch as UNNEST over one array per column; a JSON
    document inside an array literal is then escaped in Python character by character, which
    costs more than the planning UNNEST saves. A field with its own placeholder makes Django
    insert the batch as rows of VALUES, one parameter per document (bench/bench_ingest.py)."""

    def get_placeholder(self, value, compiler, connection) -> str:
        return "%s"


class ShownDateTimeField(models.DateTimeField):
    """A DateTimeField whose values can always be shown in the mission's time zone.

    A time within a day of the calendar's ends (years 1 and 9999), which only input from before
    the observation period was checked can have stored, cannot be moved into a time zone: every
    page showing it would fail. Such a value is read as the same moment a day further from the
    end, still plainly wrong to a reader, and shown. Migrations see a plain DateTimeField.
    """

    _EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC) + dt.timedelta(days=1)
    _LATEST = dt.datetime.max.replace(tzinfo=dt.UTC) - dt.timedelta(days=1)

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
        if aware < self._EARLIEST:
            return self._EARLIEST
        if aware > self._LATEST:
            return self._LATEST
        return value

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateTimeField", args, kwargs
