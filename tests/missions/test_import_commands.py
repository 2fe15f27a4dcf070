"""The `eom import` and `eom export` commands, run through Django's call_command."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from eom.missions.importers import LOCATION_COLUMNS, PEOPLE_COLUMNS
from eom.missions.models import Location, Person
from eom.missions.tabular import read_table
from tests.factories import make_meeting, make_mission, make_table_file

STATIONS = [
    ["01003", "polling_station", "D1", "PS 3", "", "", 300, "", ""],
    ["01001", "polling_station", "D1", "polling_station 01001", "", "", 150, "", ""],
]


def _run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_commands_locations_prints_figures(tmp_path, mission, tree):
    path = make_table_file(tmp_path / "stations.csv", LOCATION_COLUMNS, STATIONS)

    out, err = _run("import", "locations", str(path), "--mission", mission.code)

    assert out.splitlines() == [
        "Import of locations from stations.csv into test-mission:",
        "  created         1",
        "  updated         1",
        "  unchanged       0",
    ]
    assert err == ""
    assert Location.objects.get(code="01003").n_registered == 300


def test_import_commands_errors_exit_non_zero_with_one_line_each(tmp_path, mission, tree):
    rows = STATIONS + [
        ["01004", "polling_station", "X9", "PS 4", "", "", 4, "", ""],
        ["01005", "polling_station", "D1", "PS 5", "", "", -5, "", ""],
    ]
    path = make_table_file(tmp_path / "stations.xlsx", LOCATION_COLUMNS, rows)
    err = io.StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("import", "locations", str(path), stdout=io.StringIO(), stderr=err)

    assert str(raised.value) == "stations.xlsx: 2 errors; nothing was written."
    assert err.getvalue().splitlines() == [
        "row 4, column parent_code: unknown parent code “X9”",
        "row 5, column registered_voters: “-5” is not a whole number of voters (0 or more)",
    ]
    assert Location.objects.filter(mission=mission).count() == 9


def test_import_commands_dry_run_says_nothing_was_written(tmp_path, mission, tree):
    path = make_table_file(tmp_path / "stations.csv", LOCATION_COLUMNS, STATIONS)

    out, _err = _run("import", "locations", str(path), "--dry-run")

    assert out.splitlines()[1:] == [
        "  created         1",
        "  updated         1",
        "  unchanged       0",
        "  Dry run: the file is valid; nothing was written.",
    ]
    assert Location.objects.filter(mission=mission).count() == 9


def test_import_commands_map_and_sheet_options(tmp_path, mission, tree):
    import openpyxl

    path = tmp_path / "book.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "Readme"
    sheet = workbook.create_sheet("УИК")
    sheet.append(["Код", "Уровень", "Родитель", "name_en"])
    sheet.append(["01003", "polling station", "D1", "PS 3"])
    workbook.save(path)

    out, _err = _run(
        "import",
        "locations",
        str(path),
        "--sheet",
        "УИК",
        "--map",
        "code=Код,parent_code=Родитель",
        "--map",
        "level=уровень",
    )

    assert "  created         1" in out.splitlines()
    assert Location.objects.get(code="01003").path == "KZ/R1/D1/01003/"


def test_import_commands_people(tmp_path, mission, tree):
    rows = [
        [
            "STO001",
            "Sofia Rossi",
            "sto",
            "observer",
            "",
            "",
            "IT",
            "",
            "01001",
            "STO-1",
            "sto",
            "yes",
        ]
    ]
    path = make_table_file(tmp_path / "people.csv", PEOPLE_COLUMNS, rows)

    out, _err = _run("import", "people", str(path))

    assert out.splitlines()[1:] == [
        "  created         1",
        "  updated         0",
        "  unchanged       0",
        "  teams: 1 created, 0 updated",
    ]
    assert Person.objects.get(code="STO001").teams.get().code == "STO-1"


def test_import_commands_unreadable_file(tmp_path, mission, tree):
    path = tmp_path / "stations.csv"
    path.write_bytes("code;level\n01001;участок\n".encode("cp1251"))
    err = io.StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("import", "locations", str(path), stdout=io.StringIO(), stderr=err)

    assert str(raised.value) == "stations.csv: 1 error; nothing was written."
    assert err.getvalue().startswith("row 2: stations.csv is not UTF-8 text: byte 0xF3 at byte ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--mission", "nowhere"], 'no mission with code "nowhere" (missions: test-mission)'),
        (
            ["--map", "code"],
            '--map: "code" is not column=header (e.g. --map code=Код,name_ru=Название)',
        ),
    ],
)
def test_import_commands_bad_options(tmp_path, mission, args, message):
    path = make_table_file(tmp_path / "stations.csv", LOCATION_COLUMNS, STATIONS)

    with pytest.raises(CommandError) as raised:
        call_command("import", "locations", str(path), *args, stdout=io.StringIO())

    assert str(raised.value) == message


def test_import_commands_without_any_mission(db, tmp_path):
    path = make_table_file(tmp_path / "stations.csv", LOCATION_COLUMNS, STATIONS)

    with pytest.raises(CommandError) as raised:
        call_command("import", "locations", str(path), stdout=io.StringIO())

    assert str(raised.value) == (
        "there is no mission yet; load one first (e.g. eom demo --no-serve)"
    )


@pytest.mark.parametrize("kind", ["locations", "people", "meetings"])
def test_import_commands_export_writes_file(tmp_path, mission, tree, kind):
    path = tmp_path / f"{kind}.xlsx"

    out, _err = _run("export", kind, str(path), "--mission", mission.code)

    n_rows = len(read_table(path).rows) if kind != "meetings" else 0
    assert out == f"Wrote {n_rows:,} {kind} of test-mission to {path}.\n"


def test_import_commands_export_meetings_confidential_only_on_request(
    tmp_path, mission, tree, core_member
):
    make_meeting(mission, actor=core_member)
    make_meeting(mission, actor=core_member, confidential=True)
    path = tmp_path / "meetings.csv"

    public, _err = _run("export", "meetings", str(path))
    everything, _err = _run("export", "meetings", str(path), "--include-confidential")

    assert public == f"Wrote 1 meetings of test-mission to {path}.\n"
    assert everything == f"Wrote 2 meetings of test-mission to {path}.\n"


def test_import_commands_export_refuses_unknown_extension(tmp_path, db):
    make_mission()

    with pytest.raises(CommandError) as raised:
        call_command("export", "locations", str(tmp_path / "tree.json"), stdout=io.StringIO())

    assert str(raised.value) == "tree.json: name the file .csv or .xlsx"
