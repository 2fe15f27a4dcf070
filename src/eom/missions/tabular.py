"""Spreadsheets on the Django side: eom.tables (the one table reader and writer, pure) with the
limits of the settings (EOM_IMPORT_LIMITS) unless given. Its messages are in the reader's
language: the missions app hands it Django's gettext when it starts (apps.py)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse

from eom import tables
from eom.filelimits import FileLimits
from eom.tables import neutralised, restored, write_table

__all__ = ["import_limits", "neutralised", "read_table", "restored", "saved_upload",
           "stream_table", "table_download", "write_table"]

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


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


@contextmanager
def saved_upload(upload) -> Iterator[Path]:
    """An uploaded file written to a temporary folder under its own name (the readers open a
    file by its path and tell CSV from XLSX by the name); the folder is removed afterwards."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(upload.name).name
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        yield path


def table_download(name: str, suffix: str, header: Sequence[str], rows: Iterable[Sequence],
                   *, sheet: str) -> HttpResponse:
    """A table as a file to download, `name.csv` or `name.xlsx` (`suffix`, checked by the
    caller), written by the one table writer."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{name}.{suffix}"
        write_table(path, header, rows, sheet=sheet)
        content = path.read_bytes()
    response = HttpResponse(content, content_type=CONTENT_TYPES[suffix])
    response["Content-Disposition"] = f'attachment; filename="{path.name}"'
    return response
