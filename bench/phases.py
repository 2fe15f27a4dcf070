"""What the database benchmarks share: one child process per database, each with Django set up
on a fresh schema (SQLite in a temporary folder, PostgreSQL at EOM_BENCH_PG_URL with its public
schema dropped and created again)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable

PG_URL = os.environ.get("EOM_BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/bench")


def postgres_answers() -> bool:
    try:
        import psycopg

        psycopg.connect(PG_URL.replace("postgres://", "postgresql://"), connect_timeout=3).close()
    except Exception:  # noqa: BLE001 - any failure means: no server to measure
        return False
    return True


def fresh_django(vendor: str, data_dir: str) -> None:
    """Django set up for `vendor` on an empty database, to be migrated (once per process)."""
    os.environ["EOM_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "eom.settings"
    if vendor == "postgresql":
        os.environ["DATABASE_URL"] = PG_URL
        import psycopg

        with psycopg.connect(PG_URL.replace("postgres://", "postgresql://"),
                             autocommit=True) as fresh:
            fresh.execute("DROP SCHEMA public CASCADE")
            fresh.execute("CREATE SCHEMA public")
    import django

    django.setup()


def each_database(script: str, name: str, phase: Callable[[str, str], None]) -> int:
    """Run `phase(vendor, data_dir)` in a child process of `script` for each database of
    EOM_BENCH_DATABASES ("sqlite postgresql"); PostgreSQL is skipped when it does not answer.
    Returns the children's failures (0 when every phase passed)."""
    if len(sys.argv) == 4 and sys.argv[1] == "--phase":
        phase(sys.argv[2], sys.argv[3])
        return 0
    failed = 0
    for vendor in os.environ.get("EOM_BENCH_DATABASES", "sqlite postgresql").split():
        if vendor == "postgresql" and not postgres_answers():
            print(f"postgresql: skipped, no server at {PG_URL}")
            continue
        data_dir = tempfile.mkdtemp(prefix=f"eom-bench-{name}-{vendor}-")
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        done = subprocess.run([sys.executable, script, "--phase", vendor, data_dir], env=env)
        failed |= done.returncode
        if done.returncode == 0:
            shutil.rmtree(data_dir, ignore_errors=True)
    return failed
