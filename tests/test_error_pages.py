"""The 403, 404 and 500 pages are drawn in the site's layout, in the reader's language, with the
reader's menu and a way back; the 500 page falls back to a plain page when the layout itself
cannot be drawn."""

import re

import pytest
from django.test import Client

MENU = re.compile(r'<nav class="main".*?</nav>', re.S)


def client_of(user, language: str = "en") -> Client:
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def current_items(html: str) -> list[str]:
    menu = MENU.search(html)
    assert menu, "no menu on the page"
    return re.findall(r'aria-current="page">([^<]+)<', menu.group(0))


def test_a_missing_page_is_in_the_layout_in_kazakh_with_the_menu_and_a_way_back(
        core_member):
    response = client_of(core_member, "kk").get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Бет табылмады</h1>" in html
    assert 'href="/">Шолуға оралу</a>' in html
    assert ">Қамту<" in html  # the menu's Coverage
    assert current_items(html) == []  # an address that is no page belongs to no item


def test_a_refused_page_gives_the_reason_in_russian_and_marks_its_menu_item(coordinator):
    response = client_of(coordinator, "ru").get("/results/seats/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Доступ запрещён</h1>" in html
    assert "Проверка мандатов использует общенациональные результаты" in html
    assert current_items(html) == ["Результаты"]
    assert 'href="/">К обзору</a>' in html


def test_a_login_of_no_one_in_the_mission_is_told_to_sign_in_with_its_own(outsider, mission):
    html = client_of(outsider).get("/").content.decode()
    assert "belongs to no one in the mission" in html
    assert MENU.search(html) is None
    assert 'href="/"' not in html  # no link to a page it cannot open


@pytest.fixture
def failing_page(settings):
    settings.ROOT_URLCONF = "tests.missions.urls_with_a_failing_page"


def test_a_server_error_is_in_the_layout_with_the_menu_in_kazakh(failing_page, analyst):
    response = client_of(analyst, "kk").get("/failing/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Сервер қатесі</h1>" in html
    assert ">Талдау<" in html  # the menu's Analysis
    assert 'href="/">Шолуға оралу</a>' in html
    assert "exception-message-canary" not in html


def broken_context(request):
    raise RuntimeError("the layout cannot be drawn")


def test_a_server_error_falls_back_to_the_plain_page_when_the_layout_fails(
        failing_page, analyst, settings):
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "OPTIONS": {**engine["OPTIONS"], "context_processors": [
        *engine["OPTIONS"]["context_processors"], "tests.test_error_pages.broken_context"]}}]
    response = client_of(analyst).get("/failing/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Server error</h1>" in html
    assert MENU.search(html) is None
