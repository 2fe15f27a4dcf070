"""The forensics page on a phone-sized screen in real Chromium: the fingerprint SVG fits the
screen, is drawn, and nothing is fetched from elsewhere."""

import pytest

from tests.browser.conftest import log_in
from tests.factories import make_results_contest
from tests.results.test_forensics_page import load, station_rows


@pytest.fixture
def scene(transactional_db, mission, tree, analyst):
    contest = make_results_contest(mission, rule="")
    load(contest, tree, station_rows(4, round_turnout=True)[:120])
    return analyst, contest


def test_forensics_page_draws_the_fingerprint_within_a_phone_screen(page, live_server, scene):
    user, contest = scene
    log_in(page, live_server, user.username)
    page.goto(f"{live_server.url}/results/forensics/?contest={contest.pk}")
    assert page.locator("h1").inner_text().startswith("Election forensics")
    svg = page.locator("#fingerprint svg")
    box = svg.bounding_box()
    assert 200 < box["width"] <= 390
    assert box["height"] > 0.8 * box["width"]  # the view box's proportions, not a flat strip
    assert svg.locator("rect[fill]").count() > 20  # background, frame, cells, colour key
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert "look closer" in page.locator("[data-flag=integer_percent]").inner_text()
    assert page.foreign_requests == []


def test_forensics_leader_picker_reloads_with_another_party(page, live_server, scene):
    user, contest = scene
    log_in(page, live_server, user.username)
    page.goto(f"{live_server.url}/results/forensics/?contest={contest.pk}")
    page.select_option("select[name=leader]", "AUYL")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**leader=AUYL**")
    assert "Auyl, the leader" in page.content()
