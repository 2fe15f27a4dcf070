"""A real Chromium driven by Playwright against the live test server.

Without Chromium the tests skip and say how to enable them; under CI (CI=true) they fail instead.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

CHROMIUM_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def chromium_path() -> str | None:
    configured = os.environ.get("EOM_CHROMIUM")
    if configured:
        return configured if Path(configured).exists() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if executable is None:
        message = (
            "Chromium is not installed: install Debian's `chromium` (apt-get install chromium) "
            "or set EOM_CHROMIUM=/path/to/chromium to run the browser tests"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # test itself are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    foreign: list[str] = []
    page.on(
        "request",
        lambda request: None
        if request.url.startswith((live_server.url, "data:"))
        else foreign.append(request.url),
    )
    page.foreign_requests = foreign
    yield page
    context.close()


def log_in(page, live_server, username: str, password: str = "pw-for-tests") -> None:
    """Sign in on the login page; a core-team or administrator login also gives the code of
    its authenticator device (one is enrolled for it if it has none)."""
    device = _two_factor_device(username)
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit].primary")
    if device is not None:
        page.wait_for_url("**/account/two-factor/**")
        page.fill("input[name=code]", current_code(device.key))
        page.click("button[type=submit].primary")
    # An observer lands on its Observe page, everyone else on the overview.
    page.wait_for_url(re.compile(rf"^{re.escape(live_server.url)}/(observe/)?$"))


def wait_for(page, expression: str, *, every_ms: int = 200, within_ms: int = 10_000):
    """Wait until `expression` (a JavaScript expression or function, its promise awaited) is
    truthy in the page; returns its value. page.wait_for_function cannot do it under eom's
    Content-Security-Policy (it runs its predicate through eval); page.evaluate is run by the
    browser's debugger, outside the page's policy."""
    waited = 0
    while not (value := page.evaluate(expression)):
        if waited >= within_ms:
            raise AssertionError(f"still false after {within_ms} ms: {expression}")
        page.wait_for_timeout(every_ms)
        waited += every_ms
    return value


def _two_factor_device(username: str):
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from eom.missions import twofactor

    user = get_user_model().objects.get(username=username)
    if not twofactor.required_for(user):
        return None
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="browser tests", confirmed=True)


def current_code(key_hex: str) -> str:
    """The code an authenticator app holding this secret shows now."""
    from django_otp.oath import TOTP

    return f"{TOTP(bytes.fromhex(key_hex)).token():06d}"
