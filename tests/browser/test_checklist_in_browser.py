"""An observer fills the real voting checklist on a phone: skip logic and validation live."""

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import expect

import eom.observation
from eom.observation import services
from eom.observation.models import Submission
from tests.browser.conftest import log_in
from tests.factories import make_deployment, make_election

CHECKLISTS = Path(eom.observation.__file__).parent / "checklists"
YES_NO = {
    "secrecy_respected": "yes", "group_voting": "no", "ballot_stuffing": "no",
    "carousel_voting": "no", "pressure_on_voters": "no", "unauthorised_persons": "no",
    "voters_turned_away": "no", "observers_restricted": "no", "cameras_operating": "yes",
    "accessible": "yes",
}


@pytest.fixture
def station(transactional_db, mission, tree, observer):
    make_election(mission, date=dt.date(2023, 3, 19))
    services.load_form(actor=None, channel="command", mission=mission, filename="voting.xlsx",
                       source=(CHECKLISTS / "voting.xlsx").read_bytes())
    make_deployment(observer.person.teams.get(), [tree["01001"]],
                    starts=dt.date(2023, 3, 17), ends=dt.date(2023, 3, 20))
    return tree["01001"]


def visible(page, name):
    return page.locator(f'[data-question="{name}"]').is_visible()


def test_observer_fills_and_sends_the_voting_checklist(page, live_server, observer, station):
    log_in(page, live_server, observer.username)
    page.goto(f"{live_server.url}/observe/")
    page.click("a.button.primary")  # the voting checklist of the first station
    page.wait_for_selector("form[data-eom-checklist]")
    page.fill("input[name=observed_at]", "2023-03-19T10:30")
    page.fill("input[name=arrival_time]", "10:30")
    page.fill("input[name=departure_time]", "11:05")
    page.fill("input[name=n_registered]", "1000")
    page.fill("input[name=n_voted]", "1200")
    error = page.locator('[data-question="n_voted"] .error.live')
    assert error.is_visible() and error.inner_text() != ""
    page.fill("input[name=n_voted]", "400")
    assert not error.is_visible()
    for name, answer in YES_NO.items():
        page.check(f"input[name={name}][value={answer}]")
    assert not visible(page, "problems")  # no problem reported: the details are skipped
    page.check("input[name=ballot_stuffing][value=yes]")
    assert visible(page, "problems") and visible(page, "stuffing_seen")
    assert not visible(page, "n_turned_away")  # only when voters were turned away
    page.check("input[name=problems][value=ballot_stuffing]")
    page.fill("textarea[name=problem_description]", "Bundle of ballots in box 2.")
    page.check("input[name=stuffing_seen][value=yes]")
    page.check("input[name=assessment][value=very_bad]")
    page.click("button[type=submit].primary")
    expect(page.locator("[data-saved]")).to_have_attribute("data-state", "sent")
    assert "Received" in page.locator("[data-saved-title]").inner_text()
    stored = Submission.objects.get()
    assert stored.answers["n_voted"] == 400
    assert stored.answers["problems"] == ["ballot_stuffing"]
    assert "n_turned_away" not in stored.answers
    assert stored.n_flags == 1  # the negative assessment


def test_required_answers_stop_the_form_before_sending(page, live_server, observer, station):
    log_in(page, live_server, observer.username)
    page.goto(f"{live_server.url}/observe/{station.pk}/voting/")
    page.click("button[type=submit].primary")
    assert page.locator('[data-question="n_registered"] .error.live').is_visible()
    assert Submission.objects.count() == 0
    assert "/observe/sent/" not in page.url
