"""A session ends EOM_SESSION_HOURS (10) after its sign-in, whatever it does in between, and
its cookie when the browser closes."""

import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ImproperlyConfigured

from eom.missions.signin import SIGNED_IN_AT
from eom.settings import env_positive


def _signed_in_hours_ago(client, hours: float) -> None:
    session = client.session
    session[SIGNED_IN_AT] = int(time.time() - hours * 3600)
    session.save()


def test_a_session_ends_ten_hours_after_its_sign_in(client, observer):
    client.force_login(observer)
    _signed_in_hours_ago(client, 10 + 1 / 60)

    response = client.get("/meetings/")

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/meetings/"
    assert SESSION_KEY not in client.session
    assert client.get("/meetings/").status_code == 302


def test_a_session_younger_than_ten_hours_goes_on(client, observer):
    client.force_login(observer)
    _signed_in_hours_ago(client, 10 - 1 / 60)

    assert client.get("/meetings/").status_code == 200


def test_an_ended_session_tells_the_user_to_sign_in_again(client, observer):
    client.force_login(observer)
    _signed_in_hours_ago(client, 11)

    response = client.get("/meetings/", follow=True)

    assert b"Your session has ended. Please sign in again." in response.content


def test_the_api_answers_401_to_an_ended_session(client, observer):
    client.force_login(observer)
    _signed_in_hours_ago(client, 11)

    assert client.get("/api/missions").status_code == 401


def test_a_session_without_a_sign_in_time_is_ended(client, observer):
    client.force_login(observer)
    session = client.session
    del session[SIGNED_IN_AT]
    session.save()

    assert client.get("/meetings/").status_code == 302


def test_eom_session_hours_sets_the_limit(client, observer, settings):
    settings.EOM_SESSION_HOURS = 2
    client.force_login(observer)
    _signed_in_hours_ago(client, 2.1)

    assert client.get("/meetings/").status_code == 302


def test_signing_in_on_the_login_page_starts_the_clock(client, observer):
    before = int(time.time())

    client.post("/login/", {"username": observer.username, "password": "pw-for-tests"})

    assert before <= client.session[SIGNED_IN_AT] <= int(time.time())


def test_the_session_cookie_ends_when_the_browser_closes(client, observer, settings):
    response = client.post("/login/", {"username": observer.username,
                                       "password": "pw-for-tests"})

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert (cookie["expires"], cookie["max-age"]) == ("", "")
    assert settings.SESSION_COOKIE_AGE == 10 * 3600


@pytest.mark.parametrize("raw", ["0", "-3"])
def test_session_hours_below_one_stop_the_server(monkeypatch, raw):
    monkeypatch.setenv("EOM_SESSION_HOURS", raw)

    with pytest.raises(ImproperlyConfigured, match=f"EOM_SESSION_HOURS={raw}"):
        env_positive("EOM_SESSION_HOURS", 10)
