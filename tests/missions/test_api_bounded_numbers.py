"""Ids and page numbers in the API hold 64 bits: a larger one answers 422 naming the parameter
(a database error before: "Python int too large to convert to SQLite INTEGER", "bigint out of
range"). The pages' own paths answer 404, and their pager keeps the query."""

import pytest

from tests.factories import make_api_token, make_person

HUGE = "99999999999999999999999"


@pytest.mark.parametrize(("path", "name"), [
    (f"/api/locations/{HUGE}", "location_id"),
    (f"/api/teams/{HUGE}", "team_id"),
    (f"/api/meetings/{HUGE}", "meeting_id"),
    (f"/api/meetings?page={HUGE}", "page"),
    (f"/api/locations?page={HUGE}", "page"),
    (f"/api/submissions?page={HUGE}", "page"),
    (f"/api/contests?election={HUGE}", "election"),
    (f"/api/parties?election=-{HUGE}", "election"),
    (f"/api/locations?parent={HUGE}", "parent"),
    (f"/api/people?team={HUGE}", "team"),
    (f"/api/meetings?organisation={HUGE}", "organisation"),
    (f"/api/meetings?interlocutor={HUGE}", "interlocutor"),
])
def test_a_number_beyond_64_bits_answers_422_naming_the_parameter(client, mission, core_member,
                                                                  path, name):
    response = client.get(path, HTTP_AUTHORIZATION=f"Bearer {make_api_token(core_member)}")

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == name


def test_the_largest_id_answers_404(client, mission, core_member):
    response = client.get(f"/api/meetings/{2**63 - 1}",
                          HTTP_AUTHORIZATION=f"Bearer {make_api_token(core_member)}")

    assert response.status_code == 404


@pytest.mark.parametrize("path", [f"/people/{HUGE}/", f"/meetings/{HUGE}/",
                                  f"/locations/{HUGE}/"])
def test_a_page_for_an_id_beyond_64_bits_answers_404(client, mission, core_member, path):
    client.force_login(core_member)

    assert client.get(path).status_code == 404


def test_the_pager_keeps_the_query_and_a_parameter_named_items(client, mission, core_member):
    for _ in range(51):
        make_person(mission, access="observer")
    client.force_login(core_member)

    response = client.get("/people/", {"group": "", "items": "x", "page": HUGE})

    assert response.status_code == 200
    assert "?group=&amp;items=x&amp;page=1" in response.content.decode()
