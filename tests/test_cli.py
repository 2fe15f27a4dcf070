"""The `eom` console command: Django commands and the pure ones."""

import io
import json
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from eom.missions.models import AuditEntry
from tests.factories import make_person


def test_eom_summary_json_lists_what_is_loaded(mission, tree):
    out = io.StringIO()
    call_command("summary", format="json", stdout=out)
    figures = json.loads(out.getvalue())
    assert figures["missions"] == 1
    assert figures["locations"] == {"country": 1, "region": 2, "district": 2, "polling_station": 4}
    assert set(figures) >= {
        "missions", "elections", "contests", "parties", "locations", "people", "teams", "meetings",
        "lto_reports", "complaints", "media_items", "recommendations",
    }


def test_eom_console_script_runs_django_commands():
    result = subprocess.run(
        [sys.executable, "-m", "eom", "help", "summary"], capture_output=True, text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Print what is loaded" in result.stdout


def test_createuser_links_a_login_to_a_person_and_audits_it(mission):
    person = make_person(mission, access="coordinator", code="LTO01")
    out = io.StringIO()
    call_command("createuser", "lto1", person="LTO01", password="long-enough-pw", stdout=out)
    person.refresh_from_db()
    assert person.user.username == "lto1"
    assert person.user.check_password("long-enough-pw")
    entry = AuditEntry.objects.get(model="auth.user")
    assert (entry.channel, entry.action) == ("command", "create")


def test_createuser_refuses_an_unknown_person_and_creates_nothing(mission):
    with pytest.raises(CommandError, match="no person has the code 'NOPE'"):
        call_command("createuser", "x", person="NOPE", password="long-enough-pw")
    assert get_user_model().objects.count() == 0


def test_createuser_refuses_a_short_password(mission):
    make_person(mission, code="P1")
    with pytest.raises(CommandError, match="at least 8 characters"):
        call_command("createuser", "x", person="P1", password="short")
