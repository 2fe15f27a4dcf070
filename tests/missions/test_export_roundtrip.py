"""Exports: locations and people in the import format (a round trip changes nothing), meetings
with their participants, interlocutors and follow-ups."""

from __future__ import annotations

import datetime as dt

import pytest

from eom.missions import services
from eom.missions.exporters import (
    MEETING_COLUMNS,
    export_locations,
    export_meetings,
    export_people,
)
from eom.missions.importers import LOCATION_COLUMNS, PEOPLE_COLUMNS, import_locations, import_people
from eom.missions.models import Access, Location
from eom.missions.tabular import read_table
from tests.factories import make_meeting, make_person, make_team


@pytest.fixture
def roster(mission, tree):
    Location.objects.filter(pk=tree["01001"].pk).update(
        code="000123", path="KZ/R1/D1/000123/", address="School 5, Astana", name_ru="УИК 123"
    )
    lto = make_person(
        mission,
        code="LTO01",
        role="lto",
        access=Access.COORDINATOR,
        area=tree["R1"],
        email="anna@example.org",
        nationality="AT",
        languages="en, ru",
        phone="+7 701 555 0110",
    )
    interpreter = make_person(mission, code="INT01", role="interpreter", area=tree["R1"])
    make_team(mission, "LTO-01", [lto, interpreter], kind="lto", area=tree["R1"])
    make_person(mission, code="CT01", role="head_of_mission", access=Access.CORE_TEAM)
    return mission


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_roundtrip_locations_changes_nothing(tmp_path, roster, suffix):
    path = tmp_path / f"locations{suffix}"

    n_rows = export_locations(roster, path)
    report = import_locations(roster, path, actor=None)

    assert n_rows == 9
    assert (report.n_created, report.n_updated, report.n_unchanged) == (0, 0, 9)
    table = read_table(path)
    assert table.header == LOCATION_COLUMNS
    assert table.rows[0].cells == ("KZ", "country", "", "country KZ")
    station = next(row for row in table.rows if row.cells[0] == "000123")
    assert station.cells == (
        "000123",
        "polling_station",
        "D1",
        "polling_station 01001",
        "УИК 123",
        "",
        "101",
        "",
        "School 5, Astana",
    )


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_roundtrip_people_changes_nothing(tmp_path, roster, suffix):
    path = tmp_path / f"people{suffix}"

    n_rows = export_people(roster, path)
    report = import_people(roster, path, actor=None)

    assert n_rows == 3
    assert (report.n_created, report.n_updated, report.n_unchanged) == (0, 0, 3)
    assert (report.n_teams_created, report.n_teams_updated) == (0, 0)
    table = read_table(path)
    assert table.header == PEOPLE_COLUMNS
    assert table.rows[1].cells == (
        "LTO01",
        table.rows[1].cells[1],
        "lto",
        "coordinator",
        "anna@example.org",
        "+7 701 555 0110",
        "AT",
        "en, ru",
        "R1",
        "LTO-01",
        "lto",
        "yes",
    )


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_roundtrip_into_a_new_mission_recreates_it(tmp_path, roster, suffix):
    from tests.factories import make_mission

    other = make_mission("copy")
    export_locations(roster, tmp_path / f"l{suffix}")
    export_people(roster, tmp_path / f"p{suffix}")

    locations = import_locations(other, tmp_path / f"l{suffix}", actor=None)
    people = import_people(other, tmp_path / f"p{suffix}", actor=None)

    assert (locations.n_created, people.n_created, people.n_teams_created) == (9, 3, 1)
    assert Location.objects.get(mission=other, code="KZ").n_registered == 606


def _meetings(mission, tree, core):
    lto = make_person(mission, code="LTO01", role="lto", full_name="Anna Novak")
    make_meeting(
        mission,
        actor=core,
        date=dt.date(2023, 2, 8),
        time=dt.time(11, 0),
        region=tree["R1"],
        participants=[lto, core.person],
        interlocutors=[services.InterlocutorData("Roman Vassilenko", "Deputy Minister", "MFA")],
        topics=["observers", "legislation"],
        key_points="Ready to help.\nNo visas needed.",
        follow_ups=[services.FollowUpData("Send the list", owner=lto, due=dt.date(2023, 2, 10))],
    )
    make_meeting(mission, actor=core, date=dt.date(2023, 2, 9), place="Embassy", confidential=True)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_meetings_leaves_out_confidential(tmp_path, mission, tree, core_member, suffix):
    _meetings(mission, tree, core_member)
    path = tmp_path / f"meetings{suffix}"

    n_rows = export_meetings(mission, path)

    assert n_rows == 1
    table = read_table(path)
    assert table.header == MEETING_COLUMNS
    assert table.rows[0].cells == (
        "2023-02-08",
        "11:00",
        "Ministry of Foreign Affairs, Astana",
        "region R1",
        f"Anna Novak; {core_member.person.full_name}",
        "Roman Vassilenko — Deputy Minister — MFA",
        "legislation; observers",
        "Ready to help.\nNo visas needed.",
        "Send the list — Anna Novak — 2023-02-10 — open",
        "no",
    )


def test_export_meetings_includes_confidential_on_request(tmp_path, mission, tree, core_member):
    _meetings(mission, tree, core_member)
    path = tmp_path / "meetings.csv"

    n_rows = export_meetings(mission, path, include_confidential=True)

    assert n_rows == 2
    last = read_table(path).rows[-1].cells
    assert (last[0], last[2], last[-1]) == ("2023-02-09", "Embassy", "yes")
