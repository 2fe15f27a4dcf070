"""The forensics' Monte Carlo check at the demo's size (10,223 polling stations): what it costs,
and what computing it at each import adds to the import. One line per figure, no asserts
(run: python bench/bench_forensics_store.py).

On a fresh SQLite database: the demo loaded (which stores the check, 1,000 draws); the check
computed again, alone; an import of the demo's 10,223 official protocols with every protocol
changed, without the check (EOM_FORENSICS_DRAWS=0) and with it (1,000 draws, computed after
the import's transaction); what a GET of the page computes instead (every other check and the
fingerprint of the inputs).
"""

from __future__ import annotations

import csv
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

data_dir = tempfile.mkdtemp(prefix="eom-bench-")
os.environ["EOM_DATA_DIR"] = data_dir
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eom.settings")
os.environ.pop("DATABASE_URL", None)
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from eom.demo import kz2023  # noqa: E402
from eom.missions.models import Mission  # noqa: E402
from eom.results import forensics  # noqa: E402
from eom.results.checks import LINES  # noqa: E402
from eom.results.importers import import_official_results  # noqa: E402
from eom.results.models import MonteCarloCheck  # noqa: E402
from eom.results.services import party_list_contest  # noqa: E402

DRAWS = 1000


def results_file(contest, path: Path, shift: int) -> Path:
    """The contest's official protocols as a results file, each with `shift` votes moved from
    the second party to the first (so that an import changes every protocol)."""
    protocols = list(forensics.official_protocols(contest).select_related("location")
                     .order_by("location__path"))
    parties = list(protocols[0].votes)
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["location_code", *LINES, *parties])
        for p in protocols:
            votes = dict(p.votes)
            moved = min(shift, votes[parties[1]])
            votes[parties[0]] += moved
            votes[parties[1]] -= moved
            out.writerow([p.location.code, *(getattr(p, line) for line in LINES),
                          *(votes[code] for code in parties)])
    return path


def timed(call):
    started = time.perf_counter()
    value = call()
    return value, time.perf_counter() - started


def main() -> None:
    call_command("migrate", interactive=False, verbosity=0)
    settings.EOM_FORENSICS_DRAWS = DRAWS
    _created, load_s = timed(kz2023.load)
    mission = Mission.objects.get(code=kz2023.MISSION_CODE)
    contest = party_list_contest(mission)
    stored = MonteCarloCheck.objects.get(contest=contest)
    n = stored.n_protocols
    print(f"demo load, with the check stored: {load_s:.2f} s, of which the check "
          f"({stored.n_draws:,} draws, {stored.n_stations:,} stations kept) {stored.seconds:.2f} s")
    check, alone_s = timed(lambda: forensics.store_monte_carlo(
        contest, trigger="demo", n_draws=DRAWS, seed=forensics.SEED + 1))
    print(f"the check alone, {DRAWS:,} draws over {check.n_stations:,} stations (with its column "
          f"pull): {alone_s:.2f} s ({check.n_stations * DRAWS / check.seconds / 1e6:.1f} million "
          "station-draws per second)")
    folder = Path(data_dir)
    settings.EOM_FORENSICS_DRAWS = 0
    changed = results_file(contest, folder / "shifted.csv", 1)
    report, without_s = timed(lambda: import_official_results(contest, changed, actor=None))
    print(f"import of {n:,} protocols, all changed, without the check: {without_s:.2f} s "
          f"({report.n_updated:,} updated)")
    settings.EOM_FORENSICS_DRAWS = DRAWS
    back = results_file(contest, folder / "back.csv", -1)
    report, with_s = timed(lambda: import_official_results(contest, back, actor=None))
    print(f"import of {n:,} protocols, all changed, with the {DRAWS:,}-draw check after it: "
          f"{with_s:.2f} s, of which the check {report.monte_carlo_seconds:.2f} s "
          f"({100 * report.monte_carlo_seconds / with_s:.0f} % of the import)")
    protocols = forensics.official_protocols(contest)
    analysis, page_s = timed(lambda: forensics.analyse(protocols))
    _stored, lookup_s = timed(lambda: forensics.stored_check(
        contest, None, analysis.leader, analysis.digest))
    print(f"what a GET of the page computes (every other check, the inputs' fingerprint, the "
          f"stored check looked up): {page_s + lookup_s:.2f} s")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}, database {django.db.connection.vendor}")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
