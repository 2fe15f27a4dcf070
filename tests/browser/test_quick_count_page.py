"""The quick-count page in real Chromium on a phone-sized screen: figures, the chart, no
horizontal scroll of the page, nothing fetched from elsewhere."""

import pytest

from tests.browser.conftest import log_in
from tests.reporting.test_quick_count_page import reported, scene  # noqa: F401  (fixtures)


@pytest.fixture
def ready(transactional_db, scene, reported, core_member):  # noqa: F811
    return core_member


def test_quick_count_page_shows_the_chart_at_phone_width(page, live_server, ready, tmp_path):
    log_in(page, live_server, ready.username)
    page.goto(f"{live_server.url}/analysis/quick-count/")
    assert page.locator("h1").inner_text() == "Quick count"
    assert "7 of 12 sampled polling stations" in page.locator("#reported").inner_text()
    chart = page.locator("svg#convergence")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert 300 <= box["width"] <= 390 and box["height"] > 140
    page.screenshot(path=str(tmp_path / "quick-count.png"), full_page=True)
    assert page.locator("svg#convergence polyline.estimate").count() == 8
    assert page.locator("svg#convergence polygon.band").count() == 8
    assert page.locator("#estimates tbody tr").count() == 8
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.foreign_requests == []
    page.click("#reported a")
    assert page.locator("#reports-used").is_visible()
