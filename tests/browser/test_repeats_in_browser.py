"""An observer adds instances of a repeat on the checklist page of a phone, and sends them."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from eom.observation import services
from eom.observation.models import Submission
from tests.browser.conftest import log_in
from tests.factories import make_deployment, make_election
from tests.observation.test_repeats import workbook


@pytest.fixture
def station(transactional_db, mission, tree, observer, tmp_path):
    make_election(mission, date=dt.date(2023, 3, 19))
    services.load_form(actor=None, channel="command", mission=mission, filename="queues.xlsx",
                       source=workbook(tmp_path / "queues.xlsx"))
    make_deployment(observer.person.teams.get(), [tree["01001"]],
                    starts=dt.date(2023, 3, 17), ends=dt.date(2023, 3, 20))
    return tree["01001"]


def test_observer_adds_removes_and_sends_instances_on_a_phone(page, live_server, observer,
                                                               station):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, observer.username)
    page.goto(f"{live_server.url}/observe/{station.pk}/queues/")
    page.fill("input[name=observed_at]", "2023-03-19T10:30")
    page.click("button[value='add visits']")
    page.fill("input[name='visits[1]/n']", "4")
    page.click("button[value='add visits']")
    page.fill("input[name='visits[2]/n']", "30")
    page.fill("textarea[name='visits[2]/why']", "one booth")
    page.click("button[value='add visits[2]/rooms']")
    page.fill("input[name='visits[2]/rooms[1]/booths']", "2")
    page.click("button[value='add visits']")
    page.click("button[value='remove visits[3]']")
    wide = page.evaluate("document.documentElement.scrollWidth")
    page.click("button[type=submit].primary")

    expect(page.locator("[data-saved]")).to_have_attribute("data-state", "sent")
    assert wide <= 390
    assert Submission.objects.get().answers["visits"] == [
        {"n": 4, "number": "1"},
        {"n": 30, "number": "2", "why": "one booth", "rooms": [{"booths": 2}]},
    ]


def test_each_instance_is_checked_while_the_observer_types_without_asking_the_server(
        page, live_server, observer, station):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, observer.username)
    page.goto(f"{live_server.url}/observe/{station.pk}/queues/")
    page.fill("input[name=observed_at]", "2023-03-19T10:30")
    page.evaluate("window.samePage = true")
    page.click("button[value='add visits']")
    page.click("button[value='add visits']")
    page.fill("input[name='visits[1]/n']", "150")
    page.fill("input[name='visits[2]/n']", "4")
    first, second = page.locator("[data-instance='visits[1]']"), page.locator(
        "[data-instance='visits[2]']")

    # the server's reason, next to the instance's question; the group skipped in the second
    expect(first.locator("[data-question='visits[1]/n'] .error.live")).to_have_text(
        "This answer is not allowed.")
    expect(second.locator("[data-question='visits[2]/why']")).to_be_hidden()
    page.fill("input[name='visits[2]/n']", "30")
    expect(second.locator("[data-question='visits[2]/why']")).to_be_visible()
    page.click("button[value='add visits[2]/rooms']")
    page.fill("input[name='visits[2]/rooms[1]/booths']", "2")

    # the first visit removed: the second takes its number, its answers and its rooms with it
    page.click("button[value='remove visits[1]']")
    expect(page.locator("[data-instance='visits[2]']")).to_have_count(0)
    expect(page.locator("input[name='visits[1]/n']")).to_have_value("30")
    expect(page.locator("input[name='visits[1]/rooms[1]/booths']")).to_have_value("2")
    expect(page.locator("[data-instance='visits[1]'] > legend")).to_have_text("Visit 1")
    expect(page.locator("button[value='remove visits[1]']")).to_have_text("Remove Visit 1")
    page.fill("textarea[name='visits[1]/why']", "one booth")
    assert page.evaluate("window.samePage") is True
    wide = page.evaluate("document.documentElement.scrollWidth")
    page.click("button[type=submit].primary")

    expect(page.locator("[data-saved]")).to_have_attribute("data-state", "sent")
    assert wide <= 390
    assert Submission.objects.get().answers["visits"] == [
        {"n": 30, "number": "1", "why": "one booth", "rooms": [{"booths": 2}]}]


def test_a_visit_with_a_refused_answer_is_not_sent(page, live_server, observer, station):
    log_in(page, live_server, observer.username)
    page.goto(f"{live_server.url}/observe/{station.pk}/queues/")
    page.fill("input[name=observed_at]", "2023-03-19T10:30")
    page.click("button[value='add visits']")
    page.fill("input[name='visits[1]/n']", "150")
    page.click("button[type=submit].primary")

    expect(page.locator("[data-question='visits[1]/n']")).to_have_class(re.compile("invalid"))
    assert Submission.objects.count() == 0


@pytest.fixture
def photo_station(transactional_db, mission, tree, observer, tmp_path, settings):
    from tests.observation.test_repeat_files import SURVEY

    settings.MEDIA_ROOT = tmp_path / "media"
    make_election(mission, date=dt.date(2023, 3, 19))
    services.load_form(actor=None, channel="command", mission=mission, filename="queues.xlsx",
                       source=workbook(tmp_path / "queues.xlsx", SURVEY))
    make_deployment(observer.person.teams.get(), [tree["01001"]],
                    starts=dt.date(2023, 3, 17), ends=dt.date(2023, 3, 20))
    return tree["01001"]


def test_the_photo_of_a_visit_added_on_the_phone_is_sent_with_its_instance(
        page, live_server, observer, photo_station, tmp_path):
    from tests.observation import photo_files

    photo = tmp_path / "queue.png"
    photo.write_bytes(photo_files.png())
    log_in(page, live_server, observer.username)
    page.goto(f"{live_server.url}/observe/{photo_station.pk}/queues/")
    page.fill("input[name=observed_at]", "2023-03-19T10:30")
    page.click("button[value='add visits']")
    page.click("button[value='add visits']")
    page.fill("input[name='visits[2]/n']", "30")
    page.set_input_files("input[name='visits[2]/photo']", str(photo))
    page.click("button[type=submit].primary")

    page.wait_for_url("**/observe/sent/**")
    submission = Submission.objects.get()
    assert submission.answers["visits"] == [{}, {"n": 30}]
    assert [(a.question, a.size) for a in submission.attachments.all()] == [
        ("visits[2]/photo", photo.stat().st_size)]
