"""Tracebacks and Django's technical pages, even with EOM_DEBUG on, for a signed-in
administrator only; everyone else gets the plain, translated 500, 404 and 403 pages."""

import pytest
from django.test import Client

from eom.api import api

pytestmark = pytest.mark.urls("tests.missions.urls_with_a_failing_page")

CANARIES = [b"exception-message-canary", b"local-variable-canary", b"Traceback"]


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def _client(user=None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("persona", [None, "observer", "core_member", "analyst"])
def test_with_debug_anyone_but_an_administrator_gets_the_plain_500_page(
    debug, request, mission, persona
):
    user = request.getfixturevalue(persona) if persona else None

    response = _client(user).get("/failing/")

    assert response.status_code == 500
    assert b"Server error" in response.content
    for canary in CANARIES:
        assert canary not in response.content


def test_with_debug_a_plain_text_client_gets_a_plain_sentence(debug, observer):
    response = _client(observer).get("/failing/", headers={"Accept": "text/plain"})

    assert response.status_code == 500
    assert response.content.decode() == (
        "Server error. The mission's technical team has been told; try again later.")


def test_with_debug_an_administrator_sees_the_traceback(debug, administrator):
    response = _client(administrator).get("/failing/")

    assert response.status_code == 500
    for canary in CANARIES:
        assert canary in response.content


def test_without_debug_everyone_gets_the_plain_500_page(administrator):
    response = _client(administrator).get("/failing/")

    assert response.status_code == 500
    assert b"Server error" in response.content
    assert b"exception-message-canary" not in response.content


def test_with_debug_an_unknown_address_does_not_list_the_url_patterns(debug, observer):
    response = _client(observer).get("/no-such-page/")

    assert response.status_code == 404
    assert b"Page not found" in response.content
    for leak in [b"URLconf", b"urls_with_a_failing_page", b"api/", b"admin/"]:
        assert leak not in response.content


def test_with_debug_an_administrator_gets_the_technical_404(debug, administrator):
    response = _client(administrator).get("/no-such-page/")

    assert response.status_code == 404
    assert b"URLconf" in response.content


def test_with_debug_a_views_not_found_is_the_plain_404_page(debug, mission, observer):
    response = _client(observer).get("/meetings/999999/")

    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"Raised by" not in response.content


def test_with_debug_the_api_lets_an_error_through_for_the_plain_page(debug, rf, observer):
    request = rf.get("/api/missions")
    request.user = observer

    with pytest.raises(RuntimeError, match="api-canary"):
        try:
            raise RuntimeError("api-canary")
        except RuntimeError as exc:
            api.on_exception(request, exc)


def test_with_debug_the_api_shows_an_administrator_the_traceback(debug, rf, settings,
                                                                   administrator):
    settings.EOM_REQUIRE_2FA = False
    request = rf.get("/api/missions")
    request.user = administrator

    try:
        raise RuntimeError("api-canary")
    except RuntimeError as exc:
        response = api.on_exception(request, exc)

    assert response.status_code == 500
    assert b"Traceback" in response.content and b"api-canary" in response.content


def test_the_403_page_says_why(client, mission, outsider):
    client.force_login(outsider)

    response = client.get("/")

    assert response.status_code == 403
    assert b"Not allowed" in response.content
    assert b"Your login has no access to this mission." in response.content


@pytest.mark.parametrize(("language", "title_404", "title_500"), [
    ("ru", "Страница не найдена", "Ошибка сервера"),
    ("kk", "Бет табылмады", "Сервер қатесі"),
])
def test_the_error_pages_are_translated(observer, language, title_404, title_500):
    client = _client(observer)
    client.cookies["django_language"] = language

    not_found = client.get("/no-such-page/")
    failed = client.get("/failing/")

    assert title_404 in not_found.content.decode()
    assert title_500 in failed.content.decode()
