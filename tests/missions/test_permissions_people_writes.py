"""Who may set a person's access, area and login, and a team's area, members and places: one
set of rules (permissions.person_write_problems and friends) for the admin and the import."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from eom.missions.importers import RowError, import_people
from eom.missions.models import Access, Person
from eom.missions.permissions import (
    deployment_write_problems,
    membership_write_problems,
    person_write_problems,
    team_write_problems,
)
from tests.factories import make_person, make_table_file, make_user

SELF = "Nobody changes their own access level, area or login."


@pytest.fixture(autouse=True)
def in_english():
    """The reasons are compared in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


@pytest.fixture
def root(db):
    return get_user_model().objects.create_superuser("root", password="pw-for-tests")


@pytest.mark.parametrize("persona", ["administrator", "coordinator", "core_member"])
def test_nobody_changes_its_own_access_or_area(request, mission, tree, persona):
    user = request.getfixturevalue(persona)
    me = user.person
    if persona == "core_member":
        assert person_write_problems(user, me, mission=mission, access="analyst") == {
            "__all__": "Only an administrator or a coordinator changes people."}
        return
    assert person_write_problems(user, me, mission=mission, access="analyst") == {"access": SELF}
    assert person_write_problems(user, me, mission=mission, area=tree["KZ"]) == {"area": SELF}
    assert person_write_problems(user, me, mission=mission, access=me.access) == {}


def test_coordinator_changes_no_access_level_or_area_of_an_existing_person(mission, tree,
                                                                          coordinator, observer):
    person = observer.person
    refused = "Access levels and areas are changed by an administrator."
    assert person_write_problems(coordinator, person, mission=mission, access="none") == {
        "access": refused}
    assert person_write_problems(coordinator, person, mission=mission, access="analyst") == {
        "access": refused}
    assert person_write_problems(coordinator, person, mission=mission, area=tree["R1"]) == {
        "area": refused}
    assert person_write_problems(coordinator, person, mission=mission,
                                 access=person.access, area=person.area) == {}


def test_coordinator_creates_observers_in_its_own_area_only(mission, tree, coordinator):
    assert person_write_problems(coordinator, None, mission=mission, access="observer",
                                 area=tree["01001"]) == {}
    assert person_write_problems(coordinator, None, mission=mission, access="analyst",
                                 area=tree["01001"]) == {
        "access": "a coordinator may only give observer access or none"}
    outside = {"area": "A coordinator places people only in its own area."}
    assert person_write_problems(coordinator, None, mission=mission, area=tree["D2"]) == outside
    assert person_write_problems(coordinator, None, mission=mission) == outside


def test_coordinator_leaves_people_above_observer_alone(mission, tree, coordinator):
    analyst = make_person(mission, access=Access.ANALYST, area=tree["D1"])
    assert person_write_problems(coordinator, analyst, mission=mission, access="none") == {
        "__all__": "This person lies outside what you may change."}


def test_only_an_administrator_attaches_a_login(mission, coordinator, administrator):
    spare = get_user_model().objects.create_user("spare", password="pw-for-tests")
    person = make_person(mission, access=Access.OBSERVER, area=coordinator.person.area)
    assert person_write_problems(coordinator, person, mission=mission, login=spare) == {
        "user": "Only an administrator attaches or removes a login."}
    assert person_write_problems(administrator, person, mission=mission, login=spare) == {}


def test_a_login_of_another_person_is_not_attached(mission, administrator, observer):
    person = make_person(mission)
    assert person_write_problems(administrator, person, mission=mission, login=observer) == {
        "user": "This login belongs to another person."}


def test_a_superusers_login_and_person_are_changed_by_a_superuser_only(
    mission, administrator, root
):
    person = make_person(mission, access=Access.ADMINISTRATOR)
    assert person_write_problems(administrator, person, mission=mission, login=root) == {
        "user": "Only a superuser attaches a superuser's login."}
    assert person_write_problems(root, person, mission=mission, login=root) == {"user": SELF}
    other_root = get_user_model().objects.create_superuser("root2", password="pw-for-tests")
    assert person_write_problems(root, person, mission=mission, login=other_root) == {}
    person.user = root
    person.save()
    assert person_write_problems(administrator, person, mission=mission, access="none") == {
        "access": "Only a superuser changes the access of a superuser's login."}


def test_the_operator_on_the_command_line_may_do_anything(mission, observer):
    assert person_write_problems(None, observer.person, mission=mission, access="core") == {}


def test_coordinator_teams_members_and_places_stay_in_its_area(
    mission, tree, coordinator, observer, other_team
):
    team = observer.person.teams.get()
    assert team_write_problems(coordinator, team, mission=mission, area=tree["D2"]) == {
        "area": "A coordinator keeps its teams in its own area."}
    assert team_write_problems(coordinator, other_team, mission=mission) == {
        "__all__": "This team lies outside what you may change."}
    assert team_write_problems(coordinator, None, mission=mission, area=tree["D1"]) == {}
    assert membership_write_problems(coordinator, other_team.members.first(),
                                     mission=mission) == {
        "person": "This person lies outside what you may change."}
    assert deployment_write_problems(coordinator, [tree["01001"], tree["02001"]],
                                     mission=mission) == {
        "locations": "A coordinator deploys teams only in its own area."}
    assert deployment_write_problems(coordinator, [tree["01001"]], mission=mission) == {}


def test_import_refuses_to_change_the_importers_own_access(tmp_path, mission, tree,
                                                           administrator):
    me = administrator.person
    path = make_table_file(tmp_path / "people.csv", ["code", "full_name", "role", "access"],
                           [[me.code, me.full_name, "operations_officer", "core"]])
    report = import_people(mission, path, actor=administrator)
    assert report.errors == [RowError(2, "access", SELF)]
    assert Person.objects.get(pk=me.pk).access == Access.ADMINISTRATOR


def test_import_by_a_coordinator_leaves_a_core_member_of_its_area_alone(
    tmp_path, mission, tree, coordinator
):
    colleague = make_user(mission, Access.CORE_TEAM, area=tree["D1"], role="political_analyst")
    person = colleague.person
    path = make_table_file(tmp_path / "people.csv",
                           ["code", "full_name", "role", "access", "area_code"],
                           [[person.code, person.full_name, "political_analyst", "none", "D1"]])
    report = import_people(mission, path, actor=coordinator)
    assert report.errors == [RowError(2, "code", "This person lies outside what you may change.")]
    assert Person.objects.get(pk=person.pk).access == Access.CORE_TEAM
