"""Official results over the limits are refused before they are read — a zipped CSV that
inflates a thousand times, a workbook bomb through the import page — and counts no station could
hold are refused by row and column: nothing is written, no page answers 500."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from eom.filelimits import MB
from eom.missions.models import AuditEntry
from eom.results.importers import import_official_results
from eom.results.models import ImportBatch, Protocol
from tests.factories import make_results_contest, make_table_file, make_workbook, sheet_with_cell

HEADER = ["location_code", "n_registered", "n_valid", "AMANAT", "AUYL"]


@pytest.fixture
def contest(mission, tree):
    return make_results_contest(mission)


def _written() -> tuple[int, int, int]:
    return Protocol.objects.count(), ImportBatch.objects.count(), AuditEntry.objects.count()


def test_a_zipped_csv_bomb_is_refused_from_its_directory(contest, tmp_path):
    path = tmp_path / "cec.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("cec.csv", b"location_code,n_registered,AMANAT\n" + b"0" * (20 * MB))

    report = import_official_results(contest, path, actor=None)

    assert len(report.errors) == 1
    error = report.errors[0]
    assert error.reason.startswith("cec.zip is refused: cec.csv unpacks to ")
    assert error.reason.endswith(" times its packed size; the limit is 100 (a zip bomb?).")
    assert _written() == (0, 0, 0)


def test_a_zipped_csv_within_the_limits_is_imported(contest, tmp_path):
    text = "location_code,n_registered,n_valid,AMANAT,AUYL\n01001,101,80,50,30\n"
    path = tmp_path / "cec.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("cec.csv", text.encode())

    report = import_official_results(contest, path, actor=None)

    assert (report.errors, report.n_created) == ([], 1)


def test_a_workbook_bomb_through_the_import_page_is_refused(client, administrator, contest):
    bomb = io.BytesIO()
    make_workbook(bomb, sheet_with_cell(b"A" * (20 * MB)))
    bomb.seek(0)
    bomb.name = "cec.xlsx"
    client.force_login(administrator)

    page = client.post(reverse("results:import"), {
        "contest": contest.pk, "file": bomb, "preset": "demo", "dry_run": "on"})

    assert page.status_code == 200
    text = page.content.decode()
    assert "cec.xlsx is refused: xl/worksheets/sheet1.xml unpacks to" in text
    assert "(a zip bomb?)" in text
    assert _written() == (0, 0, 0)


def test_counts_no_station_could_hold_are_refused_naming_row_and_column(contest, tmp_path):
    rows = [["01001", 101, 80, 50, 30], ["01002", 102, 80, "99999999999999999999999", 3]]
    path = make_table_file(tmp_path / "official.csv", HEADER, rows)

    report = import_official_results(contest, path, actor=None)

    assert [(e.row, e.column, e.reason) for e in report.errors] == [
        (3, "AMANAT", "“99999999999999999999…” is more than 2,147,483,647: no polling station "
                      "counts that many"),
    ]
    assert _written() == (0, 0, 0)
