"""Personas and scenes shared by the tests."""

from __future__ import annotations

import pytest

from eom.missions.models import Access
from tests.factories import make_mission, make_person, make_team, make_tree, make_user


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests create many logins; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
