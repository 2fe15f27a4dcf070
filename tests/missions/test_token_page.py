"""/account/tokens/: a login lists, creates (shown once) and revokes its own API tokens,
audited; nobody else's tokens appear or can be revoked."""

import pytest
from django.test import Client
from django.utils.formats import date_format
from django.utils.timezone import localtime

from eom.missions import services
from eom.missions.models import ApiToken, AuditEntry
from tests.factories import make_api_token

URL = "/account/tokens/"


def _api(client, token: str):
    return client.get("/api/missions", headers={"Authorization": f"Bearer {token}"})


def test_the_page_lists_ones_own_tokens_and_nobody_elses(client, observer, analyst):
    make_api_token(observer, name="my phone")
    make_api_token(analyst, name="analyst-laptop-canary")
    client.force_login(observer)

    response = client.get(URL)

    assert response.status_code == 200
    token = ApiToken.objects.get(user=observer)
    for text in ["my phone", f"{token.prefix}…", "never",
                 date_format(localtime(token.expires_at), "DATETIME_FORMAT")]:
        assert text in response.content.decode()
    assert b"analyst-laptop-canary" not in response.content


def test_creating_a_token_shows_it_once_and_it_works(client, observer):
    client.force_login(observer)

    created = client.post(URL, {"name": "spreadsheet", "days": 30})

    plain = created.context["plain"]
    assert plain.startswith("eom_") and plain.encode() in created.content
    assert created["Cache-Control"] == "no-store"
    assert plain.encode() not in client.get(URL).content
    assert _api(Client(), plain).status_code == 200
    token = ApiToken.objects.get(user=observer)
    assert (token.name, token.digest) == ("spreadsheet", services.token_digest(plain))
    entry = AuditEntry.objects.get(model="missions.apitoken")
    assert (entry.action, entry.channel, entry.actor) == ("create", "page", observer)


@pytest.mark.parametrize(("days", "error"), [
    ("0", "greater than or equal to 1"), ("366", "less than or equal to 365"),
    ("abc", "Enter a whole number"), ("99999999999999999999", "less than or equal to 365"),
])
def test_days_out_of_range_are_an_error_naming_the_field(client, observer, days, error):
    client.force_login(observer)

    response = client.post(URL, {"name": "x", "days": days})

    assert response.status_code == 200
    assert error in " ".join(response.context["form"].errors["days"])
    assert not ApiToken.objects.exists()


def test_a_name_too_long_is_an_error_naming_the_field(client, observer):
    client.force_login(observer)

    response = client.post(URL, {"name": "x" * 101, "days": 30})

    assert response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_revoking_a_token_stops_it_and_is_audited(client, observer):
    plain = make_api_token(observer)
    token = ApiToken.objects.get()
    client.force_login(observer)

    response = client.post(f"{URL}{token.pk}/revoke/")

    assert response.status_code == 302
    assert response["Location"] == URL
    assert _api(Client(), plain).status_code == 401
    entry = AuditEntry.objects.get(model="missions.apitoken", action="update")
    assert (entry.changes, entry.channel, entry.actor) == (
        {"revoked": [False, True]}, "page", observer)
    assert b"revoked" in client.get(URL).content


def test_another_logins_token_cannot_be_revoked(client, observer, analyst):
    plain = make_api_token(analyst)
    token = ApiToken.objects.get()
    client.force_login(observer)

    response = client.post(f"{URL}{token.pk}/revoke/")

    assert response.status_code == 404
    assert _api(Client(), plain).status_code == 200


def test_revoking_needs_a_post(client, observer):
    make_api_token(observer)
    client.force_login(observer)

    response = client.get(f"{URL}{ApiToken.objects.get().pk}/revoke/")

    assert response.status_code == 405
    assert not ApiToken.objects.get().revoked


def test_revoking_and_creating_need_the_csrf_token(observer):
    make_api_token(observer)
    client = Client(enforce_csrf_checks=True)
    client.force_login(observer)

    revoke = client.post(f"{URL}{ApiToken.objects.get().pk}/revoke/")
    create = client.post(URL, {"name": "x", "days": 30})

    assert (revoke.status_code, create.status_code) == (403, 403)
    assert not ApiToken.objects.get().revoked
    assert ApiToken.objects.count() == 1


def test_the_page_needs_a_login_with_access(client, outsider):
    assert client.get(URL)["Location"] == f"/login/?next={URL}"
    client.force_login(outsider)
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("n", [1, 3])
def test_the_list_takes_the_same_queries_for_one_or_three_tokens(
    client, observer, n, django_assert_num_queries
):
    for i in range(n):
        make_api_token(observer, name=f"token {i}")
    client.force_login(observer)

    # session, user, person; the mission and access of the header; whether the menu shows LTO
    # reports (is the observer in an LTO team); the tokens.
    with django_assert_num_queries(6):
        client.get(URL)


@pytest.mark.parametrize(("language", "title"), [("ru", "Ваши токены"), ("kk", "Сіздің токендеріңіз")])
def test_the_page_is_translated(client, observer, language, title):
    client.cookies["django_language"] = language
    client.force_login(observer)

    assert title in client.get(URL).content.decode()
