"""Drawing the quick-count sample: stored as eom.stats draws it, audited, reproducible, tied to
teams; a second draw under the same name is a no-op with the same seed and refused otherwise."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from eom.missions.models import AuditEntry, LocationLevel, Sample, SampledStation, TeamKind
from eom.missions.services import recompute_totals
from eom.reporting.pvt import SampleError, draw_sample, tie_to_teams
from eom.stats import assign_to_teams, draw_stratified_sample
from tests.factories import make_location, make_person, make_team


@pytest.fixture
def country(mission):
    """Three regions of two districts each; the districts hold 4, 6, 8, 10, 12, 14 stations."""
    country = make_location(mission, LocationLevel.COUNTRY, "KZ")
    number = 0
    for r in range(1, 4):
        region = make_location(mission, LocationLevel.REGION, f"R{r}", country)
        for d in range(1, 3):
            district = make_location(mission, LocationLevel.DISTRICT, f"D{r}{d}", region)
            for _s in range(2 * (2 * (r - 1) + d) + 2):
                number += 1
                make_location(mission, LocationLevel.POLLING_STATION, f"{number:05d}", district,
                              n_registered=500 + 10 * number)
    recompute_totals(mission)
    return country


def stations_by_path(mission):
    return list(mission.locations.filter(level=LocationLevel.POLLING_STATION)
                .order_by("path").values_list("pk", "path"))


def draw(mission, **kwargs):
    kwargs = {"name": "PVT", "size": 12, "seed": 7, **kwargs}
    return draw_sample(actor=None, channel="command", mission=mission, **kwargs)


def test_the_stored_sample_is_the_stratified_draw_of_eom_stats(mission, country):
    sample, created = draw(mission)
    rows = stations_by_path(mission)
    expected = draw_stratified_sample([pk for pk, _ in rows],
                                      [path.split("/")[1] for _, path in rows], 12, 7)
    stored = list(sample.stations.order_by("pk").values_list("location_id", "stratum"))
    assert created is True
    assert stored == list(zip(expected.station_ids, expected.strata, strict=True))
    assert sample.stratum_sizes == {"R1": 10, "R2": 18, "R3": 26}
    assert expected.allocation == {"R1": 2, "R2": 4, "R3": 6}
    assert (sample.size, sample.population_size, sample.stratum_level) == (12, 54, "region")
    entry = AuditEntry.objects.get(model="missions.sample")
    assert (entry.action, entry.channel, entry.object_id) == ("create", "command", str(sample.pk))
    assert entry.changes["allocation"] == [None, {"R1": 2, "R2": 4, "R3": 6}]


def test_strata_can_be_districts(mission, country):
    sample, _created = draw(mission, stratum_level="district", size=27)
    assert sample.stratum_sizes == {"D11": 4, "D12": 6, "D21": 8, "D22": 10, "D31": 12,
                                    "D32": 14}
    by_stratum = {}
    for station in sample.stations.select_related("location"):
        assert station.location.parent.code == station.stratum
        by_stratum[station.stratum] = by_stratum.get(station.stratum, 0) + 1
    assert by_stratum == {"D11": 2, "D12": 3, "D21": 4, "D22": 5, "D31": 6, "D32": 7}


def test_drawing_again_with_the_same_seed_changes_nothing(mission, country):
    first, _ = draw(mission)
    again, created = draw(mission)
    assert (again.pk, created) == (first.pk, False)
    assert SampledStation.objects.count() == 12
    assert AuditEntry.objects.filter(model="missions.sample").count() == 1


def test_drawing_again_under_the_same_name_with_another_seed_is_refused(mission, country):
    first, _ = draw(mission)
    stations = set(first.stations.values_list("location_id", flat=True))
    with pytest.raises(SampleError, match="already drawn with seed 7"):
        draw(mission, seed=8)
    with pytest.raises(SampleError, match="already drawn"):
        draw(mission, size=13)
    assert set(Sample.objects.get().stations.values_list("location_id", flat=True)) == stations


def test_another_seed_under_another_name_draws_another_sample(mission, country):
    first, _ = draw(mission)
    other, _ = draw(mission, name="PVT 2", seed=8)
    ids = set(first.stations.values_list("location_id", flat=True))
    assert ids != set(other.stations.values_list("location_id", flat=True))


@pytest.mark.parametrize("size", [0, 55])
def test_a_size_outside_the_population_is_refused_and_stores_nothing(mission, country, size):
    with pytest.raises(SampleError, match=f"Cannot draw {size} polling stations: the mission "
                                          "has 54"):
        draw(mission, size=size)
    assert not Sample.objects.exists() and not AuditEntry.objects.exists()


def test_stations_are_tied_to_teams_in_runs_of_the_sample(mission, country):
    teams = [make_team(mission, f"STO-{i}", [make_person(mission)]) for i in range(1, 6)]
    sample, _ = draw(mission, teams=teams)
    rows = list(sample.stations.order_by("pk").select_related("team"))
    expected = draw_stratified_sample(
        [pk for pk, _ in stations_by_path(mission)],
        [path.split("/")[1] for _, path in stations_by_path(mission)], 12, 7)
    runs = assign_to_teams(expected, [t.code for t in teams])
    assert {code: tuple(r.location_id for r in rows if r.team.code == code)
            for code in runs} == runs
    assert [len(v) for v in runs.values()] == [3, 3, 2, 2, 2]
    assert AuditEntry.objects.filter(model="missions.sample", action="update").count() == 1


def test_teams_of_another_mission_are_refused(mission, country):
    from tests.factories import make_mission

    other = make_mission("other")
    stranger = make_team(other, "STO-9", [make_person(other)])
    sample, _ = draw(mission)
    with pytest.raises(SampleError, match="STO-9 does not belong to this mission"):
        tie_to_teams(actor=None, channel="command", sample=sample, teams=[stranger])
    assert not SampledStation.objects.filter(team__isnull=False).exists()


def run(*args) -> str:
    out = io.StringIO()
    call_command("sample", *args, stdout=out)
    return out.getvalue()


def test_command_draws_by_district_and_prints_json(mission, country):
    for i in range(1, 4):
        make_team(mission, f"STO-{i}", [make_person(mission)], kind=TeamKind.STO)
    data = json.loads(run("draw", "--name", "Q", "--size", "9", "--seed", "3", "--by",
                          "district", "--teams", "--format", "json"))
    assert (data["created"], data["size"], data["strata"], data["teams"]) == (
        True, 9, "district", 3)
    assert sum(data["allocation"].values()) == 9
    again = json.loads(run("draw", "--name", "Q", "--size", "9", "--seed", "3", "--by",
                           "district", "--format", "json"))
    assert again["created"] is False
    with pytest.raises(CommandError, match="already drawn with seed 3"):
        run("draw", "--name", "Q", "--size", "9", "--seed", "4", "--by", "district")


def test_samples_are_read_in_the_admin(client, mission, country, analyst):
    sample, _ = draw(mission)
    client.force_login(analyst)
    assert client.get("/admin/missions/sample/").status_code == 200
    page = client.get(f"/admin/missions/sample/{sample.pk}/change/")
    assert page.status_code == 200 and b"PVT" in page.content
    assert client.get("/admin/missions/sample/add/").status_code == 403
