"""Re-importing the location tree never changes a stored location's level, and never moves a
location with evidence at or below it (protocols, reports, deployments, samples): the row and
the reason are named and nothing is written."""

from __future__ import annotations

import pytest

from eom.missions.importers import LOCATION_COLUMNS, RowError, import_locations
from eom.missions.models import AuditEntry, Location
from eom.results.models import Protocol
from tests.factories import (
    make_deployment,
    make_protocol,
    make_results_contest,
    make_table_file,
    make_team,
)


def _state(mission) -> tuple:
    return (
        sorted(Location.objects.filter(mission=mission).values_list("code", "level", "path")),
        Location.objects.get(mission=mission, code="KZ").n_registered,
        AuditEntry.objects.count(),
    )


@pytest.fixture
def protocol(mission, tree):
    return make_protocol(make_results_contest(mission), tree["01001"])


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_polling_station_reimported_as_a_region_is_refused(
    tmp_path, mission, tree, protocol, suffix
):
    before = _state(mission)
    rows = [["01001", "region", "KZ", "Region 01001", "", "", "", "", ""]]
    path = make_table_file(tmp_path / f"level{suffix}", LOCATION_COLUMNS, rows)

    report = import_locations(mission, path, actor=None)

    assert report.errors == [
        RowError(
            2,
            "level",
            "“01001” is stored as a location of level “polling station”; an import cannot change "
            "it to “region”. Give the new location a new code.",
        ),
        RowError(
            2,
            "parent_code",
            "“01001” cannot move from “D1” to “KZ”: evidence is recorded at it or below it "
            "(1 protocol), and would move with it. Leave its parent as stored, or give the new "
            "location a new code.",
        ),
    ]
    assert _state(mission) == before
    assert before[1] == 606
    assert Protocol.objects.get(pk=protocol.pk).location.path == "KZ/R1/D1/01001/"


def test_a_level_change_is_refused_even_without_evidence(tmp_path, mission, tree):
    before = _state(mission)
    rows = [["02002", "district", "R2", "District 02002", "", "", "", "", ""]]
    path = make_table_file(tmp_path / "level.csv", LOCATION_COLUMNS, rows)

    report = import_locations(mission, path, actor=None)

    assert [(e.row, e.column) for e in report.errors] == [(2, "level")]
    assert _state(mission) == before


def test_moving_a_station_with_a_protocol_to_another_district_is_refused(
    tmp_path, mission, tree, protocol
):
    before = _state(mission)
    rows = [["01001", "polling_station", "D2", "PS 1", "", "", 101, "", ""]]
    path = make_table_file(tmp_path / "move.csv", LOCATION_COLUMNS, rows)

    report = import_locations(mission, path, actor=None, dry_run=True)

    assert report.errors == [
        RowError(
            2,
            "parent_code",
            "“01001” cannot move from “D1” to “D2”: evidence is recorded at it or below it "
            "(1 protocol), and would move with it. Leave its parent as stored, or give the new "
            "location a new code.",
        )
    ]
    assert _state(mission) == before


def test_moving_a_district_whose_stations_hold_evidence_is_refused(
    tmp_path, mission, tree, protocol, observer
):
    make_deployment(observer.person.teams.get(), [tree["01001"], tree["01002"]])
    lto = make_team(mission, "LTO-1", [], kind="lto", area=tree["R1"])
    make_deployment(lto, [tree["R1"]])
    before = _state(mission)
    rows = [["D1", "district", "R2", "District 1", "", "", "", "", ""]]
    path = make_table_file(tmp_path / "move.csv", LOCATION_COLUMNS, rows)

    report = import_locations(mission, path, actor=None)

    assert report.errors == [
        RowError(
            2,
            "parent_code",
            "“D1” cannot move from “R1” to “R2”: evidence is recorded at it or below it "
            "(1 protocol, 2 deployments), and would move with it. Leave its parent as stored, "
            "or give the new location a new code.",
        )
    ]
    assert _state(mission) == before


def test_moving_a_station_without_evidence_is_still_allowed(tmp_path, mission, tree, protocol):
    rows = [["02002", "polling_station", "D1", "PS 2-2", "", "", 202, "", ""]]
    path = make_table_file(tmp_path / "move.csv", LOCATION_COLUMNS, rows)

    report = import_locations(mission, path, actor=None)

    assert report.errors == []
    assert report.n_updated == 1
    moved = Location.objects.get(mission=mission, code="02002")
    assert (moved.parent.code, moved.path) == ("D1", "KZ/R1/D1/02002/")
    assert Location.objects.get(mission=mission, code="R1").n_registered == 101 + 102 + 202
