"""Every page fits a phone: at 390 px no page scrolls sideways, for any role, in English and in
Kazakh (the longest words), and no short word (a team or station code) is broken over lines.

The ground is the access scene (a record of every kind, a login of every access level) with the
demo's counting, tabulation and incident checklists, 120 more polling stations with official
protocols of the seven parties, the announced seats, 1,200 opening reports and a quick-count
sample whose stations reported: enough for the figure pages (quick count, analysis, forensics,
seats) to draw their wide tables.

Each role walks, in one browser context per language (the two loaded side by side), the pages of
its menu and one page of each other kind the access matrix opens for it that no role before it
walked (the roles that see everything come first; the observer adds the demo's checklists at its
station). Key figure tables must show all their columns at 390 px, and at 1,366 px in Kazakh.
A failure names the page, its width and the element that sticks out.
"""

from __future__ import annotations

import datetime as dt
from contextlib import ExitStack
from urllib.parse import urlsplit

import numpy as np
import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from eom.missions.models import AnnouncedResult, LocationLevel
from eom.missions.services import recompute_totals
from eom.observation.models import Form, Submission
from eom.reporting.pvt import draw_sample
from eom.results.models import Protocol, Source
from eom.results.services import OBSERVER_PARTY_QUESTIONS
from tests.access import matrix
from tests.access.scene import ROLES, build
from tests.access.urls import all_patterns, path_for
from tests.access.walk import auth_for
from tests.factories import KZ_PARTY_CODES, load_checklist, make_location

PHONE, DESKTOP = 390, 1366
# The roles that see most first; the superuser's pages are the administrator's.
WALKERS = ("core", "administrator", "analyst", "coordinator", "observer")
LANGUAGES = ("en", "kk")
# The tables of key figures, which must show every column without scrolling inside their box;
# the analysis of the demo's counting and opening checklists is walked too (their answer labels,
# the opening's 1,200 reports).
FIGURES = {
    "/analysis/quick-count/": "#estimates",
    "/analysis/": "section.analysis-question table",
    "/results/seats/": "#seats, #allocation",
}
ANALYSES = ("/analysis/?form=counting", "/analysis/?form=opening")
DEMO_CHECKLISTS = ("opening", "counting", "incident")  # walked by the observer at its station
NOT_PAGES = {"observation:service_worker", "observation:attachment", "api:openapi-view",
             "api:openapi-json", "login",
             # files to download, not pages
             "complaints:export", "complaints:document", "media:items_export",
             "dataout:submissions", "dataout:photos", "dataout:odata_service",
             "dataout:complaints_figures", "dataout:media_figures",
             "dataout:odata_metadata", "dataout:odata_entity_set",
             "publications:download"}

# In the page: how far the document reaches past the screen, the outermost elements that stick
# out (their parent fits), and short words broken over lines. An element inside a box that
# scrolls or clips sideways does not count: that box is what scrolls.
MEASURE = """(figures) => {
  const root = document.documentElement, width = root.clientWidth;
  const inBox = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return true;
    }
    return false;
  };
  const name = (el) => {
    const cls = [...el.classList].map((c) => "." + c).join("");
    const text = (el.innerText || "").trim().replace(/\\s+/g, " ").slice(0, 50);
    return `<${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${cls}> `
      + `${Math.round(el.getBoundingClientRect().right)} px "${text}"`;
  };
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1 || inBox(el)) continue;
    const parent = el.parentElement.getBoundingClientRect();
    if (el.parentElement === document.body || parent.right <= width + 1) wide.push(name(el));
  }
  // A short word (a code) broken inside, not after a hyphen or a slash: letters cut apart.
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  const top = (node, i) => {
    range.setStart(node, i);
    range.setEnd(node, i + 1);
    return Math.round(range.getBoundingClientRect().top);
  };
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent, word = text.trim();
    if (!word || /\\s/.test(word) || word.length > 24) continue;
    range.selectNodeContents(node);
    if (new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size < 2) continue;
    const first = text.indexOf(word);
    for (let i = first + 1; i < first + word.length; i++) {
      if (top(node, i) !== top(node, i - 1) && !"-/".includes(text[i - 1])) {
        broken.push(`"${word}" in ${name(node.parentElement)}`);
        break;
      }
    }
  }
  const scrolled = (boxes) => [...boxes].filter((b) => b.scrollWidth > b.clientWidth + 1)
    .map((b) => `${name(b.firstElementChild || b)} in a box of ${b.clientWidth} px`);
  const inner = scrolled(document.querySelectorAll(".table-scroll"));
  const boxes = figures ? [...document.querySelectorAll(figures)].map(
    (t) => t.closest(".table-scroll") || t) : [];
  return {scrollWidth: root.scrollWidth, width, wide: wide.slice(0, 3),
          broken: broken.slice(0, 3), inner, figures: scrolled(boxes)};
}"""


def enrich(scene) -> None:
    """The figure pages' data: stations with official protocols, announced seats, the demo's
    counting and tabulation checklists, and a quick-count sample whose stations reported."""
    mission, tree = scene.mission, scene.tree
    contest = scene["contest"]
    rng = np.random.default_rng(19)
    protocols = []
    for k in range(120):
        district = tree["D1"] if k % 2 else tree["D2"]
        registered = int(rng.integers(800, 3000))
        station = make_location(mission, LocationLevel.POLLING_STATION, f"S{k:04d}", district,
                                n_registered=registered)
        issued = int(rng.binomial(registered, 0.55))
        invalid = int(rng.binomial(issued, 0.02))
        valid = issued - invalid
        shares = rng.dirichlet([40, 8, 6, 6, 5, 4, 2, 1])
        split = rng.multinomial(valid, shares)
        protocols.append(Protocol(
            mission=mission, contest=contest, location=station, source=Source.OFFICIAL,
            n_registered=registered, n_received=issued + 50, n_issued=issued, n_cancelled=50,
            n_in_boxes=issued, n_invalid=invalid, n_valid=valid,
            n_against_all=int(split[-1]),
            votes={code: int(n) for code, n in zip(KZ_PARTY_CODES, split, strict=False)}))
    Protocol.objects.bulk_create(protocols)
    recompute_totals(mission)
    for order, party in enumerate(contest.election.parties.order_by("registration_order")):
        AnnouncedResult.objects.update_or_create(
            contest=contest, party=party,
            defaults={"votes": 1_000_000 // (order + 1), "seats": [40, 8, 6, 6, 5, 4, 0][order]})

    for name in ("counting", "tabulation", "incident"):
        load_checklist(mission, name)
    sample, _created = draw_sample(actor=None, channel="command", mission=mission, name="PVT",
                                   size=12, seed=5, teams=[scene["own_team"],
                                                           scene["other_team"]])
    counting = Form.objects.get(mission=mission, form_id="counting")
    at = timezone.make_aware(dt.datetime(2023, 3, 19, 21))
    opening_reports(mission, rng)
    for k, sampled in enumerate(sample.stations.select_related("location")):
        votes = [400 + 9 * k, 90 + k, 60, 55, 40 + k, 30, 12]
        answers = {"n_registered": 1500 + k, "n_in_boxes": sum(votes) + 40, "n_against_all": 25,
                   **dict(zip(OBSERVER_PARTY_QUESTIONS, votes, strict=True)),
                   "protocol_posted": "yes" if k % 3 else "no",
                   "assessment": ("very_good", "good", "good", "bad")[k % 4]}
        Submission.objects.create(
            mission=mission, form=counting, form_version=counting.current_version,
            location=sampled.location, team=sampled.team, observed_at=at, channel="api",
            answers=answers)


def opening_reports(mission, rng, n: int = 1_200) -> None:
    """As many opening reports as a national mission gets (four-digit counts on the analysis
    page), each answering every choice question of the demo's opening checklist."""
    form = Form.objects.get(mission=mission, form_id="opening")
    version = form.current_version
    questions = [q for section in version.definition["sections"] for q in section["questions"]
                 if q["type"] in {"select_one", "select_multiple"}]
    stations = list(mission.locations.filter(level=LocationLevel.POLLING_STATION))
    at = timezone.make_aware(dt.datetime(2023, 3, 19, 7, 30))
    reports = []
    for k in range(n):
        answers = {}
        for q in questions:
            names = [c["name"] for c in q["choices"]]
            size = 2 if q["type"] == "select_multiple" else 1
            picked = [str(name) for name in rng.choice(names, size=size, replace=False)]
            answers[q["name"]] = picked if q["type"] == "select_multiple" else picked[0]
        reports.append(Submission(mission=mission, form=form, form_version=version,
                                  location=stations[k % len(stations)], observed_at=at,
                                  channel="api", answers=answers))
    Submission.objects.bulk_create(reports)


def pages_of(scene, role: str) -> list[tuple[str, str]]:
    """(URL pattern, path) of the pages the matrix opens for the role with its session (not the
    service worker, files, the API's documentation or the sign-in)."""
    column = ROLES.index(role)
    paths = []
    for pattern in all_patterns():
        for visit, row in matrix.PAGES.get(pattern.key, []):
            if (visit.method == "get" and auth_for(pattern.key, visit) == "session"
                    and pattern.key not in NOT_PAGES and row.split()[column] == "200"):
                paths.append((pattern.key, path_for(pattern, visit.kwargs(scene))))
    return paths


def session_cookie(user) -> str:
    """A signed-in session (with its two-factor code, as tests/conftest.py gives force_login)."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture
def scene(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    built = build(canaries=False)
    enrich(built)
    return built


def open_as(browser, live_server, cookie: str, language: str, width: int):
    """A page in a new browser context signed in by the session cookie, in the language."""
    context = browser.new_context(viewport={"width": width, "height": 844},
                                  service_workers="block")
    context.add_cookies([
        {"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url},
        {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    return context.new_page()


def measure_all(pages: dict, url: str) -> dict[str, dict]:
    """What sticks out of the page at `url` in each of the pages (one per language), loaded
    side by side."""
    with ExitStack() as loading:
        for page in pages.values():
            loading.enter_context(page.expect_navigation(wait_until="domcontentloaded"))
            page.evaluate("url => { setTimeout(() => { location.href = url; }); }", url)
    return {language: page.evaluate(MEASURE, FIGURES.get(urlsplit(url).path, ""))
            for language, page in pages.items()}


def problems(found: dict) -> str:
    wrong = []
    if found["scrollWidth"] > found["width"]:
        wrong.append(f"{found['scrollWidth']} px wide, sticking out: {found['wide']}")
    if found["broken"]:
        wrong.append(f"words broken over lines: {found['broken']}")
    if found["figures"]:
        wrong.append(f"figures scrolled out of sight: {found['figures']}")
    return "; ".join(wrong)


def paths_to_walk(scene, role: str, menu: list[str], walked: set[str]) -> list[str]:
    """The role's menu pages, and one page of each kind it opens that no role walked before
    (Django's admin left out); the observer's checklists of the demo too."""
    paths = []
    if role == "observer":
        station = scene.tree["01001"].pk
        paths += [f"/observe/{station}/{form_id}/" for form_id in DEMO_CHECKLISTS]
    for pattern_key, path in pages_of(scene, role):
        if path not in menu and pattern_key not in walked:
            paths.append(path)
        walked.add(pattern_key)
    if "reporting:analysis" in walked and ANALYSES[0] not in walked:
        walked.update(ANALYSES)
        paths += ANALYSES
    return [p for p in dict.fromkeys([*menu, *paths]) if not p.startswith("/admin/")]


def test_no_page_scrolls_sideways_on_a_phone(browser, live_server, scene):
    failures, walked = [], set()
    for role in WALKERS:
        cookie = session_cookie(scene.users[role])
        pages = {language: open_as(browser, live_server, cookie, language, PHONE)
                 for language in LANGUAGES}
        pages["en"].goto(f"{live_server.url}/")
        menu = pages["en"].eval_on_selector_all("nav.main a", "as => as.map(a => a.pathname)")
        for path in paths_to_walk(scene, role, menu, walked):
            for language, found in measure_all(pages, f"{live_server.url}{path}").items():
                if wrong := problems(found):
                    failures.append(f"{role} {language} {path}: {wrong}")
        for page in pages.values():
            page.context.close()
    # On a desktop the figure tables show every column, in the longest language too.
    page = open_as(browser, live_server, session_cookie(scene.users["core"]), "kk", DESKTOP)
    for path in [*FIGURES, *ANALYSES]:
        found = measure_all({"kk": page}, f"{live_server.url}{path}")["kk"]
        if wrong := problems(found) or found["inner"]:
            failures.append(f"core kk {path} at {DESKTOP} px: {wrong}")
    page.context.close()
    assert failures == [], "\n".join(failures)
