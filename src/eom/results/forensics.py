"""Election forensics on stored official protocols: a contest's, or one import's.

The protocols come out of the database in one compact column pull (`queries.arrays_of`:
integers and the votes, summed in numpy) and go through the pure checks of `eom.stats` — the
same functions `eom forensics` runs on a file, on the same per-station figures:

- registered voters = line `n_registered`; ballots issued (turnout) = `n_issued`;
- ballots counted (the leader's share) = `n_valid` + `n_invalid`;
- the leader's votes = the leader's column of `votes`; the leader is the party with the most
  votes unless the reader picks another.

A protocol without one of those four lines is left out of every check; each check then leaves
out stations by its own rule (small stations, rates above 99 %, more ballots than voters):
`kept` counts them so the page can say what was used and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from django.db.models import QuerySet

from eom.stats import fingerprint, fingerprint_svg, forensics, integer_percent

from . import queries
from .models import Protocol

MONTE_CARLO_DRAWS = 1000
# Below this many stations the 1,000 Monte Carlo draws take well under a second and run with
# the page; above it they run on request (about 0.17 s per 1,000 stations on one core).
MONTE_CARLO_AUTO_STATIONS = 3000
LINES_USED = ("n_registered", "n_issued", "n_valid", "n_invalid")


@dataclass(frozen=True)
class Dropped:
    """Stations a check leaves out, and why (`reason` is a key the template words)."""

    reason: str
    n: int
    checks: tuple[str, ...]


@dataclass
class Analysis:
    n_protocols: int
    n_used: int
    parties: list[tuple[str, int]]  # (code, votes), most votes first
    leader: str | None
    summary: forensics.ForensicsSummary | None = None
    flags: tuple[forensics.Flag, ...] = ()
    svg: str = ""
    dropped: list[Dropped] = field(default_factory=list)
    monte_carlo: bool = False
    monte_carlo_offered: bool = False

    @property
    def n_incomplete(self) -> int:
        return self.n_protocols - self.n_used

    @property
    def n_small_counts(self) -> int:
        return self.n_used - self.summary.benford.n_counts if self.summary else 0

    @property
    def anomalous(self) -> list[forensics.Flag]:
        return [flag for flag in self.flags if flag.anomalous]

    @property
    def n_anomalous(self) -> int:
        return len(self.anomalous)

    @property
    def flag(self) -> dict[str, forensics.Flag]:
        return {f.name: f for f in self.flags}


@dataclass(frozen=True)
class Columns:
    """The four lines and the votes of the protocols that give all four lines."""

    n_protocols: int
    n_registered: np.ndarray
    n_issued: np.ndarray
    n_counted: np.ndarray
    parties: tuple[str, ...]
    votes: np.ndarray  # n × parties


def station_columns(protocols: QuerySet[Protocol]) -> Columns:
    """One column pull of the protocols; those missing a line of `LINES_USED` are left out."""
    arrays = queries.arrays_of(protocols)
    lines = {name: arrays.line(name) for name in LINES_USED}
    complete = np.ones(arrays.n, dtype=bool)
    for column in lines.values():
        complete &= column >= 0
    return Columns(
        n_protocols=arrays.n,
        n_registered=lines["n_registered"][complete],
        n_issued=lines["n_issued"][complete],
        n_counted=lines["n_valid"][complete] + lines["n_invalid"][complete],
        parties=arrays.parties,
        votes=arrays.votes[complete],
    )


def analyse(protocols: QuerySet[Protocol], *, leader: str | None = None,
            monte_carlo: bool | None = None, title: str = "") -> Analysis:
    """Every check of `eom.stats.forensics.summary` on the protocols, with the leader `leader`
    (a party code; default: the most votes). `monte_carlo` None runs the 1,000-draw Monte Carlo
    null only for up to `MONTE_CARLO_AUTO_STATIONS` stations; True and False force it."""
    columns = station_columns(protocols)
    totals = columns.votes.sum(axis=0) if columns.votes.size else np.zeros(0, dtype=np.int64)
    parties = sorted(zip(columns.parties, (int(v) for v in totals), strict=True),
                     key=lambda item: (-item[1], item[0]))
    if leader not in columns.parties:
        leader = parties[0][0] if parties else None
    n_used = int(columns.n_registered.size)
    analysis = Analysis(columns.n_protocols, n_used, parties, leader)
    if leader is None or n_used == 0:
        return analysis
    n_leader = columns.votes[:, columns.parties.index(leader)]
    arrays = (columns.n_registered, columns.n_issued, n_leader, columns.n_counted)
    kept = integer_percent.kept_stations(*arrays)
    n_kept = int(kept.sum())
    if monte_carlo is None:
        monte_carlo = n_kept <= MONTE_CARLO_AUTO_STATIONS
    analysis.monte_carlo = monte_carlo
    analysis.monte_carlo_offered = not monte_carlo and n_kept > 0
    analysis.summary = forensics.summary(
        *arrays, n_draws=MONTE_CARLO_DRAWS if monte_carlo else 0)
    analysis.flags = forensics.flags(analysis.summary)
    analysis.svg = fingerprint_svg(fingerprint(*arrays), title=title, fluid=True,
                                   css_class="fingerprint")
    analysis.dropped = dropped(*arrays)
    return analysis


def dropped(n_registered, n_issued, n_leader, n_counted) -> list[Dropped]:
    """How many stations each rule of the checks leaves out (a station may meet several)."""
    small = n_registered < integer_percent.MIN_REGISTERED
    nothing = n_counted <= 0
    over = n_issued > n_registered
    high = (100 * n_issued > 99 * n_registered) | (100 * n_leader > 99 * n_counted)
    return [
        Dropped("small", int(small.sum()), ("integer_percent", "fingerprint", "slope")),
        Dropped("no_ballots", int(nothing.sum()),
                ("integer_percent", "fingerprint", "shpilkin")),
        Dropped("over_registered", int(over.sum()), ("fingerprint", "shpilkin", "slope")),
        Dropped("above_99", int((high & ~small & ~nothing).sum()), ("integer_percent",)),
    ]
