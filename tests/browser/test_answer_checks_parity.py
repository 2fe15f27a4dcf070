"""The phone checks a checklist's answers as the server does: generated good and bad answers to
every question of the five shipped checklists (and of a form with the other types of question)
go through static/eom/answers.js in a real Chromium and through answers.clean_answers; both
accept and refuse the same answers, with the same reasons in English and in Russian, and keep
the same values. One browser page, no server."""

from __future__ import annotations

import datetime as dt
import functools
import json
import random
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.utils import translation

import eom
import eom.observation
from eom.observation import rendering
from eom.observation.answers import clean_answers, questions
from eom.xlsform.reader import read_xlsform
from tests.factories import question

STATIC = Path(eom.__file__).parent / "static" / "eom"
CHECKLISTS = Path(eom.observation.__file__).parent / "checklists"
SHIPPED = ("opening", "voting", "counting", "tabulation", "incident")
STATION = SimpleNamespace(n_registered=1177, level="polling_station", kind="urban", code="010021")
NOW = dt.datetime(2023, 3, 19, 10, 30)
SETS_PER_FORM = 80

BAD = {
    "integer": ["7.5", "-3", "1e3", "abc", "1 000", "+5", "007", " 12 ", "12\u00a0000", "٣",
                "99999999999999999999", "9223372036854775808", "--1", "0x10", "   "],
    "decimal": ["2,5", "-0.75", ".5", "5.", "1e-3", "1_000", "inf", "nan", "1,000.5", "abc",
                "1e400", "+.5E2", "١٫٥"],
    "select_one": [" yes ", "maybe", "YES", "  "],
    "select_multiple": [[], ["nowhere"], "", [" x "], ["a", "a"]],
    "time": ["24:00", "10:60", "1030", "10:30+06:00", "10:30Z", "10:30:00.5", "9:30",
             "10:30:00.1234567", "10:30-00:00", "T10:30", "10:30:59.999999"],
    "date": ["2023-02-29", "2024-02-29", "20230319", "2023-3-19", "0000-01-01", "2023-W11-7",
             "1900-02-29", "2000-02-29"],
    "datetime": ["2023-03-19 10:30:00", "2023-03-19", "2023-03-19T25:00", "2023-03-19X10:30",
                 "2023-03-19T10:30:00.120+06:00", "2023-02-29T10:00"],
    "geopoint": ["43.2 76.9 800 5", "91 0", "43,2 76,9", "1 2 3 4 5", "abc", "43.2",
                 "-90 -180", "1e400 0", "43.2  76.9 "],
    "text": ["", "  ", "a\x00b", "x" * 10_001, "Алматы 𝔸" * 6, "  padded  "],
    # XLSForm's other types (the collection of ordinary forms in test_xlsform_corpus)
    "acknowledge": ["no", "OK ", "ok", "1", "yes please"],
    "range": ["11", "-1", "abc", "2,5", "0", "10.5", "1e1"],
    "rank": [["nowhere"], "queues queues", [], "secrecy", ["lists", "queues"]],
    "geotrace": ["1 2", "1 2;abc", ";", "1 2; 3 4 ;", "91 0;1 1", "1 2;3 4;5 6 7 8 9"],
    "calculate": ["999", "", "anything"],
}
VALUE_TYPES = {"barcode": "text", "deviceid": "text", "username": "text", "email": "text",
               "phonenumber": "text", "simserial": "text", "subscriberid": "text",
               "start": "datetime", "end": "datetime", "today": "date", "geoshape": "geotrace"}
NOT_SENT = {"note", "image", "file", "audio", "video", "audit", "xml-external", "csv-external"}


def extra_form() -> dict:
    """A form with the types of question the shipped checklists do not use, a required
    expression and messages of its own."""
    questions_ = [
        question("kind", "select_one", choices=("school", "hospital", "other"), required=True),
        question("kind_other", "text", required="${kind} = 'other'"),
        question("share", "decimal", constraint=". > 0 and . <= 100",
                 constraint_message="A share between 0 and 100"),
        question("opened_on", "date", constraint=". = '2023-03-19'"),
        question("closed_at", "datetime"),
        question("where", "geopoint"),
        question("helpers", "select_multiple", choices=("a", "b", "c", "d"),
                 constraint="count-selected(.) <= 2"),
        question("remark", "text", constraint="string-length(.) <= 20",
                 relevant="${share} > 50"),
    ]
    questions_[0]["required_message"] = {"en": "Say what the building is", "ru": "Укажите здание"}
    return {"form_id": "extra", "title": "Extra", "version": "1", "stage": "voting",
            "languages": ["en", "ru"], "qa": [],
            "sections": [{"name": "", "label": {}, "relevant": "", "relevant_json": None,
                          "questions": questions_}]}


@functools.cache
def definitions() -> dict[str, dict]:
    found = {name: read_xlsform((CHECKLISTS / f"{name}.xlsx").read_bytes(), f"{name}.xlsx",
                                settings.EOM_FORM_LIMITS).to_dict() for name in SHIPPED}
    found["extra"] = extra_form()
    found.update(corpus_definitions())
    return found


def corpus_definitions() -> dict[str, dict]:
    """The ordinary XLSForms of tests/observation/test_xlsform_corpus.py, as eom reads them."""
    import tempfile

    from tests.observation.test_xlsform_corpus import SAMPLES, workbook

    found = {}
    with tempfile.TemporaryDirectory() as folder:
        for sample in SAMPLES:
            path = workbook(Path(folder) / f"{sample.name}.xlsx", sample.survey, sample.choices,
                            sample.settings)
            found[sample.name] = read_xlsform(path.read_bytes(), path.name,
                                              settings.EOM_FORM_LIMITS,
                                              media=sample.media).to_dict()
    return found


def good(rng: random.Random, q: dict):
    kind = VALUE_TYPES.get(q["type"], q["type"])
    names = [c["name"] for c in q.get("choices", [])]
    if kind == "acknowledge":
        return "OK"
    if kind == "range":
        return str(rng.randint(0, 10))
    if kind == "rank":
        return " ".join(rng.sample(names, len(names)))
    if kind == "geotrace":
        return "43.2 76.9 0 0;43.3 76.95 0 0"
    if kind == "calculate":
        return "sent by the phone"
    if kind == "integer":
        low = q["min"] if q.get("min") is not None else 0
        high = q["max"] if q.get("max") is not None else 2_000
        return str(rng.randint(low, high))
    if kind == "decimal":
        return rng.choice(["2.5", "99.75", "100", "0.1", "37"])
    if kind == "select_one":
        return rng.choice(names)
    if kind == "select_multiple":
        return rng.sample(names, rng.randint(1, min(3, len(names))))
    if kind == "time":
        return f"{rng.randint(6, 23):02d}:{rng.randint(0, 59):02d}"
    if kind == "date":
        return rng.choice(["2023-03-19", "2023-03-18"])
    if kind == "datetime":
        return f"2023-03-19T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"
    if kind == "geopoint":
        return f"{rng.uniform(-90, 90):.5f} {rng.uniform(-180, 180):.5f}"
    return rng.choice(["Bundle of ballots in box 2.", "Всё спокойно", "ok"])


def answer_sets(rng: random.Random, definition: dict) -> list[dict]:
    """Answer sets as a phone sends them: each question answered well (most often), badly, or
    not at all; in every third set, each question answered well."""
    sets = []
    for number in range(SETS_PER_FORM):
        careful = number % 3 == 0  # a third answer every question well
        raw = {}
        for _section, q in questions(definition):
            if q["type"] in NOT_SENT:
                continue
            roll = 0 if careful else rng.random()
            if roll < 0.6:
                raw[q["name"]] = good(rng, q)
            elif roll < 0.85:
                raw[q["name"]] = rng.choice(BAD[VALUE_TYPES.get(q["type"], q["type"])])
        sets.append(raw)
    return sets


@pytest.fixture(scope="module")
def answers_page(browser):
    page = browser.new_page()
    page.goto("about:blank")
    page.add_script_tag(path=str(STATIC / "xlsexpr.js"))
    page.add_script_tag(path=str(STATIC / "answers.js"))
    yield page
    page.close()


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_phone_accepts_and_refuses_the_answers_the_server_does(answers_page, language):
    rng = random.Random(20230319)
    mismatches, refused, accepted = [], 0, 0
    with translation.override(language):
        for name, definition in definitions().items():
            cases = answer_sets(rng, definition)
            logic = rendering.logic(definition, STATION)
            phone = json.loads(answers_page.evaluate(  # as text: Playwright's own is slower
                """([logic, cases, now]) => JSON.stringify(JSON.parse(cases).map((raw) => {
                     const r = window.eomAnswers.check(JSON.parse(logic), raw, now);
                     return [r.answers, r.errors];
                   }))""",
                [json.dumps(logic), json.dumps(cases), NOW.isoformat()]))
            unstable = {n for n, q in logic["questions"].items() if q.get("unstable")}
            for raw, (answers, errors) in zip(cases, phone, strict=True):
                server = clean_answers(definition, raw, location=STATION, now=NOW)
                sent = {n for n, v in raw.items() if isinstance(v, str) and v.strip()}
                for name_ in unstable & set(answers) & set(server.answers) - sent:
                    # a new uuid() on each side: compare their shapes
                    answers[name_] = len(answers[name_])
                    server.answers[name_] = len(server.answers[name_])
                if (server.answers, server.errors) != (answers, errors):
                    differing = sorted(k for k in {*server.answers, *answers, *server.errors,
                                                   *errors}
                                       if (server.answers.get(k), server.errors.get(k))
                                       != (answers.get(k), errors.get(k)))
                    mismatches.append((name, {k: (raw.get(k), server.answers.get(k),
                                                  answers.get(k), server.errors.get(k),
                                                  errors.get(k)) for k in differing}))
                refused += bool(server.errors)
                accepted += not server.errors
    assert mismatches == []
    # The corpus holds both outcomes in numbers (every set with a bad answer is refused).
    assert refused > 200 and accepted > 10


def test_seven_and_a_half_is_refused_as_a_whole_number_on_the_phone_as_on_the_server(
        answers_page):
    definition = definitions()["voting"]
    raw = {"n_registered": "7.5"}
    with translation.override("kk"):
        logic = rendering.logic(definition, STATION)
        server = clean_answers(definition, raw, location=STATION)
    phone = answers_page.evaluate("([l, r]) => window.eomAnswers.check(l, r).errors",
                                  [logic, raw])
    assert phone["n_registered"] == server.errors["n_registered"] == [
        "“7.5” — бүтін сан емес"]


REPEATS = [
    ("type", "name", "label", "relevant", "required", "constraint", "constraint_message",
     "repeat_count", "calculation", "choice_filter"),
    ("integer", "n_visits", "Visits planned", "", "yes", ". >= 0 and . <= 4", "", "", "", ""),
    ("select_one where", "where", "Where", "", "", "", "", "", "", ""),
    ("begin repeat", "visits", "Visit", "", "", "", "", "${n_visits}", "", ""),
    ("integer", "n", "Voters in the queue", "", "yes", ". < 100", "Fewer than 100", "", "", ""),
    ("calculate", "number", "", "", "", "", "", "", "position(..) * 10 + ${n}", ""),
    ("begin group", "long", "Long queue", "${n} > 20", "", "", "", "", "", ""),
    ("text", "why", "Why so long?", "", "${where} = 'city'", "string-length(.) <= 12", "", "",
     "", ""),
    ("end group", "", "", "", "", "", "", "", "", ""),
    ("select_one kind", "kind", "Kind", "position(..) > 1", "", "", "", "", "", ""),
    ("date", "on", "Day", "", "", ". = today()", "", "", "", ""),
    ("begin repeat", "rooms", "Room", "${n} > 0", "", "", "", "", "", ""),
    ("integer", "booths", "Booths", "", "yes", ". <= ${n}", "", "", "", ""),
    ("calculate", "room_no", "", "", "", "", "", "", "concat(position(..), '/', ${number})", ""),
    ("end repeat", "", "", "", "", "", "", "", "", ""),
    ("end repeat", "", "", "", "", "", "", "", "", ""),
    ("calculate", "total", "", "", "", "", "", "", "sum(${n})", ""),
    ("calculate", "visited", "", "", "", "", "", "", "count(${visits})", ""),
    ("calculate", "second", "", "", "", "", "", "", "indexed-repeat(${n}, ${visits}, 2)", ""),
    ("calculate", "all_booths", "", "", "", "", "", "", "sum(${booths})", ""),
    ("integer", "n_seen", "Voters seen", "", "", ". >= ${total}", "", "", "", ""),
]
REPEAT_CHOICES = [("list_name", "name", "label"), ("where", "city", "City"),
                  ("where", "village", "Village"), ("kind", "school", "School"),
                  ("kind", "club", "Club")]


@functools.cache
def repeat_definition() -> dict:
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in (("survey", REPEATS), ("choices", REPEAT_CHOICES)):
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return read_xlsform(out.getvalue(), "queues.xlsx", settings.EOM_FORM_LIMITS).to_dict()


def repeat_answer_sets(rng: random.Random) -> list[dict]:
    """Reports with 0 to 5 visits (more than n_visits asks for at times), each instance's
    questions answered well, badly or not at all, rooms inside them; now and then an instance
    that is not a set of answers or names no question of the form."""
    def number(low, high):
        roll = rng.random()
        return (str(rng.randint(low, high)) if roll < 0.7 else
                rng.choice(["7.5", "abc", "", "150", "-3"]) if roll < 0.9 else None)

    sets = []
    for _number in range(SETS_PER_FORM * 2):
        raw: dict = {}
        if (n_visits := number(0, 4)) is not None:
            raw["n_visits"] = n_visits
        if rng.random() < 0.8:
            raw["where"] = rng.choice(["city", "village", "town"])
        visits = []
        for _i in range(rng.randint(0, 5)):
            visit: dict = {}
            for name, value in (("n", number(0, 40)), ("why", rng.choice(
                    ["one booth", "the lists are long, very long", "", None])),
                    ("kind", rng.choice(["school", "club", "bank", None])),
                    ("on", rng.choice(["2023-03-19", "2023-03-18", "19.03.2023", None])),
                    ("number", rng.choice([None, "999"]))):
                if value is not None:
                    visit[name] = value
            if rng.random() < 0.5:
                visit["rooms"] = [{"booths": b} for b in (number(0, 30) for _r in
                                                          range(rng.randint(0, 3)))
                                  if b is not None] + ([{}] if rng.random() < 0.2 else [])
            if rng.random() < 0.03:
                visit["nowhere"] = "1"
            visits.append(visit)
        if rng.random() < 0.03:
            visits.append("not a set")  # type: ignore[arg-type]
        if visits or rng.random() < 0.1:
            raw["visits"] = visits if rng.random() > 0.02 else {"n": "3"}
        if rng.random() < 0.7:
            raw["n_seen"] = number(0, 150)
        sets.append({k: v for k, v in raw.items() if v is not None})
    return sets


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_the_phone_checks_each_repeat_instance_as_the_server_does(answers_page, language):
    rng = random.Random(20230320)
    definition = repeat_definition()
    cases = repeat_answer_sets(rng)
    with translation.override(language):
        logic = rendering.logic(definition, STATION)
        server = [clean_answers(definition, raw, location=STATION, now=NOW) for raw in cases]
    phone = json.loads(answers_page.evaluate(
        """([logic, cases, now]) => JSON.stringify(JSON.parse(cases).map((raw) => {
             const r = window.eomAnswers.check(JSON.parse(logic), raw, now);
             return [r.answers, r.errors];
           }))""",
        [json.dumps(logic), json.dumps(cases), NOW.isoformat()]))
    mismatches = [(raw, (checked.answers, checked.errors), tuple(got))
                  for raw, checked, got in zip(cases, server, phone, strict=True)
                  if [checked.answers, checked.errors] != got]
    assert mismatches[:3] == []
    assert sum(not checked.errors for checked in server) >= 10
    named = {name for checked in server for name in checked.errors}
    # the cases reach every kind of reason an instance can get, named by its instance
    assert {"visits[2]/n", "visits[1]/rooms[1]/booths", "visits[1]/long"} - named == {
        "visits[1]/long"}
    assert {"visits", "n_visits", "n_seen", "visits[3]/why", "visits[1]/on"} <= named
    stored = [checked.answers for checked in server if not checked.errors and
              len(checked.answers.get("visits", [])) >= 2]
    assert stored and all(a["visited"] == str(len(a["visits"])) for a in stored)
    assert {a["second"] for a in stored} >= {str(a["visits"][1].get("n", "")) for a in stored[:1]}


def test_a_refused_instance_reads_the_same_on_the_phone_in_kazakh(answers_page):
    definition = repeat_definition()
    raw = {"n_visits": "2", "where": "city",
           "visits": [{"n": "4", "on": "2023-03-19"}, {"n": "7.5"}, {"n": "3"}]}
    with translation.override("kk"):
        logic = rendering.logic(definition, STATION)
        server = clean_answers(definition, raw, location=STATION, now=NOW)
    phone = answers_page.evaluate("([l, r, now]) => window.eomAnswers.check(l, r, now)",
                                  [logic, raw, NOW.isoformat()])
    assert phone["errors"] == server.errors
    assert list(server.errors) == ["visits"]  # three visits where two are planned
    raw["visits"].pop()
    with translation.override("kk"):
        server = clean_answers(definition, raw, location=STATION, now=NOW)
    phone = answers_page.evaluate("([l, r, now]) => window.eomAnswers.check(l, r, now)",
                                  [logic, raw, NOW.isoformat()])
    assert phone["errors"] == server.errors == {"visits[2]/n": ["“7.5” — бүтін сан емес"]}
    assert phone["relevant"]["visits[2]/kind"] is True
    assert phone["relevant"]["visits[1]/kind"] is False
