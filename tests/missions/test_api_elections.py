"""GET /api/missions, /api/elections (with contests), /api/contests and /api/parties."""

import datetime as dt

import pytest

from eom.missions.models import Access
from tests.factories import (
    make_api_token,
    make_election,
    make_mission,
    make_party,
    make_user,
)


@pytest.fixture
def mazhilis(mission):
    election = make_election(mission, "Mazhilis")
    for order, code in enumerate(["AMANAT", "AUYL", "RESPUBLICA"], start=1):
        make_party(election, code, order)
    return election


@pytest.fixture
def other_mission_election(mission):
    """Leakable: an election of another mission, with a party."""
    other = make_mission("other-mission", name="Other mission", deployment_start=dt.date(2019, 1, 7))
    election = make_election(other, "Presidential")
    make_party(election, "OTHER", 1)
    return election


def _get(client, user, path: str, **params):
    token = make_api_token(user)
    return client.get(f"/api{path}", params, headers={"Authorization": f"Bearer {token}"})


PERSONAS = ["administrator", "core_member", "coordinator", "analyst", "observer"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_elections_every_access_reads_them_with_contests(
    client, mazhilis, other_mission_election, persona, request
):
    response = _get(client, request.getfixturevalue(persona), "/elections")

    assert response.status_code == 200
    assert response.json() == [
        {
            "id": mazhilis.pk,
            "name": "Mazhilis",
            "name_en": "Mazhilis",
            "name_ru": "",
            "name_kk": "",
            "date": "2023-03-19",
            "note": "",
            "contests": [
                {
                    "id": mazhilis.contests.get().pk,
                    "election": mazhilis.pk,
                    "kind": "party_list",
                    "name": "Mazhilis, party lists",
                    "name_en": "Mazhilis, party lists",
                    "name_ru": "",
                    "name_kk": "",
                    "seats": 69,
                    "rule": "",
                    "threshold_pct": "5.00",
                }
            ],
        }
    ]


@pytest.mark.parametrize("path", ["/missions", "/elections", "/contests", "/parties"])
def test_elections_outsider_is_403(client, mazhilis, outsider, path):
    response = _get(client, outsider, path)

    assert response.status_code == 403


def test_missions_lists_the_callers_mission(client, mission, other_mission_election, observer):
    response = _get(client, observer, "/missions")

    assert response.json() == [
        {
            "code": "test-mission",
            "name": "Test mission",
            "name_en": "Test mission",
            "name_ru": "",
            "name_kk": "",
            "host_organisation": "",
            "country": "KZ",
            "headquarters": "",
            "deployment_start": "2023-02-07",
            "deployment_end": None,
        }
    ]


def test_contests_filter_by_election(client, mission, mazhilis, other_mission_election, analyst):
    maslikhat = make_election(mission, "Maslikhats")

    every = _get(client, analyst, "/contests")
    one = _get(client, analyst, "/contests", election=maslikhat.pk)

    assert [c["name"] for c in every.json()] == ["Mazhilis, party lists", "Maslikhats, party lists"]
    assert [c["name"] for c in one.json()] == ["Maslikhats, party lists"]


def test_contests_of_another_missions_election_are_none(
    client, mazhilis, other_mission_election, analyst
):
    response = _get(client, analyst, "/contests", election=other_mission_election.pk)

    assert response.json() == []


def test_parties_in_registration_order(client, mazhilis, other_mission_election, coordinator):
    response = _get(client, coordinator, "/parties")

    assert [(p["code"], p["registration_order"]) for p in response.json()] == [
        ("AMANAT", 1), ("AUYL", 2), ("RESPUBLICA", 3),
    ]


def test_parties_name_follows_the_readers_language(client, mazhilis, analyst):
    mazhilis.parties.filter(code="AUYL").update(name_ru="Ауыл")
    token = make_api_token(analyst)

    response = client.get(
        "/api/parties", headers={"Authorization": f"Bearer {token}", "Accept-Language": "ru"}
    )

    assert [p["name"] for p in response.json()] == ["Party AMANAT", "Ауыл", "Party RESPUBLICA"]


def test_parties_of_another_mission_by_code_is_404(client, mazhilis, other_mission_election,
                                                   analyst):
    response = _get(client, analyst, "/parties", mission="other-mission")

    assert response.status_code == 404


@pytest.mark.parametrize("n_elections", [1, 3])
def test_elections_list_queries_do_not_grow_with_items(
    client, mission, django_assert_max_num_queries, n_elections
):
    for number in range(n_elections):
        make_election(mission, f"Election {number}")
    user = make_user(mission, Access.ANALYST, role="statistician")
    headers = {"Authorization": f"Bearer {make_api_token(user)}"}

    # token, its last use, person, mission, elections, contests
    with django_assert_max_num_queries(6):
        response = client.get("/api/elections", headers=headers)

    assert len(response.json()) == n_elections
