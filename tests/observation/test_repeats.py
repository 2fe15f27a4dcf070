"""Repeats: a form with a repeat (and one inside it) loads, its XForm is pyxform's, and a report
holds each repeat as a list of instances (dicts), from ODK Collect's XML and from the JSON API,
each instance checked like the form's own questions and bounded in number."""

from __future__ import annotations

import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from eom.observation.answers import answers_env, clean_answers
from eom.observation.channels.openrosa import xform_of
from eom.observation.models import Submission
from eom.observation.services import load_form
from eom.xlsform.expressions import evaluate, parse
from tests.factories import basic_auth, make_api_token
from tests.observation.scene import set_up

START = "2023-03-19T10:02:11.123+06:00"
SURVEY = [
    ("type", "name", "label", "relevant", "constraint", "repeat_count", "calculation"),
    ("integer", "n_visits", "Visits planned", "", "", "", ""),
    ("begin repeat", "visits", "Visit", "", "", "", ""),
    ("integer", "n", "Voters in the queue", "", ". < 100", "", ""),
    ("calculate", "number", "", "", "", "", "position(..)"),
    ("begin group", "long", "Long queue", "${n} > 20", "", "", ""),
    ("text", "why", "Why so long?", "", "", "", ""),
    ("end group", "", "", "", "", "", ""),
    ("begin repeat", "rooms", "Room", "", "", "", ""),
    ("integer", "booths", "Booths", "", "", "", ""),
    ("end repeat", "", "", "", "", "", ""),
    ("end repeat", "", "", "", "", "", ""),
    ("calculate", "total", "", "", "", "", "sum(${n})"),
    ("calculate", "visited", "", "", "", "", "count(${visits})"),
    ("calculate", "second", "", "", "", "", "indexed-repeat(${n}, ${visits}, 2)"),
]


def workbook(path, survey=SURVEY, **sheets):
    """The workbook's bytes: the survey sheet, then any other sheet given by name (empty or
    None ones left out)."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in {"survey": survey, **sheets}.items():
        if rows:
            sheet = book.create_sheet(title)
            for row in rows:
                sheet.append(list(row))
    book.save(path)
    return path.read_bytes()


@pytest.fixture
def scene(mission, tree, observer, other_team, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    set_up(mission, tree, observer, other_team)
    return mission


@pytest.fixture
def version(scene, tmp_path):
    return load_form(actor=None, channel="command", mission=scene,
                     source=workbook(tmp_path / "queues.xlsx"), filename="queues.xlsx")


def test_form_with_a_repeat_and_a_nested_repeat_records_both(version):
    [visits] = [q for s in version.definition["sections"] for q in s["questions"]
                if q["type"] == "repeat"]

    assert [c["name"] for c in visits["children"]] == ["n", "number", "why", "rooms"]
    assert visits["children"][2]["relevant"] == "${n} > 20"
    assert [c["name"] for c in visits["children"][3]["children"]] == ["booths"]
    assert b'<repeat nodeset="/data/visits">' in xform_of(version)[0]
    assert b'nodeset="/data/visits/rooms"' in xform_of(version)[0]


def instance_xml(key: str, visits: list[dict]) -> bytes:
    """A filled instance as ODK Collect writes it: one <visits> element per instance."""
    parts = []
    for visit in visits:
        rooms = "".join(f"<rooms><booths>{r}</booths></rooms>" for r in visit.get("rooms", []))
        parts.append(f"<visits><n>{visit['n']}</n><number/><long><why>{visit.get('why', '')}"
                     f"</why></long>{rooms}</visits>")
    return (f"<?xml version='1.0' encoding='UTF-8' ?><data id=\"queues\" version=\"1\">"
            f"<eom_start>{START}</eom_start><eom_location>01001</eom_location>"
            f"<n_visits>3</n_visits>{''.join(parts)}<total/><visited/><second/>"
            f"<meta><instanceID>uuid:{key}</instanceID></meta></data>").encode()


def send_xml(client, observer, document):
    return client.post("/openrosa/submission", {
        "xml_submission_file": SimpleUploadedFile("instance.xml", document, "text/xml")},
        **basic_auth(observer))


def test_odk_instance_with_three_visits_is_stored_as_three_dicts(version, client, observer):
    key = str(uuid.uuid4())
    document = instance_xml(key, [{"n": 3}, {"n": 25, "why": "one booth", "rooms": [2, 3]},
                                  {"n": 5}])
    document = document.replace(b'version="1"', f'version="{version.version}"'.encode())

    response = send_xml(client, observer, document)

    assert response.status_code == 201, response.content.decode()
    answers = Submission.objects.get(uuid=key).answers
    assert answers["visits"] == [
        {"n": 3, "number": "1"},
        {"n": 25, "number": "2", "why": "one booth", "rooms": [{"booths": 2}, {"booths": 3}]},
        {"n": 5, "number": "3"},
    ]
    assert (answers["total"], answers["visited"], answers["second"]) == ("33", "3", "25")


def post_api(client, user, answers):
    body = {"uuid": str(uuid.uuid4()), "form_id": "queues", "location": "01001",
            "observed_at": "2023-03-19T10:42:00+06:00", "answers": answers}
    return client.post("/api/submissions", body, content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {make_api_token(user)}")


def test_api_report_with_a_repeat_is_stored(version, client, observer):
    response = post_api(client, observer, {"visits": [{"n": 4}, {"n": "7"}]})

    assert response.status_code == 201, response.content.decode()
    stored = Submission.objects.get()
    assert stored.answers["visits"] == [{"n": 4, "number": "1"}, {"n": 7, "number": "2"}]
    assert stored.answers["total"] == "11"


def test_more_instances_than_the_limit_are_refused_naming_the_repeat(
        version, client, observer, settings):
    settings.EOM_MAX_REPEAT_INSTANCES = 200

    response = post_api(client, observer, {"visits": [{"n": 1}] * 201})

    assert response.status_code == 422
    assert response.json()["errors"] == {"visits": ["201 items; at most 200 are allowed"]}
    assert Submission.objects.count() == 0


def test_more_instances_in_all_than_the_limit_are_refused(version, client, observer, settings):
    settings.EOM_MAX_REPEAT_TOTAL = 10

    response = post_api(client, observer,
                        {"visits": [{"n": 1, "rooms": [{"booths": 1}] * 4}] * 3})

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["visits[2]/rooms", "visits[3]/rooms"]
    assert Submission.objects.count() == 0


def test_constraint_failing_in_the_second_instance_names_it(version, client, observer):
    response = post_api(client, observer, {"visits": [{"n": 4}, {"n": 400}, {"n": 1}]})

    assert response.status_code == 422
    assert response.json()["errors"] == {"visits[2]/n": ["This answer is not allowed."]}
    assert Submission.objects.count() == 0


@pytest.mark.parametrize(("answer", "field"), [
    ("three", "visits"), ([1, 2], "visits"), ([{"n": 1, "ghost": 2}], "visits[1]/ghost"),
    ([{"rooms": "x"}], "visits[1]/rooms"),
])
def test_a_repeat_that_is_not_a_list_of_instances_is_refused(
        version, client, observer, answer, field):
    response = post_api(client, observer, {"visits": answer})

    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]


def test_relevance_inside_an_instance_reads_that_instance(version):
    checked = clean_answers(version.definition, {"visits": [
        {"n": 30, "why": "slow"}, {"n": 2, "why": "dropped: not asked"}]})

    assert checked.errors == {}
    assert checked.answers["visits"] == [{"n": 30, "number": "1", "why": "slow"},
                                         {"n": 2, "number": "2"}]


def test_repeat_count_bounds_the_instances(scene, tmp_path):
    survey = [row[:6] for row in SURVEY[:4]] + [("end repeat", "", "", "", "", "")]
    survey[2] = ("begin repeat", "visits", "Visit", "", "", "${n_visits}")
    data = workbook(tmp_path / "counted.xlsx", survey)
    version = load_form(actor=None, channel="command", mission=scene, source=data,
                        filename="counted.xlsx")

    fits = clean_answers(version.definition, {"n_visits": 2, "visits": [{"n": 1}, {"n": 2}]})
    over = clean_answers(version.definition, {"n_visits": 1, "visits": [{"n": 1}, {"n": 2}]})

    assert fits.errors == {}
    assert over.errors == {"visits": ["2 instances, but the form asks for 1"]}


def test_stored_repeat_reads_as_node_sets_in_expressions(version):
    answers = clean_answers(version.definition, {"visits": [
        {"n": 3, "rooms": [{"booths": 2}]}, {"n": 8, "rooms": [{"booths": 4}, {"booths": 1}]},
    ]}).answers
    env = answers_env(version.definition, answers)

    def value(text):
        return evaluate(parse(text), env)

    assert [value("count(${visits})"), value("count(/data/visits/rooms)"), value("sum(${booths})"),
            value("max(${n})"), value("min(${booths})"), value("join('-', ${n})"),
            value("indexed-repeat(${booths}, ${rooms}, 3)"), value("${n} = 3")] == [
        2, 3, 7, 8, 1, "3-8", 1, True]


def test_indexed_repeat_of_five_arguments_reads_a_room_of_one_visit(version):
    raw = {"visits": [{"n": 3, "rooms": [{"booths": 2}]}, {"n": 8},
                      {"n": 5, "rooms": [{"booths": 4}, {"booths": 1}]}]}
    checked = clean_answers(version.definition, raw)
    env = answers_env(version.definition, checked.answers)

    def value(text):
        return evaluate(parse(text), env)

    assert env["instances:rooms"] == (1, 0, 2)
    assert [value(f"indexed-repeat(${{booths}}, ${{visits}}, {i}, ${{rooms}}, {j})")
            for i, j in ((1, 1), (1, 2), (2, 1), (3, 1), (3, 2), (4, 1))] == [2, "", "", 4, 1, ""]


def test_indexed_repeat_of_five_arguments_reads_the_answers_being_checked(scene, tmp_path):
    data = workbook(tmp_path / "rooms.xlsx", [
        *SURVEY, ("calculate", "last_booths", "", "", "", "",
                  "indexed-repeat(${booths}, ${visits}, 2, ${rooms}, 2)")])
    version = load_form(actor=None, channel="command", mission=scene, source=data,
                        filename="rooms.xlsx")

    checked = clean_answers(version.definition, {"visits": [
        {"n": 3, "rooms": [{"booths": 2}]}, {"n": 8, "rooms": [{"booths": 4}, {"booths": 6}]}]})

    assert (checked.errors, checked.answers["last_booths"]) == ({}, "6")


def checklist_url(tree):
    return reverse("observation:checklist", args=[tree["01001"].pk, "queues"])


def test_checklist_page_adds_and_removes_instances_then_sends_them(
        version, client, observer, tree):
    client.force_login(observer)
    base = {"uuid": str(uuid.uuid4()), "observed_at": "2023-03-19T10:30"}

    first = client.post(checklist_url(tree), {**base, "eom_repeat": "add visits"})
    second = client.post(checklist_url(tree), {**base, "visits[1]": "1", "visits[1]/n": "4",
                                               "eom_repeat": "add visits"})
    nested = client.post(checklist_url(tree), {
        **base, "visits[1]": "1", "visits[1]/n": "4", "visits[2]": "1", "visits[2]/n": "9",
        "eom_repeat": "add visits[2]/rooms"})
    removed = client.post(checklist_url(tree), {
        **base, "visits[1]": "1", "visits[1]/n": "4", "visits[2]": "1", "visits[2]/n": "9",
        "eom_repeat": "remove visits[1]"})
    sent = client.post(checklist_url(tree), {
        **base, "visits[1]": "1", "visits[1]/n": "9", "visits[1]/rooms[1]": "1",
        "visits[1]/rooms[1]/booths": "3"})

    assert 'name="visits[1]/n"' in first.content.decode()
    assert 'name="visits[2]/n"' in second.content.decode()
    assert 'value="4"' in second.content.decode()
    assert 'name="visits[2]/rooms[1]/booths"' in nested.content.decode()
    page = removed.content.decode()
    assert 'name="visits[1]/n"' in page and 'name="visits[2]/n"' not in page
    assert 'value="9"' in page and 'value="4"' not in page
    assert sent.status_code == 302
    assert Submission.objects.get().answers["visits"] == [
        {"n": 9, "number": "1", "rooms": [{"booths": 3}]}]


def test_checklist_page_names_the_refused_instance(version, client, observer, tree):
    client.force_login(observer)

    response = client.post(checklist_url(tree), {
        "uuid": str(uuid.uuid4()), "observed_at": "2023-03-19T10:30",
        "visits[1]": "1", "visits[1]/n": "4", "visits[2]": "1", "visits[2]/n": "400"})

    assert response.status_code == 422
    assert "This answer is not allowed." in response.content.decode()
    assert Submission.objects.count() == 0


def test_submission_page_shows_each_instance_numbered(version, client, observer, coordinator):
    post_api(client, observer, {"visits": [{"n": 4}, {"n": 25, "why": "one booth"}]})
    submission = Submission.objects.get()
    client.force_login(coordinator)

    page = client.get(reverse("observation:submission", args=[submission.uuid])).content.decode()

    assert "Visit 1 › Voters in the queue" in page
    assert "Visit 2 › Why so long?" in page and "one booth" in page


def test_edit_adds_an_instance_and_keeps_a_revision(version, client, observer, coordinator):
    post_api(client, observer, {"visits": [{"n": 4}]})
    submission = Submission.objects.get()
    client.force_login(coordinator)
    url = reverse("observation:submission_edit", args=[submission.uuid])

    drawn = client.post(url, {"visits[1]": "1", "visits[1]/n": "4", "eom_repeat": "add visits"})
    saved = client.post(url, {"visits[1]": "1", "visits[1]/n": "4", "visits[2]": "1",
                              "visits[2]/n": "6", "reason": "second visit"})

    assert 'name="visits[2]/n"' in drawn.content.decode()
    assert saved.status_code == 302
    submission.refresh_from_db()
    assert submission.answers["visits"] == [{"n": 4, "number": "1"}, {"n": 6, "number": "2"}]
    assert submission.revisions.get().changes["visits"] == [
        [{"n": 4, "number": "1"}], [{"n": 4, "number": "1"}, {"n": 6, "number": "2"}]]


def test_exports_wide_and_long_hold_each_instance(version, client, observer):
    from eom.dataout.submissions import Choices, long, wide

    post_api(client, observer, {"visits": [{"n": 4}, {"n": 25, "why": "slow",
                                                      "rooms": [{"booths": 2}, {"booths": 3}]}]})
    post_api(client, observer, {"visits": [{"n": 7}]})
    reports = Submission.objects.all()

    header, rows = wide(reports, version.form, Choices())
    table = [dict(zip(header, row, strict=True)) for row in rows]
    long_header, long_rows = long(reports, Choices())
    answers = [dict(zip(long_header, row, strict=True)) for row in long_rows]

    assert [h for h in header if h.startswith("visits")] == [
        "visits[1]/n", "visits[1]/number", "visits[1]/why", "visits[2]/n", "visits[2]/number",
        "visits[2]/why", "visits[2]/rooms[1]/booths", "visits[2]/rooms[2]/booths"]
    assert [(r["visits[1]/n"], r["visits[2]/n"], r["visits[2]/rooms[2]/booths"], r["total"])
            for r in table] == [(4, 25, 3, "29"), (7, None, None, "7")]
    assert [(a["repeat"], a["instance"], a["question"], a["answer"]) for a in answers
            if a["repeat"]][:6] == [
        ("visits", 1, "n", 4), ("visits", 1, "number", "1"), ("visits", 2, "n", 25),
        ("visits", 2, "number", "2"), ("visits", 2, "why", "slow"),
        ("visits[2]/rooms", 1, "booths", 2)]


REPEAT_SELECT = [
    ("type", "name", "label"),
    ("begin repeat", "visits", "Visit"),
    ("select_one yn", "queue", "Queue outside?"),
    ("begin repeat", "rooms", "Room"),
    ("select_multiple issue", "issues", "Issues"),
    ("end repeat", "", ""),
    ("end repeat", "", ""),
]


def test_analysis_counts_a_choice_in_a_repeat_per_instance_and_per_report(
        scene, tmp_path, client, observer, coordinator):
    from eom.reporting.repeats import repeat_counts

    book = Workbook()
    book.remove(book.active)
    for title, rows in (("survey", REPEAT_SELECT),
                        ("choices", [("list_name", "name", "label"), ("yn", "yes", "Yes"),
                                     ("yn", "no", "No"), ("issue", "ink", "No ink"),
                                     ("issue", "booth", "No booth")])):
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    book.save(tmp_path / "rounds.xlsx")
    version = load_form(actor=None, channel="command", mission=scene,
                        source=(tmp_path / "rounds.xlsx").read_bytes(), filename="rounds.xlsx")
    for visits in ([{"queue": "yes"}, {"queue": "yes", "rooms": [{"issues": ["ink"]}]}],
                   [{"queue": "no", "rooms": [{"issues": ["ink", "booth"]}, {"issues": "ink"}]}],
                   []):
        body = {"uuid": str(uuid.uuid4()), "form_id": "rounds", "location": "01001",
                "observed_at": "2023-03-19T10:42:00+06:00", "answers": {"visits": visits}}
        response = client.post("/api/submissions", body, content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {make_api_token(observer)}")
        assert response.status_code == 201, response.content.decode()

    queue, issues = repeat_counts(version.form, Submission.objects.all())
    client.force_login(coordinator)
    page = client.get(reverse("reporting:analysis"), {"form": "rounds"})

    assert (queue.repeat, queue.n_instances, queue.n_reports) == ("Visit", 3, 2)
    assert [(c.name, c.n_instances, c.n_reports) for c in queue.choices] == [
        ("yes", 2, 1), ("no", 1, 1)]
    assert (issues.repeat, issues.n_instances, issues.n_reports) == ("Visit › Room", 3, 2)
    assert [(c.name, c.n_instances, c.n_reports) for c in issues.choices] == [
        ("ink", 3, 2), ("booth", 1, 1)]
    assert page.status_code == 200
    assert "Visit › Room › Issues" in page.content.decode()


def test_odata_feed_keeps_a_repeat_in_one_column_and_names_each_instance(
        version, client, observer, core_member):
    post_api(client, observer, {"visits": [{"n": 4}, {"n": 25, "why": "slow"}]})
    auth = {"HTTP_AUTHORIZATION": f"Bearer {make_api_token(core_member)}"}

    wide = client.get("/data/odata/Submissions_queues", **auth)
    answers = client.get("/data/odata/Answers", **auth)

    assert wide.status_code == 200, wide.content
    [row] = wide.json()["value"]
    assert json.loads(row["visits"]) == [{"n": 4, "number": "1"},
                                         {"n": 25, "number": "2", "why": "slow"}]
    assert answers.status_code == 200, answers.content
    ids = [a["Id"].split(":", 1)[1] for a in answers.json()["value"]]
    assert ids[:5] == ["visits[1]/n", "visits[1]/number", "visits[2]/n", "visits[2]/number",
                       "visits[2]/why"]
    assert len(ids) == len(set(ids)) == answers.json().get("@odata.count", len(ids))
