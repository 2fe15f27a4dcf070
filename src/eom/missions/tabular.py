"""Spreadsheets on the Django side: eom.tables (the one table reader and writer, pure) with the
limits of the settings (EOM_IMPORT_LIMITS) unless given. Its messages are in the reader's
language: the missions app hands it Django's gettext when it starts (apps.py)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from eom import tables
from eom.filelimits import FileLimits
from eom.tables import neutralised, restored, write_table

__all__ = ["import_limits", "neutralised", "read_table", "restored", "stream_table",
           "write_table"]


def import_limits() -> FileLimits:
    """The limits on imported files, from the settings (EOM_IMPORT_*)."""
    return settings.EOM_IMPORT_LIMITS


def read_table(
    path: str | Path, *, sheet: str | None = None, limits: FileLimits | None = None
) -> tables.Table:
    """`eom.tables.read_table` within the settings' limits."""
    return tables.read_table(path, sheet=sheet, limits=limits or import_limits())


def stream_table(
    path: str | Path, *, sheet: str | None = None, limits: FileLimits | None = None,
    zipped_csv: bool = False,
) -> tables.TableStream:
    """`eom.tables.stream_table` within the settings' limits."""
    return tables.stream_table(path, sheet=sheet, limits=limits or import_limits(),
                               zipped_csv=zipped_csv)
