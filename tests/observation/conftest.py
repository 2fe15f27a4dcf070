"""Helpers shared by the observation tests (no database here)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook

Rows = Sequence[Sequence[object]]

SETTINGS = [("form_id", "version", "stage"), ("voting", "2023031901", "voting")]


def write_xlsform(
    path: Path,
    survey: Rows | None,
    choices: Rows | None = None,
    settings: Rows | None = SETTINGS,
    qa: Rows | None = None,
    indicators: Rows | None = None,
) -> Path:
    """An XLSForm workbook with the given sheets (first row = headers); None leaves a sheet out."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in (("survey", survey), ("choices", choices), ("settings", settings),
                        ("qa", qa), ("indicators", indicators)):
        if rows is None:
            continue
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    if not book.worksheets:
        book.create_sheet("notes").append(["nothing here"])
    book.save(path)
    return path


@pytest.fixture
def xlsform(tmp_path) -> Callable[..., Path]:
    """`xlsform(survey=[...], choices=[...], ...)` writes form.xlsx in tmp_path."""

    def make(survey: Rows | None, name: str = "form.xlsx", **sheets) -> Path:
        return write_xlsform(tmp_path / name, survey, **sheets)

    return make
