"""Checking by simulation that the 95 % intervals cover the true value about 95 % of the time.

Each function builds a fixed synthetic population of polling stations (seeded), draws
``n_samples`` random samples from it as the design prescribes, computes the interval with the
library's own estimator, and counts how often it contains the population value. Output:
:class:`Coverage`. Used by tests/stats/test_interval_coverage.py (few samples) and by
bench/bench_stats_coverage.py (2,000 samples).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .proportions import Design, estimate_proportion
from .quick_count import quick_count
from .sampling import allocate_proportional


@dataclass(frozen=True)
class Coverage:
    """``n_covered`` of ``n_samples`` intervals contained ``true_value``."""

    name: str
    n_samples: int
    n_covered: int
    true_value: float

    @property
    def rate(self) -> float:
        return self.n_covered / self.n_samples

    @property
    def binomial_sd(self) -> float:
        """Standard deviation of the coverage rate if the true coverage is exactly 95 %."""
        return math.sqrt(0.95 * 0.05 / self.n_samples)


STRATUM_SIZES = {"capital": 400, "north": 800, "south": 1200, "east": 1600}
STRATUM_RATES = {"capital": 0.10, "north": 0.20, "south": 0.35, "east": 0.50}


def simple_random_share(n_samples: int, *, seed: int = 1, n: int = 300) -> Coverage:
    """SRS of ``n`` of 3,000 stations (answer yes for 30 %), with finite-population correction."""
    rng = np.random.default_rng(seed)
    population = np.zeros(3000, dtype=np.int64)
    population[:900] = 1
    design = Design.simple_random(population_size=population.size)
    covered = 0
    for _ in range(n_samples):
        sample = rng.choice(population, size=n, replace=False)
        iv = estimate_proportion(sample, design).interval
        covered += iv.lower <= 0.3 <= iv.upper
    return Coverage("share, simple random", n_samples, covered, 0.3)


def stratified_share(n_samples: int, *, seed: int = 2, n: int = 300) -> Coverage:
    """Proportional stratified sample of ``n`` from four regions with different rates."""
    rng = np.random.default_rng(seed)
    answers = {
        h: (np.arange(size) < round(STRATUM_RATES[h] * size)).astype(np.int64)
        for h, size in STRATUM_SIZES.items()
    }
    truth = sum(int(a.sum()) for a in answers.values()) / sum(STRATUM_SIZES.values())
    allocation = allocate_proportional(STRATUM_SIZES, n)
    design = Design.stratified(dict(STRATUM_SIZES))
    covered = 0
    for _ in range(n_samples):
        ys, labels = [], []
        for h, values in answers.items():
            ys.append(rng.choice(values, size=allocation[h], replace=False))
            labels += [h] * allocation[h]
        iv = estimate_proportion(np.concatenate(ys), design, strata=labels).interval
        covered += iv.lower <= truth <= iv.upper
    return Coverage("share, stratified", n_samples, covered, truth)


def synthetic_results(seed: int = 3, n_stations: int = 6000) -> dict[str, np.ndarray]:
    """A synthetic election: stations with regions, sizes, turnout and three parties' votes."""
    rng = np.random.default_rng(seed)
    region = rng.integers(0, 4, n_stations)
    registered = rng.integers(200, 2500, n_stations)
    turnout = np.clip(rng.normal(0.55 + 0.05 * region, 0.08), 0.1, 0.95)
    counted = rng.binomial(registered, turnout)
    base = np.array([[0.40, 0.35, 0.25], [0.50, 0.30, 0.20], [0.35, 0.45, 0.20],
                     [0.45, 0.25, 0.30]])
    shares = rng.dirichlet(np.ones(3), n_stations) * 0.3 + base[region] * 0.7
    votes = np.array([rng.multinomial(c, s) for c, s in zip(counted, shares, strict=True)])
    return {"region": region, "registered": registered, "counted": counted,
            "A": votes[:, 0], "B": votes[:, 1], "C": votes[:, 2]}


def quick_count_share(
    n_samples: int, *, seed: int = 4, n: int = 400, stratified: bool = False
) -> Coverage:
    """Quick count of party A's share from ``n`` sampled stations (ratio estimator)."""
    data = synthetic_results()
    truth = float(data["A"].sum() / data["counted"].sum())
    rng = np.random.default_rng(seed)
    size = data["A"].size
    sizes = {int(h): int((data["region"] == h).sum()) for h in range(4)}
    allocation = allocate_proportional(sizes, n)
    members = {h: np.flatnonzero(data["region"] == h) for h in sizes}
    covered = 0
    for _ in range(n_samples):
        if stratified:
            idx = np.concatenate(
                [rng.choice(members[h], size=allocation[h], replace=False) for h in sizes]
            )
            kwargs = {"strata": data["region"][idx].tolist(), "stratum_sizes": sizes}
        else:
            idx = rng.choice(size, size=n, replace=False)
            kwargs = {"population_size": size}
        votes = {p: data[p][idx] for p in ("A", "B", "C")}
        est = quick_count(votes, data["counted"][idx], **kwargs).share_of("A")
        lo, hi = est.interval95
        covered += lo <= truth <= hi
    name = "quick count, " + ("stratified" if stratified else "simple random")
    return Coverage(name, n_samples, covered, truth)


def all_coverages(n_samples: int) -> list[Coverage]:
    """Every coverage check, with ``n_samples`` simulated samples each."""
    return [
        simple_random_share(n_samples),
        stratified_share(n_samples),
        quick_count_share(n_samples),
        quick_count_share(n_samples, stratified=True),
    ]
