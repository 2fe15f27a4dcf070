"""How the columns of a per-station results file map to protocol lines and parties.

This is the one definition shared by the results importer (``eom results import`` and the
import page) and the pure readers (``eom forensics``, ``eom pvt``, :mod:`.stationfile`). It
does not import Django.

A mapping is ``{our field: spec}``. Our fields are the place columns (``location_code``,
``region``, ``district``, ``station``), the protocol lines (:data:`LINES`) and party codes. A
spec names their header(s):

- ``name`` — the header equal to ``name`` (ignoring case and surrounding spaces), else the one
  header that contains it; two or more containing it is an error;
- ``a + b`` — several columns added up (ballots issued early + in the station + outside);
- ``a*`` — every column whose header contains ``a``, added up (at least one);
- ``a | b`` — the first alternative present (the registered-voters line is «внесенных в
  список» in the 2011 files and «включенных в список» in later ones).

A preset is a named mapping for a known file format, with an optional pattern for its party
columns. A user mapping is laid over the preset. Errors are :class:`ColumnProblem` values with a
``kind`` and their parts, so that the importer can word them in the reader's language; their
``message`` is English.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from eom import tables
from eom.filelimits import DEFAULT_LIMITS, MB, FileLimits
from eom.tables import ColumnError, TableError, open_records

# The fixed lines of a protocol, in the order of the Kazakh protocol form.
LINES = (
    "n_registered",
    "n_received",
    "n_issued",
    "n_cancelled",
    "n_in_boxes",
    "n_invalid",
    "n_valid",
    "n_against_all",
)
PLACE_FIELDS = ("location_code", "region", "district", "station")
FIELDS = (*PLACE_FIELDS, *LINES)
FIELD_TITLES = {
    "location_code": "polling station code",
    "region": "region",
    "district": "district",
    "station": "polling station",
    "n_registered": "registered voters",
    "n_received": "ballots received",
    "n_issued": "ballots issued",
    "n_cancelled": "ballots cancelled",
    "n_in_boxes": "ballots in the boxes",
    "n_invalid": "invalid ballots",
    "n_valid": "valid ballots",
    "n_against_all": "against all",
}


@dataclass(frozen=True)
class Preset:
    name: str
    mapping: dict[str, str]
    party_pattern: str = ""  # a regular expression matched at the start of party headers
    description: str = ""
    required: tuple[str, ...] = ()  # fields a file of this format must give


REGISTERED_2011_OR_LATER = "внесенных в список | включенных в список"

PRESETS = {
    "demo": Preset(
        "demo",
        {},
        description="location_code, n_registered … n_against_all, one column per party code",
    ),
    "duma2011": Preset(
        "duma2011",
        {
            "region": "region",
            "district": "tik",
            "station": "uik",
            "n_registered": REGISTERED_2011_OR_LATER,
            "n_received": "бюллетеней, полученных",
            "n_issued": (
                "бюллетеней, выданных избирателям, проголосовавшим досрочно"
                " + бюллетеней, выданных избирателям в помещении"
                " + бюллетеней, выданных избирателям вне помещения"
            ),
            "n_cancelled": "число погашенных избирательных бюллетеней",
            "n_in_boxes": "бюллетеней в переносных ящиках + бюллетеней в стационарных ящиках",
            "n_invalid": "число недействительных избирательных бюллетеней",
            "n_valid": "число действительных избирательных бюллетеней",
        },
        party_pattern=r"\d+\.\s",
        description="Russian CEC per-station files (S. Shpilkin's scrape), headers by substring",
        required=("region", "district", "station", "n_registered", "n_issued", "n_invalid",
                  "n_valid"),
    ),
    "generic": Preset(
        "generic",
        {
            "region": "region | регион",
            "n_registered": f"{REGISTERED_2011_OR_LATER} | registered",
            "n_issued": "бюллетеней, выданных* | issued*",
            "n_invalid": "недействительных | invalid",
            "n_valid": "число действительных | valid",
        },
        description="Russian CEC files of any year or English headers (registered, issued, "
                    "invalid, valid), for the statistics",
        required=("n_registered", "n_issued", "n_invalid", "n_valid"),
    ),
}


@dataclass(frozen=True)
class ColumnProblem:
    """Why a spec found no column. ``kind``: absent, ambiguous, empty, unknown_field."""

    kind: str
    spec: str
    part: str = ""
    names: tuple[str, ...] = ()
    field: str = ""

    @property
    def message(self) -> str:
        if self.kind == "unknown_field":
            return (f"{self.field}: not a field of a protocol nor a party code; fields: "
                    f"{', '.join(FIELDS)}")
        if self.kind == "empty":
            return f"empty header name in “{self.spec}”"
        if self.kind == "ambiguous":
            names = "; ".join(f"“{n}”" for n in self.names)
            return (f"“{self.part}” matches several columns: {names}; name one fully, add "
                    "them with +, or end it with * to add up every match")
        if self.field in FIELD_TITLES:
            return (f"missing column for {FIELD_TITLES[self.field]} ({self.field}): no header "
                    f"matches “{self.spec}”")
        return f"no column matches “{self.spec}”"


def match(header: Iterable[str], spec: str) -> list[int]:
    """Column indexes for one spec (see the module docstring); raises :class:`ColumnError`."""
    header = tuple(header)
    folded = [title.strip().casefold() for title in header]
    for alternative in spec.split("|"):
        indexes: list[int] = []
        for part in alternative.split("+"):
            needle = part.strip().casefold()
            every = needle.endswith("*")
            needle = needle.rstrip("*").strip()
            if not needle:
                raise _column_error(ColumnProblem("empty", spec))
            if every:
                hits = [i for i, title in enumerate(folded) if needle in title]
            else:
                exact = [i for i, title in enumerate(folded) if title == needle]
                hits = exact or [i for i, title in enumerate(folded) if needle in title]
                if len(hits) > 1:
                    raise _column_error(ColumnProblem(
                        "ambiguous", spec, part.strip(), tuple(header[i] for i in hits[:5])))
            if not hits:
                indexes = []
                break
            indexes.extend(hits)
        if indexes:
            return indexes
    raise _column_error(ColumnProblem("absent", spec))


def _column_error(problem: ColumnProblem) -> ColumnError:
    return ColumnError([("", problem.message)], problem)


@dataclass
class ColumnMap:
    """Where our fields are in one header: field → indexes (added up), party code → indexes,
    the problems with fields the mapping asked for explicitly, and the mapping used."""

    fields: dict[str, list[int]] = field(default_factory=dict)
    parties: dict[str, list[int]] = field(default_factory=dict)
    problems: list[ColumnProblem] = field(default_factory=list)
    specs: dict[str, str] = field(default_factory=dict)

    def spec_of(self, name: str) -> str:
        return self.specs.get(name, name)


def map_columns(header: Iterable[str], preset: Preset | str = "generic",
                mapping: Mapping[str, str] | None = None,
                party_codes: Iterable[str] = ()) -> ColumnMap:
    """Find our fields (and the party codes given in the mapping) in a header.

    The user's ``mapping`` is laid over the preset's. A field the preset names but the header
    lacks is left out silently (a file need not give every line), unless the preset requires
    it; a field the user mapped explicitly must be there. Otherwise a problem is recorded. Fields named neither way are found
    by their own name (the demo format). Party columns beyond those mapped are the caller's to
    find (by party code or by ``preset.party_pattern``).
    """
    header = tuple(header)
    preset = PRESETS[preset] if isinstance(preset, str) else preset
    mapping = dict(mapping or {})
    codes = {code.casefold(): code for code in party_codes}
    merged = {**preset.mapping, **mapping}
    out = ColumnMap(specs=merged)
    for ours, spec in merged.items():
        if ours not in FIELDS and ours.casefold() not in codes:
            out.problems.append(ColumnProblem("unknown_field", spec, field=ours))
            continue
        try:
            indexes = match(header, spec)
        except ColumnError as exc:
            if ours in mapping or ours in preset.required:
                out.problems.append(ColumnProblem(
                    exc.problem.kind, exc.problem.spec, exc.problem.part, exc.problem.names,
                    field=ours))
            continue
        if ours in FIELDS:
            out.fields[ours] = indexes
        else:
            out.parties[codes[ours.casefold()]] = indexes
    for ours in FIELDS:  # the demo format: our own names
        if ours not in out.fields and ours not in merged:
            exact = [i for i, t in enumerate(header) if t.strip().casefold() == ours]
            if exact:
                out.fields[ours] = exact[:1]
    return out


def parse_mapping(items: Iterable[str]) -> dict[str, str]:
    """``["n_registered=Voters", "n_issued=early + on the day"]`` → a mapping (each item one
    pair: a header may hold a comma); ValueError when an item has no ``=``."""
    try:
        return tables.parse_mapping(items, split=False)
    except tables.MappingError as error:
        raise ValueError(
            f"--map {error.pair!r}: write FIELD=HEADER (e.g. n_registered=Voters)") from None


# --- reading a results file (eom.tables) ------------------------------------------------


class ResultsFileError(ValueError):
    """A results file cannot be read: the message names the file, column or row and reason."""


def read_table(path: str | Path,
               limits: FileLimits = DEFAULT_LIMITS) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV file (or zipped CSV, or workbook), read as a stream by
    :mod:`eom.tables`; every row must have the header's width, and there may be at most
    ``limits.max_rows`` rows (the header included). Problems raise :class:`ResultsFileError`
    naming the file."""
    number = 1
    try:
        records = open_records(path, limits=limits, zipped_csv=True, unknown_as_csv=True)
        header = [h.strip() for h in records.header]
        if len(header) > limits.max_columns:
            raise ResultsFileError(f"{path}: the header has {len(header):,} columns; the "
                                   f"limit is {limits.max_columns:,}")
        body: list[list[str]] = []
        for row in records.rows:
            if not row:
                continue
            number = len(body) + 2
            if number > limits.max_rows:
                raise ResultsFileError(f"{path}: more than {limits.max_rows:,} rows (the "
                                       "header included); split the file")
            if len(row) != len(header):
                raise ResultsFileError(f"{path}: row {number} has {len(row)} fields, the "
                                       f"header has {len(header)}")
            body.append(row)
    except TableError as exc:
        raise ResultsFileError(_file_problem(path, exc, number + 1)) from None
    return header, body


def _file_problem(path: str | Path, error: TableError, row: int) -> str:
    """The reader's problem in the statistics commands' words (English, naming the path)."""
    details = error.details
    if error.kind == "missing":
        return f"{path}: no such file"
    if error.kind == "size":
        what = f"{path}: {details['member']}" if details["member"] else str(path)
        return (f"{what} is {details['size'] / MB:,.1f} MB; the limit is "
                f"{details['limit'] / MB:,.1f} MB")
    if error.kind == "zip":
        return f"{path}: {details['problem'].message}"
    if error.kind == "no_csv":
        return f"{path}: the zip archive holds no .csv file"
    if error.kind == "empty":
        return f"{path}: the file is empty"
    if error.kind == "not_utf8":
        return f"{path}: not UTF-8 text ({details['reason']})"
    if error.kind == "csv":
        return (f"{path}: row {row}: not valid CSV ({details['error']}); a quote (\") left "
                "open?")
    return error.message


def integer_column(rows: list[list[str]], index: int, header: list[str],
                   path: str | Path) -> np.ndarray:
    """Column ``index`` as int64; an empty, non-integer or negative cell is an error naming
    its row (the header is row 1) and column."""
    cells = [row[index].strip() for row in rows]
    for number, cell in enumerate(cells):
        if not (cell.isascii() and cell.removeprefix("-").isdigit()):
            raise ResultsFileError(
                f"{path}: row {number + 2}, column {header[index]!r}: "
                f"{cell!r} is not a whole number"
            )
    values = np.array(cells, dtype=np.str_).astype(np.int64) if cells else \
        np.zeros(0, dtype=np.int64)
    negative = np.flatnonzero(values < 0)
    if negative.size:
        row = int(negative[0])
        raise ResultsFileError(
            f"{path}: row {row + 2}, column {header[index]!r}: {int(values[row])} is negative")
    return values


def summed_column(rows: list[list[str]], indexes: list[int], header: list[str],
                  path: str | Path) -> np.ndarray:
    """The columns ``indexes`` as int64, added up (see :func:`integer_column`)."""
    out = np.zeros(len(rows), dtype=np.int64)
    for index in indexes:
        out += integer_column(rows, index, header, path)
    return out


def party_columns(header: Iterable[str], preset: Preset | str) -> list[int]:
    """Indexes of the headers matching the preset's party pattern (none without one)."""
    preset = PRESETS[preset] if isinstance(preset, str) else preset
    if not preset.party_pattern:
        return []
    pattern = re.compile(preset.party_pattern)
    return [i for i, title in enumerate(header) if pattern.match(title)]
