"""Drawing the quick-count sample of polling stations, assigning it to teams, and sizing it.

- :func:`allocate_proportional` — n_h ∝ N_h, rounded by largest remainder (Hamilton).
- :func:`draw_stratified_sample` — a reproducible stratified random sample (numpy Generator
  seeded with the given seed; same input and seed → same sample on every machine).
- :func:`assign_to_teams` — split the sample into near-equal, geographically grouped lists.
- :func:`sample_size` — the quick-count handbook formula
  n = N·z²·p(1 − p) / (N·e² + z²·p(1 − p)) (Estok, Nevitte & Cowan, *The Quick Count and
  Election Observation*, NDI 2002, ch. 5; Cochran 1977, eq. 4.2 with the finite-population
  correction), and :func:`stations_for_voters` to turn a sample of voters into stations.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ._special import z_for


def _order(keys) -> list:
    return sorted(keys, key=lambda k: (str(type(k)), str(k)))


def allocate_proportional(stratum_sizes: Mapping[Hashable, int], n: int) -> dict[Hashable, int]:
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


def assign_to_teams(sample: StationSample, teams: Sequence[str]) -> dict[str, tuple]:
    """Give each team a contiguous run of the sample (stations grouped by stratum).

    Sizes differ by at most one; the first teams take the extra stations.
    """
    if not teams:
        raise ValueError("at least one team is needed")
    if len(set(teams)) != len(teams):
        raise ValueError("team names must be unique")
    ids = sample.station_ids
    base, extra = divmod(len(ids), len(teams))
    out, start = {}, 0
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
