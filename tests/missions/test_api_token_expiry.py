"""API tokens expire: 90 days by default (EOM_TOKEN_DAYS), `eom token NAME --days N`; an
expired token is refused with 401 naming its expiry."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from eom.missions import services
from eom.missions.models import ApiToken, AuditEntry
from tests.factories import make_api_token


def _api(client, token: str):
    return client.get("/api/missions", headers={"Authorization": f"Bearer {token}"})


def _between(before: dt.datetime, value: dt.datetime, days: int) -> bool:
    return before + dt.timedelta(days=days) <= value <= timezone.now() + dt.timedelta(days=days)


def test_a_token_expires_ninety_days_after_it_is_issued(core_member):
    before = timezone.now()

    token, _plain = services.issue_token(actor=None, channel="command", user=core_member,
                                         name="laptop")

    assert _between(before, token.expires_at, 90)
    assert AuditEntry.objects.get(model="missions.apitoken").changes["expires_at"] == [
        None, token.expires_at.isoformat()]


def test_eom_token_days_sets_the_default(core_member, settings):
    settings.EOM_TOKEN_DAYS = 7
    before = timezone.now()

    token, _plain = services.issue_token(actor=None, channel="command", user=core_member,
                                         name="laptop")

    assert _between(before, token.expires_at, 7)


def test_an_expired_token_is_refused_with_401_naming_its_expiry(client, core_member):
    plain = make_api_token(core_member)
    expired = timezone.now() - dt.timedelta(minutes=1)
    ApiToken.objects.update(expires_at=expired)

    response = _api(client, plain)

    assert response.status_code == 401
    assert response.json()["detail"].startswith("This API token expired on ")
    assert response.json()["detail"].endswith("; issue a new one.")


def test_a_token_works_until_its_expiry(client, core_member):
    plain = make_api_token(core_member)
    ApiToken.objects.update(expires_at=timezone.now() + dt.timedelta(minutes=1))

    assert _api(client, plain).status_code == 200


def test_an_expired_token_is_not_counted_as_a_guess(client, core_member):
    plain = make_api_token(core_member)
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(days=1))

    statuses = {_api(client, plain).status_code for _ in range(31)}

    assert statuses == {401}


def test_token_command_days_sets_the_expiry(core_member):
    out, err = io.StringIO(), io.StringIO()
    before = timezone.now()

    call_command("token", core_member.username, "--days", "7", stdout=out, stderr=err)

    token = ApiToken.objects.get()
    assert _between(before, token.expires_at, 7)
    local = timezone.localtime(token.expires_at).isoformat(timespec="minutes")
    assert err.getvalue().strip() == f"It works until {local}."


@pytest.mark.parametrize("days", ["0", "-1", "3651", "999999999"])
def test_token_command_refuses_days_out_of_range_and_issues_nothing(core_member, days):
    with pytest.raises(CommandError, match=f"--days {days}: A token lasts from 1 to 3650 days."):
        call_command("token", core_member.username, "--days", days)

    assert not ApiToken.objects.exists()


def test_reissuing_the_operators_chosen_token_renews_it_once_expired(client, observer):
    chosen = "eom_sim_0123456789abcdef"
    services.issue_token(actor=None, channel="command", user=observer, name="simulator",
                         plain=chosen)
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(days=1))

    token, plain = services.issue_token(actor=None, channel="command", user=observer,
                                        name="simulator", plain=chosen)

    assert (plain, ApiToken.objects.count()) == (chosen, 1)
    assert not token.expired
    assert _api(client, chosen).status_code == 200
    assert AuditEntry.objects.filter(model="missions.apitoken", action="update").count() == 1
