"""A quote left open in a CSV file no longer swallows the rest of the file into one cell (which
once created a station named `unterminated,,,5,,`): the file is refused naming the row where
the quote opened, and nothing is written. A quoted cell with a line break of its own is still
read."""

from __future__ import annotations

import pytest

from eom.missions.importers import RowError, import_locations
from eom.missions.models import AuditEntry, Location
from eom.results.importers import import_official_results
from eom.results.models import Protocol
from tests.factories import make_results_contest

HEADER = "code,level,parent_code,name_en,name_ru,name_kk,registered_voters\n"


def _state(mission) -> tuple:
    return (
        sorted(Location.objects.filter(mission=mission).values_list("code", "name_en")),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def stored(mission, tree):
    return _state(mission)


def _csv(tmp_path, text: str, name: str = "stations.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_quote_left_open_is_refused_naming_its_row(tmp_path, mission, stored):
    path = _csv(tmp_path, HEADER + (
        "01003,polling_station,D1,PS 3,,,3\n"
        '"unterminated,,,5,,\n'
        "01004,polling_station,D1,PS 4,,,4\n"
        "01005,polling_station,D1,PS 5,,,5\n"
    ))

    report = import_locations(mission, path, actor=None)

    assert report.errors == [RowError(3, "", (
        'stations.csv, row 3: not valid CSV: a quote (") opened on line 3 is never closed: the '
        "rest of the file would be one cell."))]
    assert _state(mission) == stored


def test_a_quote_closed_by_accident_rows_later_is_refused(tmp_path, mission, stored):
    path = _csv(tmp_path, HEADER + (
        '01003,polling_station,D1,"PS 3,,,3\n'
        "01004,polling_station,D1,PS 4,,,4\n"
        '01005,polling_station,D1,PS 5",,,5\n'
    ))

    report = import_locations(mission, path, actor=None)

    assert report.errors == [RowError(2, "", (
        "stations.csv, row 2, column 4: the cell starting on line 2 runs over 3 lines and holds "
        'what look like whole rows; a quote (") left open? Nothing was read from those lines.'))]
    assert _state(mission) == stored


def test_a_quote_followed_by_more_text_is_refused(tmp_path, mission, stored):
    path = _csv(tmp_path, HEADER + '01003,polling_station,D1,"PS" 3,,,3\n')

    report = import_locations(mission, path, actor=None)

    assert report.errors == [RowError(2, "", (
        'stations.csv, row 2: not valid CSV: a quote (") ends a quoted cell but more text '
        'follows it; write a quote inside a cell as two quotes ("").'))]
    assert _state(mission) == stored


def test_a_quoted_cell_with_its_own_line_break_is_still_read(tmp_path, mission, stored):
    path = _csv(tmp_path, HEADER.replace("\n", ",address\n") + (
        '01003,polling_station,D1,PS 3,,,3,"ул. Абая 5,\nшкола № 12"\n'
        "01004,polling_station,D1,PS 4,,,4,\n"
    ))

    report = import_locations(mission, path, actor=None)

    assert (report.errors, report.n_created) == ([], 2)
    assert Location.objects.get(mission=mission, code="01003").address == "ул. Абая 5,\nшкола № 12"


def test_the_results_import_refuses_a_quote_left_open_too(tmp_path, mission, tree):
    contest = make_results_contest(mission)
    path = _csv(tmp_path, (
        "location_code,n_registered,n_valid,AMANAT,AUYL\n"
        "01001,101,80,50,30\n"
        '"01002,102,80,50,30\n'
        "02001,201,80,50,30\n"
    ), name="official.csv")

    report = import_official_results(contest, path, actor=None)

    assert [(e.row, e.reason) for e in report.errors] == [(3, (
        'official.csv, row 3: not valid CSV: a quote (") opened on line 3 is never closed: the '
        "rest of the file would be one cell."))]
    assert Protocol.objects.count() == 0
