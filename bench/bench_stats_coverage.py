"""Coverage of the 95 % intervals over 2,000 simulated samples each (no asserts).

Prints one line per check: the rate at which the interval contained the true value (target
94–96 %). Run: PYTHONPATH=src python bench/bench_stats_coverage.py [N_SAMPLES]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from eom.stats.coverage import all_coverages  # noqa: E402


def main() -> None:
    n_samples = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    start = time.perf_counter()
    for result in all_coverages(n_samples):
        print(f"{result.name:<32} coverage {100 * result.rate:5.1f} % "
              f"({result.n_covered}/{result.n_samples}, true value {result.true_value:.4f})")
    print(f"{'elapsed':<32} {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
