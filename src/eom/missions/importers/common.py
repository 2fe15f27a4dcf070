"""What the location and people imports share: the report, its row errors, opening the file,
finding the columns, reading the rows by code."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from eom.tables import ColumnError, Table, TableError, TableStream, locate_columns

from ..models import (
    LocationLevel,
)
from ..tabular import stream_table

MAX_ERRORS = 200
BATCH = 1000

YES = {"yes", "1", "true", "y"}
NO = {"no", "0", "false", "n", ""}


class RowError(NamedTuple):
    """One problem in the file: row as the user sees it (None: the whole file), column, reason."""

    row: int | None
    column: str
    reason: str

    def __str__(self) -> str:
        if self.row is None:
            return f"column {self.column}: {self.reason}" if self.column else self.reason
        if self.column:
            return f"row {self.row}, column {self.column}: {self.reason}"
        return f"row {self.row}: {self.reason}"


@dataclass
class ImportReport:
    """What an import did (or, in a dry run or with errors, what it would do)."""

    kind: str
    source: str
    dry_run: bool = False
    n_created: int = 0
    n_updated: int = 0
    n_unchanged: int = 0
    n_teams_created: int = 0
    n_teams_updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    n_errors: int = 0  # every error found; `errors` lists the first MAX_ERRORS of them

    @property
    def ok(self) -> bool:
        return self.n_errors == 0

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def error(self, row: int | None, column: str, reason: str) -> None:
        self.errors.append(RowError(row, column, reason))

    def _finish(self, columns: tuple[str, ...]) -> ImportReport:
        order = {name: i for i, name in enumerate(columns)}
        self.errors.sort(key=lambda e: (e.row or 0, order.get(e.column, -1)))
        self.n_errors = len(self.errors)
        del self.errors[MAX_ERRORS:]
        if self.n_errors:
            self.n_created = self.n_updated = self.n_unchanged = 0
            self.n_teams_created = self.n_teams_updated = 0
        return self

    def lines(self) -> list[str]:
        """The report as the command prints it: figures, then one line per error."""
        if not self.ok:
            lines = [
                ngettext(
                    "%(source)s: %(n)d error; nothing was written.",
                    "%(source)s: %(n)d errors; nothing was written.",
                    self.n_errors,
                )
                % {"source": self.source, "n": self.n_errors}
            ]
            lines += [str(error) for error in self.errors]
            if self.n_errors > len(self.errors):
                lines.append(
                    _("… and %(n)d more errors.") % {"n": self.n_errors - len(self.errors)}
                )
            return lines
        lines = [
            f"{label:<9} {count:>7,}"
            for label, count in (
                (_("created"), self.n_created),
                (_("updated"), self.n_updated),
                (_("unchanged"), self.n_unchanged),
            )
        ]
        if self.kind == "people":
            lines.append(
                _("teams: %(created)d created, %(updated)d updated")
                % {"created": self.n_teams_created, "updated": self.n_teams_updated}
            )
        if self.dry_run:
            lines.append(_("Dry run: the file is valid; nothing was written."))
        return lines


def _name_of(source: str | Path | Table) -> str:
    return source.name if isinstance(source, Table) else Path(source).name


def _open(
    source: str | Path | Table, sheet: str | None, report: ImportReport
) -> Table | TableStream | None:
    """The file as a stream of rows (None when it cannot be read: the reason is reported)."""
    if isinstance(source, Table):
        return source
    try:
        return stream_table(source, sheet=sheet)
    except TableError as exc:
        report.error(exc.row, "", exc.message)
        return None


def _columns(
    table: Table | TableStream,
    columns: tuple[str, ...],
    required: tuple[str, ...],
    mapping: Mapping[str, str] | None,
    report: ImportReport,
) -> dict[str, int] | None:
    try:
        return locate_columns(table.header, columns, required=required, mapping=mapping)
    except ColumnError as exc:
        for column, reason in exc.problems:
            report.error(1, column, reason)
        return None


@dataclass
class Opened:
    """A file opened for an import: its report, its rows and where our columns are (`found`
    None when the file could not be read or lacks columns: the reasons are in the report)."""

    report: ImportReport
    table: Table | TableStream | None
    found: dict[str, int] | None


def open_import(kind: str, source: str | Path | Table, *, sheet: str | None,
                columns: tuple[str, ...], required: tuple[str, ...],
                mapping: Mapping[str, str] | None, dry_run: bool) -> Opened:
    """The first steps of every import: the report, the file read, its columns located."""
    report = ImportReport(kind, _name_of(source), dry_run=dry_run)
    table = _open(source, sheet, report)
    if table is None:
        return Opened(report, None, None)
    report.source = table.name
    return Opened(report, table, _columns(table, columns, required, mapping, report))


def _check_length(report: ImportReport, row: int, column: str, value: str, limit: int) -> bool:
    if len(value) > limit:
        report.error(
            row,
            column,
            _("too long: %(n)d characters, at most %(limit)d") % {"n": len(value), "limit": limit},
        )
        return False
    return True


def _limit(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def _english_choices(choices) -> dict[str, str]:
    """{spelling: value} for a TextChoices: its values, their English labels, with spaces."""
    lookup: dict[str, str] = {}
    with translation.override("en"):
        for value, label in choices.choices:
            for spelling in (value, value.replace("_", " "), str(label)):
                lookup.setdefault(spelling.casefold(), value)
    return lookup


def _label(level: str) -> str:
    return str(LocationLevel(level).label)




def _rows_by_code(table, parse, report) -> dict:
    """The parsed rows by code; a code seen again is an error naming the row it was first on."""
    rows: dict = {}
    first_row: dict[str, int] = {}
    try:
        for row in table.rows:
            _take(row, parse, rows, first_row, report)
    except TableError as exc:  # the file goes wrong further down: nothing will be written
        report.error(exc.row, "", exc.message)
    return rows


def _take(row, parse, rows: dict, first_row: dict[str, int], report) -> None:
    parsed = parse(row)
    if parsed is None:
        return
    if parsed.code in first_row:
        report.error(
            row.number,
            "code",
            _("duplicate code “%(code)s”: already on row %(first)d")
            % {"code": parsed.code, "first": first_row[parsed.code]},
        )
        return
    first_row[parsed.code] = row.number
    rows[parsed.code] = parsed
