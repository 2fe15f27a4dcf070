"""The main pages under eom's Content-Security-Policy in real Chromium: nothing is blocked
(no violation reported, no script error), htmx still updates the lists, the admin and the API's
Swagger UI still work, and the photos of a report are shown."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from eom.observation import services
from tests.browser.conftest import log_in
from tests.factories import make_form, make_meeting, question
from tests.observation import photo_files
from tests.observation.scene import at, send, set_up

REPORT = "5d6f0a9e-1c2b-4e3f-8a7b-9c0d1e2f3a4b"
# Reports every violation as a console error, whatever the page does with the event.
VIOLATIONS = """document.addEventListener("securitypolicyviolation", (e) => console.error(
  "CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline code")
  + " at " + e.sourceFile + ":" + e.lineNumber));"""


@pytest.fixture
def scene(transactional_db, mission, tree, core_member, observer, other_team, settings,
          tmp_path):
    settings.MEDIA_ROOT = tmp_path
    set_up(mission, tree, observer, other_team)
    send(observer, mission, "01001")
    send(core_member, mission, "02001")
    make_form(mission, "incident", "incident", [
        question("png", "image"), question("jpeg", "image"), question("webp", "image"),
    ])
    photos = {"png": photo_files.png(), "jpeg": photo_files.jpeg(), "webp": photo_files.WEBP}
    services.ingest_submission(
        actor=observer, channel="page", mission=mission, data=services.SubmissionInput(
            uuid=uuid.UUID(REPORT), form_id="incident", location_code="01001", answers={},
            observed_at=at(12), attachments={
                name: SimpleUploadedFile(f"{name}.bin", content, "application/octet-stream")
                for name, content in photos.items()}))
    make_meeting(mission, actor=core_member, place="Central Election Commission",
                 topics=["voter lists"])
    return tree


@pytest.fixture
def problems(page):
    """Every CSP violation, console error and uncaught script error on the page."""
    found: list[str] = []
    page.add_init_script(VIOLATIONS)

    def on_console(message) -> None:
        # The admin's pages name no icon: the browser's own try at /favicon.ico is no error.
        if message.location.get("url", "").endswith("/favicon.ico"):
            return
        if message.type == "error" or "Content Security Policy" in message.text:
            found.append(f"console {message.type}: {message.text} ({message.location})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: found.append(f"page error: {error}"))
    return found


def visit(page, live_server, path: str) -> None:
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 200, path
    assert "Content-Security-Policy" in {name.title() for name in response.headers}, path
    page.wait_for_load_state("networkidle")


def test_core_team_pages_run_under_the_policy_without_a_violation(
        page, live_server, scene, core_member, problems):
    log_in(page, live_server, core_member.username)
    for path in ["/", "/meetings/", "/meetings/new/", f"/observe/{scene['01001'].pk}/voting/",
                 "/analysis/", "/coverage/", "/results/", "/admin/", "/admin/missions/meeting/"]:
        visit(page, live_server, path)
    assert problems == []


def test_the_submissions_filter_updates_the_list_through_htmx(page, live_server, scene,
                                                               core_member, problems):
    log_in(page, live_server, core_member.username)
    visit(page, live_server, "/submissions/")
    assert page.locator("#submission-results p.count").inner_text() == "3 submissions"
    page.select_option("select[name=region]", "R2")
    page.wait_for_url("**region=R2**")
    expect(page.locator("#submission-results p.count")).to_have_text("1 submission")
    assert problems == []


def test_the_meetings_search_updates_the_list_through_htmx(page, live_server, scene,
                                                            core_member, problems):
    log_in(page, live_server, core_member.username)
    visit(page, live_server, "/meetings/")
    page.fill("input[name=q]", "voter")
    page.wait_for_url("**q=voter**")
    assert "Central Election Commission" in page.locator("#meeting-results").inner_text()
    assert problems == []


def test_a_reports_photos_are_shown_on_its_page(page, live_server, scene, core_member,
                                                problems):
    log_in(page, live_server, core_member.username)
    visit(page, live_server, f"/submissions/{REPORT}/")
    images = page.locator("figure.attachment img")
    assert images.count() == 3
    sizes = [images.nth(k).evaluate("img => [img.complete, img.naturalWidth]")
             for k in range(3)]
    assert sorted(sizes) == [[True, 1], [True, 2], [True, 8]]
    assert problems == []


def test_the_admin_change_form_works_under_the_policy(page, live_server, scene, core_member,
                                                      problems):
    log_in(page, live_server, core_member.username)
    visit(page, live_server, "/admin/missions/meeting/")
    page.locator("#result_list tbody tr th a").first.click()
    page.wait_for_url("**/change/")
    page.wait_for_load_state("networkidle")
    assert page.locator("#content h1").count() == 1
    assert problems == []


def test_the_api_documentation_renders_under_the_policy(page, live_server, scene, core_member,
                                                        problems):
    log_in(page, live_server, core_member.username)
    visit(page, live_server, "/api/docs")
    page.wait_for_selector(".swagger-ui .opblock")
    assert page.locator(".swagger-ui .opblock").count() > 10
    page.locator(".swagger-ui .opblock-summary").first.click()
    page.wait_for_selector(".swagger-ui .opblock-body")
    assert problems == []


def test_an_observers_checklist_and_outbox_run_under_the_policy(page, live_server, scene,
                                                                observer, problems):
    log_in(page, live_server, observer.username)
    visit(page, live_server, "/observe/")
    visit(page, live_server, f"/observe/{scene['01001'].pk}/voting/")
    page.fill("input[name=registered]", "100")
    page.fill("input[name=voted]", "400")
    page.locator('[data-question="voted"] .error.live').wait_for(state="visible")
    assert page.evaluate("navigator.serviceWorker.ready.then((r) => Boolean(r.active))")
    assert problems == []
