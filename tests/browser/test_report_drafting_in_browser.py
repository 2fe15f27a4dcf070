"""Drafting a report section in real Chromium on a phone: the figure picker inserts a figure's
token where the cursor is, the preview shows its current value, saving shows it in the report,
and the figure opens what it was computed from."""

import pytest

from tests.browser.conftest import log_in, wait_for
from tests.publications.scene import KEY, draft_statement, reports_with_an_indicator


@pytest.fixture
def ready(transactional_db, mission, tree, observer, other_team, core_member):
    reports_with_an_indicator(mission, tree, observer, other_team, core_member)
    draft_statement(mission, core_member)
    return core_member


def test_a_section_is_drafted_with_a_live_figure(page, live_server, ready):
    log_in(page, live_server, ready.username)
    page.goto(f"{live_server.url}/reports/statement/sections/counting/")

    text = page.locator("#section-form textarea[name=text]")
    text.fill("Counting was assessed negatively: ")
    text.press("End")
    page.select_option("#figure-choice", KEY)
    page.click("#figure-insert")
    assert text.input_value() == f"Counting was assessed negatively: [[figure:{KEY}]]"

    page.click("button[hx-post]")
    wait_for(page, "document.querySelector('#preview a.live-figure') !== null")
    assert page.locator("#preview a.live-figure").first.inner_text() == (
        "Voting assessed negatively in 50.0 % of 4 reports observed (95 % interval 15.0–85.0 %)")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.click("#section-form button[type=submit]")
    page.wait_for_url("**/reports/statement/#counting")
    figure = page.locator("#counting a.live-figure")
    assert "50.0 % of 4 reports" in figure.inner_text()
    figure.click()
    page.wait_for_url(f"**/reports/statement/figures/{KEY}/")
    assert "every live report of the mission" in page.locator("main").inner_text()
    assert page.foreign_requests == []
