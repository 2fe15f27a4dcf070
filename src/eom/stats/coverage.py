"""Checking by simulation that the 95 % intervals cover the true value about 95 % of the time.

Each function builds a fixed synthetic population of polling stations (seeded), draws
``n_samples`` random samples from it as the design prescribes, computes the interval with the
library's own estimator, and counts how often it contains the population value. Output:
:class:`Coverage` (coverage, mean width, mean estimate, and a note when eom says the interval is
conservative or warns). Used by tests/stats (few samples) and by bench/bench_stats_coverage.py
(2,000 samples or more).

Populations:

- :func:`kazakhstan_like` — shaped like the Mazhilis election of 19 March 2023: 10,223 polling
  stations in 20 regions (17 oblasts and 3 cities, station counts roughly as published by the
  Central Election Commission), 50–3,000 registered voters per station (log-normal, most
  between 300 and 1,500), turnout and party shares that differ by region and by station.
- :func:`district_population` — stations grouped in 223 districts of 20–72 stations (mean
  about 46) whose rates of an answer differ strongly (beta-distributed district rates, so
  stations of a district resemble each other): the setting of a two-stage cluster sample.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ._types import Label
from .proportions import Design, ProportionEstimate, estimate_proportion
from .quick_count import quick_count
from .sampling import allocate_proportional


@dataclass(frozen=True)
class Coverage:
    """``n_covered`` of ``n_samples`` intervals contained ``true_value``."""

    name: str
    n_samples: int
    n_covered: int
    true_value: float
    mean_width: float = math.nan
    mean_estimate: float = math.nan
    note: str = ""

    @property
    def rate(self) -> float:
        return self.n_covered / self.n_samples

    @property
    def bias(self) -> float:
        """Mean estimate minus the true value."""
        return self.mean_estimate - self.true_value

    @property
    def binomial_sd(self) -> float:
        """Standard deviation of the coverage rate if the true coverage is exactly 95 %."""
        return math.sqrt(0.95 * 0.05 / self.n_samples)


class _Tally:
    """Collects one interval per simulated sample."""

    def __init__(self, name: str, truth: float, note: str = "") -> None:
        self.name, self.truth, self.note = name, truth, note
        self.estimates: list[float] = []
        self.lowers: list[float] = []
        self.uppers: list[float] = []

    def add(self, estimate: float, lower: float, upper: float) -> None:
        self.estimates.append(estimate)
        self.lowers.append(lower)
        self.uppers.append(upper)

    def result(self) -> Coverage:
        lo, hi = np.array(self.lowers), np.array(self.uppers)
        covered = int(((lo <= self.truth) & (self.truth <= hi)).sum())
        return Coverage(self.name, lo.size, covered, self.truth, float((hi - lo).mean()),
                        float(np.mean(self.estimates)), self.note)


def _add_share(tally: _Tally, result: ProportionEstimate) -> None:
    iv = result.interval
    assert iv is not None, "every design simulated here gives an interval"
    tally.add(result.share, iv.lower, iv.upper)


def _first_stations(rng: np.random.Generator, order: np.ndarray, starts: np.ndarray,
                    counts: np.ndarray, take: np.ndarray) -> np.ndarray:
    """A simple random sample of ``take[h]`` stations in each group h, in one shot: the groups'
    stations are ``order[starts[h]:starts[h] + counts[h]]``; a random key sorts each group."""
    group = np.repeat(np.arange(counts.size), counts)
    keys = rng.random(group.size)
    ranked = order[np.lexsort((keys, group))]
    rank_in_group = np.arange(group.size) - np.repeat(starts, counts)
    first: np.ndarray = ranked[rank_in_group < np.repeat(take, counts)]
    return first


STRATUM_SIZES = {"capital": 400, "north": 800, "south": 1200, "east": 1600}
STRATUM_RATES = {"capital": 0.10, "north": 0.20, "south": 0.35, "east": 0.50}


def simple_random_share(n_samples: int, *, seed: int = 1, n: int = 300) -> Coverage:
    """SRS of ``n`` of 3,000 stations (answer yes for 30 %), with finite-population correction."""
    rng = np.random.default_rng(seed)
    population = np.zeros(3000, dtype=np.int64)
    population[:900] = 1
    design = Design.simple_random(population_size=population.size)
    tally = _Tally("share, simple random", 0.3)
    for _ in range(n_samples):
        sample = rng.choice(population, size=n, replace=False)
        _add_share(tally, estimate_proportion(sample, design))
    return tally.result()


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
    tally = _Tally("share, stratified", truth)
    for _ in range(n_samples):
        ys, labels = [], []
        for h, values in answers.items():
            ys.append(rng.choice(values, size=allocation[h], replace=False))
            labels += [h] * allocation[h]
        _add_share(tally, estimate_proportion(np.concatenate(ys), design, strata=labels))
    return tally.result()


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
    tally = _Tally("quick count, " + ("stratified" if stratified else "simple random"), truth)
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
        tally.add(est.share, *est.interval95)
    return tally.result()


# Polling stations per region, Kazakhstan 2023 (order: west to east, then the three cities);
# they add up to 10,223.
KZ_REGIONS = {
    "Atyrau": 301, "Mangystau": 273, "West Kazakhstan": 464, "Aktobe": 495, "Kyzylorda": 335,
    "Kostanay": 669, "North Kazakhstan": 585, "Akmola": 636, "Karaganda": 621, "Ulytau": 117,
    "Pavlodar": 557, "Abai": 480, "East Kazakhstan": 556, "Zhetisu": 410, "Almaty region": 740,
    "Zhambyl": 497, "Turkestan": 1084, "Shymkent": 345, "Almaty": 582, "Astana": 476,
}
KZ_PARTIES = ("Amanat", "Auyl", "Respublica", "Aq Jol", "others")


def kazakhstan_like(seed: int = 2023) -> dict[str, np.ndarray]:
    """A population shaped like Kazakhstan 2023 (module docstring): per station ``region``
    (index into :data:`KZ_REGIONS`), ``registered``, ``counted`` and each party's votes."""
    rng = np.random.default_rng(seed)
    sizes = np.array(list(KZ_REGIONS.values()))
    region = np.repeat(np.arange(sizes.size), sizes)
    n = region.size
    cities = region >= sizes.size - 3
    registered = np.clip(np.round(rng.lognormal(np.where(cities, 7.0, 6.4), 0.6, n)),
                         50, 3000).astype(np.int64)
    region_turnout = rng.uniform(0.40, 0.75, sizes.size)
    turnout = np.clip(rng.normal(region_turnout[region] - 0.12 * cities, 0.10), 0.15, 0.98)
    counted = rng.binomial(registered, turnout)
    base = np.array([0.54, 0.11, 0.09, 0.08, 0.18])
    region_shift = rng.dirichlet(base * 60, sizes.size)
    gammas = rng.gamma(region_shift[region] * 25)  # a Dirichlet draw per station
    station_shares = gammas / gammas.sum(axis=1, keepdims=True)
    votes = rng.multinomial(counted, station_shares)
    data = {"region": region, "registered": registered, "counted": counted}
    data.update({p: votes[:, i] for i, p in enumerate(KZ_PARTIES)})
    return data


def _allocate_at_least_one(sizes: Mapping[Label, int], n: int) -> dict[Label, int]:
    """One station per region, the rest in proportion to the regions' sizes."""
    extra = allocate_proportional({h: v - 1 for h, v in sizes.items()}, n - len(sizes))
    return {h: 1 + extra[h] for h in sizes}


def quick_count_kazakhstan(n_samples: int, *, n: int, seed: int = 5) -> Coverage:
    """Stratified quick count of the leading party's share from ``n`` stations over the 20
    regions of :func:`kazakhstan_like` (at least one station per region)."""
    data = kazakhstan_like()
    truth = float(data["Amanat"].sum() / data["counted"].sum())
    names = list(KZ_REGIONS)
    sizes = {h: KZ_REGIONS[h] for h in names}
    allocation = _allocate_at_least_one(sizes, n)
    counts = np.array(list(KZ_REGIONS.values()))
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    take = np.array([allocation[h] for h in names])
    order = np.arange(data["region"].size)
    lonely = int((take == 1).sum())
    note = f"{lonely} one-station regions collapsed" if lonely else ""
    tally = _Tally(f"quick count, {n:,} stations (KZ-like)", truth, note)
    labels = np.array(names, dtype=object)
    rng = np.random.default_rng(seed)
    for _ in range(n_samples):
        idx = _first_stations(rng, order, starts, counts, take)
        votes = {p: data[p][idx] for p in KZ_PARTIES}
        est = quick_count(votes, data["counted"][idx], strata=labels[data["region"][idx]],
                          stratum_sizes=sizes).share_of("Amanat")
        tally.add(est.share, *est.interval95)
    return tally.result()


def stratified_one_station_share(n_samples: int, *, n: int = 30, seed: int = 6) -> Coverage:
    """Share (e.g. a negative assessment) from ``n`` stations over the 20 KZ-like regions,
    at least one per region, so that most regions have a single station."""
    rng = np.random.default_rng(seed)
    names = list(KZ_REGIONS)
    counts = np.array(list(KZ_REGIONS.values()))
    region = np.repeat(np.arange(counts.size), counts)
    rates = rng.uniform(0.02, 0.35, counts.size)
    answers = (rng.random(region.size) < rates[region]).astype(np.int64)
    truth = float(answers.mean())
    allocation = _allocate_at_least_one(dict(KZ_REGIONS), n)
    take = np.array([allocation[h] for h in names])
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    order = np.arange(region.size)
    design = Design.stratified(dict(KZ_REGIONS))
    labels = np.array(names, dtype=object)
    lonely = int((take == 1).sum())
    tally = _Tally(f"share, stratified, {n} stations / 20 regions", truth,
                   f"{lonely} one-station regions collapsed (conservative)")
    for _ in range(n_samples):
        idx = _first_stations(rng, order, starts, counts, take)
        _add_share(tally, estimate_proportion(answers[idx], design,
                                              strata=labels[region[idx]].tolist()))
    return tally.result()


def district_population(seed: int = 7, n_districts: int = 223) -> dict[str, np.ndarray]:
    """Stations in districts with strongly different rates (module docstring): ``district`` per
    station, ``answer`` 0/1 per station, ``sizes`` stations per district."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(20, 73, n_districts)
    rates = rng.beta(1.2, 4.0, n_districts)
    district = np.repeat(np.arange(n_districts), sizes)
    answer = (rng.random(district.size) < rates[district]).astype(np.int64)
    return {"district": district, "answer": answer, "sizes": sizes}


def cluster_share(n_samples: int, *, k: int, m: int | None, sizes_known: bool = True,
                  n_clusters_known: bool = True, seed: int = 8) -> Coverage:
    """Share from a cluster sample of :func:`district_population`: ``k`` of 223 districts at
    random, then ``m`` of each district's stations (``None``: all of them, one stage).
    The design is told the number of districts if ``n_clusters_known`` and the stations of each
    sampled district if ``sizes_known`` (then the two-stage variance applies)."""
    pop = district_population()
    sizes = pop["sizes"]
    big_k = sizes.size
    truth = float(pop["answer"].mean())
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    order = np.arange(pop["answer"].size)
    rng = np.random.default_rng(seed)
    stage = "all stations" if m is None else f"× {m} stations"
    given = ("K, sizes" if sizes_known and n_clusters_known
             else "K only" if n_clusters_known else "no K")
    note = ""
    if n_clusters_known and not sizes_known:
        note = "eom warns: no correction without cluster sizes; conservative"
    tally = _Tally(f"share, {k} of {big_k} districts {stage} ({given})", truth, note)
    all_sizes = {int(d): int(v) for d, v in enumerate(sizes)}
    for _ in range(n_samples):
        chosen = np.zeros(big_k, dtype=np.int64)
        chosen[rng.choice(big_k, size=k, replace=False)] = 1
        take = chosen * (sizes if m is None else np.minimum(m, sizes))
        idx = _first_stations(rng, order, starts, sizes, take)
        districts = pop["district"][idx]
        design = Design.clustered(
            big_k if n_clusters_known else None,
            {d: all_sizes[d] for d in np.unique(districts).tolist()} if sizes_known else None,
        )
        _add_share(tally, estimate_proportion(pop["answer"][idx], design,
                                              clusters=districts.tolist()))
    return tally.result()


def all_coverages(n_samples: int) -> list[Coverage]:
    """Every coverage check, with ``n_samples`` simulated samples each."""
    return [
        simple_random_share(n_samples),
        stratified_share(n_samples),
        stratified_one_station_share(n_samples),
        cluster_share(n_samples, k=30, m=None),
        cluster_share(n_samples, k=150, m=8),
        cluster_share(n_samples, k=150, m=8, sizes_known=False),
        cluster_share(n_samples, k=12, m=8, sizes_known=False, n_clusters_known=False),
        quick_count_share(n_samples),
        quick_count_share(n_samples, stratified=True),
        *(quick_count_kazakhstan(n_samples, n=n) for n in (25, 60, 300, 1000)),
    ]
