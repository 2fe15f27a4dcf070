"""Wrong passwords and unknown API tokens are throttled per user name and per client address,
on the login page, the admin's login, ODK Collect's HTTP Basic sign-in and the API; while
locked, the right password is refused too, and the answer says when to try again."""

import base64
import datetime as dt

import pytest
from django.contrib.auth import SESSION_KEY
from django.utils import timezone

from eom.missions import signin
from eom.missions.models import SignInFailure
from tests.factories import basic_auth, make_api_token

RIGHT = "pw-for-tests"


def _login(client, username: str, password: str, address: str = "127.0.0.1"):
    return client.post("/login/", {"username": username, "password": password},
                       REMOTE_ADDR=address)


def _signed_in(client) -> bool:
    return SESSION_KEY in client.session


def _fail(client, username: str, times: int, address: str = "127.0.0.1") -> None:
    for _ in range(times):
        response = _login(client, username, "wrong password", address)
        assert response.status_code == 200


def test_five_wrong_passwords_lock_the_user_name_and_the_right_one_is_refused(client, observer):
    _fail(client, observer.username, 5)

    response = _login(client, observer.username, RIGHT)

    assert response.status_code == 200
    assert not _signed_in(client)
    assert b"Too many failed sign-ins for this user name" in response.content


def test_four_wrong_passwords_do_not_lock(client, observer):
    _fail(client, observer.username, 4)

    response = _login(client, observer.username, RIGHT)

    assert response.status_code == 302
    assert _signed_in(client)


def test_the_failure_that_reaches_the_limit_says_when_to_try_again(client, observer):
    _fail(client, observer.username, 4)

    response = _login(client, observer.username, "wrong password")

    first = SignInFailure.objects.order_by("at").first().at
    until = timezone.localtime(first + dt.timedelta(minutes=15))
    text = response.content.decode()
    assert f"Try again at {until:%H:%M} (in 15 minutes)." in text
    assert "Please enter a correct username and password" not in text


def test_the_lock_ends_when_the_window_has_passed_since_the_failures(client, observer):
    _fail(client, observer.username, 5)
    SignInFailure.objects.update(at=timezone.now() - dt.timedelta(minutes=15, seconds=1))

    response = _login(client, observer.username, RIGHT)

    assert response.status_code == 302
    assert _signed_in(client)


def test_attempts_during_a_lock_are_not_counted_so_the_lock_does_not_grow(client, observer):
    _fail(client, observer.username, 5)
    for _ in range(3):
        _login(client, observer.username, "wrong password")

    assert SignInFailure.objects.count() == 5


def test_a_right_password_forgets_the_user_names_failures(client, observer):
    _fail(client, observer.username, 4)
    assert _login(client, observer.username, RIGHT).status_code == 302
    client.post("/logout/")
    _fail(client, observer.username, 4)

    response = _login(client, observer.username, RIGHT)

    assert response.status_code == 302


def test_the_user_name_is_counted_whatever_its_case(client, observer):
    _fail(client, observer.username.upper(), 5)

    response = _login(client, observer.username, RIGHT)

    assert not _signed_in(client)
    assert b"Too many failed sign-ins for this user name" in response.content


def test_thirty_wrong_passwords_from_one_address_lock_it_for_every_user_name(
    client, observer, analyst
):
    for n in range(30):
        _login(client, f"guess{n}", "wrong password", "203.0.113.7")

    refused = _login(client, analyst.username, RIGHT, "203.0.113.7")
    elsewhere = _login(client, observer.username, RIGHT, "198.51.100.2")

    assert b"Too many failed sign-ins from your network" in refused.content
    assert elsewhere.status_code == 302


def test_the_limits_and_the_window_are_settings(client, observer, settings):
    settings.EOM_SIGNIN_FAILURES_PER_USERNAME = 2
    settings.EOM_SIGNIN_WINDOW_MINUTES = 60
    _fail(client, observer.username, 2)
    SignInFailure.objects.update(at=timezone.now() - dt.timedelta(minutes=59))

    response = _login(client, observer.username, RIGHT)

    assert not _signed_in(client)
    assert b"Too many failed sign-ins" in response.content


def test_failures_older_than_the_window_are_deleted_when_one_is_recorded(db):
    old = SignInFailure.objects.create(at=timezone.now() - dt.timedelta(minutes=16),
                                       kind="password", username="x", address="10.0.0.1")

    signin.record_failure(kind="password", username="y", address="10.0.0.2")

    assert not SignInFailure.objects.filter(pk=old.pk).exists()
    assert list(SignInFailure.objects.values_list("username", flat=True)) == ["y"]


def test_the_admin_login_sends_to_the_throttled_login_page(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/admin/"


def test_a_nul_character_in_a_login_form_is_refused_without_a_500(client, observer):
    response = _login(client, "ob\x00server", RIGHT)

    assert response.status_code == 200
    assert not _signed_in(client)


# --- ODK Collect (HTTP Basic) -------------------------------------------------------------


def test_openrosa_answers_429_with_retry_after_while_the_user_name_is_locked(client, observer):
    for _ in range(4):
        assert client.get("/openrosa/formList", **basic_auth(observer, "wrong")).status_code == 401

    fifth = client.get("/openrosa/formList", **basic_auth(observer, "wrong"))
    right = client.get("/openrosa/formList", **basic_auth(observer))

    for response in (fifth, right):
        assert response.status_code == 429
        assert 840 < int(response["Retry-After"]) <= 900
        assert response["X-OpenRosa-Version"] == "1.0"
        assert b"Too many failed sign-ins for this user name" in response.content


def test_openrosa_and_the_login_page_share_one_count(client, observer):
    for _ in range(3):
        client.get("/openrosa/formList", **basic_auth(observer, "wrong"))
    _fail(client, observer.username, 2)

    response = client.get("/openrosa/formList", **basic_auth(observer))

    assert response.status_code == 429


def test_openrosa_basic_with_a_nul_character_is_a_401_not_a_500(client, observer):
    token = base64.b64encode(b"ob\x00server:pw").decode()

    response = client.get("/openrosa/formList", HTTP_AUTHORIZATION=f"Basic {token}")

    # Refused before any password is checked (text with NUL is never a login's): nothing to
    # count against a user name that cannot exist.
    assert response.status_code == 401
    assert SignInFailure.objects.count() == 0


# --- API bearer tokens -------------------------------------------------------------------


def _api(client, token: str, address: str = "127.0.0.1"):
    return client.get("/api/missions", headers={"Authorization": f"Bearer {token}"},
                      REMOTE_ADDR=address)


def test_thirty_unknown_tokens_lock_the_address_with_429_and_retry_after(client, core_member):
    for n in range(29):
        assert _api(client, f"eom_guess{n}").status_code == 401

    thirtieth = _api(client, "eom_guess-last")
    refused = _api(client, "eom_one-more")

    assert (thirtieth.status_code, refused.status_code) == (429, 429)
    assert 840 < int(refused["Retry-After"]) <= 900
    assert refused.json()["detail"].startswith("Too many failed sign-ins from your network.")
    assert SignInFailure.objects.count() == 30


def test_a_live_token_still_works_from_a_locked_address(client, core_member):
    live = make_api_token(core_member)
    for n in range(30):
        _api(client, f"eom_guess{n}")

    assert _api(client, live).status_code == 200


def test_unknown_tokens_do_not_count_against_passwords(client, observer):
    for n in range(30):
        _api(client, f"eom_guess{n}")

    response = _login(client, observer.username, RIGHT)

    assert response.status_code == 302


# --- the client's address ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("proxy", "expected"), [(None, "192.0.2.10"), (("HTTP_X_FORWARDED_PROTO", "https"), "203.0.113.5")]
)
def test_the_address_is_the_proxys_last_forwarded_one_only_behind_the_proxy(
    rf, settings, proxy, expected
):
    settings.SECURE_PROXY_SSL_HEADER = proxy
    request = rf.get("/", REMOTE_ADDR="192.0.2.10",
                     HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.5")

    assert signin.client_address(request) == expected


def test_a_forged_forwarded_address_that_is_not_an_address_counts_as_unknown(rf, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="'; DROP TABLE x")

    assert signin.client_address(request) == ""
