"""Time to load the Kazakhstan 2023 demo mission and to re-import its 10,223 polling stations.

Runs against a fresh SQLite file (or DATABASE_URL's database if it is set and empty of eom data):
    .venv/bin/python bench/bench_demo_load.py
"""

from __future__ import annotations

import os
import platform
import tempfile
import time
from pathlib import Path

data_dir = tempfile.mkdtemp(prefix="eom-bench-")
os.environ.setdefault("EOM_DATA_DIR", data_dir)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eom.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from eom.demo import kz2023  # noqa: E402
from eom.missions.exporters import export_locations  # noqa: E402
from eom.missions.importers import import_locations  # noqa: E402
from eom.missions.services import current_mission  # noqa: E402


def main() -> None:
    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    kz2023.load()
    print(f"demo load (10,273 locations, 362 people, 166 teams, audit): "
          f"{time.perf_counter() - started:.2f} s")
    mission = current_mission()
    path = Path(data_dir) / "locations.csv"
    started = time.perf_counter()
    export_locations(mission, path)
    print(f"export of 10,273 locations to CSV: {time.perf_counter() - started:.2f} s")
    started = time.perf_counter()
    report = import_locations(mission, path, actor=None)
    print(f"re-import of the same file (nothing changes): {time.perf_counter() - started:.2f} s, "
          f"{report.n_unchanged:,} unchanged")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"database {django.db.connection.vendor}")


if __name__ == "__main__":
    main()
