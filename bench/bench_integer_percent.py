"""Integer-percentage test on the Russian State Duma 2011 file: the exact null beside the
1,000-draw Monte Carlo null, measured side by side in one run (no asserts).

Reads shared/data/ru/duma2011.csv.zip (95,225 polling stations; EOM_SHARED_DATA overrides the
folder) through the results importer's column mapping (preset duma2011, eom.stats.columns) and
prints: read time, exact-null time (target: under 1 s), Monte Carlo time, both excess figures
and their difference in units of the Monte Carlo standard error (the sd of the simulated counts
over the square root of the number of draws).
Run: PYTHONPATH=src python bench/bench_integer_percent.py
"""

from __future__ import annotations

import math
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402

from eom.stats import integer_percentages, read_station_results  # noqa: E402
from eom.stats.integer_percent import monte_carlo_null  # noqa: E402

DRAWS = 1000
SEED = 20111204


def main() -> None:
    print(f"machine: {platform.machine()} {platform.processor() or ''} {os.cpu_count()} cpus, "
          f"python {platform.python_version()}, numpy {np.__version__}")
    data_dir = Path(os.environ.get("EOM_SHARED_DATA", ROOT.parent / "shared" / "data"))
    path = data_dir / "ru" / "duma2011.csv.zip"
    if not path.exists():
        print(f"{path} absent: integer-percentage timings skipped")
        return
    start = time.perf_counter()
    data = read_station_results(path, "Единая Россия", preset="duma2011")
    read = time.perf_counter() - start
    a = (data.n_registered, data.n_ballots, data.n_leader, data.n_counted)
    start = time.perf_counter()
    exact = integer_percentages(*a, n_draws=0)
    exact_s = time.perf_counter() - start
    start = time.perf_counter()
    counts = monte_carlo_null(*a, n_draws=DRAWS, seed=SEED)
    mc_s = time.perf_counter() - start
    mc_mean = float(counts.mean())
    mc_sd = float(counts.std(ddof=1))
    mc_excess = exact.observed - mc_mean
    se = mc_sd / math.sqrt(DRAWS)
    print(f"{'read duma2011 through the mapping (duma2011)':<52} {read:8.3f} s  "
          f"({data.n_stations:,} stations)")
    print(f"{'integer percentages, exact null':<52} {exact_s:8.3f} s  (target < 1 s)")
    print(f"{'integer percentages, Monte Carlo null, 1,000 draws':<52} {mc_s:8.3f} s")
    print(f"stations kept {exact.stations_kept:,}, observed {exact.observed:,}")
    print(f"exact null       {exact.null_mean:10.1f} ± {exact.null_sd:.1f}   "
          f"excess {exact.excess:8.1f}")
    print(f"Monte Carlo null {mc_mean:10.1f} ± {mc_sd:.1f}   excess {mc_excess:8.1f}   "
          f"(standard error of the mean {se:.2f})")
    print(f"difference of the excesses {exact.excess - mc_excess:+.2f} stations = "
          f"{(exact.excess - mc_excess) / se:+.2f} Monte Carlo standard errors")


if __name__ == "__main__":
    main()
