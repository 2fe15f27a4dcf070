"""Shared fixtures for the pure statistics tests: the Russia 2011 per-station file, read once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from eom.stats.stationfile import StationResults, read_station_results

REPO_ROOT = Path(__file__).resolve().parents[2]
LEADER = "Единая Россия"


def shared_data_dir() -> Path:
    """EOM_SHARED_DATA, or ../shared/data beside the repository (as laid out in CI)."""
    configured = os.environ.get("EOM_SHARED_DATA")
    return Path(configured) if configured else REPO_ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def duma2011_path() -> Path:
    path = shared_data_dir() / "ru" / "duma2011.csv.zip"
    if not path.exists():
        message = f"{path} is absent (set EOM_SHARED_DATA to the folder holding ru/)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)  # CI lays shared/ beside the clone: a miss there is a failure
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def duma2011(duma2011_path) -> StationResults:
    return read_station_results(duma2011_path, LEADER, preset="duma2011")
