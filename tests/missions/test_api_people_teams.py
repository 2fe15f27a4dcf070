"""GET /api/people and /api/teams: each caller sees only the people and teams it may."""

import datetime as dt

import pytest

from eom.missions.models import Access, TeamKind
from tests.factories import (
    make_api_token,
    make_deployment,
    make_mission,
    make_person,
    make_team,
    make_tree,
    make_user,
)

EARLIER = dt.date(2019, 1, 7)  # so that the current mission stays the fixtures' one


@pytest.fixture
def crowd(mission, tree, observer, other_team, coordinator, core_member):
    """Everyone at once, so that each test has data that could leak."""
    return {
        "observer": observer.person,
        "mate": observer.person.teams.get().members.exclude(pk=observer.person.pk).get(),
        "others": list(other_team.members.all()),
        "coordinator": coordinator.person,
        "core": core_member.person,
    }


def _get(client, user, path: str, **params):
    token = make_api_token(user)
    return client.get(f"/api{path}", params, headers={"Authorization": f"Bearer {token}"})


def _codes(response) -> list[str]:
    return sorted(item["code"] for item in response.json()["items"])


def _person_codes(*people) -> list[str]:
    return sorted(person.code for person in people)


# --- people -------------------------------------------------------------------------------


def test_people_observer_sees_its_own_team_and_the_core_team_only(client, crowd, observer):
    response = _get(client, observer, "/people")

    assert response.status_code == 200
    assert _codes(response) == _person_codes(crowd["observer"], crowd["mate"], crowd["core"])


def test_people_coordinator_sees_its_regions_subtree_and_the_core_team_only(
    client, crowd, coordinator
):
    response = _get(client, coordinator, "/people")

    assert _codes(response) == _person_codes(
        crowd["coordinator"], crowd["observer"], crowd["mate"], crowd["core"]
    )


@pytest.mark.parametrize("persona", ["administrator", "core_member", "analyst"])
def test_people_mission_wide_access_sees_everyone(client, crowd, persona, request):
    user = request.getfixturevalue(persona)

    response = _get(client, user, "/people")

    everyone = [crowd["observer"], crowd["mate"], *crowd["others"], crowd["coordinator"],
                crowd["core"], user.person]
    assert _codes(response) == _person_codes(*set(everyone))


def test_people_outsider_is_403(client, crowd, outsider):
    response = _get(client, outsider, "/people")

    assert response.status_code == 403


def test_people_person_without_access_is_403(client, crowd, mission):
    response = _get(client, make_user(mission, Access.NONE), "/people")

    assert response.status_code == 403


def test_people_show_role_access_area_and_teams(client, crowd, observer, tree):
    response = _get(client, observer, "/people")

    me = next(p for p in response.json()["items"] if p["code"] == crowd["observer"].code)
    assert (me["role"], me["role_name"], me["access"], me["teams"]) == (
        "sto", "Short-term observer", "observer", ["STO-1"],
    )
    assert me["area"] == {"id": tree["D1"].pk, "code": "D1", "level": "district",
                          "name": "district D1"}


def test_people_filter_role(client, crowd, core_member):
    response = _get(client, core_member, "/people", role="lto")

    assert _codes(response) == _person_codes(crowd["coordinator"])


def test_people_filter_access(client, crowd, core_member):
    response = _get(client, core_member, "/people", access=Access.COORDINATOR)

    assert _codes(response) == _person_codes(crowd["coordinator"])


def test_people_filter_area_takes_the_subtree(client, crowd, core_member, tree):
    response = _get(client, core_member, "/people", area=tree["R2"].pk)

    assert _codes(response) == _person_codes(*crowd["others"])


def test_people_filter_team(client, crowd, core_member, other_team):
    response = _get(client, core_member, "/people", team=other_team.pk)

    assert _codes(response) == _person_codes(*crowd["others"])


def test_people_filter_cannot_widen_what_an_observer_sees(client, crowd, observer, other_team):
    response = _get(client, observer, "/people", team=other_team.pk)

    assert response.json() == {"items": [], "count": 0}


def test_people_unknown_access_is_422_naming_the_field(client, crowd, core_member):
    response = _get(client, core_member, "/people", access="boss")

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "access"]


@pytest.mark.parametrize("n_people", [1, 3])
def test_people_list_queries_do_not_grow_with_items(
    client, mission, tree, django_assert_max_num_queries, n_people
):
    user = make_user(mission, Access.COORDINATOR, area=tree["R1"], role="lto")
    for number in range(n_people - 1):
        person = make_person(mission, access=Access.OBSERVER, area=tree["D1"])
        make_team(mission, f"T{number}", [person], area=tree["D1"])
    headers = {"Authorization": f"Bearer {make_api_token(user)}"}

    # token, its last use, person, its area, mission, count, page, teams
    with django_assert_max_num_queries(8):
        response = client.get("/api/people", headers=headers)

    assert len(response.json()["items"]) == n_people


# --- teams --------------------------------------------------------------------------------


def test_teams_observer_sees_its_own_team_only(client, crowd, observer):
    response = _get(client, observer, "/teams")

    assert _codes(response) == ["STO-1"]


def test_teams_observer_gets_another_team_by_id_404(client, crowd, observer, other_team):
    response = _get(client, observer, f"/teams/{other_team.pk}")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_teams_coordinator_sees_its_regions_subtree_only(client, crowd, coordinator, tree):
    make_team(tree["R1"].mission, "LTO-2", [], kind=TeamKind.LTO, area=tree["R2"])

    response = _get(client, coordinator, "/teams")

    assert _codes(response) == ["STO-1"]


def test_teams_coordinator_gets_another_regions_team_404(client, crowd, coordinator, other_team):
    response = _get(client, coordinator, f"/teams/{other_team.pk}")

    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["administrator", "core_member", "analyst"])
def test_teams_mission_wide_access_sees_every_team(client, crowd, persona, request):
    response = _get(client, request.getfixturevalue(persona), "/teams")

    assert _codes(response) == ["STO-1", "STO-2"]


def test_teams_outsider_is_403(client, crowd, outsider, other_team):
    assert _get(client, outsider, "/teams").status_code == 403
    assert _get(client, outsider, f"/teams/{other_team.pk}").status_code == 403


def test_team_shows_members_leader_first_area_and_deployments(client, crowd, observer, tree):
    team = observer.person.teams.get()
    make_deployment(team, [tree["01001"], tree["01002"]])

    response = _get(client, observer, f"/teams/{team.pk}")

    body = response.json()
    assert [(m["code"], m["is_leader"]) for m in body["members"]] == [
        (crowd["observer"].code, True), (crowd["mate"].code, False),
    ]
    assert (body["kind"], body["area"]["code"]) == ("sto", "D1")
    assert [
        (d["starts"], d["ends"], [loc["code"] for loc in d["locations"]])
        for d in body["deployments"]
    ] == [("2023-02-17", "2023-03-22", ["01001", "01002"])]


@pytest.mark.parametrize("n_teams", [1, 3])
def test_teams_list_queries_do_not_grow_with_items(
    client, mission, tree, django_assert_max_num_queries, n_teams
):
    user = make_user(mission, Access.CORE_TEAM, role="head_of_mission")
    for number in range(n_teams):
        people = [make_person(mission, access=Access.OBSERVER) for _ in range(2)]
        team = make_team(mission, f"STO-{number}", people, area=tree["D1"])
        make_deployment(team, [tree["01001"], tree["01002"]])
    headers = {"Authorization": f"Bearer {make_api_token(user)}"}

    # token, its last use, person, mission, count, page, members, deployments, their locations
    with django_assert_max_num_queries(9):
        response = client.get("/api/teams", headers=headers)

    assert len(response.json()["items"]) == n_teams


def test_people_filter_area_of_another_mission_is_422_naming_it(client, crowd, core_member):
    other = make_tree(make_mission("other-mission", name="Other", deployment_start=EARLIER))

    response = _get(client, core_member, "/people", area=other["R1"].pk)

    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"type": "unknown_id", "loc": ["query", "area"], "input": other["R1"].pk,
         "msg": f"No location with id {other['R1'].pk} in this mission."},
    ]
