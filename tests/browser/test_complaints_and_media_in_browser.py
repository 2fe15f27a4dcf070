"""The complaints register and media monitoring in real Chromium, on a 390 px phone and a
laptop, in English and Russian: the core team records a case and reads its legal deadline and
the share decided within it; it codes a media item and reads the share table and chart. No page
scrolls sideways."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from eom.complaints.models import Case
from eom.media.models import Item
from tests.browser.conftest import log_in
from tests.complaints.factories import make_rules
from tests.media.factories import code, make_media_scene

WIDTHS = [390, 1280]
LANGUAGES = {  # the words the test reads on the pages, per language
    "en": {"body": "District election commission", "saved": "The item was saved.",
           "share": "75.0 %"},
    "ru": {"body": "Районная или окружная избирательная комиссия",
           "saved": "Материал сохранён.", "share": "75,0 %"},
}


@pytest.fixture
def core(transactional_db, mission, tree, core_member):
    return core_member


def _open(page, live_server, user, width: int, language: str) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.context.add_cookies([{"name": "django_language", "value": language,
                               "url": live_server.url}])
    log_in(page, live_server, user.username)


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_the_core_team_records_a_case_and_reads_its_deadline_figure(page, live_server, core,
                                                                    mission, width, language):
    make_rules(mission)  # commissions: 5 calendar days, moved off weekends
    _open(page, live_server, core, width, language)
    page.goto(f"{live_server.url}/complaints/new/")
    _fits(page, width)
    page.select_option("select[name=filer_kind]", "party")
    page.fill("input[name=filer_name]", "Party A")
    page.select_option("select[name=body_kind]", "commission")
    page.select_option("select[name=body_level]", "district")
    page.fill("input[name=filed]", "2023-03-01")  # a Wednesday: due Monday 6 March
    page.fill("input[name=decided]", "2023-03-03")
    page.select_option("select[name=decision]", "rejected")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main dl")).to_contain_text("2023-03-06")
    expect(page.locator("main dl")).to_contain_text(LANGUAGES[language]["body"])
    _fits(page, width)
    case = Case.objects.get()
    assert (case.deadline, case.within_deadline) == (dt.date(2023, 3, 6), True)
    page.goto(f"{live_server.url}/complaints/figures/")
    expect(page.locator("a[href$='?timing=within']")).to_contain_text("1")
    expect(page.locator("a[href$='?timing=within']")).to_contain_text("(100%)")
    _fits(page, width)
    page.goto(f"{live_server.url}/complaints/")
    expect(page.locator("main table")).to_contain_text(LANGUAGES[language]["body"])
    _fits(page, width)
    assert page.foreign_requests == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_the_core_team_codes_an_item_and_reads_the_share_table(page, live_server, core,
                                                               mission, width, language):
    media = make_media_scene(mission, core)
    code(media, media.khabar, party="AUYL", seconds=40, programme="Debate")
    _open(page, live_server, core, width, language)
    page.goto(f"{live_server.url}/media/items/new/")
    _fits(page, width)
    page.select_option("select[name=outlet]", str(media.khabar.pk))
    page.fill("input[name=date]", "2023-02-21")
    page.fill("input[name=programme]", "Evening news")
    page.fill("input[name=seconds]", "120")
    page.select_option("select[name=subject_kind]", "party")
    page.select_option("select[name=party]", str(media.parties["AMANAT"].pk))
    page.select_option("select[name=tone]", "positive")
    page.fill("input[name=coder]", "M-04")
    page.locator("main form button[type=submit].primary").click()
    expect(page.locator(".message")).to_have_text(LANGUAGES[language]["saved"])
    assert Item.objects.filter(programme="Evening news", seconds=120).count() == 1
    page.goto(f"{live_server.url}/media/")
    first_table = page.locator("main section table.data").first
    row = first_table.locator("tbody tr").first
    expect(row).to_contain_text("AMANAT")
    expect(row).to_contain_text("120")
    expect(row).to_contain_text(LANGUAGES[language]["share"])
    expect(first_table.locator("tfoot")).to_contain_text("160")
    expect(page.locator("main section svg[role=img]").first).to_be_visible()
    _fits(page, width)
    assert page.foreign_requests == []
