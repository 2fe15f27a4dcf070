"""The pages as a mission officer uses them, on a phone-sized screen, in real Chromium."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from eom.missions.models import KeyDate, Meeting
from tests.browser.conftest import log_in
from tests.factories import make_meeting


@pytest.fixture
def scene(transactional_db, mission, tree, core_member, observer):
    KeyDate.objects.create(mission=mission, date=dt.date(2023, 3, 19), event="Election day",
                           is_milestone=True)
    make_meeting(mission, actor=core_member, place="Central Election Commission",
                 topics=["voter lists"], key_points="Voter lists are final.")
    make_meeting(mission, actor=core_member, place="Ministry of Foreign Affairs",
                 topics=["reform agenda"])
    return core_member


def test_overview_loads_on_a_phone_with_no_foreign_requests(page, live_server, scene):
    log_in(page, live_server, scene.username)
    assert page.locator("h1").inner_text() == "Mission overview"
    assert "Election day" in page.locator(".timeline").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.foreign_requests == []


def test_meetings_search_updates_the_list_as_one_types(page, live_server, scene):
    log_in(page, live_server, scene.username)
    page.goto(f"{live_server.url}/meetings/")
    assert page.locator("#meeting-results .count").inner_text() == "2 meetings"
    page.fill("input[name=q]", "voter")
    expect(page.locator("#meeting-results .count")).to_have_text("1 meeting")
    assert "Central Election Commission" in page.locator("#meeting-results").inner_text()
    assert "q=voter" in page.url


def test_recording_a_meeting_through_the_form(page, live_server, scene):
    log_in(page, live_server, scene.username)
    page.goto(f"{live_server.url}/meetings/new/")
    page.fill("input[name=date]", "2023-02-20")
    page.fill("input[name=place]", "Akimat of Astana")
    page.fill("textarea[name=interlocutors]", "Aigerim Bekova | Deputy Akim | Akimat | state")
    page.fill("input[name=topics]", "local administration")
    page.fill("textarea[name=follow_ups]", "Visit a polling station | | 2023-02-25 | open")
    page.click("button[type=submit].primary")
    page.wait_for_url("**/meetings/*/")
    assert page.locator("h1").inner_text().endswith("Akimat of Astana")
    assert "Aigerim Bekova" in page.content()
    assert [m.place for m in Meeting.objects.all()].count("Akimat of Astana") == 1


def test_switching_language_to_russian(page, live_server, scene):
    log_in(page, live_server, scene.username)
    page.click("form.lang button[value=ru]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Обзор миссии"
