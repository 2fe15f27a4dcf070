"""ODK Collect sends the observer's password with every request: a password checked right is
remembered by the app process for a while instead of hashed again, and nothing else changes."""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher

from eom.missions.models import SignInFailure
from tests.factories import basic_auth

URL = "/openrosa/formList"
HASHED: list[str] = []


class CountingHasher(MD5PasswordHasher):
    """Django's MD5 hasher, counting the passwords it checks."""

    algorithm = "counted_md5"

    def verify(self, password, encoded):
        HASHED.append(password)
        return super().verify(password, encoded)


@pytest.fixture(autouse=True)
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    HASHED.clear()


@pytest.fixture
def odk_observer(observer):
    observer.set_password("pw-for-tests")
    observer.save()
    return observer


def test_a_password_checked_right_is_not_hashed_again_within_the_time(client, odk_observer):
    for _ in range(3):
        assert client.get(URL, **basic_auth(odk_observer)).status_code == 200
    assert HASHED == ["pw-for-tests"]


def test_a_wrong_password_is_hashed_refused_and_counted_after_a_right_one(client, odk_observer):
    assert client.get(URL, **basic_auth(odk_observer)).status_code == 200
    assert client.get(URL, **basic_auth(odk_observer, "guess")).status_code == 401
    assert HASHED == ["pw-for-tests", "guess"]
    assert SignInFailure.objects.filter(username=odk_observer.username).count() == 1


def test_a_new_password_makes_the_remembered_one_useless(client, odk_observer):
    assert client.get(URL, **basic_auth(odk_observer)).status_code == 200
    odk_observer.set_password("a-new-password")
    odk_observer.save()
    assert client.get(URL, **basic_auth(odk_observer)).status_code == 401
    assert client.get(URL, **basic_auth(odk_observer, "a-new-password")).status_code == 200


def test_a_login_made_inactive_is_refused_at_once(client, odk_observer):
    assert client.get(URL, **basic_auth(odk_observer)).status_code == 200
    odk_observer.is_active = False
    odk_observer.save()
    assert client.get(URL, **basic_auth(odk_observer)).status_code == 401


def test_a_locked_user_name_is_refused_with_a_remembered_password(client, odk_observer, settings):
    assert client.get(URL, **basic_auth(odk_observer)).status_code == 200
    for _ in range(settings.EOM_SIGNIN_FAILURES_PER_USERNAME):
        client.get(URL, **basic_auth(odk_observer, "guess"))
    assert client.get(URL, **basic_auth(odk_observer)).status_code == 429


def test_with_the_setting_at_zero_every_request_is_hashed(client, odk_observer, settings):
    settings.EOM_BASIC_REMEMBER_SECONDS = 0
    for _ in range(2):
        assert client.get(URL, **basic_auth(odk_observer)).status_code == 200
    assert HASHED == ["pw-for-tests", "pw-for-tests"]
