"""`eom check --deploy` prints no warning with the production environment that
docs/deployment.md documents (read from the page itself), and warns without it."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import eom
from eom.missions import crypto

SOURCE = Path(eom.__file__).resolve().parents[1]
DEPLOYMENT_GUIDE = SOURCE.parent / "docs" / "deployment.md"

CHECK = """
import django
django.setup()
from django.core.management import call_command
call_command("check", deploy=True, fail_level="WARNING")
"""


def documented_environment() -> dict[str, str]:
    """The variables of the guide's `/etc/eom/eom.env` block."""
    guide = DEPLOYMENT_GUIDE.read_text(encoding="utf-8")
    (block,) = re.findall(r"```sh\n# /etc/eom/eom\.env\n(.*?)```", guide, flags=re.DOTALL)
    return dict(line.split("=", 1) for line in block.splitlines() if line and line[0] != "#")


def _check(tmp_path: Path, variables: dict[str, str]) -> subprocess.CompletedProcess:
    # A production server's environment: none of eom's variables, nor the one the browser tests
    # set in this process for Playwright (DJANGO_ALLOW_ASYNC_UNSAFE).
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith("EOM_")
                   and k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    environment.update(PYTHONPATH=str(SOURCE), DJANGO_SETTINGS_MODULE="eom.settings",
                       EOM_DATA_DIR=str(tmp_path / "var"))
    environment.update(variables)
    return subprocess.run([sys.executable, "-c", CHECK], env=environment, capture_output=True,
                          text=True, check=False, cwd=tmp_path)


def test_the_documented_production_environment_passes_check_deploy_without_a_warning(tmp_path):
    variables = documented_environment()
    assert variables["EOM_SSL_REDIRECT"] == "true"  # the block was found and read
    secret_key, data_key = tmp_path / "secret_key", tmp_path / "data_key"
    secret_key.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    data_key.write_text(crypto.generate_key(), encoding="utf-8")
    variables.update(EOM_DATA_DIR=str(tmp_path / "var"), EOM_SECRET_KEY_FILE=str(secret_key),
                     EOM_DATA_KEY_FILE=str(data_key))
    result = _check(tmp_path, variables)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_the_zero_set_up_defaults_warn_under_check_deploy(tmp_path):
    result = _check(tmp_path, {})
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016",
                    "eom.keys.W001"):
        assert warning in result.stderr, warning


def test_a_data_key_kept_beside_the_database_is_reported(tmp_path):
    variables = documented_environment()
    secret_key = tmp_path / "secret_key"
    secret_key.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    variables.update(EOM_DATA_DIR=str(tmp_path / "var"), EOM_SECRET_KEY_FILE=str(secret_key))
    del variables["EOM_DATA_KEY_FILE"]
    result = _check(tmp_path, variables)
    assert "eom.keys.W001" in result.stderr
    assert str(tmp_path / "var" / "data_key") in result.stderr
    assert "security." not in result.stderr
