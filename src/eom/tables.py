"""Spreadsheets in and out: CSV (UTF-8, `,` `;` or tab), zipped CSV and XLSX, as a header and
rows of strings. The one table reader of eom: the Django imports (locations, people, official
results: `eom.missions.tabular` gives them the settings' limits) and the pure statistics
commands (`eom forensics`, `eom pvt`: `eom.stats.columns`) read files through it.

Reading never trusts the file: a wrong encoding, a binary file, an empty file, a quote left
open, a runaway line or a zip bomb ends in a `TableError` that says what is wrong and, where it
can, on which row, instead of a traceback or a process that swallows the machine's memory.
Files are read as a stream: a CSV file line by line (a first pass checks its bytes: binary data,
encoding), a workbook with openpyxl's read-only reader after its zip directory was checked
(eom.filelimits); `stream_table` hands the rows over one by one, `read_table` keeps them all.
The limits (file size, size unpacked, rows, columns) are eom.filelimits' defaults unless given.
Codes stay strings: `000123` keeps its zeros, and an Excel number 1234.0 reads as "1234".

Pure: no Django import. A `TableError` carries its `kind` and the figures of the problem in
`details`, so that a caller may word it itself (the statistics commands keep their English);
its `message` is worded here, through `translate_with`'s function when one is installed (the
missions app installs Django's gettext), else in English.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import math
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import ParseError

from eom.filelimits import DEFAULT_LIMITS, MB, FileLimits, ZipProblem, check_zip

CSV_SUFFIXES = {".csv", ".tsv", ".txt"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
DELIMITERS = (",", ";", "\t")
MAX_LINE_CHARS = 64 * 1024
_SNIFF_BYTES = 8192
_CHUNK = MB
_SPACE = b" \t\r\n\x0b\x0c"


_translate: Callable[[str], str] = str


def translate_with(gettext: Callable[[str], str]) -> None:
    """Word the messages with `gettext` from now on (Django's, in the web application)."""
    global _translate
    _translate = gettext


def _(message: str) -> str:
    return _translate(message)


class TableError(Exception):
    """The file cannot be read as a table; `row` is where it went wrong, when known. `kind`
    names the problem (missing, unreadable, empty, size, zip, no_csv, not_utf8, csv, …) and
    `details` holds its figures (size, limit, member, reason, error, problem)."""

    def __init__(self, message: str, row: int | None = None, *, kind: str = "",
                 **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.row = row
        self.kind = kind
        self.details = details


@dataclass(frozen=True, slots=True)
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


@dataclass
class TableStream:
    """A table read as it is used: `rows` yields the data rows once (rows with every cell empty
    are left out) and raises TableError where the file goes wrong."""

    name: str
    header: tuple[str, ...]
    rows: Iterator[Row]


@dataclass
class Records:
    """A table's records as the file holds them (cells untrimmed): the first one, and the rest
    as they are read (raising TableError where the file goes wrong)."""

    name: str
    header: list[str]
    rows: Iterator[list[str]]
    from_csv: bool  # a CSV file's cells may carry the quote `neutralised` added


def read_table(
    path: str | Path, *, sheet: str | None = None, limits: FileLimits | None = None
) -> Table:
    """Read a CSV or XLSX file (chosen by its extension) into a `Table` of trimmed strings.

    `sheet` names the XLSX sheet (the first one when None). Raises TableError.
    """
    stream = stream_table(path, sheet=sheet, limits=limits)
    return Table(name=stream.name, header=stream.header, rows=tuple(stream.rows))


def stream_table(
    path: str | Path, *, sheet: str | None = None, limits: FileLimits | None = None,
    zipped_csv: bool = False,
) -> TableStream:
    """Open a CSV or XLSX file (with `zipped_csv`, also the first CSV inside a .zip) for
    reading its rows one by one, trimmed (see `read_table`).

    The file as a whole (type, size, encoding, zip directory, header) is checked here and
    raises TableError; a row that goes wrong raises it while the rows are read.
    """
    limits = limits or DEFAULT_LIMITS
    records = open_records(path, sheet=sheet, limits=limits, zipped_csv=zipped_csv)
    return _stream(records.name, records.header, records.rows, limits, restore=records.from_csv)


def open_records(
    path: str | Path, *, sheet: str | None = None, limits: FileLimits | None = None,
    zipped_csv: bool = False, unknown_as_csv: bool = False,
) -> Records:
    """The records of a CSV or XLSX file, chosen by its extension; with `zipped_csv`, a .zip
    is read as the CSV it holds; with `unknown_as_csv`, a file of another extension is read as
    CSV (else refused). Checks the file as a whole, as `stream_table` does, but neither trims
    the cells nor counts the rows against the limits: the caller does."""
    path = Path(path)
    limits = limits or DEFAULT_LIMITS
    suffix = path.suffix.lower()
    if suffix == ".zip" and zipped_csv:
        return _zipped_csv(path, limits)
    if suffix == ".xls":
        raise TableError(
            _("%(name)s is in the old Excel format (.xls); save it as .xlsx or CSV UTF-8.")
            % {"name": path.name}, kind="type",
        )
    if suffix not in CSV_SUFFIXES | XLSX_SUFFIXES and not unknown_as_csv:
        raise TableError(
            _("%(name)s: unknown file type; use a .csv or .xlsx file.") % {"name": path.name},
            kind="type",
        )
    size = _size(path)
    if size == 0:
        raise TableError(_("%(name)s is empty.") % {"name": path.name}, kind="empty")
    check_size(path.name, size, limits)
    if suffix in XLSX_SUFFIXES:
        header, rows = _read_xlsx(path, sheet, limits)
        return Records(path.name, header, rows, from_csv=False)
    return csv_records(path.name, lambda _mode: path.open("rb"))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError as exc:
        raise TableError(
            _("%(name)s: cannot read the file (%(error)s).")
            % {"name": path.name, "error": exc.strerror or exc},
            kind="missing" if isinstance(exc, FileNotFoundError) else "unreadable",
        ) from exc


def _zipped_csv(path: Path, limits: FileLimits) -> Records:
    """The first CSV inside a .zip (`zip_member`), the archive's directory checked first."""
    check_size(path.name, _size(path), limits)
    problem = check_zip(path, limits)
    if problem is not None:
        raise TableError(zip_problem_text(path.name, problem), kind="zip", problem=problem)
    archive = zipfile.ZipFile(path)
    try:
        member = zip_member(archive)
        if member is None:
            raise TableError(_("%(name)s holds no .csv file.") % {"name": path.name},
                             kind="no_csv")
        check_size(f"{path.name}: {member.filename}", member.file_size, limits,
                   member=member.filename)
        records = csv_records(path.name, lambda _mode: archive.open(member))
    except BaseException:
        archive.close()
        raise
    return Records(records.name, records.header, _closing(records.rows, archive), True)


def _closing(rows: Iterator[list[str]], archive: zipfile.ZipFile) -> Iterator[list[str]]:
    try:
        yield from rows
    finally:
        archive.close()


def zip_member(archive: zipfile.ZipFile) -> zipfile.ZipInfo | None:
    """The member of a zipped table to read: the first ``.csv`` file, else the only file."""
    members = [i for i in archive.infolist() if not i.is_dir()]
    csvs = [i for i in members if i.filename.lower().endswith(".csv")]
    if csvs:
        return csvs[0]
    return members[0] if len(members) == 1 else None


def check_size(name: str, size: int, limits: FileLimits, *, member: str = "") -> None:
    """Raise TableError when a file (or the archive's `member`) of `size` bytes is over the
    limit."""
    if size > limits.max_file_bytes:
        raise TableError(
            _("%(name)s is %(mb)s MB; the limit is %(limit)s MB.")
            % {"name": name, "mb": megabytes(size), "limit": megabytes(limits.max_file_bytes)},
            kind="size", size=size, limit=limits.max_file_bytes, member=member,
        )


def megabytes(size: int) -> str:
    """A size in MB with one decimal, rounded up (so that a size over a limit shows over it)."""
    return f"{math.ceil(size * 10 / MB) / 10:,.1f}"


def zip_problem_text(name: str, problem: ZipProblem) -> str:
    """Why a zip archive (a workbook, a zipped CSV) is refused, in the reader's language."""
    if problem.kind == "members":
        reason = _("it holds %(n)d files; the limit is %(limit)d") % {
            "n": problem.size, "limit": problem.limit}
    elif problem.kind == "unpacked":
        reason = _("it unpacks to %(mb)s MB; the limit is %(limit)s MB") % {
            "mb": megabytes(problem.size), "limit": megabytes(problem.limit)}
    elif problem.kind == "ratio":
        reason = _(
            "%(member)s unpacks to %(ratio)d times its packed size; the limit is %(limit)d "
            "(a zip bomb?)"
        ) % {"member": problem.member, "ratio": problem.size, "limit": problem.limit}
    elif problem.kind == "part":
        reason = _(
            "%(member)s unpacks to %(mb)s MB; a workbook's part other than a sheet holds at most "
            "%(limit)s MB"
        ) % {"member": problem.member, "mb": megabytes(problem.size),
             "limit": megabytes(problem.limit)}
    elif problem.kind == "cell":
        reason = _(
            "%(member)s holds more than %(limit)d bytes of text in one cell; a spreadsheet cell "
            "holds at most 32,767 characters"
        ) % {"member": problem.member, "limit": problem.limit}
    else:
        reason = _("it is not a readable zip archive")
    return _("%(name)s is refused: %(reason)s.") % {"name": name, "reason": reason}


# --- CSV ------------------------------------------------------------------------------------


def csv_records(name: str, opener: Callable[[str], IO[bytes]]) -> Records:
    """The records of the CSV text that `opener("rb")` gives (opened twice: its bytes are
    checked first).

    Raises TableError for an XLSX or UTF-16 file, binary data, a byte that is not UTF-8 or an
    empty file; while the rows are read, for a line over the limit, a quote left open or a
    cell that runs over several lines and holds what look like whole rows.
    """
    with opener("rb") as handle:
        start = _check_bytes(handle, name)
    handle = opener("rb")
    handle.seek(start)
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
    try:
        lines = _capped_lines(text, name)
        first = next(lines, "")
        delimiter = _sniff_delimiter(first[:_SNIFF_BYTES])
        reader = csv.reader(itertools.chain([first], lines), delimiter=delimiter, strict=True)
        header, rows = _csv_rows(reader, name, delimiter, text)
        return Records(name, header, rows, from_csv=True)
    except BaseException:
        text.close()
        raise


def _check_bytes(handle: IO[bytes], name: str) -> int:
    """One pass over the bytes: the first reason the file is not UTF-8 CSV text raises
    TableError (a zero byte anywhere before a byte that is not UTF-8 anywhere); returns where
    the text starts (after a byte-order mark)."""
    head = handle.read(4)
    if head.startswith(b"PK\x03\x04"):
        raise TableError(
            _("%(name)s is an Excel workbook (XLSX), not a CSV file; name it .xlsx.")
            % {"name": name}
        )
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise TableError(
            _(
                '%(name)s is UTF-16 text (Excel\'s "Unicode Text"), not UTF-8; re-save it as '
                '"CSV UTF-8" (in Excel: Save As → CSV UTF-8).'
            )
            % {"name": name}
        )
    start = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    handle.seek(start)
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = start  # of the chunk
    n_lines = 0  # line breaks before the chunk
    bad: tuple[int, int, int, str] | None = None  # first byte not UTF-8: offset, byte, line, why
    has_text = False
    while chunk := handle.read(_CHUNK):
        nul = chunk.find(b"\x00")
        if nul != -1:
            raise TableError(
                _(
                    "%(name)s is not a CSV text file: it holds binary data (a zero byte at byte "
                    "offset %(offset)d). Save the spreadsheet as CSV UTF-8 or XLSX."
                )
                % {"name": name, "offset": offset + nul},
                row=n_lines + chunk.count(b"\n", 0, nul) + 1,
            )
        if bad is None:
            bad = _undecodable(decoder, chunk, offset, n_lines)
        has_text = has_text or bool(chunk.strip(_SPACE))
        n_lines += chunk.count(b"\n")
        offset += len(chunk)
    if bad is None:
        bad = _undecodable(decoder, b"", offset, n_lines)
    if bad is not None:
        where, byte, line, reason = bad
        raise TableError(
            _(
                "%(name)s is not UTF-8 text: byte 0x%(byte)02X at byte offset %(offset)d cannot "
                "be read. It was probably saved in another encoding (such as Windows-1251); "
                're-save it as "CSV UTF-8" (in Excel: Save As → CSV UTF-8).'
            )
            % {"name": name, "byte": byte, "offset": where},
            row=line, kind="not_utf8", reason=reason,
        )
    if not has_text:
        raise TableError(_("%(name)s is empty.") % {"name": name}, kind="empty")
    return start


def _undecodable(decoder: codecs.IncrementalDecoder, chunk: bytes, offset: int,
                 n_lines: int) -> tuple[int, int, int, str] | None:
    """Decode `chunk` (at byte `offset`, after `n_lines` line breaks; b"" ends the file):
    None, or the first byte that is not UTF-8 as (offset, byte, line, the decoder's reason)."""
    pending = len(decoder.getstate()[0])
    try:
        decoder.decode(chunk, final=not chunk)
    except UnicodeDecodeError as exc:
        at = exc.start - pending  # in `chunk`; below 0 when the sequence began in the last one
        line = n_lines + chunk.count(b"\n", 0, max(at, 0)) + 1
        return offset + at, exc.object[exc.start], line, exc.reason
    return None


def _capped_lines(text: io.TextIOBase, name: str) -> Iterator[str]:
    number = 0
    while line := text.readline(MAX_LINE_CHARS + 1):
        number += 1
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
    text.close()


def _sniff_delimiter(first_line: str) -> str:
    counts = {}
    for delimiter in DELIMITERS:
        try:
            counts[delimiter] = len(next(csv.reader([first_line], delimiter=delimiter), []))
        except csv.Error:
            counts[delimiter] = 0
    return max(DELIMITERS, key=lambda d: counts[d])  # ties go to the first: ","


def _csv_rows(reader: Any, name: str, delimiter: str,
              text: io.TextIOBase) -> tuple[list[str], Iterator[list[str]]]:
    def records() -> Iterator[list[str]]:
        number = 0
        lines_read = 0
        width = 0
        try:
            for number, record in enumerate(reader, start=1):  # noqa: B007
                if reader.line_num - lines_read > 1 and width > 1:
                    _check_spanning(name, number, lines_read + 1, record, delimiter, width)
                lines_read = reader.line_num
                width = width or len(record)
                yield record
        except csv.Error as exc:
            raise TableError(
                _("%(name)s, row %(row)d: not valid CSV: %(reason)s.")
                % {"name": name, "row": number + 1, "reason": _csv_reason(exc, lines_read + 1)},
                row=number + 1, kind="csv", error=str(exc),
            ) from exc
        finally:
            text.close()

    rows = records()
    header = next(rows, None)
    if header is None:
        raise TableError(_("%(name)s is empty.") % {"name": name}, kind="empty")
    return header, rows


def _csv_reason(exc: csv.Error, line: int) -> str:
    message = str(exc)
    if "field limit" in message:
        return _("a cell is longer than %(limit)d characters (a quote left open?)") % {
            "limit": csv.field_size_limit()
        }
    if "unexpected end of data" in message:
        return _(
            "a quote (\") opened on line %(line)d is never closed: the rest of the file would "
            "be one cell"
        ) % {"line": line}
    if "expected after" in message:
        return _(
            'a quote (") ends a quoted cell but more text follows it; write a quote inside a '
            'cell as two quotes ("")'
        )
    return message


def _check_spanning(name: str, number: int, line: int, record: list[str], delimiter: str,
                    width: int) -> None:
    """A quoted cell may hold line breaks; one that holds what look like whole rows of the file
    (lines with as many delimiters as the header) is a quote left open, not a cell."""
    for index, cell in enumerate(record):
        if "\n" not in cell and "\r" not in cell:
            continue
        following = cell.splitlines()[1:]
        if any(part.count(delimiter) >= width - 1 for part in following):
            raise TableError(
                _(
                    "%(name)s, row %(row)d, column %(column)d: the cell starting on line "
                    "%(line)d runs over %(n)d lines and holds what look like whole rows; a quote "
                    "(\") left open? Nothing was read from those lines."
                )
                % {"name": name, "row": number, "column": index + 1, "line": line,
                   "n": len(following) + 1},
                row=number,
            )


# --- XLSX -----------------------------------------------------------------------------------


def _read_xlsx(
    path: Path, sheet: str | None, limits: FileLimits
) -> tuple[list[str], Iterator[list[str]]]:
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
    problem = check_zip(path, limits, workbook=True)
    if problem is not None:
        raise TableError(zip_problem_text(name, problem), kind="zip", problem=problem)
    # Opened here, so that it is closed whatever happens: openpyxl leaves the file of a
    # workbook it fails to read open.
    handle = open(path, "rb")  # noqa: SIM115
    try:
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    # What a damaged or hostile workbook raises: zipfile raises NotImplementedError for a
    # member packed with a compression method it does not know.
    except (InvalidFileException, zipfile.BadZipFile, zlib.error, ParseError, KeyError, OSError,
            ValueError, NotImplementedError) as exc:
        handle.close()
        raise TableError(
            _("%(name)s is not a readable Excel workbook (XLSX): %(error)s.")
            % {"name": name, "error": exc}
        ) from exc

    def close() -> None:
        workbook.close()
        handle.close()

    names = workbook.sheetnames
    if not names:
        close()
        raise TableError(_("%(name)s has no sheets.") % {"name": name})
    if sheet is not None and sheet not in names:
        close()
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
        except (zipfile.BadZipFile, zlib.error, ParseError, KeyError, ValueError, OSError) as exc:
            raise TableError(
                _("%(name)s: the sheet cannot be read (%(error)s).") % {"name": name, "error": exc}
            ) from exc
        finally:
            close()

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


def _stream(
    name: str, header: list[str], records: Iterator[list[str]], limits: FileLimits,
    *, restore: bool,
) -> TableStream:
    """The header checked and the data rows as they come, trimmed (and, from a CSV file, with
    the quote `neutralised` added taken off again)."""
    header_cells = _trim(header, restore)
    if not any(header_cells):
        raise TableError(
            _("%(name)s has no header: row 1 is empty; the first row must name the columns.")
            % {"name": name},
            row=1,
        )
    _check_width(name, header_cells, 1, limits)

    def rows() -> Iterator[Row]:
        for number, record in enumerate(records, start=2):
            if number > limits.max_rows:
                raise TableError(
                    _("%(name)s has more than %(limit)d rows; split it into smaller files.")
                    % {"name": name, "limit": limits.max_rows},
                    row=number, kind="rows",
                )
            cells = _trim(record, restore)
            _check_width(name, cells, number, limits)
            if any(cells):
                yield Row(number, cells)

    return TableStream(name=name, header=header_cells, rows=rows())


def _trim(cells: Sequence[str], restore: bool) -> tuple[str, ...]:
    trimmed = [cell.strip() for cell in cells]
    while trimmed and not trimmed[-1]:
        trimmed.pop()
    if restore:
        trimmed = [restored(cell) if cell[:1] == "'" else cell for cell in trimmed]
    return tuple(trimmed)


def _check_width(name: str, cells: tuple[str, ...], number: int, limits: FileLimits) -> None:
    if len(cells) > limits.max_columns:
        raise TableError(
            _("%(name)s, row %(row)d has %(n)d columns; the limit is %(limit)d.")
            % {"name": name, "row": number, "n": len(cells), "limit": limits.max_columns},
            row=number,
        )


class MappingError(ValueError):
    """A column mapping's item that is not `ours=theirs`; `pair` is that item, for the caller to
    word its own message."""

    def __init__(self, pair: str) -> None:
        super().__init__(pair)
        self.pair = pair


def parse_mapping(items: Iterable[str], *, split: bool = True) -> dict[str, str]:
    """Our column → the file's header, from `ours=theirs` items: `["code=Код,name_ru=Название"]`
    or the lines of a text box (`split`: items may hold several pairs, separated by commas or
    new lines; blank ones are skipped). MappingError names the first item without `=` or with
    an empty side."""
    mapping: dict[str, str] = {}
    for item in items:
        for pair in (item.replace("\n", ",").split(",") if split else [item]):
            if split and not pair.strip():
                continue
            ours, sep, theirs = pair.partition("=")
            if not sep or not ours.strip() or not theirs.strip():
                raise MappingError(pair.strip() if split else pair)
            mapping[ours.strip()] = theirs.strip()
    return mapping


class ColumnError(ValueError):
    """The header lacks columns asked for, or a mapping names columns that are not ours:
    `problems` lists them as (our column, reason). `problem` is the structured cause, when the
    caller words it itself (eom.stats.columns' ColumnProblem: a spec that found no column)."""

    def __init__(self, problems: list[tuple[str, str]], problem: Any = None) -> None:
        super().__init__("; ".join(f"{column}: {reason}" if column else reason
                                   for column, reason in problems))
        self.problems = problems
        self.problem = problem


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
        at = positions.get(theirs.strip().casefold())
        if at is not None:
            found[ours] = at
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

# A cell starting with one of these is a formula to a spreadsheet (OWASP, "CSV injection").
FORMULA_STARTS = frozenset("=+-@\t\r")


def neutralised(text: str) -> str:
    """A CSV text cell that no spreadsheet runs as a formula: "'" is put before a text that
    starts with "=", "+", "-", "@", a tab or a carriage return, as spreadsheets expect ("'" is
    their mark of a text cell), and before one that already starts with "'" and then one of
    those, so that `restored` gives back exactly the text written."""
    if text.lstrip("'")[:1] in FORMULA_STARTS:
        return "'" + text
    return text


def restored(text: str) -> str:
    """The text `neutralised` was given: one leading "'" taken off a cell of the form
    "'…'=…" (a user's own "'=" is read the way a spreadsheet shows it, as "=")."""
    if text[:1] == "'" and text.lstrip("'")[:1] in FORMULA_STARTS:
        return text[1:]
    return text



def write_table(
    path: str | Path,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    sheet: str = "Sheet1",
) -> int:
    """Write a CSV (UTF-8 with BOM, so that Excel reads it right) or an XLSX, by extension.

    Strings are written as text, and never as something a spreadsheet runs: a CSV cell that
    starts with "=", "+", "-", "@", a tab or a carriage return gets a leading "'" (see
    `neutralised`; reading the file back takes it off), an XLSX text cell is a string with
    Excel's quote prefix. Numbers stay numbers (-5 is written as -5). The file appears whole or
    not at all: it is written beside `path` and renamed at the end. Returns the number of data
    rows.
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


def _write_csv(path: Path, delimiter: str, header: Sequence[str],
               rows: Iterable[Sequence[Any]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow([neutralised(title) for title in header])
        for row in rows:
            writer.writerow(
                [
                    "" if value is None else neutralised(value) if isinstance(value, str) else value
                    for value in row
                ]
            )
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

    def cell(value: Any) -> Any:
        if isinstance(value, str):
            item = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("", value))
            item.data_type = "s"
            if value.lstrip("'")[:1] in FORMULA_STARTS:
                item.quotePrefix = True  # what Excel stores for a cell typed as '=…
            return item
        return value

    sheet.append([cell(title) for title in header])
    count = 0
    for row in rows:
        sheet.append([cell(value) for value in row])
        count += 1
    workbook.save(path)
    return count
