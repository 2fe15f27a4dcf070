"""An LTO writes, saves and submits its weekly report in real Chromium, on a phone and on a
laptop, without the page scrolling sideways."""

import pytest
from playwright.sync_api import expect

from eom.lto.models import Report, ReportStatus
from tests.browser.conftest import log_in
from tests.lto.factories import lto_scene


@pytest.fixture
def scene(transactional_db, mission, tree):
    return lto_scene(mission, tree)


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


@pytest.mark.parametrize("width", [390, 1280])
def test_an_lto_writes_and_submits_its_weekly_report(page, live_server, scene, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, scene.lto.username)
    page.goto(f"{live_server.url}/lto/")
    _fits(page, width)
    page.click("text=Write a report")
    page.select_option("select[name=team]", str(scene.own_team.pk))
    page.select_option("select[name=period]", str(scene.period.pk))
    page.select_option("select[name=kind]", "weekly")
    page.click("button[type=submit].primary")
    expect(page.locator("h1")).to_contain_text("Weekly report: LTO-1")
    _fits(page, width)
    page.fill("input[name=answer_n_meetings]", "5")
    page.select_option("select[name=answer_campaign_visible]", "yes")
    page.fill("textarea[name=text_campaign_environment]",
              "Rallies of three parties in the regional centre; no incidents. "
              "Избирательная_кампания_проходит_спокойно_без_инцидентов_и_давления")
    page.fill("input[name=tags_campaign_environment]", "rallies, women")
    page.fill("textarea[name=passage_security]", "A source at the akimat asked not to be named.")
    page.click("text=Save the draft")
    expect(page.locator(".message")).to_have_text("The draft was saved.")
    _fits(page, width)
    expect(page.locator(".lto-section.confidential")).to_contain_text(
        "asked not to be named")  # the team reads its own passage back
    page.click("text=Submit to the core team")
    expect(page.locator(".message")).to_have_text("The report was submitted to the core team.")
    expect(page.locator("dd .badge.status-submitted")).to_have_text("submitted")
    expect(page.locator("dd .badge.late")).to_contain_text("late by")
    _fits(page, width)
    report = Report.objects.get()
    assert (report.status, report.answers["n_meetings"]) == (ReportStatus.SUBMITTED, 5)
    assert report.passages.get().text == "A source at the akimat asked not to be named."
    assert page.foreign_requests == []
