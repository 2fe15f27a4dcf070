"""Model fields of eom's own."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import FieldError
from django.db import models

from . import crypto


class BulkJSONField(models.JSONField):
    """A JSONField for rows that are inserted many at a time (reports, their QA flags, audit
    entries). On PostgreSQL, Django inserts a batch as UNNEST over one array per column; a JSON
    document inside an array literal is then escaped in Python character by character, which
    costs more than the planning UNNEST saves. A field with its own placeholder makes Django
    insert the batch as rows of VALUES, one parameter per document (bench/bench_ingest.py)."""

    def get_placeholder(self, value, compiler, connection) -> str:
        return "%s"


class EncryptedMixin:
    """Text sealed with the data key in the database (`crypto`), plain text in Python.

    Reads and writes through the ORM are transparent. The database holds only tokens, so it
    cannot compare them: every lookup but `isnull` is refused (filter in Python after
    reading). The empty string is stored as it is, so a blank value stays blank.
    """

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value))

    def get_internal_type(self) -> str:
        return "TextField"  # a token is about 1.4 times the text, plus 100 characters

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        raise FieldError(
            f"{self.model.__name__}.{self.name} is encrypted in the database and cannot be "
            f"compared there (lookup {lookup_name!r}); filter in Python after reading."
        )

    def get_transform(self, lookup_name):
        return None


class EncryptedTextField(EncryptedMixin, models.TextField):
    """A TextField sealed with the data key."""


class EncryptedCharField(EncryptedMixin, models.CharField):
    """A CharField sealed with the data key: `max_length` bounds the text (forms, validation),
    the column holds the longer token."""


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
