"""Malformed files: each gives a clear error with row, column and reason, and writes nothing.

Every test starts from the stored tree of tests/factories.make_tree and, where the file could
otherwise be read, also renames station 01001: after the failed import the counts and that
stored name must be as before.
"""

from __future__ import annotations

import os
import random

import pytest

from eom.missions.importers import LOCATION_COLUMNS, RowError, import_locations
from eom.missions.models import AuditEntry, Location
from tests.factories import make_table_file

RENAME = ["01001", "polling_station", "D1", "Renamed station", "", "", 101, "", ""]


def _state(mission) -> tuple:
    station = Location.objects.get(mission=mission, code="01001")
    return (
        Location.objects.filter(mission=mission).count(),
        AuditEntry.objects.count(),
        station.name_en,
        station.path,
        Location.objects.get(mission=mission, code="KZ").n_registered,
    )


@pytest.fixture
def stored(mission, tree):
    return _state(mission)


def _import(mission, path, **options):
    return import_locations(mission, path, actor=None, **options)


def test_import_malformed_cp1251_bytes_name_the_encoding_and_offset(tmp_path, mission, stored):
    path = make_table_file(
        tmp_path / "cp1251.csv",
        LOCATION_COLUMNS,
        [RENAME, ["01003", "polling_station", "D1", "PS 3", "Участок 3", "", 5, "", ""]],
        encoding="cp1251",
    )
    offset = path.read_bytes().index("Участок".encode("cp1251"))

    report = _import(mission, path)

    assert report.errors == [
        RowError(
            3,
            "",
            f"cp1251.csv is not UTF-8 text: byte 0xD3 at byte offset {offset} cannot be read. "
            "It was probably saved in another encoding (such as Windows-1251); re-save it as "
            '"CSV UTF-8" (in Excel: Save As → CSV UTF-8).',
        )
    ]
    assert _state(mission) == stored


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_import_malformed_missing_columns_are_named(tmp_path, mission, stored, suffix):
    header = ["code", "name_en", "registered_voters"]
    path = make_table_file(tmp_path / f"cols{suffix}", header, [["01001", "Renamed", 101]])

    report = _import(mission, path)

    missing = "required column is missing; the header has: code, name_en, registered_voters"
    assert report.errors == [RowError(1, "level", missing), RowError(1, "parent_code", missing)]
    assert _state(mission) == stored


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_import_malformed_unknown_parent(tmp_path, mission, stored, suffix):
    rows = [RENAME, ["01009", "polling_station", "X9", "PS 9", "", "", 9, "", ""]]
    path = make_table_file(tmp_path / f"parent{suffix}", LOCATION_COLUMNS, rows)

    report = _import(mission, path)

    assert report.errors == [RowError(3, "parent_code", "unknown parent code “X9”")]
    assert _state(mission) == stored


def test_import_malformed_cycle_in_the_file(tmp_path, mission, stored):
    rows = [
        RENAME,
        ["A", "district", "B", "A", "", "", "", "", ""],
        ["B", "district", "A", "B", "", "", "", "", ""],
    ]
    path = make_table_file(tmp_path / "cycle.csv", LOCATION_COLUMNS, rows)

    report = _import(mission, path)

    assert report.errors == [
        RowError(3, "parent_code", "cycle: A → B → A"),
        RowError(4, "parent_code", "cycle: B → A → B"),
    ]
    assert _state(mission) == stored


def test_import_malformed_cycle_through_stored_rows(tmp_path, mission, stored):
    # R1 is stored under KZ; the file puts KZ under D1, which is stored under R1.
    rows = [RENAME, ["KZ", "country", "D1", "Kazakhstan", "", "", "", "", ""]]
    path = make_table_file(tmp_path / "cycle.xlsx", LOCATION_COLUMNS, rows)

    report = _import(mission, path)

    assert report.errors == [RowError(3, "parent_code", "cycle: KZ → D1 → R1 → KZ")]
    assert _state(mission) == stored


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_import_malformed_duplicate_codes(tmp_path, mission, stored, suffix):
    rows = [
        RENAME,
        ["01003", "polling_station", "D1", "PS 3", "", "", 3, "", ""],
        ["01003", "polling_station", "D2", "PS 3 again", "", "", 3, "", ""],
    ]
    path = make_table_file(tmp_path / f"dup{suffix}", LOCATION_COLUMNS, rows)

    report = _import(mission, path)

    assert report.errors == [RowError(4, "code", "duplicate code “01003”: already on row 3")]
    assert _state(mission) == stored


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\r\n\r\n  \r\n"])
def test_import_malformed_empty_csv(tmp_path, mission, stored, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)

    report = _import(mission, path)

    assert report.errors == [RowError(None, "", "empty.csv is empty.")]
    assert _state(mission) == stored


def test_import_malformed_empty_xlsx(tmp_path, mission, stored):
    import openpyxl

    path = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(path)

    report = _import(mission, path)

    assert report.errors == [RowError(None, "", "empty.xlsx: the sheet is empty.")]
    assert _state(mission) == stored


def test_import_malformed_no_header(tmp_path, mission, stored):
    path = tmp_path / "noheader.csv"
    path.write_text(",,,\n01001,polling_station,D1,Renamed station\n", encoding="utf-8")

    report = _import(mission, path)

    assert report.errors == [
        RowError(
            1,
            "",
            "noheader.csv has no header: row 1 is empty; the first row must name the columns.",
        )
    ]
    assert _state(mission) == stored


def test_import_malformed_random_bytes_named_csv(tmp_path, mission, stored):
    data = random.Random(20230319).randbytes(10 * 2**20)
    path = tmp_path / "random.csv"
    path.write_bytes(data)
    offset = data.index(b"\x00")

    report = _import(mission, path)

    assert report.errors == [
        RowError(
            data.count(b"\n", 0, offset) + 1,
            "",
            "random.csv is not a CSV text file: it holds binary data (a zero byte at byte offset "
            f"{offset}). Save the spreadsheet as CSV UTF-8 or XLSX.",
        )
    ]
    assert _state(mission) == stored


def test_import_malformed_random_bytes_named_xlsx(tmp_path, mission, stored):
    path = tmp_path / "random.xlsx"
    path.write_bytes(os.urandom(10 * 2**20))

    report = _import(mission, path)

    assert report.errors == [
        RowError(
            None,
            "",
            "random.xlsx is not an Excel workbook (XLSX): it is not a zip archive. If it is a "
            "CSV file, name it .csv.",
        )
    ]
    assert _state(mission) == stored


def test_import_malformed_text_without_line_breaks(tmp_path, mission, stored):
    path = tmp_path / "oneline.csv"
    path.write_text("code,level,parent_code,name_en\n" + "x" * (2 * 2**20), encoding="utf-8")

    report = _import(mission, path)

    assert report.errors == [
        RowError(
            2,
            "",
            "oneline.csv: line 2 is longer than 65536 characters; this does not look like a "
            "spreadsheet saved as CSV.",
        )
    ]
    assert _state(mission) == stored


def test_import_malformed_quote_left_open(tmp_path, mission, stored):
    lines = ["code,level,parent_code,name_en", '01001,polling_station,D1,"Renamed']
    lines += ["more text " * 100] * 200
    path = tmp_path / "quote.csv"
    path.write_text("\n".join(lines), encoding="utf-8")

    report = _import(mission, path)

    assert report.errors == [
        RowError(
            2,
            "",
            "quote.csv, row 2: not valid CSV: a cell is longer than 131072 characters "
            "(a quote left open?).",
        )
    ]
    assert _state(mission) == stored


def test_import_malformed_xlsx_named_csv(tmp_path, mission, stored):
    source = make_table_file(tmp_path / "book.xlsx", LOCATION_COLUMNS, [RENAME])
    path = tmp_path / "book.csv"
    path.write_bytes(source.read_bytes())

    report = _import(mission, path)

    assert report.errors == [
        RowError(None, "", "book.csv is an Excel workbook (XLSX), not a CSV file; name it .xlsx.")
    ]
    assert _state(mission) == stored


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_import_malformed_parent_at_wrong_level(tmp_path, mission, stored, suffix):
    rows = [RENAME, ["01003", "polling_station", "R1", "PS 3", "", "", 3, "", ""]]
    path = make_table_file(tmp_path / f"level{suffix}", LOCATION_COLUMNS, rows)

    report = _import(mission, path)

    assert report.errors == [
        RowError(
            3,
            "parent_code",
            "“R1” is of level “region”; a location of level “polling station” needs a parent of level “electoral district”",
        )
    ]
    assert _state(mission) == stored


def test_import_malformed_unknown_level(tmp_path, mission, stored):
    rows = [RENAME, ["01003", "station", "D1", "PS 3", "", "", 3, "", ""]]
    path = make_table_file(tmp_path / "level.csv", LOCATION_COLUMNS, rows)

    report = _import(mission, path)

    assert report.errors == [
        RowError(
            3, "level", "unknown level “station”: use country, region, district or polling_station"
        )
    ]
    assert _state(mission) == stored


def test_import_malformed_level_change_of_a_stored_district(tmp_path, mission, stored):
    rename = ["02001", "polling_station", "D2", "Renamed station", "", "", 201, "", ""]
    rows = [rename, ["D1", "region", "KZ", "D1 as a region", "", "", "", "", ""]]
    path = make_table_file(tmp_path / "level.csv", LOCATION_COLUMNS, rows)

    report = _import(mission, path)

    assert report.errors == [
        RowError(
            3,
            "level",
            "“D1” is stored as a location of level “electoral district”; an import cannot change "
            "it to “region”. Give the new location a new code.",
        )
    ]
    assert _state(mission) == stored
    assert Location.objects.get(mission=mission, code="02001").name_en == "polling_station 02001"


@pytest.mark.parametrize(
    "value", ["-5", "12.5", "ten", "1 000", "99999999999"], ids=lambda v: v.replace(" ", "_")
)
def test_import_malformed_bad_registered_voters(tmp_path, mission, stored, value):
    rows = [RENAME, ["01003", "polling_station", "D1", "PS 3", "", "", value, "", ""]]
    path = make_table_file(tmp_path / "voters.csv", LOCATION_COLUMNS, rows)

    report = _import(mission, path)

    assert report.errors == [
        RowError(3, "registered_voters", f"“{value}” is not a whole number of voters (0 or more)")
    ]
    assert _state(mission) == stored


def test_import_malformed_xlsx_fractional_registered_voters(tmp_path, mission, stored):
    rows = [RENAME, ["01003", "polling_station", "D1", "PS 3", "", "", 12.5, "", ""]]
    path = make_table_file(tmp_path / "voters.xlsx", LOCATION_COLUMNS, rows)

    report = _import(mission, path)

    assert report.errors == [
        RowError(3, "registered_voters", "“12.5” is not a whole number of voters (0 or more)")
    ]
    assert _state(mission) == stored


def test_import_malformed_registered_voters_on_region(tmp_path, mission, stored):
    rows = [RENAME, ["R1", "region", "KZ", "Region 1", "", "", 5000, "", ""]]
    path = make_table_file(tmp_path / "voters.csv", LOCATION_COLUMNS, rows)

    report = _import(mission, path)

    assert report.errors == [
        RowError(
            3,
            "registered_voters",
            "given on a row of level “region”: registered voters are entered on polling stations and "
            "summed from them; leave the cell empty",
        )
    ]
    assert _state(mission) == stored


def test_import_malformed_empty_code_and_name(tmp_path, mission, stored):
    rows = [
        RENAME,
        ["", "polling_station", "D1", "PS 3", "", "", 3, "", ""],
        ["01004", "polling_station", "D1", "", "", "", 4, "", ""],
    ]
    path = make_table_file(tmp_path / "empty-cells.xlsx", LOCATION_COLUMNS, rows)

    report = _import(mission, path)

    assert report.errors == [
        RowError(3, "code", "empty: every location needs a code"),
        RowError(4, "name_en", "empty: every location needs an English name"),
    ]
    assert _state(mission) == stored


def test_import_malformed_region_without_parent(tmp_path, mission, stored):
    rows = [RENAME, ["R3", "region", "", "Region 3", "", "", "", "", ""]]
    path = make_table_file(tmp_path / "orphan.csv", LOCATION_COLUMNS, rows)

    report = _import(mission, path)

    assert report.errors == [
        RowError(3, "parent_code", "empty: a location of level “region” needs a parent of level “country”")
    ]
    assert _state(mission) == stored


def test_import_malformed_old_excel_format(tmp_path, mission, stored):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)

    report = _import(mission, path)

    assert report.errors == [
        RowError(
            None, "", "old.xls is in the old Excel format (.xls); save it as .xlsx or CSV UTF-8."
        )
    ]
    assert _state(mission) == stored


def test_import_malformed_utf16_text(tmp_path, mission, stored):
    path = tmp_path / "unicode.csv"
    path.write_bytes("code\tlevel\tparent_code\tname_en\n".encode("utf-16"))

    report = _import(mission, path)

    assert report.errors == [
        RowError(
            None,
            "",
            'unicode.csv is UTF-16 text (Excel\'s "Unicode Text"), not UTF-8; re-save it as '
            '"CSV UTF-8" (in Excel: Save As → CSV UTF-8).',
        )
    ]
    assert _state(mission) == stored
