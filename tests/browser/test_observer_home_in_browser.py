"""The observer's home on a phone: it lands there, sees its checklists in the order of the day,
and with no connection still has its places, what waits on the phone, My submissions and the
phone numbers to call."""

import pytest
from playwright.sync_api import expect

from eom.missions.models import Access
from eom.observation.models import Stage
from tests.browser.conftest import log_in, wait_for
from tests.factories import make_form, make_person, question
from tests.observation.scene import send, set_up


@pytest.fixture
def scene(transactional_db, mission, tree, observer, other_team):
    set_up(mission, tree, observer, other_team)
    make_form(mission, "counting", Stage.COUNTING, [question("n_ballots")])
    make_form(mission, "opening", Stage.OPENING, [question("n_seals")])
    make_form(mission, "tabulation", Stage.TABULATION, [question("n_protocols")])
    make_person(mission, access=Access.CORE_TEAM, role="security_expert", full_name="Duty Officer",
                phone="+7 701 555 9002", election_day_contact=True)
    return observer


def test_an_observer_lands_on_observe_with_checklists_in_the_order_of_the_day(page, live_server,
                                                                              scene):
    log_in(page, live_server, scene.username)
    assert page.url == f"{live_server.url}/observe/"
    station = page.locator("#station-01001 ul.checklists a")
    assert station.all_inner_texts() == ["Opening", "Voting", "Counting"]
    assert page.locator("#station-D1 ul.checklists a").all_inner_texts() == ["Tabulation"]


def test_offline_the_observer_keeps_its_places_queue_submissions_and_contacts(
        page, live_server, scene, mission, tree):
    received, _created = send(scene, mission, location="01002")
    log_in(page, live_server, scene.username)
    wait_for(page, "document.body.dataset.offlineReady")  # the pages are kept on the phone
    page.reload()
    wait_for(page, "navigator.serviceWorker.controller !== null")
    page.context.set_offline(True)

    page.goto(f"{live_server.url}/observe/{tree['01001'].pk}/voting/")
    # Opened today, for a deployment of 17 to 20 March 2023: the page says so before sending.
    expect(page.locator("[data-day-warning]").first).to_be_visible()
    page.fill("input[name=observed_at]", "2023-03-19T10:30")
    expect(page.locator("[data-day-warning]").first).to_be_hidden()
    page.fill("input[name=registered]", "120")
    page.check("input[name=secrecy][value=yes]")
    page.click("button[type=submit].primary")
    expect(page.locator("[data-saved]")).to_have_attribute("data-state", "waiting")

    page.goto(f"{live_server.url}/observe/")  # from the phone's cache
    queued = page.locator("#station-01001 li[data-phone]")
    expect(queued).to_contain_text("waiting to send Voting · 01001 · observed 19 Mar 10:30 · "
                                   "saved on this phone")
    assert "received ✓" in page.locator("#station-01002 ul.reports").inner_text()
    call = page.locator('#contacts a[href="tel:+77015559002"]')
    expect(call).to_have_text("+7 701 555 9002")

    page.goto(f"{live_server.url}/observe/mine/")  # never opened: kept when Observe was
    expect(page.locator("[data-phone-reports] li")).to_have_count(1)
    assert page.locator(f'tr[data-uuid="{received.uuid}"]').is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
