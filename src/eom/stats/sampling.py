"""Drawing the quick-count sample of polling stations, assigning it to teams, and sizing it.

- :func:`allocate_proportional` — n_h ∝ N_h, rounded by largest remainder (Hamilton).
- :func:`draw_stratified_sample` — a reproducible stratified random sample (numpy Generator
  seeded with the given seed; same input and seed → same sample on every machine).
- :func:`assign_to_teams` — split the sample into near-equal, geographically grouped lists.
- :func:`stations_from_results` — how many **polling stations** a quick count needs for a
  margin, planned from a previous election's per-station results (the between-station variance
  of the ratio estimator);
- :func:`stations_from_design_effect` — the same without a file, from a stated design effect;
- :func:`read_planning_file` — the two columns (and strata) those plans read from a results file;
- :func:`sample_size` — the quick-count handbook formula
  n = N·z²·p(1 − p) / (N·e² + z²·p(1 − p)) (Estok, Nevitte & Cowan, *The Quick Count and
  Election Observation*, NDI 2002, ch. 5; Cochran 1977, eq. 4.2 with the finite-population
  correction), and :func:`stations_for_voters` to turn a sample of voters into stations. Both
  count *voters drawn one by one*; a quick count draws stations, whole clusters of voters, so
  these understate the stations needed many times over (a design effect near 24 on a population
  shaped like Kazakhstan's): kept for what they are, not for planning a quick count.

Planning in stations (W. G. Cochran, *Sampling Techniques*, 3rd ed., 1977, §6.11 and §2.13;
S. Lohr, *Sampling: Design and Analysis*, 2nd ed., 2010, ch. 4 and §6.5). The quick count
estimates a share with the ratio estimator R = Σ y / Σ x over the sampled stations (y the
party's votes, x the valid ballots). Its variance under a simple random sample of n of N
stations is V(R) ≈ (1 − n/N)·S_e² / (n·X̄²), where e = y − R·x per station, S_e² is their
variance over the population's stations and X̄ the mean valid ballots per station (Cochran eq.
6.13). Setting z·√V(R) = e (the margin) gives

    n₀ = z²·S_e² / (e²·X̄²),    n = n₀ / (1 + n₀/N)     (Cochran eq. 4.2's correction)

With strata and proportional allocation, S_e² is replaced by the pooled within-stratum
variance Σ_h W_h S²_{e,h} (W_h = N_h/N; Cochran eq. 5.25 with n_h = n·W_h), e computed with
the national R as the combined ratio estimator does. The **design effect** against a simple
random sample of as many voters is deff = S_e² / (X̄·p(1 − p)) (Kish 1965, §5.4), so that
n₀ = z²·deff·p(1 − p) / (e²·X̄): without a file, :func:`stations_from_design_effect` takes
deff as stated, X̄ from the mean registered voters per station times the expected turnout.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from eom.filelimits import DEFAULT_LIMITS, FileLimits

from ._special import z_for
from ._types import Label
from .columns import FIELD_TITLES, PRESETS, ResultsFileError, map_columns, read_table, summed_column
from .stationfile import column_index


def _order(keys: Iterable[Label]) -> list[Label]:
    return sorted(keys, key=lambda k: (str(type(k)), str(k)))


def allocate_proportional(stratum_sizes: Mapping[Label, int], n: int) -> dict[Label, int]:
    """Split ``n`` stations across strata in proportion to their sizes, largest remainder.

    Quotas q_h = n·N_h/N are floored; the seats left go to the largest fractional parts (ties:
    larger stratum first, then stratum label order). Never allocates more than N_h.
    """
    sizes = {h: int(v) for h, v in stratum_sizes.items()}
    if any(v < 0 for v in sizes.values()):
        raise ValueError("stratum sizes must be non-negative")
    total = sum(sizes.values())
    if not 0 <= n <= total:
        raise ValueError(f"cannot draw {n} stations from {total}")
    if total == 0:
        return {h: 0 for h in sizes}
    floors = {h: (n * v) // total for h, v in sizes.items()}
    remainders = {h: (n * v) % total for h, v in sizes.items()}
    left = n - sum(floors.values())
    labels = _order(sizes)
    rank = sorted(labels, key=lambda h: (-remainders[h], -sizes[h], labels.index(h)))
    for h in rank[:left]:
        floors[h] += 1
    return {h: floors[h] for h in labels}


@dataclass(frozen=True)
class StationSample:
    """Sampled station ids (grouped by stratum, in input order within each) and the plan."""

    station_ids: tuple[Hashable, ...]
    strata: tuple[Hashable, ...]
    allocation: dict[Hashable, int]
    stratum_sizes: dict[Hashable, int]
    seed: int


def draw_stratified_sample(
    station_ids: Sequence[Hashable], strata: Sequence[Hashable], n: int, seed: int
) -> StationSample:
    """Draw ``n`` stations without replacement, proportionally allocated across strata.

    Input: station ids (unique) and their strata, sample size, seed. Output:
    :class:`StationSample`. Reproducible: a ``numpy.random.default_rng(seed)`` draws strata in
    label order.
    """
    ids = list(station_ids)
    labels = list(strata)
    if len(ids) != len(labels):
        raise ValueError(f"{len(ids)} station ids but {len(labels)} strata labels")
    if len(set(ids)) != len(ids):
        raise ValueError("station ids must be unique")
    members: dict[Hashable, list[int]] = {}
    for i, h in enumerate(labels):
        members.setdefault(h, []).append(i)
    sizes = {h: len(members[h]) for h in _order(members)}
    allocation = allocate_proportional(sizes, n)
    rng = np.random.default_rng(seed)
    chosen: list[int] = []
    for h in sizes:
        picks = rng.choice(len(members[h]), size=allocation[h], replace=False)
        chosen.extend(members[h][j] for j in sorted(picks.tolist()))
    return StationSample(
        station_ids=tuple(ids[i] for i in chosen),
        strata=tuple(labels[i] for i in chosen),
        allocation=allocation,
        stratum_sizes=sizes,
        seed=seed,
    )


def assign_to_teams(sample: StationSample,
                    teams: Sequence[str]) -> dict[str, tuple[Hashable, ...]]:
    """Give each team a contiguous run of the sample (stations grouped by stratum).

    Sizes differ by at most one; the first teams take the extra stations.
    """
    if not teams:
        raise ValueError("at least one team is needed")
    if len(set(teams)) != len(teams):
        raise ValueError("team names must be unique")
    ids = sample.station_ids
    base, extra = divmod(len(ids), len(teams))
    out: dict[str, tuple[Hashable, ...]] = {}
    start = 0
    for i, team in enumerate(teams):
        size = base + (1 if i < extra else 0)
        out[team] = tuple(ids[start : start + size])
        start += size
    return out


@dataclass(frozen=True)
class SampleSize:
    """Sample size (integer, rounded up) for a margin ``margin`` at ``confidence``."""

    n: int
    population: int
    margin: float
    p: float
    confidence: float
    z: float
    source: str


def sample_size(
    population: int, margin: float, *, p: float = 0.5, confidence: float = 0.95
) -> SampleSize:
    """n = N·z²·p(1 − p) / (N·e² + z²·p(1 − p)), rounded up.

    ``population`` N (voters, or stations when estimating a share of stations), ``margin`` e as
    a fraction (0.01 = ±1 point), ``p`` the expected share (0.5 is the safe maximum).
    Source: Estok, Nevitte & Cowan, *The Quick Count and Election Observation* (NDI, 2002).
    """
    if population <= 0:
        raise ValueError(f"population must be positive, got {population}")
    if not 0 < margin < 1:
        raise ValueError(f"margin must be a fraction between 0 and 1, got {margin}")
    if not 0 <= p <= 1:
        raise ValueError(f"p must lie in [0, 1], got {p}")
    z = z_for(confidence)
    pq = p * (1 - p)
    n = population * z * z * pq / (population * margin * margin + z * z * pq)
    return SampleSize(
        n=min(population, math.ceil(n - 1e-9)),
        population=population,
        margin=margin,
        p=p,
        confidence=confidence,
        z=z,
        source="Estok, Nevitte & Cowan, The Quick Count and Election Observation (NDI 2002), ch. 5",
    )


def stations_for_voters(n_voters: int, mean_voters_per_station: float) -> int:
    """Polling stations needed to reach ``n_voters`` voters (rounded up), as the handbook does."""
    if mean_voters_per_station <= 0:
        raise ValueError("mean_voters_per_station must be positive")
    return math.ceil(n_voters / mean_voters_per_station)


# --- planning a quick count in polling stations ----------------------------------------------

#: Design effect of the leading party's share under a simple random sample of stations, against
#: a simple random sample of as many voters: 26.0 measured on a population shaped like
#: Kazakhstan's 2023 election (10,223 stations of 50–3,000 registered voters in 20 regions,
#: turnout 54 %, the leader at 54 % with regional and per-station spread; bench/bench_sample_size.py),
#: where 300 stations give ±1.1 points. A real, more uneven election needs far more: the Russian
#: Duma 2011 per-station results give 224 for United Russia. Give a previous election's file
#: whenever there is one.
DEFAULT_DESIGN_EFFECT = 26.0
#: Expected turnout (voters whose ballots count, over registered voters) when none is stated:
#: Kazakhstan, 19 March 2023, 54.19 % (Central Election Commission).
DEFAULT_TURNOUT = 0.54
PLANNING_SOURCE = ("Cochran, Sampling Techniques (1977), eq. 6.13 and 4.2; Lohr, Sampling "
                   "(2010), ch. 4 and 6; Kish, Survey Sampling (1965), §5.4")
STRATA_FIELDS = ("region", "district")


@dataclass(frozen=True)
class StationPlan:
    """How many polling stations a quick count needs for ``margin`` (a fraction) at
    ``confidence``, and the assumption it rests on (``assumption``: which variance, which design
    effect, which file). ``n_stations`` is the answer; ``design_effect`` compares it with a
    simple random sample of voters; ``mean_voters`` is X̄, valid ballots per station."""

    n_stations: int
    n_population: int
    margin: float
    confidence: float
    z: float
    share: float
    mean_voters: float
    design_effect: float
    n0: float
    n_strata: int
    method: str  # "previous results" or "design effect"
    assumption: str
    source: str = PLANNING_SOURCE

    @property
    def n_voters(self) -> int:
        """Voters whose ballots the planned stations count, on average."""
        return round(self.n_stations * self.mean_voters)


def _check_margin(margin: float) -> None:
    if not 0 < margin < 1:
        raise ValueError(f"margin must be a fraction between 0 and 1 (0.02 = ±2 points), "
                         f"got {margin}")


def _stations(n0: float, population: int) -> int:
    """n = n₀ / (1 + n₀/N), rounded up; at least 2 (a variance needs two), at most N."""
    n = n0 / (1 + n0 / population)
    return min(population, max(2, math.ceil(n - 1e-9)))


def stations_from_results(
    votes: Sequence[int] | np.ndarray,
    valid: Sequence[int] | np.ndarray,
    margin: float,
    *,
    strata: Sequence[Hashable] | None = None,
    population_size: int | None = None,
    confidence: float = 0.95,
    described_as: str = "the results given",
) -> StationPlan:
    """Stations needed for the ratio estimator of a party's share to reach ``margin``, planned
    from per-station results of a previous election (see the module docstring).

    Input: ``votes`` (the party's votes) and ``valid`` (valid ballots) per station, integers;
    optional ``strata`` labels (proportional allocation); ``population_size`` N (stations to
    draw from; default: the stations given); ``described_as`` names the data in the assumption.
    Output: :class:`StationPlan`. ValueError names the bad input.
    """
    _check_margin(margin)
    y = np.asarray(votes, dtype=np.int64)
    x = np.asarray(valid, dtype=np.int64)
    if y.ndim != 1 or y.size == 0:
        raise ValueError("votes: no polling station given")
    if x.shape != y.shape:
        raise ValueError(f"valid: {x.size} values for {y.size} stations")
    for name, values in (("votes", y), ("valid", x)):
        if np.any(values < 0):
            raise ValueError(f"{name}: station {int(np.flatnonzero(values < 0)[0]) + 1} is "
                             "negative")
    over = np.flatnonzero(y > x)
    if over.size:
        raise ValueError(f"votes: station {int(over[0]) + 1} has more votes than valid ballots")
    if x.sum() == 0:
        raise ValueError("valid: no valid ballot in any station")
    big_n = y.size if population_size is None else int(population_size)
    if big_n < 2:
        raise ValueError(f"population_size must be at least 2 stations, got {big_n}")
    z = z_for(confidence)
    yf, xf = y.astype(np.float64), x.astype(np.float64)
    r = float(yf.sum() / xf.sum())
    e = yf - r * xf
    if strata is None:
        s2 = float(e.var(ddof=1)) if e.size > 1 else 0.0
        n_strata = 0
    else:
        labels = np.asarray(list(strata), dtype=object)
        if labels.size != y.size:
            raise ValueError(f"strata: {labels.size} labels for {y.size} stations")
        _, inverse = np.unique(labels.astype(str), return_inverse=True)
        n_strata = int(inverse.max()) + 1
        counts = np.bincount(inverse).astype(np.float64)
        sums = np.bincount(inverse, weights=e)
        squares = np.bincount(inverse, weights=e * e)
        within = np.where(counts > 1, (squares - sums * sums / counts)
                          / np.maximum(counts - 1, 1), 0.0)
        s2 = float((counts / counts.sum() * within).sum())
    x_bar = float(xf.mean())
    n0 = z * z * s2 / (margin * margin * x_bar * x_bar)
    pq = r * (1 - r)
    deff = s2 / (x_bar * pq) if pq > 0 else float("nan")
    layout = (f"strata: {n_strata:,}, allocation in proportion to their stations" if n_strata
              else "no strata")
    assumption = (
        f"simple random sample of polling stations, ratio estimator; between-station variance "
        f"of the party's votes around its share ({100 * r:.1f} %) taken from {described_as}: "
        f"{y.size:,} stations, {x_bar:,.0f} valid ballots per station on average; {layout}; "
        f"design effect {deff:.1f} against a simple random sample of voters"
    )
    return StationPlan(_stations(n0, big_n), big_n, margin, confidence, z, r, x_bar, deff, n0,
                       n_strata, "previous results", assumption)


def stations_from_design_effect(
    n_stations_population: int,
    mean_registered: float,
    margin: float,
    *,
    design_effect: float = DEFAULT_DESIGN_EFFECT,
    turnout: float = DEFAULT_TURNOUT,
    p: float = 0.5,
    confidence: float = 0.95,
) -> StationPlan:
    """Stations needed from a stated design effect, without a previous election's file:
    n₀ = z²·deff·p(1 − p) / (e²·X̄) with X̄ = ``mean_registered`` × ``turnout`` (valid ballots
    per station), n = n₀/(1 + n₀/N). The defaults and where they come from:
    :data:`DEFAULT_DESIGN_EFFECT`, :data:`DEFAULT_TURNOUT`. ValueError names the bad input.
    """
    _check_margin(margin)
    if n_stations_population < 2:
        raise ValueError(f"stations: at least 2 polling stations are needed, got "
                         f"{n_stations_population}")
    if not mean_registered > 0:
        raise ValueError(f"voters per station must be positive, got {mean_registered}")
    if not design_effect > 0:
        raise ValueError(f"design effect must be positive, got {design_effect}")
    if not 0 < turnout <= 1:
        raise ValueError(f"turnout must be a fraction between 0 and 1, got {turnout}")
    if not 0 < p < 1:
        raise ValueError(f"p must lie strictly between 0 and 1, got {p}")
    z = z_for(confidence)
    x_bar = mean_registered * turnout
    n0 = z * z * design_effect * p * (1 - p) / (margin * margin * x_bar)
    default = " (the default, measured on a population shaped like Kazakhstan 2023)" \
        if design_effect == DEFAULT_DESIGN_EFFECT else " (stated)"
    assumption = (
        f"simple random sample of polling stations, ratio estimator; design effect "
        f"{design_effect:g}{default} against a simple random sample of voters; expected share "
        f"{100 * p:g} %; {mean_registered:,.0f} registered voters per station × turnout "
        f"{100 * turnout:g} % = {x_bar:,.0f} valid ballots per station; no previous results "
        f"file: give one to measure the between-station variance instead"
    )
    return StationPlan(_stations(n0, n_stations_population), n_stations_population, margin,
                       confidence, z, p, x_bar, design_effect, n0, 0, "design effect",
                       assumption)


@dataclass(frozen=True)
class PlanningFile:
    """What a plan reads from a previous election's results file: per station the party's
    votes and the valid ballots (int64 arrays), the strata labels (or None) and the headers."""

    votes: np.ndarray
    valid: np.ndarray
    strata: tuple[str, ...] | None
    party_column: str
    valid_column: str
    strata_field: str | None
    source: str

    @property
    def description(self) -> str:
        return f"{Path(self.source).name} (column “{self.party_column}” over “{self.valid_column}”)"


def read_planning_file(path: str | Path, party: str, *, preset: str = "generic",
                       mapping: Mapping[str, str] | None = None, by: str | None = None,
                       limits: FileLimits = DEFAULT_LIMITS) -> PlanningFile:
    """Read the party's votes, the valid ballots and optionally the strata (``by``: ``region``
    or ``district``, a field of the column mapping) from a per-station results file, with the
    column mapping of the results importer (:mod:`.columns`: ``preset``, ``mapping``).

    Raises :class:`~.columns.ResultsFileError` naming the file and the missing or bad column.
    """
    if preset not in PRESETS:
        raise ResultsFileError(f"unknown preset {preset!r}; presets: {', '.join(PRESETS)}")
    if by is not None and by not in STRATA_FIELDS:
        raise ResultsFileError(f"strata must be one of {', '.join(STRATA_FIELDS)}, not {by!r}")
    header, rows = read_table(path, limits)
    if not rows:
        raise ResultsFileError(f"{path}: the file has a header but no polling stations")
    found = map_columns(header, preset, mapping)
    needed = {"n_valid", by, *(mapping or {})}  # a preset's other lines are not read here
    problems = [p for p in found.problems if p.field in needed or p.kind == "unknown_field"]
    if problems:
        raise ResultsFileError(f"{path}: {problems[0].message}")
    if "n_valid" not in found.fields:
        raise ResultsFileError(
            f"{path}: missing column for {FIELD_TITLES['n_valid']} (n_valid): no header matches "
            f"“{found.spec_of('n_valid')}” (preset {preset!r}; map it with n_valid=HEADER)")
    if not party.strip():
        raise ResultsFileError(f"{path}: the party's column (--party) is empty")
    party_index = column_index(header, party, path)
    strata = None
    if by is not None:
        if by not in found.fields:
            raise ResultsFileError(
                f"{path}: missing column for {FIELD_TITLES[by]} ({by}), needed for strata by "
                f"{by}: no header matches “{found.spec_of(by)}” (map it with {by}=HEADER)")
        strata = tuple(row[found.fields[by][0]].strip() for row in rows)
    return PlanningFile(
        votes=summed_column(rows, [party_index], header, path),
        valid=summed_column(rows, found.fields["n_valid"], header, path),
        strata=strata, party_column=header[party_index],
        valid_column=" + ".join(header[i] for i in found.fields["n_valid"]),
        strata_field=by, source=str(path),
    )
