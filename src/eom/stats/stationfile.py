"""Read per-polling-station official results from a CSV file (optionally inside a .zip).

Input: a path to ``.csv`` or ``.zip`` (the first ``.csv`` member, or the only member), UTF-8
(a BOM is accepted), comma-separated, one header row. Output: :class:`StationResults` with
numpy ``int64`` arrays, one element per polling station, in file order.

Columns are found through the column mapping of :mod:`.columns` — the same presets and
``field=header`` mappings the results importer uses. The default preset, ``generic``, reads the
Central Election Commission of Russia files scraped by S. Shpilkin (Kobak, Shpilkin &
Pshenichnikov, AOAS 2016) whatever the year's wording, and files with English headers:

- registered voters (``n_registered``): «внесенных в список» (2011) or «включенных в список»
  (other years), or ``registered``;
- ballots issued (``n_issued``): the sum of every «бюллетеней, выданных» column (early, in the
  station, outside the station), or of every ``issued`` column. This is what reproduces the
  CEC's published turnout (60.21 % in 2011; ballots found in the portable + stationary boxes
  give 60.10 %);
- ballots counted (found in the boxes): ``n_invalid`` + ``n_valid``; the leader's result is
  expressed as a share of these (49.31 % for United Russia in 2011, the CEC's figure);
- the leader: the one column whose header contains the ``leader`` string (e.g. «Единая Россия»),
  or equals it.

Errors: :class:`StationFileError` naming the file, the missing column or the row (1-based,
header = row 1) and field with the bad value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from eom.filelimits import DEFAULT_LIMITS, FileLimits
from eom.tables import ColumnError

from .columns import (
    FIELD_TITLES,
    PRESETS,
    ResultsFileError,
    map_columns,
    match,
    read_table,
    summed_column,
)

StationFileError = ResultsFileError
REQUIRED = ("n_registered", "n_issued", "n_invalid", "n_valid")


@dataclass(frozen=True)
class StationResults:
    """Per-station counts (numpy int64 arrays of equal length) and the headers they came from.

    ``n_ballots`` = ballots issued (turnout numerator); ``n_counted`` = valid + invalid ballots
    found in the boxes (denominator of the leader's share). ``columns`` names the header(s)
    each figure was read from.
    """

    n_registered: np.ndarray
    n_ballots: np.ndarray
    n_valid: np.ndarray
    n_invalid: np.ndarray
    n_leader: np.ndarray
    regions: tuple[str, ...]
    leader_column: str
    source: str
    columns: tuple[tuple[str, str], ...] = ()

    @property
    def n_counted(self) -> np.ndarray:
        counted: np.ndarray = self.n_valid + self.n_invalid
        return counted

    @property
    def n_stations(self) -> int:
        return int(self.n_registered.size)


def column_index(header: list[str], name: str, path: str | Path = "") -> int:
    """The one column a spec names (exact header, else the one containing it)."""
    try:
        hits = match(header, name)
    except ColumnError as exc:
        if exc.problem.kind == "ambiguous":
            found = ", ".join(repr(n) for n in exc.problem.names)
            raise StationFileError(f"{path}: {name!r} matches several columns: {found}") from None
        raise StationFileError(f"{path}: no column whose header contains {name!r}") from None
    if len(hits) > 1:
        found = ", ".join(repr(header[i]) for i in hits)
        raise StationFileError(f"{path}: {name!r} names several columns: {found}")
    return hits[0]


def read_station_results(path: str | Path, leader: str, *, preset: str = "generic",
                         mapping: Mapping[str, str] | None = None,
                         limits: FileLimits = DEFAULT_LIMITS) -> StationResults:
    """Read a per-station results file; ``leader`` names the leader's column (a substring of
    its header). ``preset`` and ``mapping`` are those of the results importer; ``limits`` bound
    the file's size, its size unpacked (a .zip) and its rows (:mod:`eom.filelimits`).

    Output arrays are int64, in file order. See the module docstring for the column rules.
    """
    if preset not in PRESETS:
        raise StationFileError(f"unknown preset {preset!r}; presets: {', '.join(PRESETS)}")
    header, rows = read_table(path, limits)
    if not rows:
        raise StationFileError(f"{path}: the file has a header but no polling stations")
    found = map_columns(header, preset, mapping)
    if found.problems:
        problem = found.problems[0]
        hint = f" (preset {preset!r}; map it with {problem.field}=HEADER)" \
            if problem.kind == "absent" else ""
        raise StationFileError(f"{path}: {problem.message}{hint}")
    for name in REQUIRED:
        if name not in found.fields:
            raise StationFileError(
                f"{path}: missing column for {FIELD_TITLES[name]} ({name}): no header matches "
                f"“{found.spec_of(name)}” (preset {preset!r}; map it with {name}=HEADER)")
    leader_index = column_index(header, leader, path)

    def total(name: str) -> np.ndarray:
        return summed_column(rows, found.fields[name], header, path)

    region = found.fields.get("region")
    regions = tuple(r[region[0]] for r in rows) if region else ("",) * len(rows)
    columns = tuple((name, " + ".join(header[i] for i in found.fields[name]))
                    for name in REQUIRED)
    return StationResults(
        n_registered=total("n_registered"),
        n_ballots=total("n_issued"),
        n_valid=total("n_valid"),
        n_invalid=total("n_invalid"),
        n_leader=summed_column(rows, [leader_index], header, path),
        regions=regions,
        leader_column=header[leader_index],
        source=str(path),
        columns=(*columns, ("leader", header[leader_index])),
    )
