"""The observer's phone keeps working offline: checklists wait in an outbox and reach the server
exactly once when the connection returns, whatever the network does meanwhile."""

import pytest
from playwright.sync_api import expect

from eom.observation import services
from eom.observation.models import Submission
from tests.browser.conftest import log_in, wait_for
from tests.browser.offline_driver import Server, run_sequence
from tests.observation.scene import set_up
from tests.observation.test_repeats import workbook

SEQUENCES = 50


@pytest.fixture
def scene(transactional_db, mission, tree, observer, other_team):
    set_up(mission, tree, observer, other_team)
    return observer


def fill_voting(page, registered: str) -> None:
    page.fill("input[name=observed_at]", "2023-03-19T10:30")
    page.fill("input[name=registered]", registered)
    page.check("input[name=secrecy][value=yes]")
    page.click("button[type=submit].primary")
    page.wait_for_selector("[data-saved]:not([hidden])")


def test_three_checklists_filled_offline_arrive_once(page, live_server, scene, tree):
    log_in(page, live_server, scene.username)
    page.goto(f"{live_server.url}/observe/")
    # The service worker has kept the page and every checklist of the observer's stations.
    wait_for(page, "document.body.dataset.offlineReady")
    # The worker is active now. The first page, loaded before the worker existed, is controlled
    # only once the worker claims it, which Chromium at times puts off; a page loaded now is.
    page.reload()
    wait_for(page, "navigator.serviceWorker.controller !== null")
    page.context.set_offline(True)
    for station, registered in (("01001", "111"), ("01002", "222"), ("01001", "333")):
        page.goto(f"{live_server.url}/observe/{tree[station].pk}/voting/")
        fill_voting(page, registered)
        expect(page.locator("[data-saved]")).to_have_attribute("data-state", "waiting")
    page.reload()  # offline: the page comes from the phone's cache, the outbox from IndexedDB
    expect(page.locator("[data-outbox-count]")).to_have_text("3 waiting to send")
    # No assertion that the server has nothing yet: Chromium's offline emulation has, rarely
    # (once in about ten runs here), let one of these requests reach the server while the page
    # saw it fail. That is a request whose answer was lost, which the outbox must survive
    # anyway: what is asserted is what the phone shows, and each checklist stored once.
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url.rsplit("/api/", 1)[-1])
            if r.method == "POST" and "/api/submissions" in r.url else None)
    page.context.set_offline(False)
    expect(page.locator("[data-outbox-count]")).to_be_hidden(timeout=20_000)
    assert posts and set(posts) == {"submissions/batch"}  # the queue goes in batches
    stored = Submission.objects.order_by("answers__registered")
    assert [s.answers["registered"] for s in stored] == [111, 222, 333]
    assert len({s.uuid for s in stored}) == 3
    assert {s.channel for s in stored} == {"offline"}


def test_random_network_sequences_lose_nothing_and_store_nothing_twice(page, live_server, scene):
    log_in(page, live_server, scene.username)
    url = f"{live_server.url}/observe/"
    page.goto(url)
    server = Server(page)
    for seed in range(SEQUENCES):
        run_sequence(page, page.context, server, seed, url)
    stored = {str(s.uuid): s.answers for s in Submission.objects.all()}
    lost = server.tally.created - set(stored)
    duplicated = [key for key, n in server.tally.stored_201.items() if n > 1]
    assert (len(lost), len(duplicated)) == (0, 0)
    assert len(stored) == len(server.tally.created) > SEQUENCES
    for key, answers in server.tally.last_answers.items():
        assert stored[key]["registered"] == int(answers["registered"])


@pytest.fixture
def queues(scene, mission, tmp_path):
    """The scene with a form of repeats: visits, rooms inside them."""
    services.load_form(actor=None, channel="command", mission=mission, filename="queues.xlsx",
                       source=workbook(tmp_path / "queues.xlsx"))
    return scene


def fill_visits(page) -> None:
    """Two visits, the second with a room, added and filled on the phone."""
    page.click("button[value='add visits']")
    page.fill("input[name='visits[1]/n']", "4")
    page.click("button[value='add visits']")
    page.fill("input[name='visits[2]/n']", "30")
    page.fill("textarea[name='visits[2]/why']", "one booth")
    page.click("button[value='add visits[2]/rooms']")
    page.fill("input[name='visits[2]/rooms[1]/booths']", "2")


def expect_visits(page) -> None:
    expect(page.locator("fieldset[data-instance]")).to_have_count(3)
    expect(page.locator("input[name='visits[1]/n']")).to_have_value("4")
    expect(page.locator("input[name='visits[2]/n']")).to_have_value("30")
    expect(page.locator("textarea[name='visits[2]/why']")).to_have_value("one booth")
    expect(page.locator("input[name='visits[2]/rooms[1]/booths']")).to_have_value("2")


STORED_VISITS = [{"n": 4, "number": "1"},
                 {"n": 30, "number": "2", "why": "one booth", "rooms": [{"booths": 2}]}]


def test_a_checklist_with_visits_saved_offline_is_reopened_whole_and_sent_whole(
        page, live_server, queues, tree):
    log_in(page, live_server, queues.username)
    checklist = f"{live_server.url}/observe/{tree['01001'].pk}/queues/"
    page.goto(f"{live_server.url}/observe/")
    wait_for(page, "document.body.dataset.offlineReady")
    page.reload()
    wait_for(page, "navigator.serviceWorker.controller !== null")
    page.goto(checklist)  # kept on the phone as it is opened
    page.context.set_offline(True)
    page.goto(checklist)  # from the phone's cache
    page.fill("input[name=observed_at]", "2023-03-19T10:30")
    fill_visits(page)
    key = page.input_value("input[name=uuid]")
    page.click("button[type=submit].primary")
    expect(page.locator("[data-saved]")).to_have_attribute("data-state", "waiting")

    page.goto(f"{checklist}?draft={key}")  # offline still: from the list of reports waiting
    expect(page.locator("form[data-eom-checklist]")).to_have_attribute("data-draft", "restored")
    expect_visits(page)
    page.context.set_offline(False)
    expect(page.locator("[data-outbox-count]")).to_be_hidden(timeout=20_000)
    assert Submission.objects.get(uuid=key).answers["visits"] == STORED_VISITS


def test_a_refused_checklist_with_visits_reopens_with_them_and_is_sent_corrected(
        page, live_server, queues, tree):
    log_in(page, live_server, queues.username)
    checklist = f"{live_server.url}/observe/{tree['01001'].pk}/queues/"
    page.goto(checklist)
    page.fill("input[name=observed_at]", "2023-03-25T10:30")  # not a day of the deployment
    fill_visits(page)
    key = page.input_value("input[name=uuid]")
    page.click("button[type=submit].primary")
    expect(page.locator("[data-refused]")).to_be_visible()
    assert not Submission.objects.filter(uuid=key).exists()

    page.goto(f"{checklist}?draft={key}")
    expect(page.locator("[data-refused]")).to_be_visible()
    expect_visits(page)
    page.fill("input[name=observed_at]", "2023-03-19T10:30")
    page.click("button[type=submit].primary")
    expect(page.locator("[data-saved]")).to_have_attribute("data-state", "sent")
    assert Submission.objects.get(uuid=key).answers["visits"] == STORED_VISITS
