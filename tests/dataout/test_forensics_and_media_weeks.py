"""The forensics page's tables (stations used and left out, integer percentages, observer
effect) and the media page's week-by-week table download as CSV and XLSX with the page's rows
and numbers: the HTML table and both files are read back and compared."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from eom.dataout.models import Export
from tests.access.scene import build
from tests.dataout.tables import file_rows, numbers, page_rows
from tests.media.factories import DAY, code, make_media_scene
from tests.results.test_forensics_observer_effect import planted


@pytest.fixture
def observed_results(mission, tree):
    """240 stations with official results, every fifth observed on election day."""
    return planted(mission, tree)


def _download(client, url, query, suffix, folder):
    response = client.get(url, {**query, "format": suffix})
    assert response.status_code == 200, response.content[:200]
    assert response["Content-Disposition"].endswith(f'.{suffix}"')
    return file_rows(response, suffix, folder)


@pytest.mark.parametrize("table", ["stations", "integer_percent", "observer_effect"])
def test_a_forensics_table_downloads_with_the_pages_rows_and_numbers(
        client, analyst, observed_results, tmp_path, table):
    contest = observed_results[0]
    client.force_login(analyst)
    url, query = reverse("results:forensics"), {"contest": contest.pk}
    html = client.get(url, query).content.decode()
    assert f"table={table}" in html  # the page links its download
    shown = page_rows(html, table)
    assert len(shown) >= 2
    for suffix in ("csv", "xlsx"):
        _header, rows = _download(client, url, {**query, "table": table}, suffix, tmp_path)
        assert len(rows) == len(shown)
        for on_page, in_file in zip(shown, rows, strict=True):
            assert on_page[0] == in_file[0], (on_page, in_file)
            if table == "integer_percent" and on_page[0].startswith("stations with"):
                # one page cell across both nulls: the same count in both columns of the file
                assert in_file[1] == in_file[3]
                in_file = in_file[:3]
            assert numbers(on_page) == numbers(in_file), (on_page, in_file)


def test_the_forensics_stations_file_holds_every_protocol_and_what_is_left_out(
        client, analyst, observed_results, tmp_path):
    contest, protocols = observed_results[:2]
    client.force_login(analyst)
    header, rows = _download(client, reverse("results:forensics"),
                             {"contest": contest.pk, "table": "stations"}, "csv", tmp_path)
    assert header == ["stations", "how many", "left out of"]
    assert rows[0][:2] == ["official protocols", str(len(protocols))]
    assert not "".join(rows[0][2:])  # left out of nothing: "—" on the page, empty here
    assert rows[-1][2] == "second digits"
    export = Export.objects.get()
    assert export.table == "forensics/stations" and export.n_rows == len(rows)


def test_the_observer_effect_file_splits_the_interval_and_the_counts(
        client, analyst, observed_results, tmp_path):
    contest = observed_results[0]
    client.force_login(analyst)
    header, rows = _download(client, reverse("results:forensics"),
                             {"contest": contest.pk, "table": "observer_effect"}, "xlsx",
                             tmp_path)
    assert header[4:] == ["lower bound", "upper bound", "verdict", "stations observed",
                          "stations unobserved", "strata used", "strata left out"]
    leader = rows[1]
    assert float(leader[4]) <= float(leader[3]) <= float(leader[5])  # low ≤ difference ≤ high
    assert float(leader[3]) < 0  # the planted 10 points less where observers were
    assert int(leader[7]) + int(leader[8]) <= 240 and int(leader[7]) >= 40


def test_a_coordinator_cannot_download_the_forensics_tables(client, coordinator,
                                                           observed_results):
    client.force_login(coordinator)
    response = client.get(reverse("results:forensics"), {"format": "csv", "table": "stations"})
    assert response.status_code == 403
    assert not Export.objects.exists()


@pytest.fixture
def media_scene(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build(canaries=False)


@pytest.fixture
def weeks(mission, core_member):
    """Television time over two weeks (AUYL alone in the second) and newspaper space in a
    third week only: the two measures' weeks differ."""
    media = make_media_scene(mission, core_member)
    code(media, media.khabar, party="AMANAT", seconds=100, date=DAY)
    code(media, media.khabar, party="AUYL", seconds=200, date=DAY + dt.timedelta(days=2))
    code(media, media.khabar, party="AUYL", seconds=40, date=DAY + dt.timedelta(days=7))
    code(media, media.paper, party="AMANAT", cm2=30, date=DAY + dt.timedelta(days=14))
    code(media, media.paper, party="AUYL", cm2=90, date=DAY + dt.timedelta(days=15))
    return media


def test_the_media_weeks_download_holds_the_pages_weekly_shares(client, analyst, weeks,
                                                                tmp_path):
    client.force_login(analyst)
    html = client.get(reverse("media:figures")).content.decode()
    assert "table=weeks" in html
    shown = page_rows(html, "weeks")
    assert len(shown) == 4  # two parties, in time and in space
    for suffix in ("csv", "xlsx"):
        header, rows = _download(client, reverse("dataout:media_figures"), {"table": "weeks"},
                                 suffix, tmp_path)
        assert header == ["measure", "subject", "2023-02-20", "2023-02-27", "2023-03-06"]
        assert len(rows) == len(shown)
        for on_page, in_file in zip(shown, rows, strict=True):
            assert on_page[0] == in_file[1], (on_page, in_file)
            assert numbers(on_page) == numbers(in_file[2:]), (on_page, in_file)
    _header, rows = _download(client, reverse("dataout:media_figures"), {"table": "weeks"},
                              "csv", tmp_path)
    by_subject = {(row[0], row[1]): [cell for cell in row[2:]] for row in rows}
    time = next(key for key in by_subject if key[1] == "AUYL" and by_subject[key][1])
    assert by_subject[time][:2] == ["66.7", "100.0"]  # 200 of 300 seconds, then 40 of 40
    space = next(key for key in by_subject if key[1] == "AUYL" and key != time)
    assert by_subject[space][2] == "75.0" and not "".join(by_subject[space][:2])


def test_the_media_figures_download_without_a_table_is_still_the_share_tables(
        client, media_scene, tmp_path):
    client.force_login(media_scene.users["core"])
    header, _rows = _download(client, reverse("dataout:media_figures"), {}, "csv", tmp_path)
    assert header[:3] == ["outlets", "measure", "subject"]
    response = client.get(reverse("dataout:media_figures"), {"format": "csv", "table": "days"})
    assert response.status_code == 400
    assert response.content.decode().startswith("table:")
