"""Timings of the pure statistics core: one line per figure (no asserts).

Reads shared/data/ru/duma2011.csv.zip (95,225 polling stations; EOM_SHARED_DATA overrides the
folder), times every forensic test on it, then a quick count on a synthetic 100,000-station
election. Run: PYTHONPATH=src python bench/bench_stats.py
"""

from __future__ import annotations

import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402

from eom.stats import (  # noqa: E402
    benford_second_digit,
    draw_stratified_sample,
    fingerprint,
    fingerprint_svg,
    integer_percentages,
    quick_count,
    read_station_results,
    shpilkin_estimate,
    turnout_slope,
)


def timed(label: str, fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    print(f"{label:<48} {time.perf_counter() - start:8.3f} s")
    return result


def main() -> None:
    print(f"machine: {platform.machine()} {platform.processor() or ''} {os.cpu_count()} cpus, "
          f"python {platform.python_version()}, numpy {np.__version__}")
    data_dir = Path(os.environ.get("EOM_SHARED_DATA", ROOT.parent / "shared" / "data"))
    path = data_dir / "ru" / "duma2011.csv.zip"
    if path.exists():
        data = timed("read duma2011 (95,225 stations, preset duma2011)", read_station_results,
                     path, "Единая Россия", preset="duma2011")
        a = (data.n_registered, data.n_ballots, data.n_leader, data.n_counted)
        timed("integer percentages, exact null", integer_percentages, *a, n_draws=0)
        timed("integer percentages, exact + 1,000 MC draws", integer_percentages, *a)
        fp = timed("fingerprint histogram", fingerprint, *a)
        timed("fingerprint SVG", fingerprint_svg, fp)
        timed("Shpilkin estimate", shpilkin_estimate, *a)
        timed("second-digit Benford (1,000 bootstrap)", benford_second_digit, data.n_leader)
        timed("turnout slope", turnout_slope, *a)
    else:
        print(f"{path} absent: forensic timings skipped")

    rng = np.random.default_rng(0)
    n = 100_000
    region = rng.integers(0, 20, n)
    registered = rng.integers(200, 3000, n)
    counted = rng.binomial(registered, 0.6)
    votes = rng.multinomial(counted, [0.45, 0.35, 0.2])
    sample = timed("draw stratified sample (2,000 of 100,000)", draw_stratified_sample,
                   list(range(n)), region.tolist(), 2000, seed=1)
    idx = np.array(sample.station_ids)
    sizes = {h: int(v) for h, v in zip(*np.unique(region, return_counts=True), strict=True)}
    parties = {p: votes[idx, i] for i, p in enumerate("ABC")}
    timed("quick count on 2,000-station sample", quick_count, parties, counted[idx],
          strata=region[idx].tolist(), stratum_sizes=sizes)
    everything = {p: votes[:, i] for i, p in enumerate("ABC")}
    timed("quick count on all 100,000 stations", quick_count, everything, counted,
          strata=region.tolist(), stratum_sizes=sizes)


if __name__ == "__main__":
    main()
