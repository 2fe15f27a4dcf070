"""Results speed: one line per figure, no asserts (run: python bench/bench_results.py).

Figures: aggregating 100,000 synthetic station protocols (8 lines, 7 lists) up a 4-level tree
and running the Kazakh law's 7 arithmetic checks over them (target: under 2 s together); then
seats recomputed from the national sum under kz-mazhilis-2023, and the three sensitivity
recomputations (median of 50 runs). Pure numpy and eom.electoral: no database.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from pathlib import Path

try:
    import eom.results  # noqa: F401
except ImportError:  # running from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eom.settings")
import django  # noqa: E402

django.setup()  # for the translations the checks' explanations use

import numpy as np  # noqa: E402

from eom.electoral import AGAINST_ALL, load_law  # noqa: E402
from eom.results import checks, tally  # noqa: E402
from eom.results.checks import LINES  # noqa: E402

N = 100_000
PARTIES = ("AMANAT", "AUYL", "RESPUBLICA", "AKZHOL", "QHP", "OSDP", "BAYTAQ")
SHARES = np.array([3_431_510, 693_938, 547_154, 535_139, 432_920, 331_058, 146_431, 248_291])


def synthetic(n: int, seed: int = 1) -> tally.ProtocolArrays:
    rng = np.random.default_rng(seed)
    registered = rng.integers(300, 2500, size=n)
    cast = (registered * rng.uniform(0.35, 0.8, size=n)).astype(np.int64)
    invalid = (cast * 0.024).astype(np.int64)
    valid = cast - invalid
    shares = rng.dirichlet(SHARES / SHARES.sum() * 200, size=n)
    votes = np.floor(shares * valid[:, None]).astype(np.int64)
    votes[:, 0] += valid - votes.sum(axis=1)
    received = (registered // 10 + 2) * 10
    lines = np.stack([registered, received, cast, received - cast, cast, invalid, valid,
                      votes[:, -1]], axis=1)
    broken = rng.random(n) < 0.01
    lines[broken, LINES.index("n_valid")] += 7
    paths = tuple(f"KZ/R{i % 20:02d}/D{i % 98:03d}/{i:06d}/" for i in range(n))
    return tally.ProtocolArrays(np.arange(n), paths, lines, PARTIES, votes[:, :-1])


def main() -> None:
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}, numpy {np.__version__}")
    started = time.perf_counter()
    arrays = synthetic(N)
    print(f"synthetic protocols: {N:,} built in {time.perf_counter() - started:.2f} s")
    law = checks.load_checks("kz-mazhilis-2023")
    started = time.perf_counter()
    groups = [tally.aggregate(arrays, depth) for depth in range(3)]
    aggregated = time.perf_counter() - started
    started = time.perf_counter()
    outcomes = tally.run_checks(arrays, law)
    failing = tally.failing(outcomes, arrays.n)
    checked = time.perf_counter() - started
    print(f"aggregate {N:,} protocols to {sum(len(g) for g in groups):,} nodes (3 levels): "
          f"{aggregated:.3f} s")
    print(f"check {N:,} protocols ({len(law)} checks, {int(failing.sum()):,} failing): "
          f"{checked:.3f} s")
    print(f"aggregate + check: {aggregated + checked:.3f} s (target < 2 s)")
    kz = load_law("kz-mazhilis-2023")
    votes = {**arrays.national_votes(), AGAINST_ALL: int(arrays.line("n_against_all").sum())}
    times = []
    for _ in range(50):
        started = time.perf_counter()
        kz.allocate(votes, registration_order=list(PARTIES))
        times.append(time.perf_counter() - started)
    print(f"seats from the national sum (kz-mazhilis-2023): median "
          f"{statistics.median(times) * 1000:.2f} ms")
    started = time.perf_counter()
    for leave_out in (failing, failing | (arrays.ids % 97 == 0)):
        kept = arrays.subset(~leave_out)
        kz.allocate({**kept.national_votes(),
                     AGAINST_ALL: int(kept.line("n_against_all").sum())},
                    registration_order=list(PARTIES))
    print(f"sensitivity (2 recomputations without doubtful protocols): "
          f"{time.perf_counter() - started:.3f} s")


if __name__ == "__main__":
    main()
