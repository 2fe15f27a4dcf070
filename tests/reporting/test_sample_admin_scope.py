"""The quick-count sample (which polling stations are drawn, which team goes to each) is read by
those who read the quick count: the core team, analysts and administrators. Coordinators and
observers get nothing of it: no admin module (403 on its URLs), no sample filter on the
submissions list or the analysis page, no quick-count page."""

import pytest
from django.urls import reverse

from eom.missions.models import Sample, SampledStation
from tests.observation.scene import send, set_up

CANARY = "CANARY-SAMPLE"


@pytest.fixture
def sample(mission, tree, observer, other_team):
    set_up(mission, tree, observer, other_team)
    send(observer, mission)
    drawn = Sample.objects.create(mission=mission, name=f"{CANARY} PVT", seed=20230319, size=2,
                                  population_size=4, stratum_sizes={"R1": 2, "R2": 2})
    for code, team in (("01001", observer.person.teams.get()), ("02001", other_team)):
        SampledStation.objects.create(sample=drawn, location=tree[code], stratum=code[:2],
                                      team=team)
    return drawn


def get(client, user, name, *args, **params):
    client.force_login(user)
    return client.get(reverse(name, args=args), params)


ADMIN_URLS = [
    ("admin:missions_sample_changelist", False),
    ("admin:missions_sample_change", True),
    ("admin:missions_sample_history", True),
    ("admin:missions_sampledstation_changelist", False),
    ("admin:missions_sampledstation_change", True),
    ("admin:missions_sampledstation_history", True),
]


def admin_url_args(sample, needs_pk: bool, name: str) -> list:
    if not needs_pk:
        return []
    return [sample.pk if "sampledstation" not in name else sample.stations.first().pk]


@pytest.mark.parametrize("persona", ["core_member", "administrator", "analyst"])
def test_quick_count_readers_see_the_sample_and_its_teams_in_the_admin(client, sample, request,
                                                                      persona):
    user = request.getfixturevalue(persona)
    for name, needs_pk in ADMIN_URLS:
        assert get(client, user, name, *admin_url_args(sample, needs_pk, name)).status_code == 200
    assert "/admin/missions/sample/" in get(client, user, "admin:index").content.decode()
    stations = get(client, user, "admin:missions_sampledstation_changelist")
    assert sorted(s.team.code for s in stations.context["cl"].result_list) == ["STO-1", "STO-2"]


def test_coordinator_gets_no_sample_in_the_admin(client, sample, coordinator):
    for name, needs_pk in ADMIN_URLS:
        response = get(client, coordinator, name, *admin_url_args(sample, needs_pk, name))
        assert response.status_code == 403, name
        assert CANARY not in response.content.decode()
    index = get(client, coordinator, "admin:index").content.decode()
    assert "/admin/missions/sample" not in index and CANARY not in index
    station = sample.stations.first()
    response = client.post(reverse("admin:missions_sampledstation_change", args=[station.pk]),
                           {"team": ""})
    assert response.status_code == 403
    station.refresh_from_db()
    assert station.team is not None


def test_observer_gets_no_sample_in_the_admin(client, sample, observer):
    for name, needs_pk in ADMIN_URLS:
        response = get(client, observer, name, *admin_url_args(sample, needs_pk, name))
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_only_an_administrator_changes_the_team_sent_to_a_sampled_station(
    client, sample, analyst, core_member, administrator
):
    station = sample.stations.get(location__code="01001")
    url = reverse("admin:missions_sampledstation_change", args=[station.pk])
    for reader in (analyst, core_member):
        client.force_login(reader)
        assert client.post(url, {"team": ""}).status_code == 403
    client.force_login(administrator)
    assert client.post(url, {"team": ""}).status_code == 302
    station.refresh_from_db()
    assert station.team is None


@pytest.mark.parametrize("persona", ["coordinator", "observer"])
def test_the_submissions_filters_offer_no_sample_to_those_without_the_quick_count(
    client, sample, request, persona
):
    user = request.getfixturevalue(persona)
    for name in ("observation:submissions", "reporting:analysis"):
        response = get(client, user, name)
        assert response.status_code == 200
        assert "sample" not in response.context["filter"].fields
        assert CANARY not in response.content.decode()
    # Naming the sample anyway does not narrow the list to the drawn stations.
    listed = get(client, user, "observation:submissions", sample=sample.pk)
    assert CANARY not in listed.content.decode()


def test_the_submissions_filters_offer_the_sample_to_the_core_team(client, sample, core_member):
    response = get(client, core_member, "observation:submissions", sample=sample.pk)
    assert CANARY in response.content.decode()
    assert response.context["submissions"].paginator.count == 1


@pytest.mark.parametrize("persona", ["coordinator", "observer"])
def test_the_quick_count_page_is_refused_to_those_without_it(client, sample, request, persona):
    response = get(client, request.getfixturevalue(persona), "reporting:quick_count")
    assert response.status_code == 403
    assert CANARY not in response.content.decode()
