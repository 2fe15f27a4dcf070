"""Random offline / online / failing-server sequences against the observer's outbox.

Used by tests/browser/test_offline_outbox.py (50 sequences) and bench/bench_offline.py (1,000).
Each sequence adds and edits checklists in the browser's outbox while the connection comes and
goes and the server fails some requests; at the end the connection returns and the outbox is
flushed. It reports how many records were created, stored, lost, and sent into storage twice.
"""

from __future__ import annotations

import random
import uuid
from collections import Counter
from dataclasses import dataclass, field

from tests.browser.conftest import wait_for

STEPS = ("add", "add", "edit", "offline", "online", "fail", "abort", "heal", "flush", "reload")


@dataclass
class Tally:
    created: set[str] = field(default_factory=set)
    last_answers: dict[str, dict] = field(default_factory=dict)
    stored_201: Counter = field(default_factory=Counter)


class Server:
    """Makes the outbox's requests (POST /api/submissions/batch, and /api/submissions) fail
    (HTTP 500 or a dropped connection) while asked to, and counts each report the server
    answered 201 for."""

    def __init__(self, page) -> None:
        self.mode = "ok"
        self.tally = Tally()
        page.route("**/api/submissions", self.handle)
        page.route("**/api/submissions/batch", self.handle)

    def handle(self, route) -> None:
        if self.mode == "fail":
            route.fulfill(status=500, body="{}", content_type="application/json")
        elif self.mode == "abort":
            route.abort("connectionfailed")
        else:
            response = route.fetch()
            self.count(route.request, response)
            route.fulfill(response=response)

    def count(self, request, response) -> None:
        if request.url.endswith("/batch"):
            if response.status == 200:
                for result in response.json()["results"]:
                    if result["status"] == 201:
                        self.tally.stored_201[result["uuid"]] += 1
        elif response.status == 201:
            self.tally.stored_201[request.post_data_json["uuid"]] += 1


def record(rng: random.Random, key: str) -> dict:
    return {"uuid": key, "form_id": "voting", "location": rng.choice(["01001", "01002"]),
            "observed_at": "2023-03-19T10:00", "title": "Voting", "url": "/observe/",
            "answers": {"registered": str(rng.randint(100, 999)), "secrecy": "yes"}}


def waiting(page) -> list[dict]:
    return page.evaluate("window.eomOutbox.all()")


def run_sequence(page, context, server: Server, seed: int, url: str, steps: int = 8) -> None:
    rng = random.Random(seed)
    for _ in range(steps):
        step = rng.choice(STEPS)
        if step == "add":
            data = record(rng, str(uuid.UUID(int=rng.getrandbits(128), version=4)))
            if page.evaluate("r => window.eomOutbox.add(r)", data):
                server.tally.created.add(data["uuid"])
                server.tally.last_answers[data["uuid"]] = data["answers"]
        elif step == "edit":
            pending = [r for r in waiting(page) if r["state"] == "waiting"]
            if pending:
                data = dict(rng.choice(pending))
                data["answers"] = {**data["answers"], "registered": str(rng.randint(100, 999))}
                if page.evaluate("r => window.eomOutbox.add(r)", data):  # not while sending
                    server.tally.last_answers[data["uuid"]] = data["answers"]
        elif step == "offline":
            context.set_offline(True)
        elif step == "online":
            context.set_offline(False)
        elif step in {"fail", "abort"}:
            server.mode = step
        elif step == "heal":
            server.mode = "ok"
        elif step == "flush":
            page.evaluate("window.eomOutbox.flush()")
        elif step == "reload":
            page.goto(url)
    context.set_offline(False)
    server.mode = "ok"
    page.goto(url)
    wait_for(page, "window.eomOutbox && window.eomOutbox.flush()"
             ".then(() => window.eomOutbox.all()).then(r => r.length === 0)",
             every_ms=500, within_ms=30_000)
