"""The photo limits come from the environment; a limit below 1 stops the server, naming it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = str(Path(__file__).resolve().parent.parent / "src")


def settings_with(tmp_path, **variables) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": SRC, "EOM_DATA_DIR": str(tmp_path), **variables}
    code = ("import eom.settings as s; "
            "print(s.EOM_MAX_PHOTO_BYTES, s.EOM_MAX_PHOTOS_PER_REPORT)")
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=60, check=False)


def test_the_photo_limits_are_read_from_the_environment(tmp_path):
    result = settings_with(tmp_path, EOM_MAX_PHOTO_BYTES="2000000", EOM_MAX_PHOTOS_PER_REPORT="2")
    assert (result.returncode, result.stdout) == (0, "2000000 2\n")


@pytest.mark.parametrize("name", ["EOM_MAX_PHOTO_BYTES", "EOM_MAX_PHOTOS_PER_REPORT"])
def test_a_photo_limit_below_one_stops_the_server_naming_it(tmp_path, name):
    result = settings_with(tmp_path, **{name: "0"})
    assert result.returncode == 1
    assert f"ImproperlyConfigured: {name}=0: expected a positive number" in result.stderr
