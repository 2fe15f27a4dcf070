"""Coverage answers the scope rules of the pages: the core team, administrators and analysts
read the whole tree; a coordinator its area's subtree only (its figures and its silent teams);
observers none of it. A bad setting is a 400 naming the field."""

import pytest
from django.urls import reverse

from tests.observation.scene import send, set_up


@pytest.fixture
def form(mission, tree, observer, other_team):
    """STO-1 reports from 01001 (region R1); STO-2 (region R2) stays silent."""
    voting = set_up(mission, tree, observer, other_team)
    send(observer, mission)
    return voting


def coverage(client, user, node=None, **params):
    client.force_login(user)
    url = (reverse("observation:coverage_node", args=[node.pk]) if node
           else reverse("observation:coverage"))
    return client.get(url, params)


@pytest.mark.parametrize("persona", ["core_member", "administrator", "analyst"])
def test_national_readers_see_the_whole_tree_and_every_silent_team(client, form, request,
                                                                   persona):
    response = coverage(client, request.getfixturevalue(persona))
    assert response.status_code == 200
    assert response.context["node"].code == "KZ"
    assert [row.location.code for row in response.context["rows"]] == ["R1", "R2"]
    assert [team.code for team in response.context["total"].silent] == ["STO-2"]


def test_coordinator_starts_at_its_area_and_sees_only_its_figures(client, form, coordinator):
    response = coverage(client, coordinator)
    assert response.status_code == 200
    assert response.context["node"].code == "R1"
    assert [row.location.code for row in response.context["rows"]] == ["D1"]
    assert [a.code for a in response.context["ancestors"]] == []
    page = response.content.decode()
    assert "STO-2" not in page and "R2" not in page
    voting = next(s for s in response.context["total"].stages if s.stage == "voting")
    assert (voting.received, voting.expected) == (1, 2)  # R1's stations, not the country's


@pytest.mark.parametrize("place", ["KZ", "R2", "D2", "02001"])
def test_coordinator_cannot_open_a_place_outside_its_area(client, form, coordinator, tree,
                                                         place):
    assert coverage(client, coordinator, tree[place]).status_code == 404


def test_coordinator_htmx_part_is_scoped_too(client, form, coordinator, tree):
    client.force_login(coordinator)
    url = reverse("observation:coverage_node", args=[tree["KZ"].pk])
    assert client.get(url, headers={"HX-Request": "true"}).status_code == 404
    inside = client.get(reverse("observation:coverage_node", args=[tree["D1"].pk]),
                        headers={"HX-Request": "true"})
    assert inside.status_code == 200
    assert "STO-2" not in inside.content.decode()


def test_coordinator_without_an_area_reads_no_coverage(client, form, coordinator):
    coordinator.person.area = None
    coordinator.person.save(update_fields=["area"])
    assert coverage(client, coordinator).status_code == 403


@pytest.mark.parametrize("persona", ["observer", "outsider"])
def test_observers_and_outsiders_read_no_coverage(client, form, tree, request, persona):
    user = request.getfixturevalue(persona)
    assert coverage(client, user).status_code == 403
    assert coverage(client, user, tree["D1"]).status_code == 403


@pytest.mark.parametrize("value", ["abc", "1e5", "10.5", "-"])
def test_a_silent_setting_that_is_not_minutes_is_a_400_naming_the_field(client, form,
                                                                       core_member, value):
    response = coverage(client, core_member, silent=value)
    assert response.status_code == 400
    assert "Silent for more than (minutes): Enter a whole number." in response.content.decode()


def test_a_silent_setting_over_the_query_limit_is_a_400_naming_it(client, form, core_member):
    response = coverage(client, core_member, silent="9" * 5000)
    assert response.status_code == 400
    assert response.content.decode().startswith("silent: ")


def test_silent_minutes_out_of_range_are_brought_to_the_bounds(client, form, core_member):
    assert coverage(client, core_member, silent="-3").context["silent"] == 5
    assert coverage(client, core_member, silent="99999").context["silent"] == 1440
    assert coverage(client, core_member, silent="").context["silent"] == 60
