"""The situation room in real Chromium, as the head of mission: a report that arrives while the
page is open appears without reloading (the page fetches its part again every
EOM_SITUATION_REFRESH_SECONDS, here 1 s); the page fits a phone and a projector, in English
and Kazakh; nothing is fetched from elsewhere."""

import pytest

from eom.observation.models import Submission
from tests.browser.conftest import log_in, wait_for
from tests.observation.scene import at, send, set_up


@pytest.fixture
def day(transactional_db, mission, tree, observer, other_team, core_member, settings):
    """STO-1 reported voting at 01001 at 09:00; STO-2 nothing."""
    settings.EOM_SITUATION_REFRESH_SECONDS = 1
    set_up(mission, tree, observer, other_team)
    send(observer, mission, "01001", when=at(9))
    return core_member


def text(page, selector: str) -> str:
    return page.locator(selector).first.inner_text().strip()


def test_the_situation_room_shows_a_report_that_arrives_while_it_is_open(page, live_server,
                                                                          day, observer,
                                                                          mission):
    log_in(page, live_server, day.username)
    page.goto(f"{live_server.url}/situation/")
    assert text(page, "h1") == "Situation room country KZ"
    assert text(page, ".situation-stages .stage:nth-child(2) .figure") == "1 / 3"
    assert text(page, "[data-critical-count]") == "0"
    assert page.locator("ul.silent-teams li[data-team]").count() == 1  # STO-2

    send(observer, mission, "01002", {"registered": 200, "voted": 150, "secrecy": "yes",
                                      "assessment": "good"}, when=at(10))
    wait_for(page, "document.querySelector('[data-critical-count]').textContent.trim() === '1'")
    assert text(page, ".situation-stages .stage:nth-child(2) .figure") == "2 / 3"
    report = Submission.objects.get(location__code="01002")
    page.locator("ul.critical a").first.click()
    page.wait_for_url(f"**/submissions/{report.uuid}/")
    page.go_back()

    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.locator("form.lang button[value=kk]").click()
    page.wait_for_load_state()
    assert text(page, "h1").startswith("Жағдаяттық орталық")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.foreign_requests == []
