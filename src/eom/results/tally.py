"""Protocols as numpy columns: sums up the location tree and checks over many protocols at once.

`ProtocolArrays` holds n protocols: their location paths, the fixed lines as an n × 8 int64
matrix (-1 where a protocol does not give a line) and the votes as an n × p int64 matrix (one
column per party or candidate code). Everything here is plain numpy, so the benchmark runs it
on 100,000 synthetic protocols without a database.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .checks import LINES, Check, ColumnOutcome, evaluate_columns

ABSENT = -1


@dataclass(frozen=True)
class ProtocolArrays:
    ids: np.ndarray  # int64 (protocol ids; 0..n-1 when synthetic)
    paths: tuple[str, ...]
    lines: np.ndarray  # n × len(LINES) int64, -1 = absent
    parties: tuple[str, ...]
    votes: np.ndarray  # n × len(parties) int64

    @property
    def n(self) -> int:
        return len(self.paths)

    def line(self, name: str) -> np.ndarray:
        return self.lines[:, LINES.index(name)]

    def votes_sum(self) -> np.ndarray:
        return self.votes.sum(axis=1) if self.votes.size else np.zeros(self.n, dtype=np.int64)

    def subset(self, keep: np.ndarray) -> ProtocolArrays:
        return ProtocolArrays(
            self.ids[keep], tuple(p for p, k in zip(self.paths, keep, strict=True) if k),
            self.lines[keep], self.parties, self.votes[keep],
        )

    def national_votes(self) -> dict[str, int]:
        return {code: int(total) for code, total in
                zip(self.parties, self.votes.sum(axis=0), strict=True)}

    def totals(self) -> dict[str, int | None]:
        """Sum of each line over the protocols that give it; None when none does."""
        out: dict[str, int | None] = {}
        for i, line in enumerate(LINES):
            column = self.lines[:, i]
            present = column >= 0
            out[line] = int(column[present].sum()) if present.any() else None
        return out


def from_rows(rows: Iterable[Sequence]) -> ProtocolArrays:
    """From (id, path, *8 lines (int or None), votes dict or JSON text) rows."""
    ids: list[int] = []
    paths: list[str] = []
    flat: list[int] = []
    all_votes: list[dict] = []
    for row in rows:
        ids.append(row[0])
        paths.append(row[1])
        flat.extend(ABSENT if v is None else v for v in row[2:10])
        votes = row[10]
        all_votes.append(json.loads(votes) if isinstance(votes, str) else (votes or {}))
    n = len(ids)
    parties = sorted({code for votes in all_votes for code in votes})
    index = {code: i for i, code in enumerate(parties)}
    matrix = np.zeros((n, len(parties)), dtype=np.int64)
    for r, votes in enumerate(all_votes):
        for code, value in votes.items():
            matrix[r, index[code]] = value
    lines = np.array(flat, dtype=np.int64).reshape(n, len(LINES))
    return ProtocolArrays(np.array(ids, dtype=np.int64), tuple(paths), lines, tuple(parties),
                          matrix)


def run_checks(arrays: ProtocolArrays, checks: Sequence[Check]) -> list[ColumnOutcome]:
    columns = {line: arrays.lines[:, i] for i, line in enumerate(LINES)}
    return evaluate_columns(checks, columns, arrays.votes_sum())


def failing(outcomes: Sequence[ColumnOutcome], n: int) -> np.ndarray:
    """Protocols failing at least one check (boolean array)."""
    out = np.zeros(n, dtype=bool)
    for outcome in outcomes:
        out |= outcome.failed
    return out


@dataclass(frozen=True)
class Group:
    """The sum of the protocols under one node of the tree."""

    path: str
    n_protocols: int
    lines: dict[str, int | None]
    votes: dict[str, int]


def prefix(path: str, depth: int) -> str:
    """The path of the ancestor at `depth` (0 = the root): "KZ/KZ-01/" for depth 1."""
    parts = path.split("/")
    return "/".join(parts[: depth + 1]) + "/"


def aggregate(arrays: ProtocolArrays, depth: int) -> dict[str, Group]:
    """Sum the protocols by their ancestor at `depth` of the tree (using the paths).
    Absent lines count as 0 in a sum; a line no protocol of a group gives is None."""
    keys: dict[str, int] = {}
    codes = np.fromiter((keys.setdefault(prefix(p, depth), len(keys)) for p in arrays.paths),
                        dtype=np.int64, count=arrays.n)
    k = len(keys)
    present = arrays.lines >= 0
    line_sums = np.zeros((k, len(LINES)), dtype=np.int64)
    line_seen = np.zeros((k, len(LINES)), dtype=np.int64)
    for i in range(len(LINES)):
        line_sums[:, i] = _sum_by(codes, np.where(present[:, i], arrays.lines[:, i], 0), k)
        line_seen[:, i] = _sum_by(codes, present[:, i].astype(np.int64), k)
    vote_sums = np.stack([_sum_by(codes, arrays.votes[:, j], k)
                          for j in range(len(arrays.parties))], axis=1) if arrays.parties \
        else np.zeros((k, 0), dtype=np.int64)
    counts = np.bincount(codes, minlength=k)
    groups = {}
    for key, g in keys.items():
        groups[key] = Group(
            path=key,
            n_protocols=int(counts[g]),
            lines={line: int(line_sums[g, i]) if line_seen[g, i] else None
                   for i, line in enumerate(LINES)},
            votes={code: int(vote_sums[g, j]) for j, code in enumerate(arrays.parties)},
        )
    return groups


def _sum_by(codes: np.ndarray, values: np.ndarray, k: int) -> np.ndarray:
    """Exact integer group sums (np.bincount would go through float64)."""
    out = np.zeros(k, dtype=np.int64)
    np.add.at(out, codes, values)
    return out
