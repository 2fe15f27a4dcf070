"""1,000 random offline / online / failing-server sequences against the observer's outbox in
headless Chromium, counting records lost and records sent into storage twice (both must be 0).

    .venv/bin/python bench/bench_offline.py [SEQUENCES]
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("EOM_DATA_DIR", tempfile.mkdtemp(prefix="eom-bench-offline-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eom.settings")
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from tests.browser.conftest import CHROMIUM_FLAGS, chromium_path  # noqa: E402
from tests.browser.offline_driver import Server, run_sequence  # noqa: E402
from tests.factories import make_mission, make_person, make_team, make_tree, make_user  # noqa: E402
from tests.observation.scene import set_up  # noqa: E402
from waitress.server import create_server  # noqa: E402

from eom.missions.models import Access  # noqa: E402
from eom.observation.models import Submission  # noqa: E402
from eom.wsgi import application  # noqa: E402


def main(sequences: int) -> None:
    call_command("migrate", interactive=False, verbosity=0)
    mission = make_mission()
    tree = make_tree(mission)
    observer = make_user(mission, Access.OBSERVER, area=tree["D1"])
    observer.set_password("bench-password")
    observer.save()
    make_team(mission, "STO-1", [observer.person, make_person(mission)], area=tree["D1"])
    other = make_team(mission, "STO-2", [make_person(mission)], area=tree["D2"])
    set_up(mission, tree, observer, other)
    server = create_server(application, host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    url = f"http://localhost:{server.socket.getsockname()[1]}"
    executable = chromium_path() or shutil.which("chromium")
    started = time.perf_counter()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{url}/login/")
        page.fill("input[name=username]", observer.username)
        page.fill("input[name=password]", "bench-password")
        page.click("button[type=submit].primary")
        page.wait_for_url(f"{url}/")
        page.goto(f"{url}/observe/")
        watcher = Server(page)
        for seed in range(sequences):
            run_sequence(page, context, watcher, seed, f"{url}/observe/")
        browser.close()
    seconds = time.perf_counter() - started
    stored = {str(s.uuid) for s in Submission.objects.all()}
    lost = len(watcher.tally.created - stored)
    twice = sum(1 for n in watcher.tally.stored_201.values() if n > 1)
    print(f"sequences: {sequences:,} in {seconds:.0f} s ({seconds / sequences * 1000:.0f} ms each)")
    print(f"records created offline/online: {len(watcher.tally.created):,}")
    print(f"records stored: {len(stored):,}")
    print(f"lost: {lost}")
    print(f"stored twice: {twice}")
    server.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
