"""Every table of a figure page downloads as CSV and XLSX with the page's filters, holding the
same rows and numbers as the page: the HTML table and both files are read back and compared."""

from __future__ import annotations

import pytest
from django.urls import reverse

from eom.dataout.models import Export
from eom.missions.models import AuditEntry
from tests.access.scene import build
from tests.dataout.tables import file_rows, numbers, page_rows
from tests.factories import make_protocol

# (page, query, table, the download's columns the page shows, rows expected at least)
PAGES = [
    ("reporting:analysis", {"form": "voting"}, "questions", slice(1, None), 6),
    ("reporting:analysis", {"form": "voting", "question": "assessment"}, "areas",
     slice(0, None), 2),
    ("reporting:analysis", {"form": "voting", "region": "R1"}, "questions", slice(1, None), 6),
    ("observation:coverage", {}, "coverage", [0, *range(2, 40)], 3),
    ("results:protocols", {}, "protocols", slice(0, None), 2),
    ("results:protocols", {"region": "R1"}, "protocols", slice(0, None), 1),
    ("results:discrepancies", {}, "discrepancies", slice(0, None), 2),
    ("results:aggregation", {}, "aggregation", [0, *range(2, 20)], 2),
    ("results:seats", {}, "seats", [0, 2, 3, 4, 5], 2),
    ("results:seats", {}, "allocation", slice(0, None), 2),
    ("reporting:quick_count", {}, "strata", slice(0, None), 1),
]


def _shown(row: list[str], columns) -> list[str]:
    if isinstance(columns, slice):
        return row[columns]
    return [row[i] for i in columns if i < len(row)]


@pytest.fixture
def scene(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    built = build(canaries=False)
    # an observers' copy of 01001 that differs from the official protocol on two lines
    make_protocol(built["contest"], built.tree["01001"], "observer",
                  votes={"AMANAT": 55, "AUYL": 20})
    return built


@pytest.mark.parametrize(("page", "query", "table", "columns", "at_least"), PAGES)
def test_a_download_holds_the_rows_and_numbers_of_its_page(scene, client, tmp_path, page,
                                                           query, table, columns, at_least):
    client.force_login(scene.users["core"])
    url = reverse(page)
    html = client.get(url, query).content.decode()
    shown = page_rows(html, table)
    assert len(shown) >= at_least
    assert f"table={table}" in html  # the page links its download
    for suffix in ("csv", "xlsx"):
        response = client.get(url, {**query, "format": suffix, "table": table})
        assert response.status_code == 200
        assert response["Content-Disposition"].endswith(f'.{suffix}"')
        header, rows = file_rows(response, suffix, tmp_path)
        assert len(rows) >= len(shown)
        if page != "results:protocols":  # the page lists 50 a page, the file all of them
            assert len(rows) == len(shown)
        for on_page, in_file in zip(shown, rows, strict=False):
            assert numbers(on_page) == numbers(_shown(in_file, columns)), (on_page, in_file)
            first = _shown(in_file, columns)[0]
            assert on_page[0].startswith(first), (on_page, in_file)


def test_the_breakdown_names_each_choice_twice_count_and_share(scene, client, tmp_path):
    client.force_login(scene.users["core"])
    response = client.get(reverse("reporting:analysis"), {
        "form": "voting", "question": "assessment", "format": "csv", "table": "areas"})
    header, rows = file_rows(response, "csv", tmp_path)
    assert header[:3] == ["Area", "Code", "Reports"]
    assert header[3:5] == ["very_good", "very_good (%)"]  # the scene's choices have no labels
    region_1 = next(row for row in rows if row[1] == "R1")
    assert region_1[2] == "2"  # the observer's two reports in R1


def test_a_coordinator_downloads_only_its_region(scene, client, tmp_path):
    client.force_login(scene.users["coordinator"])
    response = client.get(reverse("results:protocols"), {"format": "csv"})
    _header, rows = file_rows(response, "csv", tmp_path)
    assert [row[0] for row in rows] == ["01001"]


def test_every_download_is_recorded_and_audited(scene, client):
    client.force_login(scene.users["analyst"])
    response = client.get(reverse("reporting:analysis"), {
        "form": "voting", "flag": "none", "format": "xlsx", "table": "questions"})
    b"".join(response.streaming_content)  # read to its end, which closes the file
    export = Export.objects.get()
    assert (export.table, export.format, export.filters) == (
        "analysis/questions", "xlsx", {"form": "voting", "flag": "none"})
    assert export.actor == scene.users["analyst"] and export.n_rows > 0
    entry = AuditEntry.objects.filter(model="dataout.export").get()
    assert entry.object_id == str(export.pk) and entry.actor == scene.users["analyst"]


@pytest.mark.parametrize(("query", "field"), [({"format": "pdf"}, "format"),
                                              ({"format": "csv", "table": "nothing"}, "table")])
def test_a_bad_download_request_is_refused_naming_the_field(scene, client, query, field):
    client.force_login(scene.users["core"])
    response = client.get(reverse("results:protocols"), query)
    assert response.status_code == 400
    assert response.content.decode().startswith(f"{field}:")
    assert not Export.objects.exists()


def test_the_complaints_figures_download_holds_the_pages_counts(scene, client, tmp_path):
    client.force_login(scene.users["analyst"])
    html = client.get(reverse("complaints:figures")).content.decode()
    assert reverse("dataout:complaints_figures") in html
    shown = page_rows(html, None)
    for suffix in ("csv", "xlsx"):
        response = client.get(reverse("dataout:complaints_figures"), {"format": suffix})
        _header, rows = file_rows(response, suffix, tmp_path)
        assert [row[1:] for row in rows] == shown
        assert len(rows) >= 3


def test_a_coordinator_downloads_the_complaints_figures_of_its_region(scene, client, tmp_path):
    client.force_login(scene.users["coordinator"])
    html = client.get(reverse("complaints:figures")).content.decode()
    response = client.get(reverse("dataout:complaints_figures"), {"format": "csv"})
    _header, rows = file_rows(response, "csv", tmp_path)
    assert [row[1:] for row in rows] == page_rows(html, None)


def test_the_media_figures_download_holds_the_pages_shares(scene, client, tmp_path):
    client.force_login(scene.users["core"])
    html = client.get(reverse("media:figures")).content.decode()
    assert reverse("dataout:media_figures") in html
    shown = [row for row in page_rows(html, None) if len(row) == 6]
    for suffix in ("csv", "xlsx"):
        response = client.get(reverse("dataout:media_figures"), {"format": suffix})
        _header, rows = file_rows(response, suffix, tmp_path)
        assert len(rows) == len(shown) >= 2
        for on_page, in_file in zip(shown, rows, strict=True):
            assert numbers(on_page) == numbers(in_file[3:]), (on_page, in_file)
            assert on_page[0] == in_file[2]
