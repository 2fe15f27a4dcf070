"""Personas and scenes shared by the tests."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from eom.missions.models import Access
from tests.factories import make_mission, make_person, make_team, make_tree, make_user


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests create many logins; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def no_password_remembered_from_another_test():
    """The app process remembers passwords checked right over HTTP Basic (ODK Collect); each test
    starts with none."""
    from eom.missions import signin

    signin._REMEMBERED.clear()


@pytest.fixture(autouse=True)
def each_test_starts_in_the_default_language():
    """A request through the locale middleware leaves its language active in the thread (Django
    does not deactivate it on the response): each test starts in English, whatever ran before."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def few_monte_carlo_draws(settings):
    """Imports and the demo loader compute the forensics' Monte Carlo check (1,000 draws by
    default): the fewest a page may ask for keep it quick."""
    settings.EOM_FORENSICS_DRAWS = 100


@contextmanager
def logins_given_their_two_factor_code():
    """While open, `client.force_login` and `client.login` stand for a whole sign-in: a
    core-team or administrator login gets a confirmed device and a session verified by it, as
    after the code page. The real requests of the sign-in (the tests of the code page, the
    browser tests) are left alone: Django's test client builds a request without META for these
    two methods."""
    from django.contrib.auth.signals import user_logged_in
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from eom.missions import twofactor

    def verify(sender, request, user, **kwargs):
        if "REQUEST_METHOD" in request.META or not twofactor.required_for(user):
            return
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        device = device or TOTPDevice.objects.create(user=user, name="tests", confirmed=True)
        request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id

    user_logged_in.connect(verify, dispatch_uid="tests_two_factor")
    try:
        yield
    finally:
        user_logged_in.disconnect(dispatch_uid="tests_two_factor")


@pytest.fixture(autouse=True)
def test_logins_give_their_two_factor_code():
    """Every test's logins come with their two-factor code (see above)."""
    with logins_given_their_two_factor_code():
        yield


@pytest.fixture
def mission(db):
    return make_mission()


@pytest.fixture
def tree(mission):
    return make_tree(mission)


@pytest.fixture
def administrator(mission):
    return make_user(mission, Access.ADMINISTRATOR, role="operations_officer")


@pytest.fixture
def core_member(mission):
    return make_user(mission, Access.CORE_TEAM, role="head_of_mission")


@pytest.fixture
def coordinator(mission, tree):
    """An LTO with coordinator access for region R1."""
    return make_user(mission, Access.COORDINATOR, area=tree["R1"], role="lto")


@pytest.fixture
def analyst(mission):
    return make_user(mission, Access.ANALYST, role="statistician")


@pytest.fixture
def observer(mission, tree):
    """An STO in team STO-1 (district D1) with a team mate."""
    user = make_user(mission, Access.OBSERVER, area=tree["D1"])
    mate = make_person(mission, access=Access.OBSERVER, area=tree["D1"])
    make_team(mission, "STO-1", [user.person, mate], area=tree["D1"])
    return user


@pytest.fixture
def other_team(mission, tree):
    """Team STO-2 in region R2, with people an observer of STO-1 must not see."""
    people = [make_person(mission, access=Access.OBSERVER, area=tree["D2"]) for _ in range(2)]
    return make_team(mission, "STO-2", people, area=tree["D2"])


@pytest.fixture
def outsider(db):
    """A login with no person in any mission."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("outsider", password="pw-for-tests")
