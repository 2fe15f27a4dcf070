"""Signing in on a phone-sized screen in real Chromium: the lock message, enrolling an
authenticator app (QR code and key), and the API tokens page."""

import base64

from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.conftest import current_code, log_in


def _fits_a_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_core_member_enrols_an_authenticator_app_on_a_phone(page, live_server,
                                                                transactional_db, core_member):
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", core_member.username)
    page.fill("input[name=password]", "pw-for-tests")
    page.click("button[type=submit].primary")
    page.wait_for_url("**/account/two-factor/enrol/**")

    assert page.locator(".qr svg").is_visible()
    assert _fits_a_phone(page)
    assert page.locator("nav.main").count() == 0
    secret = page.locator("code.secret").inner_text().strip()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8)).hex()
    page.fill("input[name=code]", current_code(key))
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{live_server.url}/")

    assert page.locator("h1").inner_text() == "Mission overview"
    assert TOTPDevice.objects.get(user=core_member).key == key
    assert page.foreign_requests == []


def test_the_lock_message_says_when_to_try_again_on_a_phone(page, live_server,
                                                             transactional_db, observer):
    page.goto(f"{live_server.url}/login/")
    for _ in range(5):
        page.fill("input[name=username]", observer.username)
        page.fill("input[name=password]", "wrong password")
        page.click("button[type=submit].primary")
        page.wait_for_load_state()

    assert "Too many failed sign-ins for this user name" in page.locator("form.stacked").inner_text()
    assert _fits_a_phone(page)


def test_the_tokens_page_creates_shows_once_and_revokes_on_a_phone(page, live_server,
                                                                   transactional_db, observer):
    log_in(page, live_server, observer.username)
    page.goto(f"{live_server.url}/account/tokens/")
    page.fill("input[name=name]", "spreadsheet of the team")
    page.click("button[type=submit].primary")

    token = page.locator("[data-new-token]").inner_text()
    assert token.startswith("eom_")
    assert _fits_a_phone(page)
    page.click("ul.tokens button[type=submit]")
    page.wait_for_url(f"{live_server.url}/account/tokens/")
    assert "revoked" in page.locator("ul.tokens").inner_text()
    assert page.locator("[data-new-token]").count() == 0
    assert _fits_a_phone(page)
