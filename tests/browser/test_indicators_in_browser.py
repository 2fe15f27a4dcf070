"""The analysis page's named indicators in real Chromium on a phone, in Kazakh: each figure as a
card with its count, base, share and formula, and nothing wider than the screen."""

import pytest

from tests.browser.conftest import log_in
from tests.reporting.test_indicators import NEGATIVE, reports  # noqa: F401  (fixture)


@pytest.fixture
def ready(transactional_db, reports, core_member):  # noqa: F811
    return core_member


def test_indicators_show_as_cards_with_their_formula_at_phone_width_in_kazakh(
        page, live_server, ready):
    log_in(page, live_server, ready.username)
    page.context.add_cookies([{"name": "django_language", "value": "kk",
                               "url": live_server.url}])
    page.goto(f"{live_server.url}/analysis/?form=voting")

    assert page.locator("#indicators h3").inner_text() == "Көрсеткіштер"
    negative = page.locator("tr#indicator-negative")
    assert negative.locator("td").nth(1).inner_text().endswith("2 / 4")
    assert "50,0 %" in negative.locator("td").nth(2).inner_text()  # Kazakh: a decimal comma
    assert negative.locator("code").first.inner_text() == NEGATIVE
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    table = page.locator("table.indicators").bounding_box()
    assert table["x"] + table["width"] <= 390
