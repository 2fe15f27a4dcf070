"""Planning a quick count in polling stations: the design effect of a population shaped like
Kazakhstan 2023 (where eom's default design effect comes from) and whether the planned number
of stations reaches the margin asked when drawn (no asserts).

Prints, for ±1 and ±2 points, simple random and stratified by region: the stations planned,
the margin reached (1.96 × the root-mean-square error of the ratio estimate over the draws) and
the handbook's answer for voters drawn one by one. With the Duma 2011 file present
(../shared/data/ru/duma2011.csv.zip) it prints that real election's design effect too.
Run: PYTHONPATH=src python bench/bench_sample_size.py [DRAWS]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from eom.stats.sampling import (  # noqa: E402
    allocate_proportional,
    read_planning_file,
    sample_size,
    stations_for_voters,
    stations_from_results,
)


def kazakhstan_shaped(seed: int = 19032023, n_stations: int = 10_223, n_regions: int = 20):
    """10,223 stations of 50–3,000 registered voters (mean about 1,160) in 20 regions; turnout
    54 % ± 8 by region and ± 7 by station; the leader's share 54 % ± 5 by region and a beta
    spread (concentration 70) by station."""
    rng = np.random.default_rng(seed)
    region = np.sort(rng.integers(0, n_regions, n_stations))
    registered = np.clip(np.round(rng.gamma(2.0, 1177 / 2.0, n_stations)), 50, 3000)
    turnout = np.clip(np.clip(rng.normal(0.54, 0.08, n_regions), 0.25, 0.85)[region]
                      + rng.normal(0, 0.07, n_stations), 0.1, 0.98)
    mu = np.clip(rng.normal(0.539, 0.05, n_regions), 0.2, 0.9)[region]
    share = rng.beta(mu * 70.0, (1 - mu) * 70.0)
    valid = rng.binomial(registered.astype(np.int64), turnout)
    return region, valid, rng.binomial(valid, share)


def reached(votes, valid, n, strata, draws, rng) -> float:
    truth = votes.sum() / valid.sum()
    errors = np.empty(draws)
    members = {h: np.flatnonzero(strata == h) for h in np.unique(strata)} if strata is not None \
        else None
    allocation = allocate_proportional({h: m.size for h, m in members.items()}, n) \
        if members else None
    for k in range(draws):
        if members is None:
            idx = rng.choice(votes.size, n, replace=False)
            errors[k] = votes[idx].sum() / valid[idx].sum() - truth
        else:
            num = den = 0.0
            for h, m in members.items():
                idx = rng.choice(m, allocation[h], replace=False)
                num += m.size * votes[idx].mean()
                den += m.size * valid[idx].mean()
            errors[k] = num / den - truth
    return 1.96 * float(np.sqrt(np.mean(errors ** 2)))


def main() -> None:
    draws = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    start = time.perf_counter()
    rng = np.random.default_rng(1)
    region, valid, votes = kazakhstan_shaped()
    plan = stations_from_results(votes, valid, 0.01)
    print(f"{'population':<34} {votes.size:,} stations, leader {100 * plan.share:.1f} %, "
          f"{plan.mean_voters:,.0f} valid ballots per station")
    print(f"{'design effect (simple random)':<34} {plan.design_effect:.1f}")
    strat = stations_from_results(votes, valid, 0.01, strata=region)
    print(f"{'design effect (20 regions)':<34} {strat.design_effect:.1f}")
    print(f"{'margin at 300 stations':<34} {100 * reached(votes, valid, 300, None, draws, rng):.2f} points")
    for margin in (0.02, 0.01):
        voters = sample_size(int(valid.sum()), margin, p=plan.share).n
        handbook = stations_for_voters(voters, plan.mean_voters)
        for strata, name in ((None, "simple random"), (region, "by region")):
            p = stations_from_results(votes, valid, margin, strata=strata)
            got = reached(votes, valid, p.n_stations, strata, draws, rng)
            print(f"±{100 * margin:g} points, {name:<21} {p.n_stations:5,} stations planned, "
                  f"margin reached {100 * got:.2f} points ({draws:,} draws; handbook: "
                  f"{handbook} stations)")
    duma = ROOT.parent / "shared" / "data" / "ru" / "duma2011.csv.zip"
    if duma.exists():
        data = read_planning_file(duma, "Единая Россия", preset="duma2011", by="region")
        for strata, name in ((None, "simple random"), (data.strata, "by region")):
            p = stations_from_results(data.votes, data.valid, 0.01, strata=strata)
            print(f"Duma 2011, {name:<23} design effect {p.design_effect:.1f}, ±1 point: "
                  f"{p.n_stations:,} stations")
    print(f"{'elapsed':<34} {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
