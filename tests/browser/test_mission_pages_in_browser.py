"""The pages as a mission officer uses them, on a phone-sized screen, in real Chromium."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from eom.missions.models import KeyDate, Meeting
from eom.missions.services import InterlocutorData
from tests.browser.conftest import log_in
from tests.factories import interlocutor_named, make_meeting


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


def test_a_meeting_is_recorded_on_a_phone_with_an_interlocutor_found_by_name(
        page, live_server, scene, mission):
    make_meeting(mission, actor=scene, place="Akimat", interlocutors=[
        InterlocutorData("Aigerim Bekova", "Deputy Akim", "Akimat of Astana", "state")])
    known = interlocutor_named("Aigerim Bekova")
    log_in(page, live_server, scene.username)
    page.goto(f"{live_server.url}/meetings/new/")
    page.fill("input[name=date]", "2023-02-20")
    page.fill("input[name=place]", "Akimat of Astana")
    page.fill("#interlocutor-search", "beko")
    page.click("#interlocutor-matches button[data-name='Aigerim Bekova']")
    expect(page.locator("input[name=interlocutors_organisation]").first).to_have_value(
        "Akimat of Astana")
    page.fill("#participant-search", scene.person.full_name[:5])
    page.click(f"#participant-matches button[data-value='{scene.person.pk}']")
    expect(page.locator("[data-chosen] li")).to_have_count(1)
    page.select_option("select[name=follow_ups_status]", "done")
    page.fill("input[name=follow_ups_text]", "Visit a polling station")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("button[type=submit].primary")
    page.wait_for_url("**/meetings/*/")
    (meeting,) = [m for m in Meeting.objects.all() if m.place == "Akimat of Astana"]
    assert list(meeting.interlocutors.all()) == [known]
    assert list(meeting.participants.all()) == [scene.person]
    assert meeting.follow_ups.get().status == "done"


def test_switching_language_to_russian(page, live_server, scene):
    log_in(page, live_server, scene.username)
    page.click("form.lang button[value=ru]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Обзор миссии"
