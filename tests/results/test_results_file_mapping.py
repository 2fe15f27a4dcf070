"""One column mapping for results files: the importer and the statistics read the same columns.

The registered-voters header of the Russian CEC files says «внесенных в список» in 2011 and
«включенных в список» in 2016; both are registered voters, for the importer (preset duma2011)
and for `eom forensics` alike. A file with neither fails, naming the missing column.
"""

from __future__ import annotations

import io

import pytest

from eom.results.importers import import_official_results
from eom.results.models import Protocol
from eom.stats import StationFileError, read_station_results
from eom.stats.cli import forensics
from eom.stats.columns import map_columns, match
from tests.factories import make_mission, make_results_contest, make_table_file

REGISTERED = {
    2011: "Число избирателей, внесенных в список избирателей",
    2016: "Число избирателей, включенных в список избирателей",
    "neither": "Число избирателей на участке",
}


def header(year) -> list[str]:
    return [
        "region", "tik", "uik", REGISTERED[year],
        "Число избирательных бюллетеней, полученных участковой избирательной комиссией",
        "Число избирательных бюллетеней, выданных избирателям, проголосовавшим досрочно",
        "Число избирательных бюллетеней, выданных избирателям в помещении для голосования",
        "Число избирательных бюллетеней, выданных избирателям вне помещения для голосования",
        "Число погашенных избирательных бюллетеней",
        "Число избирательных бюллетеней в переносных ящиках для голосования",
        "Число избирательных бюллетеней в стационарных ящиках для голосования",
        "Число недействительных избирательных бюллетеней",
        "Число действительных избирательных бюллетеней",
        "1. Политическая партия СПРАВЕДЛИВАЯ РОССИЯ",
        '2. Всероссийская политическая партия "ЕДИНАЯ РОССИЯ"',
    ]


ROWS = [
    ["Регион А", "ТИК 1", "1", 1000, 700, 10, 560, 30, 100, 30, 570, 6, 594, 194, 400],
    ["Регион А", "ТИК 1", "2", 1500, 1000, 0, 840, 60, 100, 60, 840, 9, 891, 291, 600],
]


def write(tmp_path, year, name="station.csv"):
    return make_table_file(tmp_path / name, header(year), ROWS)


@pytest.mark.parametrize("year", [2011, 2016])
def test_both_years_registered_voters_headers_map_to_registered_voters(year):
    for preset in ("duma2011", "generic"):
        found = map_columns(header(year), preset)
        assert found.problems == []
        assert found.fields["n_registered"] == [3]


@pytest.mark.parametrize("year", [2011, 2016])
def test_both_years_are_read_alike_by_the_statistics(tmp_path, year):
    for preset in ("duma2011", "generic"):
        data = read_station_results(write(tmp_path, year), "ЕДИНАЯ РОССИЯ", preset=preset)
        assert data.n_registered.tolist() == [1000, 1500]
        assert data.n_ballots.tolist() == [600, 900]
        assert data.n_counted.tolist() == [600, 900]
        assert data.n_leader.tolist() == [400, 600]
        assert dict(data.columns)["n_registered"] == REGISTERED[year]


@pytest.mark.parametrize("year", [2011, 2016])
def test_both_years_are_imported_with_registered_voters(db, tmp_path, year):
    mission = make_mission(f"ru-{year}", country="RU")
    contest = make_results_contest(mission, rule="", parties=(), name=f"Duma {year}")
    report = import_official_results(contest, write(tmp_path, year), actor=None,
                                     preset="duma2011", create_locations=True,
                                     create_parties=True)
    assert report.ok, report.lines()
    assert report.columns["n_registered"] == REGISTERED[year]
    assert report.totals["n_registered"] == 2500
    assert report.totals["n_issued"] == 1500
    stored = sorted(Protocol.objects.filter(contest=contest).values_list("n_registered",
                                                                         flat=True))
    assert stored == [1000, 1500]


def test_a_file_with_neither_header_fails_the_statistics_naming_the_column(tmp_path):
    path = write(tmp_path, "neither")
    with pytest.raises(StationFileError) as raised:
        read_station_results(path, "ЕДИНАЯ РОССИЯ", preset="duma2011")
    assert "missing column for registered voters (n_registered)" in str(raised.value)
    assert "“внесенных в список | включенных в список”" in str(raised.value)


def test_a_file_with_neither_header_fails_the_command_line_with_exit_2(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    code = forensics(["summary", str(write(tmp_path, "neither")), "--leader", "ЕДИНАЯ"],
                     out, err)
    assert code == 2
    assert "missing column for registered voters (n_registered)" in err.getvalue()


def test_a_file_with_neither_header_is_not_imported_and_the_column_is_named(db, tmp_path):
    mission = make_mission("ru-neither", country="RU")
    contest = make_results_contest(mission, rule="", parties=(), name="Duma")
    report = import_official_results(contest, write(tmp_path, "neither"), actor=None,
                                     preset="duma2011", create_locations=True,
                                     create_parties=True)
    assert [str(e) for e in report.errors] == [
        "row 1, column n_registered: no column matches "
        "“внесенных в список | включенных в список”"
    ]
    assert not Protocol.objects.exists()


def test_a_user_mapping_names_the_registered_voters_column(tmp_path):
    path = write(tmp_path, "neither")
    data = read_station_results(path, "ЕДИНАЯ", preset="duma2011",
                                mapping={"n_registered": "избирателей на участке"})
    assert data.n_registered.tolist() == [1000, 1500]


def test_a_star_adds_up_every_column_containing_the_name():
    assert match(header(2011), "бюллетеней, выданных*") == [5, 6, 7]
    assert match(header(2011), "Число действительных") == [12]
