"""`eom token USERNAME`: issues a working API token and prints it once."""

import io

import pytest
from django.core.management import CommandError, call_command

from eom.missions.models import ApiToken, AuditEntry
from eom.missions.services import token_digest


def _token(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue().strip()


def test_token_command_prints_a_token_that_works(client, core_member):
    plain, err = _token(core_member.username, "--name", "laptop")

    response = client.get("/api/missions", headers={"Authorization": f"Bearer {plain}"})

    assert response.status_code == 200
    assert err.startswith("It works until ")
    token = ApiToken.objects.get()
    assert (token.name, token.digest, token.user) == ("laptop", token_digest(plain), core_member)


def test_token_command_stores_only_the_digest(core_member):
    plain, _err = _token(core_member.username)

    assert ApiToken.objects.filter(digest=plain).count() == 0
    assert ApiToken.objects.get().prefix == plain[4:12]


def test_token_command_audits_the_issue(core_member):
    _token(core_member.username)

    entry = AuditEntry.objects.get()
    assert (entry.channel, entry.action, entry.model) == ("command", "create", "missions.apitoken")


def test_token_command_warns_about_a_login_without_access(outsider):
    plain, err = _token("outsider")

    assert plain.startswith("eom_")
    assert err.splitlines()[0] == (
        "Warning: 'outsider' has no access to eom; the API will answer 403 until it is given "
        "a person with access."
    )


def test_token_command_unknown_login_fails(db):
    with pytest.raises(CommandError) as raised:
        _token("nobody")

    assert str(raised.value) == "No login 'nobody'."
    assert ApiToken.objects.count() == 0
