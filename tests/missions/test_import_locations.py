"""Importing the location tree from CSV and XLSX files."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from eom.missions.importers import LOCATION_COLUMNS, MAX_ERRORS, RowError, import_locations
from eom.missions.models import AuditEntry, Location
from tests.factories import make_mission, make_table_file

TREE_ROWS = [
    ["KZ", "country", "", "Kazakhstan", "Казахстан", "Қазақстан", "", "", ""],
    ["KZ-01", "region", "KZ", "Astana", "Астана", "Астана", "", "city", ""],
    ["SMD-01", "district", "KZ-01", "District No. 1", "", "", "", "", ""],
    ["010001", "polling_station", "SMD-01", "PS 1", "УИК 1", "", 829, "urban", "School 5"],
    ["010002", "polling_station", "SMD-01", "PS 2", "", "", 1200, "rural", ""],
]


def _by_code(mission) -> dict[str, Location]:
    return {location.code: location for location in Location.objects.filter(mission=mission)}


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_import_locations_creates_tree(db, tmp_path, suffix):
    mission = make_mission()
    path = make_table_file(tmp_path / f"tree{suffix}", LOCATION_COLUMNS, TREE_ROWS)

    report = import_locations(mission, path, actor=None)

    assert report.errors == []
    assert (report.n_created, report.n_updated, report.n_unchanged) == (5, 0, 0)
    stored = _by_code(mission)
    assert stored["010001"].path == "KZ/KZ-01/SMD-01/010001/"
    assert stored["010001"].parent == stored["SMD-01"]
    assert stored["010001"].name_ru == "УИК 1"
    assert stored["010001"].address == "School 5"
    assert stored["KZ-01"].kind == "city"
    assert stored["010002"].n_registered == 1200
    assert (stored["KZ"].n_registered, stored["KZ"].n_stations) == (2029, 2)
    assert (stored["SMD-01"].n_registered, stored["SMD-01"].n_stations) == (2029, 2)


def test_import_locations_writes_one_audit_entry_per_record(db, tmp_path):
    mission = make_mission()
    path = make_table_file(tmp_path / "tree.csv", LOCATION_COLUMNS, TREE_ROWS)

    import_locations(mission, path, actor=None)

    entries = AuditEntry.objects.filter(mission=mission, model="missions.location")
    assert entries.count() == 5
    assert set(entries.values_list("channel", flat=True)) == {"import"}
    station = entries.get(object_repr="PS 1")
    assert station.action == "create"
    assert station.changes["n_registered"] == [None, 829]
    assert station.changes["parent"] == [None, "SMD-01"]


def test_import_locations_accepts_level_display_names(db, tmp_path):
    mission = make_mission()
    rows = [
        ["KZ", "Country", "", "Kazakhstan"],
        ["R1", "region", "KZ", "Region 1"],
        ["D1", "electoral district", "R1", "District 1"],
        ["S1", "Polling Station", "D1", "Station 1"],
    ]
    path = make_table_file(
        tmp_path / "levels.csv", ["code", "level", "parent_code", "name_en"], rows
    )

    report = import_locations(mission, path, actor=None)

    assert report.errors == []
    assert _by_code(mission)["D1"].level == "district"
    assert _by_code(mission)["S1"].level == "polling_station"


def test_import_locations_mapping_matches_headers_ignoring_case_and_spaces(db, tmp_path):
    mission = make_mission()
    header = [" Код ", "LEVEL", "Родитель", "Name_EN", "Registered_Voters"]
    rows = [
        ["KZ", "country", "", "Kazakhstan", ""],
        ["R1", "region", "KZ", "Region 1", ""],
        ["D1", "district", "R1", "District 1", ""],
        ["S1", "polling_station", "D1", "Station 1", "50"],
    ]
    path = make_table_file(tmp_path / "ru.csv", header, rows)

    report = import_locations(
        mission, path, actor=None, mapping={"code": "код", "parent_code": "родитель"}
    )

    assert report.errors == []
    assert _by_code(mission)["S1"].n_registered == 50


def test_import_locations_mapping_to_absent_header_names_it(db, tmp_path):
    mission = make_mission()
    path = make_table_file(tmp_path / "tree.csv", LOCATION_COLUMNS, TREE_ROWS)

    report = import_locations(mission, path, actor=None, mapping={"code": "Код"})

    assert report.errors == [
        RowError(1, "code", "required column is missing: the header has no “Код”")
    ]


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_import_locations_sniffs_delimiter(db, tmp_path, delimiter):
    mission = make_mission()
    path = make_table_file(
        tmp_path / "tree.csv",
        LOCATION_COLUMNS,
        TREE_ROWS,
        delimiter=delimiter,
        encoding="utf-8-sig",
    )

    report = import_locations(mission, path, actor=None)

    assert report.errors == []
    assert report.n_created == 5
    assert _by_code(mission)["KZ"].name_kk == "Қазақстан"


def test_import_locations_xlsx_numbers_read_as_codes(db, tmp_path):
    mission = make_mission()
    rows = [
        ["KZ", "country", "", "Kazakhstan", "", "", "", "", ""],
        ["KZ-01", "region", "KZ", "Astana", "", "", "", "", ""],
        [77, "district", "KZ-01", "District 77", "", "", "", "", ""],
        [1234.0, "polling_station", 77.0, "PS 1234", "", "", 829.0, "", ""],
    ]
    path = make_table_file(tmp_path / "numbers.xlsx", LOCATION_COLUMNS, rows)

    report = import_locations(mission, path, actor=None)

    assert report.errors == []
    stored = _by_code(mission)
    assert stored["1234"].path == "KZ/KZ-01/77/1234/"
    assert stored["1234"].n_registered == 829


def test_import_locations_reads_named_sheet(db, tmp_path):
    import openpyxl

    mission = make_mission()
    path = tmp_path / "book.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["notes"])
    sheet = workbook.create_sheet("Участки")
    sheet.append(list(LOCATION_COLUMNS))
    for row in TREE_ROWS:
        sheet.append(row)
    workbook.save(path)

    report = import_locations(mission, path, actor=None, sheet="Участки")

    assert report.errors == []
    assert report.n_created == 5


def test_import_locations_adds_stations_under_stored_districts(tmp_path, mission, tree):
    rows = [["03001", "polling_station", "D2", "PS 3001", "", "", 300, "", ""]]
    path = make_table_file(tmp_path / "more.csv", LOCATION_COLUMNS, rows)

    report = import_locations(mission, path, actor=None)

    assert (report.n_created, report.n_updated, report.n_unchanged) == (1, 0, 0)
    stored = _by_code(mission)
    assert stored["03001"].path == "KZ/R2/D2/03001/"
    assert stored["R2"].n_registered == 201 + 202 + 300
    assert stored["KZ"].n_stations == 5


def test_import_locations_moving_district_rebuilds_subtree_paths(tmp_path, mission, tree):
    rows = [["D1", "district", "R2", "district D1", "", "", "", "", ""]]
    path = make_table_file(tmp_path / "move.xlsx", LOCATION_COLUMNS, rows)

    report = import_locations(mission, path, actor=None)

    assert (report.n_created, report.n_updated, report.n_unchanged) == (0, 1, 0)
    stored = _by_code(mission)
    assert stored["D1"].path == "KZ/R2/D1/"
    assert stored["01001"].path == "KZ/R2/D1/01001/"
    assert stored["01002"].path == "KZ/R2/D1/01002/"
    assert (stored["R1"].n_registered, stored["R1"].n_stations) == (0, 0)
    assert stored["R2"].n_registered == 101 + 102 + 201 + 202
    entry = AuditEntry.objects.get(model="missions.location", object_id=str(tree["D1"].pk))
    assert entry.changes == {"parent": ["R1", "R2"]}


def test_import_locations_without_optional_columns_keeps_stored_values(tmp_path, mission, tree):
    Location.objects.filter(pk=tree["01001"].pk).update(address="School 1", name_ru="УИК")
    header = ["code", "level", "parent_code", "name_en"]
    path = make_table_file(
        tmp_path / "names.csv", header, [["01001", "polling_station", "D1", "Renamed"]]
    )

    report = import_locations(mission, path, actor=None)

    assert report.n_updated == 1
    station = Location.objects.get(pk=tree["01001"].pk)
    assert (station.name_en, station.name_ru, station.address) == ("Renamed", "УИК", "School 1")
    assert station.n_registered == 101


def test_import_locations_administrator_is_allowed(tmp_path, mission, administrator):
    path = make_table_file(tmp_path / "tree.csv", LOCATION_COLUMNS, TREE_ROWS)

    report = import_locations(mission, path, actor=administrator)

    assert report.n_created == 5
    assert set(AuditEntry.objects.filter(channel="import").values_list("actor", flat=True)) == {
        administrator.pk
    }


@pytest.mark.parametrize("persona", ["coordinator", "observer", "analyst", "core_member"])
def test_import_locations_other_roles_are_refused(tmp_path, mission, request, persona):
    actor = request.getfixturevalue(persona)
    path = make_table_file(tmp_path / "tree.csv", LOCATION_COLUMNS, TREE_ROWS)
    before = Location.objects.count()

    with pytest.raises(PermissionDenied):
        import_locations(mission, path, actor=actor)

    assert Location.objects.count() == before


def test_import_locations_reports_every_error_in_the_file(db, tmp_path):
    mission = make_mission()
    rows = TREE_ROWS + [
        ["010003", "polling_station", "SMD-09", "PS 3", "", "", 10, "", ""],
        ["", "polling_station", "SMD-01", "PS 4", "", "", 10, "", ""],
        ["010005", "polling_station", "SMD-01", "", "", "", "ten", "", ""],
    ]
    path = make_table_file(tmp_path / "bad.csv", LOCATION_COLUMNS, rows)

    report = import_locations(mission, path, actor=None)

    assert report.errors == [
        RowError(7, "parent_code", "unknown parent code “SMD-09”"),
        RowError(8, "code", "empty: every location needs a code"),
        RowError(9, "name_en", "empty: every location needs an English name"),
        RowError(9, "registered_voters", "“ten” is not a whole number of voters (0 or more)"),
    ]
    assert (report.n_errors, report.n_created) == (4, 0)
    assert Location.objects.filter(mission=mission).count() == 0


def test_import_locations_lists_errors_up_to_the_cap(db, tmp_path):
    mission = make_mission()
    rows = [[f"S{i}", "polling_station", "NOWHERE", f"S{i}"] for i in range(MAX_ERRORS + 50)]
    path = make_table_file(tmp_path / "many.csv", ["code", "level", "parent_code", "name_en"], rows)

    report = import_locations(mission, path, actor=None)

    assert report.n_errors == MAX_ERRORS + 50
    assert len(report.errors) == MAX_ERRORS
    assert report.errors[0] == RowError(2, "parent_code", "unknown parent code “NOWHERE”")
    assert report.lines()[-1] == "… and 50 more errors."
