"""An observer's report the server refuses says why, in the observer's language, next to the
question it concerns; opened again from the list on the phone it holds every answer and its id;
corrected and sent, it is stored once and leaves the list. Only an expired login asks to log in
again."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from eom.missions.models import Deployment
from eom.observation.models import Submission
from tests.browser.conftest import log_in, wait_for
from tests.factories import make_deployment, make_form, question
from tests.observation.scene import set_up

REGISTERED_LIMIT = {"en": "At most 3,000 voters on one list",
                    "ru": "Не больше 3 000 избирателей в одном списке"}


@pytest.fixture
def scene(transactional_db, mission, tree, observer, other_team):
    set_up(mission, tree, observer, other_team)
    return observer


def stricter_voting_form(mission) -> None:
    """The mission loads a new version of the checklist while the phone holds the old one: a
    list holds at most 3,000 voters now."""
    current = mission.forms.get(form_id="voting").current_version.definition
    questions = current["sections"][0]["questions"]
    questions[0] = question("registered", required=True, constraint=". >= 0 and . <= 3000")
    questions[0]["constraint_message"] = REGISTERED_LIMIT
    make_form(mission, "voting", "voting", questions, version="2")


def fill_report(page, registered: str) -> None:
    page.fill("input[name=observed_at]", "2023-03-19T10:30")
    page.fill("input[name=registered]", registered)
    page.fill("input[name=voted]", "40")
    page.check("input[name=secrecy][value=no]")
    page.fill("textarea[name=secrecy_details]", "The booths have no curtains.")
    page.check("input[name=problems][value=queue]")
    page.check("input[name=assessment][value=good]")


def server_reason(page, name: str):
    return page.locator(f'[data-question="{name}"] .error.server')


def test_a_refused_report_says_why_and_is_stored_once_when_corrected(page, live_server, scene,
                                                                       mission, tree):
    log_in(page, live_server, scene.username)
    checklist = f"{live_server.url}/observe/{tree['01001'].pk}/voting/"
    page.goto(checklist)
    # The phone checks what the server checks, with its words.
    page.fill("input[name=registered]", "7.5")
    expect(page.locator('[data-question="registered"] .error.live')).to_have_text(
        "“7.5” is not a whole number")
    fill_report(page, "5000")
    key = page.input_value("input[name=uuid]")
    stricter_voting_form(mission)
    page.click("button[type=submit].primary")

    expect(page.locator("[data-refused]")).to_be_visible()
    expect(server_reason(page, "registered")).to_have_text(REGISTERED_LIMIT["en"])
    expect(page.locator("[data-saved]")).to_be_hidden()
    expect(page.locator("[data-login-again]")).to_be_hidden()
    assert Submission.objects.count() == 0

    page.goto(f"{live_server.url}/observe/")
    held = page.locator(f'[data-outbox-list] li[data-uuid="{key}"]')
    expect(held).to_have_attribute("data-state", "refused")
    expect(held.locator("a")).to_have_text("Voting · polling_station 01001")
    expect(held).to_contain_text(REGISTERED_LIMIT["en"])
    expect(page.locator("[data-outbox-count]")).to_have_text("1 need your attention")

    held.locator("a").click()
    wait_for(page, "document.querySelector('form[data-eom-checklist]').dataset.draft")
    assert page.input_value("input[name=uuid]") == key
    assert [page.input_value(f"[name={name}]") for name in (
        "observed_at", "registered", "voted", "secrecy_details")] == [
        "2023-03-19T10:30", "5000", "40", "The booths have no curtains."]
    for checked in ("secrecy][value=no", "problems][value=queue", "assessment][value=good"):
        assert page.is_checked(f"input[name={checked}]")
    expect(server_reason(page, "registered")).to_have_text(REGISTERED_LIMIT["en"])

    # The server read no number of voters, so it also refused the voters (at most that many);
    # both reasons go once the number is changed.
    expect(server_reason(page, "voted")).to_be_visible()
    page.fill("input[name=registered]", "2500")
    expect(server_reason(page, "registered")).to_be_hidden()
    expect(server_reason(page, "voted")).to_be_hidden()
    page.click("button[type=submit].primary")
    expect(page.locator("[data-saved]")).to_have_attribute("data-state", "sent")
    expect(page.locator("[data-saved-title]")).to_have_text("Received ✓")
    expect(page.locator("[data-saved-reference] code")).to_have_text(key)

    stored = Submission.objects.get()
    assert (str(stored.uuid), stored.answers["registered"], stored.channel) == (
        key, 2500, "page")
    page.goto(f"{live_server.url}/observe/")
    assert wait_for(page, "window.eomOutbox && window.eomOutbox.items()"
                          ".then(items => items.length === 0)")
    expect(page.locator("[data-outbox-count]")).to_be_hidden()


def test_the_reasons_of_a_refusal_are_in_the_observers_language(page, live_server, scene,
                                                                mission, tree):
    page.context.add_cookies([{"name": "django_language", "value": "ru",
                               "url": live_server.url}])
    log_in(page, live_server, scene.username)
    page.goto(f"{live_server.url}/observe/{tree['01001'].pk}/voting/")
    fill_report(page, "5000")
    # The team is withdrawn from the station while the observer is there.
    Deployment.objects.filter(team__members=scene.person).delete()
    page.click("button[type=submit].primary")
    expect(page.locator("[data-refused-reasons]")).to_have_text(
        "вы не размещены на территории 01001")
    expect(page.locator("[data-refused]")).to_contain_text("Миссия не сохранила этот отчёт.")
    expect(page.locator("[data-login-again]")).to_be_hidden()
    expect(page.locator("[data-saved]")).to_be_hidden()

    set_up_deployment_again(scene, tree)
    stricter_voting_form(mission)
    page.click("button[type=submit].primary")
    expect(server_reason(page, "registered")).to_have_text(REGISTERED_LIMIT["ru"])
    expect(page.locator("[data-refused-reasons]")).to_be_hidden()
    assert Submission.objects.count() == 0


def set_up_deployment_again(observer, tree) -> None:
    make_deployment(observer.person.teams.get(), [tree["01001"]],
                    starts=dt.date(2023, 3, 17), ends=dt.date(2023, 3, 20))


def test_only_an_expired_login_asks_to_log_in_again(page, live_server, scene, tree):
    log_in(page, live_server, scene.username)
    page.goto(f"{live_server.url}/observe/{tree['01001'].pk}/voting/")
    fill_report(page, "500")
    key = page.input_value("input[name=uuid]")
    Session.objects.all().delete()  # the login expires
    page.click("button[type=submit].primary")
    expect(page.locator("[data-login-again]")).to_be_visible()
    expect(page.locator("[data-refused]")).to_be_hidden()
    expect(page.locator("[data-saved]")).to_be_hidden()

    page.click("[data-login-again] a")
    page.fill("input[name=username]", scene.username)
    page.fill("input[name=password]", "pw-for-tests")
    page.click("button[type=submit].primary")
    # Back on the checklist, the phone sends what waited, by itself.
    page.wait_for_url(f"**/observe/{tree['01001'].pk}/voting/?draft={key}")
    assert wait_for(page, "window.eomOutbox.items().then(items => items.length === 0)")
    stored = Submission.objects.get()
    assert (str(stored.uuid), stored.answers["registered"], stored.channel) == (
        key, 500, "offline")
