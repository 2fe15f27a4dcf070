"""Registered voters are entered on polling stations and summed at every level above."""

from eom.missions import services
from eom.missions.models import Location


def test_totals_sum_registered_voters_at_every_level(mission, tree):
    by_code = {loc.code: loc for loc in Location.objects.filter(mission=mission)}
    assert by_code["D1"].n_registered == 101 + 102
    assert by_code["R2"].n_registered == 201 + 202
    assert by_code["KZ"].n_registered == 101 + 102 + 201 + 202
    assert (by_code["KZ"].n_stations, by_code["R1"].n_stations) == (4, 2)


def test_totals_follow_a_changed_station(mission, tree):
    station = tree["01001"]
    station.n_registered = 1001
    station.save()
    services.recompute_totals(mission)
    assert Location.objects.get(code="KZ").n_registered == 1001 + 102 + 201 + 202
    assert services.registered_voters(mission) == 1001 + 102 + 201 + 202


def test_location_totals_count_each_level(mission, tree):
    assert services.location_totals(mission) == {
        "country": 1, "region": 2, "district": 2, "polling_station": 4,
    }

