"""GET /api/locations (paged, filtered, with counts) and GET /api/locations/{id}."""

import datetime as dt

import pytest

from eom.missions import services
from eom.missions.models import Access, LocationLevel
from tests.factories import make_api_token, make_location, make_mission, make_tree, make_user


@pytest.fixture
def other_mission_tree(mission):
    """Leakable: another mission's tree, with a region code (R1) also used in ours."""
    other = make_mission("other-mission", name="Other mission", deployment_start=dt.date(2019, 1, 7))
    return make_tree(other)


def _get(client, user, path: str, **params):
    token = make_api_token(user)
    return client.get(f"/api{path}", params, headers={"Authorization": f"Bearer {token}"})


def _codes(response) -> list[str]:
    return [item["code"] for item in response.json()["items"]]


@pytest.mark.parametrize("persona", ["administrator", "core_member", "coordinator", "analyst",
                                     "observer"])
def test_locations_every_access_reads_the_whole_tree(client, tree, other_mission_tree, persona,
                                                     request):
    user = request.getfixturevalue(persona)

    response = _get(client, user, "/locations")

    assert response.status_code == 200
    assert response.json()["count"] == 9
    assert _codes(response) == ["KZ", "R1", "D1", "01001", "01002", "R2", "D2", "02001", "02002"]


def test_locations_outsider_is_403(client, tree, outsider):
    response = _get(client, outsider, "/locations")

    assert response.status_code == 403


def test_locations_are_paged(client, tree, analyst):
    first = _get(client, analyst, "/locations", page_size=4)
    last = _get(client, analyst, "/locations", page_size=4, page=3)

    assert (first.json()["count"], _codes(first)) == (9, ["KZ", "R1", "D1", "01001"])
    assert (last.json()["count"], _codes(last)) == (9, ["02002"])


def test_locations_page_beyond_the_end_is_empty(client, tree, analyst):
    response = _get(client, analyst, "/locations", page_size=4, page=4)

    assert response.json() == {"items": [], "count": 9}


def test_locations_page_zero_is_422_naming_the_field(client, tree, analyst):
    response = _get(client, analyst, "/locations", page=0)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "page"]


def test_locations_filter_parent_gives_the_children(client, tree, analyst):
    response = _get(client, analyst, "/locations", parent=tree["D2"].pk)

    assert _codes(response) == ["02001", "02002"]


def test_locations_filter_level(client, tree, other_mission_tree, analyst):
    response = _get(client, analyst, "/locations", level=LocationLevel.REGION)

    assert _codes(response) == ["R1", "R2"]


def test_locations_unknown_level_is_422_naming_the_field(client, tree, analyst):
    response = _get(client, analyst, "/locations", level="province")

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "level"]


@pytest.mark.parametrize(
    ("q", "codes"),
    [
        ("020", ["02001", "02002"]),  # code
        ("Akmola", ["R1"]),  # English name, any case below
        ("akmola", ["R1"]),
        ("Акмолинская", ["R1"]),  # Russian name
        ("Ақмола", ["R1"]),  # Kazakh name
        ("nowhere", []),
    ],
)
def test_locations_filter_q_matches_code_or_any_name(client, tree, analyst, q, codes):
    region = tree["R1"]
    region.name_en, region.name_ru, region.name_kk = "Akmola", "Акмолинская", "Ақмола облысы"
    region.save()

    response = _get(client, analyst, "/locations", q=q)

    assert _codes(response) == codes


def test_locations_carry_children_counts_and_registered_voter_sums(client, tree, analyst):
    response = _get(client, analyst, "/locations")

    rows = {
        item["code"]: (item["n_children"], item["n_stations"], item["n_registered"])
        for item in response.json()["items"]
    }
    assert rows == {
        "KZ": (2, 4, 101 + 102 + 201 + 202),
        "R1": (1, 2, 101 + 102),
        "D1": (2, 2, 203),
        "01001": (0, 1, 101),
        "01002": (0, 1, 102),
        "R2": (1, 2, 201 + 202),
        "D2": (2, 2, 403),
        "02001": (0, 1, 201),
        "02002": (0, 1, 202),
    }


def test_locations_carry_path_and_parent_for_the_tree(client, tree, analyst):
    response = _get(client, analyst, "/locations", parent=tree["R1"].pk)

    (district,) = response.json()["items"]
    assert (district["path"], district["parent"], district["level"]) == (
        "KZ/R1/D1/", tree["R1"].pk, "district",
    )


def test_location_detail_has_ancestors_and_children(client, tree, analyst):
    response = _get(client, analyst, f"/locations/{tree['D1'].pk}")

    body = response.json()
    assert response.status_code == 200
    assert [a["code"] for a in body["ancestors"]] == ["KZ", "R1"]
    assert [(c["code"], c["n_registered"]) for c in body["children"]] == [
        ("01001", 101), ("01002", 102),
    ]
    assert (body["n_children"], body["n_registered"]) == (2, 203)


def test_location_detail_of_the_root_has_no_ancestors(client, tree, observer):
    response = _get(client, observer, f"/locations/{tree['KZ'].pk}")

    assert response.json()["ancestors"] == []
    assert [c["code"] for c in response.json()["children"]] == ["R1", "R2"]


def test_location_detail_of_another_mission_is_404(client, tree, other_mission_tree, analyst):
    response = _get(client, analyst, f"/locations/{other_mission_tree['R1'].pk}")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_location_detail_outsider_is_403(client, tree, outsider):
    response = _get(client, outsider, f"/locations/{tree['R1'].pk}")

    assert response.status_code == 403


def test_locations_registered_voters_follow_a_recount(client, tree, analyst):
    make_location(tree["KZ"].mission, LocationLevel.POLLING_STATION, "01003", tree["D1"],
                  n_registered=1000)
    services.recompute_totals(tree["KZ"].mission)

    response = _get(client, analyst, f"/locations/{tree['R1'].pk}")

    assert (response.json()["n_registered"], response.json()["n_stations"]) == (1203, 3)


@pytest.mark.parametrize("n_regions", [1, 3])
def test_locations_list_queries_do_not_grow_with_items(
    client, mission, django_assert_max_num_queries, n_regions
):
    country = make_location(mission, LocationLevel.COUNTRY, "KZ")
    for r in range(n_regions):
        region = make_location(mission, LocationLevel.REGION, f"R{r}", country)
        make_location(mission, LocationLevel.DISTRICT, f"D{r}", region)
    user = make_user(mission, Access.ANALYST, role="statistician")
    headers = {"Authorization": f"Bearer {make_api_token(user)}"}

    # token, its last use, person, mission, count, page
    with django_assert_max_num_queries(6):
        response = client.get("/api/locations", {"level": "region"}, headers=headers)

    assert len(response.json()["items"]) == n_regions


@pytest.mark.parametrize("n_children", [1, 3])
def test_location_detail_queries_do_not_grow_with_children(
    client, mission, django_assert_max_num_queries, n_children
):
    country = make_location(mission, LocationLevel.COUNTRY, "KZ")
    for r in range(n_children):
        make_location(mission, LocationLevel.REGION, f"R{r}", country)
    user = make_user(mission, Access.ANALYST, role="statistician")
    headers = {"Authorization": f"Bearer {make_api_token(user)}"}

    # token, its last use, person, mission, location, ancestors, children
    with django_assert_max_num_queries(7):
        response = client.get(f"/api/locations/{country.pk}", headers=headers)

    assert len(response.json()["children"]) == n_children
