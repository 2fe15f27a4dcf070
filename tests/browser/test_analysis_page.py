"""The process analysis page in real Chromium on a phone-sized screen, as the core team: the SVG
charts drawn to the figures, the breakdown level changed, a count's link opening exactly that
many submissions, no horizontal scroll of the page, nothing fetched from elsewhere."""

import pytest

from tests.browser.conftest import log_in
from tests.reporting.test_process_analysis import reports  # noqa: F401  (fixture)


@pytest.fixture
def ready(transactional_db, reports, core_member):  # noqa: F811
    """Four voting reports: three at 01001 (R1, D1), one at 02001 (R2, D2); assessment good,
    good, bad, very bad."""
    return core_member


def rows(page) -> int:
    return page.locator("#submission-results tbody tr:not(:has(td.empty))").count()


def test_analysis_page_draws_charts_changes_level_and_links_counts_at_phone_width(
        page, live_server, ready, tmp_path):
    log_in(page, live_server, ready.username)
    page.goto(f"{live_server.url}/analysis/?form=voting")
    assert page.locator("h1").inner_text() == "Process analysis"
    charts = page.locator("section.analysis-question svg.chart")
    assert charts.count() == 3  # secrecy, problems, assessment
    assert page.locator("section.analysis-question rect.chart-bar").count() == 2 + 3 + 4
    for k in range(3):
        box = charts.nth(k).bounding_box()
        assert 300 <= box["width"] <= 390 and box["height"] > 40
    assessment = page.locator("section#q-assessment")
    track = assessment.locator("rect.chart-track").nth(1).bounding_box()
    good = assessment.locator("rect.chart-bar").nth(1).bounding_box()  # 2 of 4: half the track
    assert good["width"] == pytest.approx(track["width"] / 2, abs=1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(tmp_path / "analysis.png"), full_page=True)

    breakdown = page.locator("h2#breakdown ~ .table-scroll table tbody tr")
    assert [breakdown.nth(k).locator("td").nth(1).inner_text() for k in range(2)] == ["3", "1"]
    page.select_option("select[name=level]", "district")
    page.locator("form.filters").first.locator("button[type=submit]").click()
    page.wait_for_url("**level=district**")
    assert breakdown.count() == 2
    assert [breakdown.nth(k).locator("td:first-child small").inner_text() for k in range(2)] == ["D1", "D2"]
    assert breakdown.nth(0).locator("td").nth(1).inner_text() == "3"
    assert page.locator("section.analysis-question svg.chart").count() == 3

    breakdown.nth(0).locator("td").nth(1).locator("a").click()  # D1's 3 reports
    page.wait_for_url("**/submissions/**")
    assert rows(page) == 3
    assert page.locator("#submission-results p.count").inner_text() == "3 submissions"
    page.go_back()
    page.locator("section#q-assessment table a").nth(4).click()  # "bad": 1 of 4
    page.wait_for_url("**answer=bad**")
    assert rows(page) == 1
    assert page.foreign_requests == []
