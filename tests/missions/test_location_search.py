"""Finding a location by code or by name in any of the three languages, in any case."""

from eom.missions import queries
from eom.missions.models import Location


def test_location_search_folds_cyrillic_case(mission, tree):
    Location.objects.filter(code="R1").update(name_ru="Акмолинская область", name_kk="Ақмола облысы")
    locations = Location.objects.filter(mission=mission)
    assert [loc.code for loc in queries.search_locations(locations, "АКМОЛИНСКАЯ")] == ["R1"]
    assert [loc.code for loc in queries.search_locations(locations, "ақмола")] == ["R1"]


def test_location_search_by_code_prefix(mission, tree):
    locations = Location.objects.filter(mission=mission)
    assert sorted(loc.code for loc in queries.search_locations(locations, "010")) == [
        "01001", "01002",
    ]
