"""Importing official per-station results: the demo format, mappings, errors, duma2011."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from eom.missions.models import Access, AuditEntry, Location, LocationLevel, Party
from eom.results.importers import import_official_results
from eom.results.models import ImportBatch, Protocol
from tests.factories import make_mission, make_results_contest, make_table_file, make_user

HEADER = ["location_code", "n_registered", "n_received", "n_issued", "n_cancelled",
          "n_in_boxes", "n_invalid", "n_valid", "n_against_all", "AMANAT", "AUYL"]
GOOD = [
    ["01001", 101, 90, 80, 10, 80, 2, 78, 3, 50, 25],
    ["01002", 102, 90, 70, 20, 70, 1, 69, 2, 40, 27],
    ["02001", 201, 150, 120, 30, 120, 4, 116, 6, 80, 30],
    ["02002", 202, 150, 100, 50, 100, 0, 100, 0, 70, 40],
]


@pytest.fixture
def contest(mission, tree):
    return make_results_contest(mission)


def write(tmp_path, rows, header=HEADER, name="official.csv"):
    return make_table_file(tmp_path / name, header, rows)


def test_import_demo_format_creates_protocols_with_totals(contest, tmp_path):
    report = import_official_results(contest, write(tmp_path, GOOD), actor=None)
    assert report.ok, report.lines()
    assert (report.n_created, report.n_updated, report.n_unchanged) == (4, 0, 0)
    assert report.totals["n_registered"] == 606
    assert report.votes == {"AMANAT": 240, "AUYL": 122}
    stored = Protocol.objects.get(location__code="02001", source="official")
    assert (stored.n_in_boxes, stored.votes) == (120, {"AMANAT": 80, "AUYL": 30})
    assert stored.n_failed == 0
    batch = ImportBatch.objects.get()
    assert (batch.n_rows, batch.n_created, batch.file_name) == (4, 4, "official.csv")
    assert AuditEntry.objects.filter(model="results.importbatch").count() == 1


def test_import_xlsx_with_numbers_as_cells(contest, tmp_path):
    path = write(tmp_path, GOOD, name="official.xlsx")
    report = import_official_results(contest, path, actor=None)
    assert report.ok, report.lines()
    assert Protocol.objects.filter(source="official").count() == 4


def test_import_again_updates_only_what_changed_and_audits_it(contest, tmp_path):
    import_official_results(contest, write(tmp_path, GOOD), actor=None)
    changed = [row[:] for row in GOOD]
    changed[1][9] = 45  # AMANAT at 01002: 40 → 45, now the votes do not add up
    report = import_official_results(contest, write(tmp_path, changed), actor=None)
    assert (report.n_created, report.n_updated, report.n_unchanged) == (0, 1, 3)
    stored = Protocol.objects.get(location__code="01002", source="official")
    assert stored.votes["AMANAT"] == 45
    assert stored.failed == ["votes_sum"]
    entry = AuditEntry.objects.get(model="results.protocol", action="update")
    assert entry.changes == {"votes": [{"AMANAT": 40, "AUYL": 27}, {"AMANAT": 45, "AUYL": 27}]}


def test_import_dry_run_reports_and_writes_nothing(contest, tmp_path):
    report = import_official_results(contest, write(tmp_path, GOOD), actor=None, dry_run=True)
    assert report.ok and report.n_created == 4
    assert report.lines()[-1] == "Dry run: the file is valid; nothing was written."
    assert not Protocol.objects.exists()
    assert not ImportBatch.objects.exists()


def test_import_with_a_mapping_of_their_headers(contest, tmp_path):
    header = ["Station", "Voters", "Received", "Issued early", "Issued on the day", "Cancelled",
              "In boxes", "Invalid", "Valid", "Against all", "Votes AMANAT", "Votes AUYL"]
    rows = [[r[0], r[1], r[2], 5, r[3] - 5, *r[4:]] for r in GOOD]
    mapping = {"location_code": "station", "n_registered": "voters", "n_received": "received",
               "n_issued": "issued early + issued on the day", "n_cancelled": "cancelled",
               "n_in_boxes": "in boxes", "n_invalid": "invalid", "n_valid": "Valid",
               "n_against_all": "against all", "AMANAT": "Votes AMANAT", "AUYL": "votes auyl"}
    report = import_official_results(contest, write(tmp_path, rows, header), actor=None,
                                     mapping=mapping)
    assert report.ok, report.lines()
    assert report.totals["n_issued"] == 370
    assert report.columns["n_issued"] == "Issued early + Issued on the day"


BAD_CASES = [
    ("not a number", 2, 3, "1 250", "row 2, column n_issued: “1 250” is not a whole number (0 or more)"),
    ("negative", 3, 6, "-4", "row 3, column n_invalid: “-4” is not a whole number (0 or more)"),
    ("unknown station", 4, 0, "09999", "row 4, column location_code: unknown polling station code “09999”"),
    ("a district", 2, 0, "D1", "row 2, column location_code: unknown polling station code “D1”"),
    ("duplicate", 3, 0, "01001", "row 3, column location_code: polling station “01001” is already on row 2"),
    ("empty party", 5, 10, "", "row 5, column AUYL: empty: give 0 when the party got no votes"),
    ("empty code", 2, 0, "", "row 2, column location_code: empty: every row needs a polling station code"),
]


@pytest.mark.parametrize("case, row, column, value, message", BAD_CASES,
                         ids=[c[0] for c in BAD_CASES])
def test_import_bad_cell_names_row_column_reason_and_changes_nothing(
        contest, tmp_path, case, row, column, value, message):
    import_official_results(contest, write(tmp_path, GOOD[:1]), actor=None)
    before = list(Protocol.objects.values_list("pk", "n_issued", "votes"))
    rows = [r[:] for r in GOOD]
    rows[row - 2][column] = value
    report = import_official_results(contest, write(tmp_path, rows), actor=None)
    assert not report.ok
    assert [str(e) for e in report.errors] == [message]
    assert list(Protocol.objects.values_list("pk", "n_issued", "votes")) == before
    assert ImportBatch.objects.count() == 1


def test_import_missing_station_column_lists_the_header(contest, tmp_path):
    report = import_official_results(contest, write(tmp_path, [r[1:] for r in GOOD], HEADER[1:]),
                                     actor=None)
    assert [str(e) for e in report.errors] == [
        "row 1, column location_code: required column is missing: give location_code, or "
        "region, district and station names; the header has: n_registered, n_received, "
        "n_issued, n_cancelled, n_in_boxes, n_invalid, n_valid, n_against_all, AMANAT, AUYL"
    ]


def test_import_mapping_to_an_absent_header_is_an_error(contest, tmp_path):
    report = import_official_results(contest, write(tmp_path, GOOD), actor=None,
                                     mapping={"n_registered": "Wähler", "votes": "x"})
    assert [str(e) for e in report.errors] == [
        "row 1, column n_registered: no column matches “Wähler”",
        "row 1, column votes: not a field of a protocol nor a party code of the election; "
        "fields: location_code, region, district, station, n_registered, n_received, n_issued, "
        "n_cancelled, n_in_boxes, n_invalid, n_valid, n_against_all",
    ]


def test_import_not_a_spreadsheet_is_one_error(contest, tmp_path):
    path = tmp_path / "official.csv"
    path.write_bytes("location_code;AMANAT\n01001;1\n".encode("cp1251") + b"\xe3\n")
    report = import_official_results(contest, path, actor=None)
    assert len(report.errors) == 1 and "is not UTF-8 text" in report.errors[0].reason


def test_import_by_a_coordinator_is_refused(contest, tree, mission, tmp_path):
    coordinator = make_user(mission, Access.COORDINATOR, area=tree["R1"])
    with pytest.raises(PermissionDenied):
        import_official_results(contest, write(tmp_path, GOOD), actor=coordinator)


def test_import_command_prints_the_report(contest, tmp_path, capsys):
    path = write(tmp_path, GOOD)
    call_command("results", "import", str(path), "--contest", str(contest.pk),
                 "--mission", contest.election.mission.code)
    out = capsys.readouterr().out
    assert "protocols created               4" in out
    assert "n_registered                606" in out


def test_import_command_with_errors_exits_with_the_count(contest, tmp_path, capsys):
    rows = [r[:] for r in GOOD]
    rows[0][1] = "many"
    with pytest.raises(CommandError, match=r"official.csv: 1 errors; nothing was written."):
        call_command("results", "import", str(write(tmp_path, rows)), "--contest",
                     contest.name, "--mission", contest.election.mission.code)
    assert "row 2, column n_registered: “many” is not a whole number" in capsys.readouterr().err
    assert not Protocol.objects.exists()


# --- duma2011 -------------------------------------------------------------------------------


def duma2011_zip() -> Path:
    shared = os.environ.get("EOM_SHARED_DATA")
    base = Path(shared) if shared else Path(__file__).resolve().parents[3] / "shared" / "data"
    path = base / "ru" / "duma2011.csv.zip"
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing (set EOM_SHARED_DATA)")
        pytest.skip(f"{path} is missing (set EOM_SHARED_DATA to the shared data folder)")
    return path


@pytest.mark.django_db(transaction=False)
def test_import_duma2011_zip_reproduces_the_registered_total(db):
    path = duma2011_zip()
    mission = make_mission("ru-duma-2011", name="Russia, State Duma 2011", country="RU")
    contest = make_results_contest(mission, rule="", parties=(), name="State Duma 2011")
    started = time.perf_counter()
    report = import_official_results(contest, path, actor=None, preset="duma2011",
                                     create_locations=True, create_parties=True)
    seconds = time.perf_counter() - started
    assert report.ok, report.lines()[:5]
    print(f"duma2011: {report.n_rows:,} rows imported in {seconds:.1f} s")
    assert report.n_rows == report.n_created == 95_225
    assert report.totals["n_registered"] == 109_229_337
    assert report.n_parties_created == 7
    assert Protocol.objects.filter(contest=contest).count() == 95_225
    country = Location.objects.get(mission=mission, level=LocationLevel.COUNTRY)
    assert (country.code, country.n_registered, country.n_stations) == ("RU", 109_229_337, 95_225)
    assert Location.objects.filter(mission=mission, level=LocationLevel.REGION).count() == 84
    united_russia = Party.objects.get(election=contest.election, code="P6")
    assert "ЕДИНАЯ РОССИЯ" in united_russia.name_ru
    # United Russia 49.31 % of the ballots counted (valid + invalid), as the CEC published.
    counted = report.totals["n_valid"] + report.totals["n_invalid"]
    assert round(100 * report.votes["P6"] / counted, 2) == 49.31
