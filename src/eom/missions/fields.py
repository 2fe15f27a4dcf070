"""Model fields of eom's own."""

from __future__ import annotations

from django.db import models


class BulkJSONField(models.JSONField):
    """A JSONField for rows that are inserted many at a time (reports, their QA flags, audit
    entries). On PostgreSQL, Django inserts a batch as UNNEST over one array per column; a JSON
    document inside an array literal is then escaped in Python character by character, which
    costs more than the planning UNNEST saves. A field with its own placeholder makes Django
    insert the batch as rows of VALUES, one parameter per document (bench/bench_ingest.py)."""

    def get_placeholder(self, value, compiler, connection) -> str:
        return "%s"
