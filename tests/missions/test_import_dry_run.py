"""A dry run reports exactly what the import would do and writes nothing."""

from __future__ import annotations

import pytest

from eom.missions.importers import (
    LOCATION_COLUMNS,
    PEOPLE_COLUMNS,
    RowError,
    import_locations,
    import_people,
)
from eom.missions.models import AuditEntry, Location, Person, Role, Team
from tests.factories import make_mission, make_table_file

LOCATION_ROWS = [
    ["01001", "polling_station", "D1", "Renamed", "", "", 150, "", ""],
    ["01003", "polling_station", "D1", "PS 3", "", "", 300, "", ""],
    ["02001", "polling_station", "D2", "polling_station 02001", "", "", 201, "", ""],
]


def _figures(report) -> tuple:
    return (report.n_created, report.n_updated, report.n_unchanged, report.n_errors)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_import_dry_run_locations_reports_the_same_figures(tmp_path, mission, tree, suffix):
    path = make_table_file(tmp_path / f"stations{suffix}", LOCATION_COLUMNS, LOCATION_ROWS)
    audit_before = AuditEntry.objects.count()

    dry = import_locations(mission, path, actor=None, dry_run=True)

    assert _figures(dry) == (1, 1, 1, 0)
    assert Location.objects.filter(mission=mission).count() == 9
    assert Location.objects.get(pk=tree["01001"].pk).name_en == "polling_station 01001"
    assert Location.objects.get(pk=tree["KZ"].pk).n_registered == 606
    assert AuditEntry.objects.count() == audit_before
    real = import_locations(mission, path, actor=None)
    assert _figures(real) == _figures(dry)
    assert Location.objects.get(pk=tree["KZ"].pk).n_registered == 606 + 49 + 300


def test_import_dry_run_locations_reports_the_same_errors(tmp_path, mission, tree):
    rows = LOCATION_ROWS + [["01004", "polling_station", "X9", "PS 4", "", "", 4, "", ""]]
    path = make_table_file(tmp_path / "stations.csv", LOCATION_COLUMNS, rows)

    dry = import_locations(mission, path, actor=None, dry_run=True)
    real = import_locations(mission, path, actor=None)

    assert dry.errors == real.errors == [RowError(5, "parent_code", "unknown parent code “X9”")]
    assert Location.objects.filter(mission=mission).count() == 9


def test_import_dry_run_people_writes_nothing_not_even_roles(db, tmp_path):
    mission = make_mission()
    make_mission("other")
    rows = [["STO001", "Sofia Rossi", "sto", "observer", "", "", "", "", "", "STO-1", "sto", "yes"]]
    path = make_table_file(tmp_path / "people.xlsx", PEOPLE_COLUMNS, rows)
    assert Role.objects.count() == 0

    report = import_people(mission, path, actor=None, dry_run=True)

    assert _figures(report) == (1, 0, 0, 0)
    assert (report.n_teams_created, report.dry_run, report.written) == (1, True, False)
    assert (Role.objects.count(), Person.objects.count(), Team.objects.count()) == (0, 0, 0)
    assert AuditEntry.objects.count() == 0
    assert report.lines()[-1] == "Dry run: the file is valid; nothing was written."
