"""Access levels, areas and logins in the admin's People and Teams pages: no one raises its own
access, no coordinator reaches beyond its area, no one locks the operator out. Every check
applies to the values being saved as well as to the stored ones."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from eom.missions.models import Access, AuditEntry, Deployment, Person, Team, TeamMembership
from tests.factories import make_deployment, make_person, make_team, make_user
from tests.missions.adminforms import admin_form_data


@pytest.fixture
def root(db):
    """The server's operator: a superuser with no person."""
    return get_user_model().objects.create_superuser("root", password="pw-for-tests")


def person_url(person) -> str:
    return reverse("admin:missions_person_change", args=[person.pk])


def team_url(team) -> str:
    return reverse("admin:missions_team_change", args=[team.pk])


def fresh(person) -> Person:
    return Person.objects.get(pk=person.pk)


# --- a coordinator and its own record ------------------------------------------------------


def test_coordinator_cannot_raise_its_own_access(client, coordinator, tree):
    client.force_login(coordinator)
    url = person_url(coordinator.person)
    data = admin_form_data(client, url, full_name="Still me")
    data["access"] = "analyst"  # not on the page: access is read-only on one's own record
    response = client.post(url, data)
    assert response.status_code == 302
    me = fresh(coordinator.person)
    assert (me.access, me.full_name) == (Access.COORDINATOR, "Still me")


def test_coordinator_cannot_move_its_own_area(client, coordinator, tree):
    client.force_login(coordinator)
    url = person_url(coordinator.person)
    client.post(url, admin_form_data(client, url) | {"area": str(tree["KZ"].pk)})
    assert fresh(coordinator.person).area_id == tree["R1"].pk


def test_own_access_area_and_login_are_read_only_on_ones_own_record(client, coordinator):
    client.force_login(coordinator)
    form = client.get(person_url(coordinator.person)).context["adminform"].form
    assert not {"access", "area", "user"} & set(form.fields)


def test_coordinator_cannot_lock_the_superuser_out(client, coordinator, observer, root):
    client.force_login(coordinator)
    url = person_url(observer.person)
    response = client.post(url, admin_form_data(client, url) | {"user": str(root.pk),
                                                                "access": "none"})
    assert response.status_code == 200  # refused: a coordinator changes no access level
    assert fresh(observer.person).user_id == observer.pk
    assert fresh(observer.person).access == Access.OBSERVER
    assert not Person.objects.filter(user=root).exists()
    client.force_login(root)
    assert client.get(reverse("admin:index")).status_code == 200


# --- a coordinator and the people of its area -------------------------------------------------


def test_coordinator_creates_an_observer_in_its_area(client, mission, coordinator, tree):
    client.force_login(coordinator)
    url = reverse("admin:missions_person_add")
    data = admin_form_data(client, url, mission=str(mission.pk), code="N1", full_name="New STO",
                           role=str(fresh(coordinator.person).role_id), access="observer",
                           area=str(tree["D1"].pk))
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    created = Person.objects.get(code="N1")
    assert (created.access, created.area_id, created.user_id) == ("observer", tree["D1"].pk, None)
    assert AuditEntry.objects.get(model="missions.person", object_id=str(created.pk)).action == (
        "create")


@pytest.mark.parametrize("field, value, message", [
    ("area", "D2", "A coordinator places people only in its own area."),
    ("area", "", "A coordinator places people only in its own area."),
    ("access", "analyst", "Select a valid choice. analyst is not one of the available choices."),
])
def test_coordinator_cannot_create_a_person_beyond_its_reach(
    client, mission, coordinator, tree, field, value, message
):
    client.force_login(coordinator)
    url = reverse("admin:missions_person_add")
    values = {"area": str(tree["D1"].pk), "access": "observer"}
    values[field] = str(tree[value].pk) if value in tree else value
    data = admin_form_data(client, url, mission=str(mission.pk), code="N1", full_name="New",
                           role=str(fresh(coordinator.person).role_id), **values)
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == [message]
    assert not Person.objects.filter(code="N1").exists()


def test_coordinator_cannot_move_a_person_out_of_its_area(client, coordinator, observer, tree):
    client.force_login(coordinator)
    url = person_url(observer.person)
    response = client.post(url, admin_form_data(client, url, area=str(tree["D2"].pk)))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["area"] == [
        "Access levels and areas are changed by an administrator."]
    assert fresh(observer.person).area_id == tree["D1"].pk


def test_coordinator_does_not_move_a_person_even_within_its_area(client, coordinator, observer,
                                                                 tree):
    client.force_login(coordinator)
    url = person_url(observer.person)
    response = client.post(url, admin_form_data(client, url, area=str(tree["R1"].pk)))
    assert response.status_code == 200
    assert fresh(observer.person).area_id == tree["D1"].pk


def test_coordinator_keeps_the_details_of_a_person_of_its_area_up_to_date(client, coordinator,
                                                                          observer):
    client.force_login(coordinator)
    url = person_url(observer.person)
    response = client.post(url, admin_form_data(client, url, phone="+7 701 555 0101"))
    assert response.status_code == 302
    assert fresh(observer.person).phone == "+7 701 555 0101"


def test_coordinator_gives_observer_access_or_none_only(client, coordinator, observer):
    client.force_login(coordinator)
    url = person_url(observer.person)
    choices = [value for value, _label in
               client.get(url).context["adminform"].form.fields["access"].choices]
    assert choices == ["observer", "none"]
    response = client.post(url, admin_form_data(client, url, access="core"))
    assert response.status_code == 200
    assert fresh(observer.person).access == "observer"


def test_coordinator_cannot_change_a_core_member_of_its_area(client, mission, coordinator, tree):
    colleague = make_user(mission, Access.CORE_TEAM, area=tree["D1"], role="political_analyst")
    client.force_login(coordinator)
    url = person_url(colleague.person)
    assert client.get(url).status_code == 200  # it is seen (read only) …
    response = client.post(url, {"full_name": "Renamed", "access": "none"})
    assert response.status_code == 403  # … but not changed
    assert fresh(colleague.person).access == Access.CORE_TEAM


def test_coordinator_cannot_attach_a_login(client, coordinator, observer):
    spare = get_user_model().objects.create_user("spare", password="pw-for-tests")
    mate = observer.person.teams.get().members.exclude(pk=observer.person.pk).get()
    client.force_login(coordinator)
    url = person_url(mate)
    assert "user" not in client.get(url).context["adminform"].form.fields
    client.post(url, admin_form_data(client, url) | {"user": str(spare.pk)})
    assert fresh(mate).user_id is None


# --- teams, memberships and deployments -------------------------------------------------------


def test_coordinator_cannot_move_its_team_out_of_its_area(client, coordinator, observer, tree):
    team = observer.person.teams.get()
    client.force_login(coordinator)
    response = client.post(team_url(team), admin_form_data(client, team_url(team),
                                                           area=str(tree["D2"].pk)))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["area"] == [
        "A coordinator keeps its teams in its own area."]
    assert Team.objects.get(pk=team.pk).area_id == tree["D1"].pk


def test_coordinator_cannot_create_a_team_elsewhere(client, mission, coordinator, tree):
    client.force_login(coordinator)
    url = reverse("admin:missions_team_add")
    response = client.post(url, admin_form_data(client, url, mission=str(mission.pk),
                                                 code="STO-9", kind="sto",
                                                 area=str(tree["D2"].pk)))
    assert response.status_code == 200
    assert not Team.objects.filter(code="STO-9").exists()


def test_coordinator_cannot_bring_a_person_from_elsewhere_into_its_team(
    client, coordinator, observer, other_team
):
    team = observer.person.teams.get()
    stranger = other_team.members.first()
    client.force_login(coordinator)
    url = team_url(team)
    data = admin_form_data(client, url)
    n = int(data["memberships-TOTAL_FORMS"])
    data |= {"memberships-TOTAL_FORMS": str(n + 1), f"memberships-{n}-person": str(stranger.pk),
             f"memberships-{n}-team": str(team.pk)}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "This person lies outside what you may change." in response.content.decode()
    assert not TeamMembership.objects.filter(person=stranger, team=team).exists()


def test_coordinator_cannot_deploy_its_team_outside_its_area(client, coordinator, observer, tree):
    team = observer.person.teams.get()
    client.force_login(coordinator)
    url = team_url(team)
    data = admin_form_data(client, url)
    data |= {"deployments-TOTAL_FORMS": "1", "deployments-0-team": str(team.pk),
             "deployments-0-locations": str(tree["02001"].pk),
             "deployments-0-starts": "2023-03-18", "deployments-0-ends": "2023-03-20"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "A coordinator deploys teams only in its own area." in response.content.decode()
    assert not Deployment.objects.filter(team=team).exists()


def test_team_inline_changes_are_audited(client, administrator, observer, tree):
    team = observer.person.teams.get()
    make_deployment(team, [tree["01001"]])
    client.force_login(administrator)
    url = team_url(team)
    data = admin_form_data(client, url)
    data["memberships-0-DELETE"] = "on"
    data["deployments-0-locations"] = f"{tree['01001'].pk},{tree['01002'].pk}"
    response = client.post(url, data)
    assert response.status_code == 302
    entry = AuditEntry.objects.get(model="missions.team", action="update")
    assert entry.channel == "admin" and set(entry.changes) == {"members", "deployments"}
    assert entry.changes["deployments"][1] == ["2023-02-17–2023-03-22: 01001, 01002"]


# --- administrators ---------------------------------------------------------------------------


def test_administrator_cannot_change_its_own_access(client, administrator):
    client.force_login(administrator)
    url = person_url(administrator.person)
    client.post(url, admin_form_data(client, url) | {"access": "core"})
    assert fresh(administrator.person).access == Access.ADMINISTRATOR


def test_administrator_grants_core_team_access(client, administrator, observer):
    client.force_login(administrator)
    url = person_url(observer.person)
    assert client.post(url, admin_form_data(client, url, access="core")).status_code == 302
    assert fresh(observer.person).access == Access.CORE_TEAM


def test_administrator_cannot_attach_a_superuser_login(client, administrator, observer, root):
    client.force_login(administrator)
    url = person_url(observer.person)
    response = client.post(url, admin_form_data(client, url, user=str(root.pk)))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["user"] == [
        "Only a superuser attaches a superuser's login."]
    assert fresh(observer.person).user_id == observer.pk


def test_the_operator_cannot_give_its_own_login_a_person_with_other_access(
    client, mission, root
):
    blank = make_person(mission, access=Access.CORE_TEAM)
    client.force_login(root)
    url = person_url(blank)
    response = client.post(url, admin_form_data(client, url, user=str(root.pk)))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["user"] == [
        "Nobody changes their own access level, area or login."]
    assert fresh(blank).user_id is None


def test_administrator_cannot_change_the_access_of_a_superusers_person(
    client, mission, administrator, root
):
    operator = make_person(mission, access=Access.ADMINISTRATOR, role="operations_officer")
    operator.user = root
    operator.save()
    client.force_login(administrator)
    url = person_url(operator)
    assert not {"access", "area", "user"} & set(client.get(url).context["adminform"].form.fields)
    client.post(url, admin_form_data(client, url) | {"access": "none"})
    assert fresh(operator).access == Access.ADMINISTRATOR


def test_superuser_attaches_a_login_and_grants_access(client, mission, root):
    spare = get_user_model().objects.create_user("spare", password="pw-for-tests")
    person = make_person(mission)
    client.force_login(root)
    url = person_url(person)
    response = client.post(url, admin_form_data(client, url, user=str(spare.pk),
                                                access="analyst"))
    assert response.status_code == 302
    assert (fresh(person).user_id, fresh(person).access) == (spare.pk, Access.ANALYST)


def test_a_team_of_another_mission_member_is_refused(client, administrator, observer):
    import datetime as dt

    from tests.factories import make_mission

    older = make_mission("elsewhere", deployment_start=dt.date(2021, 1, 10))
    elsewhere = make_person(older, access=Access.OBSERVER)
    team = make_team(observer.person.mission, "STO-8", [], area=None)
    client.force_login(administrator)
    url = team_url(team)
    data = admin_form_data(client, url)
    data |= {"memberships-TOTAL_FORMS": "1", "memberships-0-person": str(elsewhere.pk),
             "memberships-0-team": str(team.pk)}
    response = client.post(url, data)
    assert response.status_code == 200
    assert not TeamMembership.objects.filter(team=team).exists()
