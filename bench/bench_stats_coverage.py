"""Coverage of the 95 % intervals of every design eom offers (no asserts).

Simulates each design on the populations of ``eom.stats.coverage`` (2,000 samples each by
default) and prints one line per design: the rate at which the 95 % interval contained the true
value (target 94–96 %), the mean width of the interval in points, the bias of the estimate in
points, and what eom says about the design where its interval is conservative by construction.
Run: PYTHONPATH=src python bench/bench_stats_coverage.py [N_SAMPLES]
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from eom.stats.coverage import all_coverages  # noqa: E402


def main() -> None:
    n_samples = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    start = time.perf_counter()
    sd = 100 * math.sqrt(0.95 * 0.05 / n_samples)
    print(f"{n_samples:,} samples per design; binomial sd of a 95 % coverage: {sd:.2f} points")
    print(f"{'design':<60} {'coverage':>8} {'width':>6} {'bias':>6}  note")
    for r in all_coverages(n_samples):
        print(f"{r.name:<60} {100 * r.rate:7.1f}% {100 * r.mean_width:6.2f} "
              f"{100 * r.bias:+6.2f}  {r.note}")
    print(f"{'elapsed':<60} {time.perf_counter() - start:7.1f} s")


if __name__ == "__main__":
    main()
