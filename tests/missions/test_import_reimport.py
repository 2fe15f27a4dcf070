"""Re-importing a file updates records by code and never duplicates them."""

from __future__ import annotations

import pytest

from eom.missions.importers import LOCATION_COLUMNS, PEOPLE_COLUMNS, import_locations, import_people
from eom.missions.models import AuditEntry, Location, Person, TeamMembership
from tests.factories import make_mission, make_table_file

ROWS = [
    ["KZ", "country", "", "Kazakhstan", "", "", "", "", ""],
    ["KZ-01", "region", "KZ", "Astana", "", "", "", "city", ""],
    ["007", "district", "KZ-01", "District 7", "", "", "", "", ""],
    ["000123", "polling_station", "007", "PS 123", "", "", 500, "urban", ""],
    ["000124", "polling_station", "007", "PS 124", "", "", 600, "rural", ""],
]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_import_reimport_same_file_changes_nothing(db, tmp_path, suffix):
    mission = make_mission()
    path = make_table_file(tmp_path / f"tree{suffix}", LOCATION_COLUMNS, ROWS)
    import_locations(mission, path, actor=None)
    n_entries = AuditEntry.objects.count()

    report = import_locations(mission, path, actor=None)

    assert (report.n_created, report.n_updated, report.n_unchanged) == (0, 0, 5)
    assert Location.objects.filter(mission=mission).count() == 5
    assert AuditEntry.objects.count() == n_entries


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_import_reimport_keeps_leading_zeros(db, tmp_path, suffix):
    mission = make_mission()
    path = make_table_file(tmp_path / f"tree{suffix}", LOCATION_COLUMNS, ROWS)

    import_locations(mission, path, actor=None)

    station = Location.objects.get(mission=mission, code="000123")
    assert station.path == "KZ/KZ-01/007/000123/"
    assert station.parent.code == "007"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_import_reimport_updates_by_code(db, tmp_path, suffix):
    mission = make_mission()
    import_locations(
        mission, make_table_file(tmp_path / f"a{suffix}", LOCATION_COLUMNS, ROWS), actor=None
    )
    station = Location.objects.get(mission=mission, code="000123")
    changed = [row[:] for row in ROWS]
    changed[3][3], changed[3][6] = "PS 123 (school)", 550
    changed.append(["000125", "polling_station", "007", "PS 125", "", "", 50, "", ""])
    path = make_table_file(tmp_path / f"b{suffix}", LOCATION_COLUMNS, changed)

    report = import_locations(mission, path, actor=None)

    assert (report.n_created, report.n_updated, report.n_unchanged) == (1, 1, 4)
    assert Location.objects.filter(mission=mission).count() == 6
    station.refresh_from_db()
    assert (station.name_en, station.n_registered) == ("PS 123 (school)", 550)
    assert Location.objects.get(mission=mission, code="KZ").n_registered == 550 + 600 + 50
    entry = AuditEntry.objects.get(object_id=str(station.pk), action="update")
    assert entry.changes == {"n_registered": [500, 550], "name_en": ["PS 123", "PS 123 (school)"]}


def test_import_reimport_is_scoped_to_the_mission(db, tmp_path):
    first, second = make_mission("first"), make_mission("second")
    path = make_table_file(tmp_path / "tree.csv", LOCATION_COLUMNS, ROWS)
    import_locations(first, path, actor=None)

    report = import_locations(second, path, actor=None)

    assert report.n_created == 5
    assert Location.objects.filter(code="000123").count() == 2


def test_import_reimport_people_updates_by_code(tmp_path, mission, tree):
    rows = [
        ["P1", "Anna Novak", "lto", "observer", "", "", "", "", "R1", "LTO-1", "lto", "yes"],
        ["P2", "Lukas Berg", "lto", "observer", "", "", "", "", "R1", "LTO-1", "lto", "no"],
    ]
    import_people(mission, make_table_file(tmp_path / "a.csv", PEOPLE_COLUMNS, rows), actor=None)
    rows[1][1], rows[1][11] = "Lukas Berg-Olsen", "yes"

    report = import_people(
        mission, make_table_file(tmp_path / "b.xlsx", PEOPLE_COLUMNS, rows), actor=None
    )

    assert (report.n_created, report.n_updated, report.n_unchanged) == (0, 1, 1)
    assert (report.n_teams_created, report.n_teams_updated) == (0, 0)
    assert Person.objects.filter(mission=mission, code="P2").get().full_name == "Lukas Berg-Olsen"
    assert TeamMembership.objects.filter(team__code="LTO-1", is_leader=True).count() == 2
    assert Person.objects.filter(mission=mission).count() == 2
