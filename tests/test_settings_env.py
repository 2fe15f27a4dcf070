"""Settings come from the environment, and bad values stop the server with a clear message."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from eom.settings import env_bool, env_int, env_str


def test_env_bool_accepts_the_usual_spellings(monkeypatch):
    for raw, expected in [("1", True), ("yes", True), ("ON", True), ("0", False), ("off", False)]:
        monkeypatch.setenv("EOM_X", raw)
        assert env_bool("EOM_X", not expected) is expected


def test_env_bool_refuses_anything_else_naming_the_variable(monkeypatch):
    monkeypatch.setenv("EOM_DEBUG_X", "maybe")
    with pytest.raises(ImproperlyConfigured, match="EOM_DEBUG_X='maybe'"):
        env_bool("EOM_DEBUG_X", False)


def test_env_int_refuses_words(monkeypatch):
    monkeypatch.setenv("EOM_N", "ten")
    with pytest.raises(ImproperlyConfigured, match="expected a whole number"):
        env_int("EOM_N", 1)


def test_env_str_reads_a_secret_from_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "key"
    secret.write_text("s3cret\n", encoding="utf-8")
    monkeypatch.setenv("EOM_KEY_FILE", str(secret))
    assert env_str("EOM_KEY", "default") == "s3cret"


def test_env_str_names_an_unreadable_secret_file(monkeypatch, tmp_path):
    monkeypatch.setenv("EOM_KEY_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="EOM_KEY_FILE"):
        env_str("EOM_KEY", "default")
