"""A workbook or CSV file over the limits (a zip bomb, one huge cell, too many files inside, too
many rows or columns, too large a file) is refused before it is read, with the reason, and
nothing is written. The limits are settings (EOM_IMPORT_LIMITS)."""

from __future__ import annotations

import dataclasses
import os
import random
import string
import subprocess
import sys
import zipfile

import pytest

from eom.filelimits import MB, FileLimits, check_zip
from eom.missions.importers import LOCATION_COLUMNS, RowError, import_locations, import_people
from eom.missions.models import AuditEntry, Location
from tests.factories import make_table_file, make_workbook, sheet_with_cell


def _state(mission) -> tuple[int, int]:
    return Location.objects.filter(mission=mission).count(), AuditEntry.objects.count()


@pytest.fixture
def stored(mission, tree):
    return _state(mission)


def test_an_xlsx_zip_bomb_is_refused_from_its_directory(tmp_path, mission, stored):
    path = make_workbook(tmp_path / "bomb.xlsx", sheet_with_cell(b"A" * (20 * MB)))

    report = import_locations(mission, path, actor=None)

    ratio = check_zip(path).size
    assert ratio > 1000
    assert report.errors == [RowError(None, "", (
        f"bomb.xlsx is refused: xl/worksheets/sheet1.xml unpacks to {ratio} times its packed "
        "size; the limit is 100 (a zip bomb?)."))]
    assert _state(mission) == stored


def test_one_huge_cell_is_refused_before_it_is_parsed(tmp_path, mission, stored):
    rng = random.Random(11)
    text = "".join(rng.choices(string.ascii_letters, k=2 * MB)).encode()
    path = make_workbook(tmp_path / "cell.xlsx", sheet_with_cell(text))

    report = import_locations(mission, path, actor=None)

    assert report.errors == [RowError(None, "", (
        "cell.xlsx is refused: xl/worksheets/sheet1.xml holds more than 1048576 bytes of text "
        "in one cell; a spreadsheet cell holds at most 32,767 characters."))]
    assert _state(mission) == stored


def test_a_workbook_unpacking_over_the_limit_is_refused(tmp_path, mission, stored, settings):
    settings.EOM_IMPORT_LIMITS = dataclasses.replace(FileLimits(), max_unpacked_bytes=MB)
    text = "".join(random.Random(5).choices(string.ascii_letters, k=MB + 1)).encode()
    path = make_workbook(tmp_path / "big.xlsx", sheet_with_cell(text))

    report = import_locations(mission, path, actor=None)

    assert report.errors == [
        RowError(None, "", "big.xlsx is refused: it unpacks to 1.1 MB; the limit is 1.0 MB.")
    ]
    assert _state(mission) == stored


def test_a_workbook_of_thousands_of_files_is_refused(tmp_path, mission, stored):
    path = make_workbook(tmp_path / "many.xlsx", sheet_with_cell(b"x"), extra_members=1000)

    report = import_locations(mission, path, actor=None)

    assert report.errors == [RowError(None, "", (
        "many.xlsx is refused: it holds 1009 files; the limit is 1000."))]
    assert _state(mission) == stored


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_file_over_the_row_limit_is_refused_naming_the_row(
    tmp_path, mission, stored, settings, suffix
):
    settings.EOM_IMPORT_LIMITS = dataclasses.replace(FileLimits(), max_rows=100)
    rows = [[f"S{n}", "polling_station", "D1", f"Station {n}"] for n in range(150)]
    path = make_table_file(tmp_path / f"rows{suffix}", LOCATION_COLUMNS[:4], rows)

    report = import_locations(mission, path, actor=None)

    assert report.errors == [
        RowError(101, "", f"rows{suffix} has more than 100 rows; split it into smaller files.")
    ]
    assert _state(mission) == stored


def test_a_row_over_the_column_limit_is_refused(tmp_path, mission, stored):
    header = ["code", "full_name", "role"]
    path = make_table_file(tmp_path / "wide.csv", header, [["P1", "Anna", "sto", *"x" * 300]])

    report = import_people(mission, path, actor=None)

    assert report.errors == [RowError(2, "", "wide.csv, row 2 has 303 columns; the limit is 200.")]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_file_over_the_size_limit_is_refused_unread(tmp_path, mission, stored, settings, suffix):
    settings.EOM_IMPORT_LIMITS = dataclasses.replace(FileLimits(), max_file_bytes=MB)
    path = tmp_path / f"large{suffix}"
    path.write_bytes(b"\x00" * (MB + 1))  # not even a valid file: the size is checked first

    report = import_locations(mission, path, actor=None)

    assert report.errors == [RowError(None, "", f"large{suffix} is 1.1 MB; the limit is 1.0 MB.")]
    assert _state(mission) == stored


def test_a_file_within_the_limits_is_still_imported(tmp_path, mission, stored, settings):
    settings.EOM_IMPORT_LIMITS = dataclasses.replace(FileLimits(), max_rows=3)
    rows = [["S1", "polling_station", "D1", "Station 1"], ["S2", "polling_station", "D1", "S 2"]]
    path = make_table_file(tmp_path / "ok.xlsx", LOCATION_COLUMNS[:4], rows)

    report = import_locations(mission, path, actor=None)

    assert (report.errors, report.n_created) == ([], 2)


def test_an_oversized_part_other_than_a_sheet_is_refused(tmp_path, mission, stored, settings):
    settings.EOM_IMPORT_LIMITS = dataclasses.replace(FileLimits(), max_part_bytes=MB)
    path = make_workbook(tmp_path / "styles.xlsx", sheet_with_cell(b"x"))
    text = "".join(random.Random(7).choices(string.ascii_letters, k=MB)).encode()
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"<sst><si><t>" + text + b"</t></si></sst>")

    report = import_locations(mission, path, actor=None)

    assert report.errors == [RowError(None, "", (
        "styles.xlsx is refused: xl/sharedStrings.xml unpacks to 1.1 MB; a workbook's part "
        "other than a sheet holds at most 1.0 MB."))]
    assert _state(mission) == stored


def test_a_damaged_sheet_is_refused_not_answered_with_a_traceback(tmp_path, mission, stored):
    path = make_workbook(tmp_path / "cut.xlsx", sheet_with_cell(b"x")[:-40])

    report = import_locations(mission, path, actor=None)

    assert [e.reason.split(":")[0] for e in report.errors] == [
        "cut.xlsx is not a readable Excel workbook (XLSX)"
    ]
    assert _state(mission) == stored


def _settings_in(tmp_path, **environ) -> subprocess.CompletedProcess:
    code = ("import eom.settings as s; l = s.EOM_IMPORT_LIMITS; "
            "print(l.max_file_bytes, l.max_rows, s.EOM_FORM_LIMITS.max_unpacked_bytes)")
    env = {**os.environ, "EOM_DATA_DIR": str(tmp_path), **environ}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)


def test_the_limits_are_read_from_the_environment(tmp_path):
    done = _settings_in(tmp_path, EOM_IMPORT_MAX_FILE_MB="2", EOM_IMPORT_MAX_ROWS="7",
                        EOM_FORM_MAX_UNPACKED_MB="3")

    assert done.stdout.split() == [str(2 * MB), "7", str(3 * MB)]


def test_a_limit_below_one_stops_the_server_naming_the_variable(tmp_path):
    done = _settings_in(tmp_path, EOM_IMPORT_MAX_ROWS="0")

    assert done.returncode != 0
    assert "EOM_IMPORT_MAX_ROWS=0: expected a whole number of 1 or more" in done.stderr
