"""The observer effect: how often its 95 % interval holds the truth (thousands of generated
populations, with and without a planted effect), what it costs on 10,223 stations, and what it
adds to a GET of the forensics page on the demo. One line per figure, no asserts
(run: python bench/bench_observer_effect.py [--no-demo]).

The populations are those of tests/stats/test_observer_effect.py: 4,000 stations in 10
regions, teams sent mostly where the leader is weakest (so the plain difference is ten points
off), observed stations losing 8 points of the leader's share and 5 of turnout when the effect
is planted.
"""

from __future__ import annotations

import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from tests.stats.test_observer_effect import (  # noqa: E402
    PLANTED,
    PLANTED_TURNOUT,
    population,
)

from eom.stats.observer_effect import cross, observer_effect, size_bands  # noqa: E402

RUNS = 2000


def coverage() -> None:
    for planted in (0.0, 1.0):
        truth = (planted * PLANTED_TURNOUT, planted * PLANTED)
        held, found = [0, 0], [0, 0]
        started = time.perf_counter()
        for seed in range(RUNS):
            result = observer_effect(*population(seed, turnout_effect=truth[0],
                                                 leader_effect=truth[1]))
            for i, m in enumerate(result.measures):
                held[i] += m.interval[0] <= truth[i] <= m.interval[1]
                found[i] += m.found
        seconds = time.perf_counter() - started
        what = "planted effect (turnout -5, leader -8 points)" if planted else "no effect"
        print(f"{what}, {RUNS:,} populations of 4,000 stations: the 95 % interval holds the "
              f"truth {100 * held[0] / RUNS:.1f} % (turnout), {100 * held[1] / RUNS:.1f} % "
              f"(leader); excludes zero {100 * found[0] / RUNS:.1f} %, "
              f"{100 * found[1] / RUNS:.1f} %; {1000 * seconds / RUNS:.1f} ms each")


def core_at_demo_size() -> None:
    rng = np.random.default_rng(1)
    n = 10_223
    reg = rng.integers(100, 3000, n)
    bal = rng.binomial(reg, 0.55)
    lead = rng.binomial(bal, 0.6)
    observed = (rng.random(n) < 0.12).astype(int)
    regions = [f"R{r}" for r in rng.integers(0, 20, n)]
    started = time.perf_counter()
    for _ in range(20):
        bands, _edges = size_bands(reg)
        observer_effect(observed, cross(regions, bands), reg, bal, lead, bal)
    print(f"eom.stats.observer_effect on {n:,} stations, 80 strata (with the strata built): "
          f"{1000 * (time.perf_counter() - started) / 20:.1f} ms")


def on_the_demo() -> None:
    data_dir = tempfile.mkdtemp(prefix="eom-bench-")
    os.environ["EOM_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eom.settings")
    os.environ.pop("DATABASE_URL", None)
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        from eom.demo import kz2023
        from eom.missions.models import Mission
        from eom.results import forensics
        from eom.results.observer_effect import observer_comparison
        from eom.results.services import party_list_contest

        call_command("migrate", interactive=False, verbosity=0)
        settings.EOM_FORENSICS_DRAWS = 0
        kz2023.load()
        mission = Mission.objects.get(code=kz2023.MISSION_CODE)
        contest = party_list_contest(mission)
        protocols = forensics.official_protocols(contest)
        times, extra = [], []
        for _ in range(5):
            started = time.perf_counter()
            analysis = forensics.analyse(protocols)
            middle = time.perf_counter()
            comparison = observer_comparison(contest, analysis)
            times.append(middle - started)
            extra.append(time.perf_counter() - middle)
        effect = comparison.effect
        share = effect.leader_share
        print(f"demo: {comparison.n_stations:,} stations, {comparison.n_observed:,} observed; "
              f"leader share {100 * share.mean_observed:.2f} % observed, "
              f"{100 * share.mean_unobserved:.2f} % unobserved, difference "
              f"{100 * share.difference:+.2f} [{100 * share.interval[0]:+.2f}, "
              f"{100 * share.interval[1]:+.2f}]; turnout difference "
              f"{100 * effect.turnout.difference:+.2f} [{100 * effect.turnout.interval[0]:+.2f},"
              f" {100 * effect.turnout.interval[1]:+.2f}]; strata used "
              f"{len(share.strata_used)}, dropped {len(share.strata_dropped)}")
        print(f"demo page: the other checks {1000 * min(times):.0f} ms (best of 5), the observer "
              f"effect after them {1000 * min(extra):.0f} ms (best of 5; median "
              f"{1000 * sorted(extra)[2]:.0f} ms)")
        print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
              f"load average {os.getloadavg()[0]:.1f}, database {django.db.connection.vendor}")
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    coverage()
    core_at_demo_size()
    if "--no-demo" not in sys.argv:
        on_the_demo()
