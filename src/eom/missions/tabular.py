"""Spreadsheets in and out: CSV (UTF-8, `,` `;` or tab) and XLSX, as a header and rows of strings.

Reading never trusts the file: a wrong encoding, a binary file, an empty file or a runaway line
ends in a `TableError` that says what is wrong and, where it can, on which row, instead of a
traceback or a process that swallows the machine's memory. Codes stay strings: `000123` keeps
its zeros, and an Excel number 1234.0 reads as "1234".
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

CSV_SUFFIXES = {".csv", ".tsv", ".txt"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
DELIMITERS = (",", ";", "\t")
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_LINE_CHARS = 64 * 1024
MAX_COLUMNS = 200
MAX_ROWS = 500_000
_SNIFF_BYTES = 8192


class TableError(Exception):
    """The file cannot be read as a table; `row` is where it went wrong, when known."""

    def __init__(self, message: str, row: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.row = row


@dataclass(frozen=True)
class Row:
    number: int  # as the user sees it: the header is row 1
    cells: tuple[str, ...]

    def get(self, index: int | None) -> str:
        if index is None or index >= len(self.cells):
            return ""
        return self.cells[index]


@dataclass(frozen=True)
class Table:
    name: str
    header: tuple[str, ...]
    rows: tuple[Row, ...]  # data rows only; rows with every cell empty are left out


def read_table(path: str | Path, *, sheet: str | None = None) -> Table:
    """Read a CSV or XLSX file (chosen by its extension) into a `Table` of trimmed strings.

    `sheet` names the XLSX sheet (the first one when None). Raises TableError.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise TableError(
            _("%(name)s is in the old Excel format (.xls); save it as .xlsx or CSV UTF-8.")
            % {"name": path.name}
        )
    if suffix not in CSV_SUFFIXES | XLSX_SUFFIXES:
        raise TableError(
            _("%(name)s: unknown file type; use a .csv or .xlsx file.") % {"name": path.name}
        )
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise TableError(
            _("%(name)s: cannot read the file (%(error)s).")
            % {"name": path.name, "error": exc.strerror or exc}
        ) from exc
    if size == 0:
        raise TableError(_("%(name)s is empty.") % {"name": path.name})
    if size > MAX_FILE_BYTES:
        raise TableError(
            _("%(name)s is %(mb)d MB; the limit is %(limit)d MB.")
            % {"name": path.name, "mb": size // 2**20, "limit": MAX_FILE_BYTES // 2**20}
        )
    if suffix in XLSX_SUFFIXES:
        header, rows = _read_xlsx(path, sheet)
    else:
        header, rows = _read_csv(path)
    return _table(path.name, header, rows)


# --- CSV ------------------------------------------------------------------------------------


def _read_csv(path: Path) -> tuple[list[str], Iterator[list[str]]]:
    data = path.read_bytes()
    name = path.name
    if data.startswith(b"PK\x03\x04"):
        raise TableError(
            _("%(name)s is an Excel workbook (XLSX), not a CSV file; name it .xlsx.")
            % {"name": name}
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise TableError(
            _(
                '%(name)s is UTF-16 text (Excel\'s "Unicode Text"), not UTF-8; re-save it as '
                '"CSV UTF-8" (in Excel: Save As → CSV UTF-8).'
            )
            % {"name": name}
        )
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    nul = data.find(b"\x00", start)
    if nul != -1:
        raise TableError(
            _(
                "%(name)s is not a CSV text file: it holds binary data (a zero byte at byte "
                "offset %(offset)d). Save the spreadsheet as CSV UTF-8 or XLSX."
            )
            % {"name": name, "offset": nul},
            row=data.count(b"\n", 0, nul) + 1,
        )
    try:
        text = data[start:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = start + exc.start
        raise TableError(
            _(
                "%(name)s is not UTF-8 text: byte 0x%(byte)02X at byte offset %(offset)d cannot "
                "be read. It was probably saved in another encoding (such as Windows-1251); "
                're-save it as "CSV UTF-8" (in Excel: Save As → CSV UTF-8).'
            )
            % {"name": name, "byte": data[offset], "offset": offset},
            row=data.count(b"\n", 0, offset) + 1,
        ) from exc
    del data
    if not text.strip():
        raise TableError(_("%(name)s is empty.") % {"name": name})
    delimiter = _sniff_delimiter(text[:_SNIFF_BYTES])
    reader = csv.reader(_capped_lines(text, name), delimiter=delimiter, strict=False)
    return _csv_rows(reader, name)


def _capped_lines(text: str, name: str) -> Iterator[str]:
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if len(line) > MAX_LINE_CHARS:
            raise TableError(
                _(
                    "%(name)s: line %(line)d is longer than %(limit)d characters; this does not "
                    "look like a spreadsheet saved as CSV."
                )
                % {"name": name, "line": number, "limit": MAX_LINE_CHARS},
                row=number,
            )
        yield line


def _sniff_delimiter(sample: str) -> str:
    first_line = sample.splitlines()[0] if sample.splitlines() else ""
    counts = {}
    for delimiter in DELIMITERS:
        try:
            counts[delimiter] = len(next(csv.reader([first_line], delimiter=delimiter), []))
        except csv.Error:
            counts[delimiter] = 0
    return max(DELIMITERS, key=lambda d: counts[d])  # ties go to the first: ","


def _csv_rows(reader, name: str) -> tuple[list[str], Iterator[list[str]]]:
    def records() -> Iterator[list[str]]:
        number = 0
        try:
            for number, record in enumerate(reader, start=1):  # noqa: B007
                yield record
        except csv.Error as exc:
            if "field limit" in str(exc):
                reason = _("a cell is longer than %(limit)d characters (a quote left open?)") % {
                    "limit": csv.field_size_limit()
                }
            else:
                reason = str(exc)
            raise TableError(
                _("%(name)s, row %(row)d: not valid CSV: %(reason)s.")
                % {"name": name, "row": number + 1, "reason": reason},
                row=number + 1,
            ) from exc

    rows = records()
    header = next(rows, None)
    if header is None:
        raise TableError(_("%(name)s is empty.") % {"name": name})
    return header, rows


# --- XLSX -----------------------------------------------------------------------------------


def _read_xlsx(path: Path, sheet: str | None) -> tuple[list[str], Iterator[list[str]]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    name = path.name
    if not zipfile.is_zipfile(path):
        raise TableError(
            _(
                "%(name)s is not an Excel workbook (XLSX): it is not a zip archive. If it is a "
                "CSV file, name it .csv."
            )
            % {"name": name}
        )
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise TableError(
            _("%(name)s is not a readable Excel workbook (XLSX): %(error)s.")
            % {"name": name, "error": exc}
        ) from exc
    names = workbook.sheetnames
    if not names:
        workbook.close()
        raise TableError(_("%(name)s has no sheets.") % {"name": name})
    if sheet is not None and sheet not in names:
        workbook.close()
        raise TableError(
            _("%(name)s has no sheet “%(sheet)s”; its sheets are: %(sheets)s.")
            % {"name": name, "sheet": sheet, "sheets": ", ".join(names)}
        )
    worksheet = workbook[sheet if sheet is not None else names[0]]
    worksheet.reset_dimensions()  # some writers declare wrong sizes

    def records() -> Iterator[list[str]]:
        try:
            for values in worksheet.iter_rows(min_row=1, values_only=True):
                yield [cell_text(value) for value in values]
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise TableError(
                _("%(name)s: the sheet cannot be read (%(error)s).") % {"name": name, "error": exc}
            ) from exc
        finally:
            workbook.close()

    rows = records()
    header = next(rows, None)
    if header is None:
        raise TableError(_("%(name)s: the sheet is empty.") % {"name": name})
    return header, rows


def cell_text(value: Any) -> str:
    """A cell's value as the user typed it: 1234.0 → "1234", None → "", dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


# --- both -----------------------------------------------------------------------------------


def _table(name: str, header: list[str], records: Iterator[list[str]]) -> Table:
    header_cells = _trim(header)
    if not any(header_cells):
        raise TableError(
            _("%(name)s has no header: row 1 is empty; the first row must name the columns.")
            % {"name": name},
            row=1,
        )
    _check_width(name, header_cells, 1)
    rows = []
    for number, record in enumerate(records, start=2):
        if number > MAX_ROWS:
            raise TableError(
                _("%(name)s has more than %(limit)d rows; split it into smaller files.")
                % {"name": name, "limit": MAX_ROWS},
                row=number,
            )
        cells = _trim(record)
        _check_width(name, cells, number)
        if any(cells):
            rows.append(Row(number, cells))
    return Table(name=name, header=header_cells, rows=tuple(rows))


def _trim(cells: Sequence[str]) -> tuple[str, ...]:
    trimmed = [cell.strip() for cell in cells]
    while trimmed and not trimmed[-1]:
        trimmed.pop()
    return tuple(trimmed)


def _check_width(name: str, cells: tuple[str, ...], number: int) -> None:
    if len(cells) > MAX_COLUMNS:
        raise TableError(
            _("%(name)s, row %(row)d has %(n)d columns; the limit is %(limit)d.")
            % {"name": name, "row": number, "n": len(cells), "limit": MAX_COLUMNS},
            row=number,
        )


class ColumnError(Exception):
    """The header lacks required columns or the mapping names unknown ones."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{column}: {reason}" for column, reason in problems))
        self.problems = problems  # (our column, reason)


def locate_columns(
    header: Sequence[str],
    columns: Iterable[str],
    *,
    required: Iterable[str],
    mapping: Mapping[str, str] | None = None,
) -> dict[str, int]:
    """Where each of our columns is in the file's header: {our column: index}.

    `mapping` is {our column: their header}; headers match case-insensitively after trimming.
    Optional columns missing from the header are left out of the result. Raises ColumnError
    naming every missing required column and every unknown mapping key.
    """
    columns = list(columns)
    mapping = dict(mapping or {})
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        key = title.strip().casefold()
        if key:
            positions.setdefault(key, index)
    problems: list[tuple[str, str]] = []
    for ours in mapping:
        if ours not in columns:
            problems.append(
                (
                    ours,
                    _("not a column of this file; the columns are: %(columns)s")
                    % {"columns": ", ".join(columns)},
                )
            )
    found: dict[str, int] = {}
    for ours in columns:
        theirs = mapping.get(ours, ours)
        index = positions.get(theirs.strip().casefold())
        if index is not None:
            found[ours] = index
        elif ours in set(required):
            if ours in mapping:
                reason = _("required column is missing: the header has no “%(theirs)s”") % {
                    "theirs": theirs
                }
            else:
                shown = [title for title in header if title.strip()]
                listed = ", ".join(shown[:12]) + (", …" if len(shown) > 12 else "")
                reason = _("required column is missing; the header has: %(header)s") % {
                    "header": listed
                }
            problems.append((ours, reason))
    if problems:
        raise ColumnError(problems)
    return found


# --- writing --------------------------------------------------------------------------------


def write_table(
    path: str | Path,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    sheet: str = "Sheet1",
) -> int:
    """Write a CSV (UTF-8 with BOM, so that Excel reads it right) or an XLSX, by extension.

    Strings are written as text (an XLSX cell starting with "=" is not a formula). The file
    appears whole or not at all: it is written beside `path` and renamed at the end. Returns the
    number of data rows.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in CSV_SUFFIXES | XLSX_SUFFIXES:
        raise TableError(
            _("%(name)s: unknown file type; use a .csv or .xlsx file.") % {"name": path.name}
        )
    partial = path.with_name(f".{path.name}.partial")
    try:
        if suffix in XLSX_SUFFIXES:
            count = _write_xlsx(partial, header, rows, sheet)
        else:
            count = _write_csv(partial, "\t" if suffix == ".tsv" else ",", header, rows)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return count


def _write_csv(path: Path, delimiter: str, header, rows) -> int:
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if value is None else value for value in row])
            count += 1
    return count


def _write_xlsx(
    path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]], title: str
) -> int:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])

    def cell(value: Any):
        if isinstance(value, str):
            item = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("", value))
            item.data_type = "s"
            return item
        return value

    sheet.append([cell(title) for title in header])
    count = 0
    for row in rows:
        sheet.append([cell(value) for value in row])
        count += 1
    workbook.save(path)
    return count
