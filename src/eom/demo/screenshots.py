"""Take the documentation's screenshots of the demo mission in headless Chromium.

    python -m eom.demo.screenshots docs/screenshots [NAME ...]

Loads the demo into the configured database if needed, serves it on a free local port, logs
in as the demo's core-team user and saves PNGs of the main pages (desktop and phone widths);
with names, only those pages ("complaints complaints-phone"). A PNG over MAX_PNG_BYTES is
saved again in 256 colours (Pillow), which keeps the docs' images small.
Needs the test extras (Playwright) and Chromium (EOM_CHROMIUM or `chromium` on PATH).
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import sys
import threading
from pathlib import Path

PAGES = [
    ("overview", "/", 1280, "core"),
    ("locations", "/locations/", 1280, "core"),
    ("location-region", "/locations/?q=KZ-02", 1280, "core"),
    ("people", "/people/", 1280, "core"),
    ("teams", "/teams/?kind=lto", 1280, "core"),
    ("meetings", "/meetings/", 1280, "core"),
    ("meeting", "/meetings/1/", 1280, "core"),
    ("overview-phone", "/", 390, "core"),
    ("meetings-phone", "/meetings/", 390, "core"),
    ("coverage", "/coverage/", 1280, "core"),
    ("situation-room", "/situation/", 1280, "core"),
    ("situation-room-phone", "/situation/", 390, "core"),
    ("submissions", "/submissions/?flag=high", 1280, "core"),
    ("submission", "{flagged}", 1280, "core"),
    ("conflicts", "/conflicts/", 1280, "core"),
    ("forms", "/forms/", 1280, "core"),
    ("analysis", "/analysis/?form=voting&question=assessment", 1280, "core"),
    ("analysis-phone", "/analysis/?form=voting", 390, "core"),
    ("quick-count", "/analysis/quick-count/", 1280, "core"),
    ("quick-count-phone", "/analysis/quick-count/", 390, "core"),
    ("forensics", "/results/forensics/", 1280, "core"),
    ("results-seats", "/results/seats/", 1280, "core"),
    ("results-discrepancies", "/results/discrepancies/", 1280, "core"),
    ("results-aggregation", "/results/aggregation/", 1280, "core"),
    ("report", "/reports/preliminary-statement/#election_day", 1280, "core"),
    ("report-section-phone", "/reports/preliminary-statement/sections/voting/", 390, "core"),
    ("report-figure", "/reports/preliminary-statement/figures/indicator:voting.voting_negative/",
     1280, "core"),
    ("assignments-phone", "/observe/", 390, "observer"),
    ("checklist-phone", "{checklist}", 390, "observer"),
    ("my-submissions-phone", "/observe/mine/", 390, "observer"),
    # the weeks before election day: LTO reports, complaints, media monitoring
    ("lto-reports", "/lto/", 1280, "core"),
    ("lto-report", "{lto_report}", 1280, "core"),
    ("lto-rollup", "/lto/rollup/?heading=campaign_environment", 1280, "core"),
    ("lto-report-phone", "{lto_report}", 390, "coordinator"),  # an LTO of team LTO-01
    ("complaints", "/complaints/", 1280, "core"),
    ("complaints-figures", "/complaints/figures/", 1280, "core"),
    ("complaints-phone", "/complaints/", 390, "core"),
    ("media", "/media/", 1280, "core"),
    ("media-items", "/media/items/", 1280, "core"),
    ("media-phone", "/media/", 390, "core"),
    # the standards: evidence by commitment, the previous report's recommendations
    ("standards", "/standards/", 1280, "core"),
    ("standards-recommendations", "/standards/recommendations/", 1280, "core"),
    ("standards-phone", "/standards/", 390, "core"),
    ("standards-recommendations-phone", "/standards/recommendations/", 390, "core"),
    # the same pages in Russian and Kazakh (the fifth field: the browser's language)
    *((f"{name}-{lang}", path, width, user, lang)
      for lang in ("ru", "kk")
      for name, path, width, user in (("overview", "/", 1280, "core"),
                                      ("checklist-phone", "{checklist}", 390, "observer"),
                                      ("analysis", "/analysis/?form=voting", 1280, "core"),
                                      ("results-seats", "/results/seats/", 1280, "core"),
                                      ("complaints", "/complaints/", 1280, "core"),
                                      ("media", "/media/", 1280, "core"))),
]
MAX_PNG_BYTES = 300_000
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _paths() -> dict[str, str]:
    """Addresses of pages that depend on the data: a flagged submission, an observer's form,
    LTO-01's report with a confidential passage (the demo LTO's team)."""
    from django.contrib.auth import get_user_model

    from eom.lto.models import ConfidentialPassage
    from eom.observation.models import Submission
    from eom.observation.permissions import assigned_locations

    flagged = Submission.objects.filter(n_flags__gt=0).order_by("-n_flags", "observed_at").first()
    observer = get_user_model().objects.get(username="observer")
    station = assigned_locations(observer, observer.person.mission).order_by("path").first()
    passage = ConfidentialPassage.objects.filter(report__team__code="LTO-01").first()
    return {
        "flagged": f"/submissions/{flagged.uuid}/" if flagged else "/submissions/",
        "checklist": f"/observe/{station.pk}/voting/" if station else "/observe/",
        "lto_report": f"/lto/{passage.report_id}/" if passage else "/lto/",
    }


def _sign_in(browser, base: str, username: str) -> dict:
    """Sign in as a demo login (with the demo's two-factor code when asked); its cookies."""
    from eom.demo import kz2023

    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", kz2023.DEMO_PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(lambda url: "/login/" not in url)
    if "/account/two-factor/" in page.url:
        page.fill("input[name=code]", kz2023.two_factor_code())
        page.click("button[type=submit].primary")
    page.wait_for_url(lambda url: url in {f"{base}/", f"{base}/observe/"})  # an observer's home
    state = context.storage_state()
    context.close()
    return state


def _small(path: Path) -> None:
    """The PNG again in 256 colours when it is over MAX_PNG_BYTES (text and flat colours stay
    sharp), and in 128 or 64 when it is over still (a long phone page)."""
    from PIL import Image

    for colours in (256, 128, 64):
        if path.stat().st_size <= MAX_PNG_BYTES:
            return
        with Image.open(path) as image:
            smaller = image.convert("RGB").quantize(colors=colours)
        smaller.save(path, optimize=True)


def main(out_dir: str, only: set[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eom.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from playwright.sync_api import sync_playwright
    from waitress.server import create_server

    from eom.wsgi import application

    call_command("demo", no_serve=True, stdout=io.StringIO())  # with the simulated day
    port = _free_port()
    server = create_server(application, host="127.0.0.1", port=port, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    executable = settings.EOM_CHROMIUM or shutil.which("chromium")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = _paths()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=FLAGS)
        signed_in: dict[str, dict] = {}  # one sign-in per login: a code is accepted once
        for name, path, width, username, *language in PAGES:
            if only and name not in only:
                continue
            path = path.format(**paths)
            if username not in signed_in:
                signed_in[username] = _sign_in(browser, base, username)
            context = browser.new_context(viewport={"width": width, "height": 900},
                                          locale=(language or ["en-GB"])[0],
                                          storage_state=signed_in[username])
            page = context.new_page()
            page.goto(base + path)
            page.wait_for_load_state("networkidle")  # parts a page fetches once it is loaded
            page.screenshot(path=str(out / f"{name}.png"), full_page=width < 1000)
            _small(out / f"{name}.png")
            print(out / f"{name}.png")
            context.close()
        browser.close()
    server.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots",
                          set(sys.argv[2:])))
