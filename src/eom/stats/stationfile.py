"""Read per-polling-station official results from a CSV file (optionally inside a .zip).

Input: a path to ``.csv`` or ``.zip`` (the first ``.csv`` member, or the only member), UTF-8
(a BOM is accepted), comma-separated, one header row. Output: :class:`StationResults` with
numpy ``int64`` arrays, one element per polling station, in file order.

Columns are found by case-insensitive substring of the header, so the reader works on the
Central Election Commission of Russia files scraped by S. Shpilkin (Kobak, Shpilkin &
Pshenichnikov, AOAS 2016) whatever the year's wording, and on files with English headers:

- registered voters: «внесенных в список» (2011) or «включенных в список» (other years),
  or ``registered``;
- ballots issued: the sum of every «бюллетеней, выданных» column (early, in the station,
  outside the station), or ``issued`` / ``ballots``. This is what reproduces the CEC's
  published turnout (60.21 % in 2011; ballots found in the portable + stationary boxes give
  60.10 %);
- ballots counted (found in the boxes): «недействительных» + «действительных», or ``invalid`` +
  ``valid``; the leader's result is expressed as a share of these (49.31 % for United Russia in
  2011, the CEC's figure);
- the leader: the one column whose header contains the ``leader`` string (e.g. «Единая Россия»).

Errors: :class:`StationFileError` naming the file, the missing column or the row (1-based,
header = row 1) and field with the bad value.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REGISTERED = ("внесенных в список", "включенных в список", "registered")
ISSUED = ("бюллетеней, выданных", "issued")
INVALID = ("недействительных", "invalid")
REGION = ("region", "регион")


class StationFileError(ValueError):
    """A results file cannot be read: the message names the file, column or row and reason."""


@dataclass(frozen=True)
class StationResults:
    """Per-station counts (numpy int64 arrays of equal length) and the headers they came from.

    ``n_ballots`` = ballots issued (turnout numerator); ``n_counted`` = valid + invalid ballots
    found in the boxes (denominator of the leader's share).
    """

    n_registered: np.ndarray
    n_ballots: np.ndarray
    n_valid: np.ndarray
    n_invalid: np.ndarray
    n_leader: np.ndarray
    regions: tuple[str, ...]
    leader_column: str
    source: str

    @property
    def n_counted(self) -> np.ndarray:
        return self.n_valid + self.n_invalid

    @property
    def n_stations(self) -> int:
        return int(self.n_registered.size)


def read_text(path: str | Path) -> str:
    """Return the text of a CSV file, or of the CSV inside a zip archive."""
    path = Path(path)
    if not path.exists():
        raise StationFileError(f"{path}: no such file")
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if not n.endswith("/")]
            csvs = [n for n in names if n.lower().endswith(".csv")] or names
            if not csvs:
                raise StationFileError(f"{path}: the zip archive is empty")
            data = archive.read(csvs[0])
    else:
        data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StationFileError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def read_table(path: str | Path) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV file (or zipped CSV); every row must have the header's width."""
    text = read_text(path)
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise StationFileError(f"{path}: the file is empty")
    header = [h.strip() for h in rows[0]]
    body = [r for r in rows[1:] if r]
    for number, row in enumerate(body, start=2):
        if len(row) != len(header):
            raise StationFileError(
                f"{path}: row {number} has {len(row)} fields, the header has {len(header)}"
            )
    return header, body


def find_columns(header: list[str], needles: tuple[str, ...], *, exclude: str = "") -> list[int]:
    """Indexes of the columns whose header contains any needle (case-insensitive).

    ``exclude`` drops headers containing that string (used to tell «действительных» from
    «недействительных»). The first needle that matches wins, so Russian names take priority.
    """
    lowered = [h.casefold() for h in header]
    for needle in needles:
        hits = [
            i
            for i, h in enumerate(lowered)
            if needle.casefold() in h and not (exclude and exclude.casefold() in h)
        ]
        if hits:
            return hits
    return []


def column_index(header: list[str], name: str, path: str | Path = "") -> int:
    """The one column whose header contains ``name``; errors name the candidates found."""
    hits = find_columns(header, (name,))
    if not hits:
        raise StationFileError(f"{path}: no column whose header contains {name!r}")
    if len(hits) > 1:
        found = ", ".join(repr(header[i]) for i in hits)
        raise StationFileError(f"{path}: {name!r} matches several columns: {found}")
    return hits[0]


def integer_column(rows: list[list[str]], index: int, header: list[str], path) -> np.ndarray:
    """Column ``index`` as int64; an empty or non-integer or negative cell is an error."""
    values = np.empty(len(rows), dtype=np.int64)
    for number, row in enumerate(rows):
        cell = row[index].strip()
        try:
            value = int(cell)
        except ValueError:
            raise StationFileError(
                f"{path}: row {number + 2}, column {header[index]!r}: "
                f"{cell!r} is not a whole number"
            ) from None
        if value < 0:
            raise StationFileError(
                f"{path}: row {number + 2}, column {header[index]!r}: {value} is negative"
            )
        values[number] = value
    return values


def _required(header, needles, what, path, *, exclude="") -> list[int]:
    hits = find_columns(header, needles, exclude=exclude)
    if not hits:
        wanted = " or ".join(repr(n) for n in needles)
        raise StationFileError(f"{path}: missing column for {what} (a header containing {wanted})")
    return hits


def read_station_results(path: str | Path, leader: str) -> StationResults:
    """Read a per-station results file; ``leader`` is a substring of the leader's column header.

    Output arrays are int64, in file order. See the module docstring for the column rules.
    """
    header, rows = read_table(path)
    if not rows:
        raise StationFileError(f"{path}: the file has a header but no polling stations")
    registered = _required(header, REGISTERED, "registered voters", path)
    issued = _required(header, ISSUED, "ballots issued", path)
    invalid = _required(header, INVALID, "invalid ballots", path)
    valid = _required(header, ("действительных", "valid"), "valid ballots", path, exclude="недейств")
    valid = [i for i in valid if "invalid" not in header[i].casefold()]
    if not valid:
        raise StationFileError(f"{path}: missing column for valid ballots")
    leader_index = column_index(header, leader, path)
    region_hits = find_columns(header, REGION)

    def total(indexes: list[int]) -> np.ndarray:
        out = np.zeros(len(rows), dtype=np.int64)
        for i in indexes:
            out += integer_column(rows, i, header, path)
        return out

    regions = tuple(r[region_hits[0]] for r in rows) if region_hits else ("",) * len(rows)
    return StationResults(
        n_registered=total(registered[:1]),
        n_ballots=total(issued),
        n_valid=total(valid[:1]),
        n_invalid=total(invalid[:1]),
        n_leader=total([leader_index]),
        regions=regions,
        leader_column=header[leader_index],
        source=str(path),
    )
