"""Photos and files inside a repeat: each instance's photo arrives with the report from the
checklist page and from ODK Collect, is stored under its instance (`visits[2]/photo`), and is
shown on the report's page with the instance's number; a file for an instance the report does
not hold, or not a photo, is refused naming the instance, and nothing is stored."""

from __future__ import annotations

import csv
import io
import json
import uuid
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eom.observation.models import Attachment, Submission
from eom.observation.services import load_form
from tests.factories import basic_auth, core_user_for, make_api_token
from tests.observation import photo_files as files
from tests.observation.scene import set_up
from tests.observation.test_repeats import START, workbook

SURVEY = [
    ("type", "name", "label"),
    ("text", "place", "Place"),
    ("begin repeat", "visits", "Visit"),
    ("integer", "n", "Voters in the queue"),
    ("image", "photo", "Photo of the queue"),
    ("begin repeat", "rooms", "Room"),
    ("file", "plan", "Plan of the room"),
    ("end repeat", "", ""),
    ("end repeat", "", ""),
]


@pytest.fixture
def version(mission, tree, observer, other_team, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    set_up(mission, tree, observer, other_team)
    return load_form(actor=None, channel="command", mission=mission, filename="queues.xlsx",
                     source=workbook(tmp_path / "queues.xlsx", SURVEY))


def post_page(client, tree, fields):
    url = reverse("observation:checklist", args=[tree["01001"].pk, "queues"])
    return client.post(url, {"uuid": "5d6f0a9e-1c2b-4e3f-8a7b-9c0d1e2f3a4b",
                             "observed_at": "2023-03-19T12:00", **fields})


def test_the_page_stores_the_photo_of_each_visit_under_its_instance(
        client, version, observer, tree):
    client.force_login(observer)
    png, jpeg = files.png(), files.jpeg()
    response = post_page(client, tree, {
        "visits[1]": "1", "visits[1]/n": "4",
        "visits[1]/photo": SimpleUploadedFile("a.png", png, "image/png"),
        "visits[2]": "1", "visits[2]/n": "30",
        "visits[2]/photo": SimpleUploadedFile("b.jpg", jpeg, "image/jpeg"),
        "visits[2]/rooms[1]": "1",
        "visits[2]/rooms[1]/plan": SimpleUploadedFile("plan.pdf", b"%PDF-1.4", "text/plain"),
    })

    assert response.status_code == 302, response.context and response.context["errors"]
    stored = {a.question: (a.content_type, a.size) for a in Attachment.objects.all()}
    assert stored == {"visits[1]/photo": ("image/png", len(png)),
                      "visits[2]/photo": ("image/jpeg", len(jpeg)),
                      "visits[2]/rooms[1]/plan": ("application/octet-stream", 8)}
    submission = Submission.objects.get()
    assert submission.answers["visits"] == [{"n": 4}, {"n": 30, "rooms": [{}]}]

    page = client.get(reverse("observation:submission", args=[submission.uuid]))
    text = page.content.decode()
    assert "Visit 1 › Photo of the queue" in text
    assert "Visit 2 › Photo of the queue" in text
    assert "Visit 2 › Room 1 › Plan of the room" in text

    # the photos' archive: one file each, in the one folder, its instance in the index
    archive = client.get(reverse("dataout:photos"), {"form": "queues"})
    bundle = zipfile.ZipFile(io.BytesIO(b"".join(archive.streaming_content)))
    index = list(csv.reader(io.StringIO(bundle.read("index.csv").decode("utf-8-sig"))))
    names = {row[0]: row[index[0].index("question")] for row in index[1:]}
    assert sorted(name.split("-queues-")[1] for name in names) == [
        "visits[1]-photo.png", "visits[2]-photo.jpg", "visits[2]-rooms[1]-plan.bin"]
    assert all(name.count("/") == 1 for name in names)
    assert sorted(names.values()) == ["visits[1]/photo", "visits[2]/photo",
                                      "visits[2]/rooms[1]/plan"]


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("visits[3]/photo", files.png(), "the report has no such instance"),
    ("visits[0]/photo", files.png(), "this question takes no file"),
    ("visits[1]/n", files.png(), "this question takes no file"),
    ("visits[1]/rooms[1]/plan", b"x", "the report has no such instance"),
    ("visits[1]/photo", files.SVG_WITH_SCRIPT,
     "the file is not a JPEG, PNG, WebP or HEIC photo (by its content)"),
], ids=["no-third-visit", "visit-0", "not-a-file-question", "no-room", "svg"])
def test_a_file_of_no_instance_or_not_a_photo_is_refused_naming_it(
        client, version, observer, tree, settings, name, content, reason):
    client.force_login(observer)
    response = post_page(client, tree, {
        "visits[1]": "1", "visits[1]/n": "4", "visits[2]": "1",
        name: SimpleUploadedFile("x.bin", content, "image/png")})

    assert response.status_code == 422
    assert response.context["errors"] == {name: [reason]}
    assert (Submission.objects.count(), Attachment.objects.count()) == (0, 0)
    assert [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()] == []
    assert 'data-question="visits[1]/n"' in response.content.decode()  # the form again


def odk_instance(key: str, version) -> bytes:
    return (f"<?xml version='1.0' encoding='UTF-8' ?><data id=\"queues\" "
            f"version=\"{version.version}\"><eom_start>{START}</eom_start>"
            f"<eom_location>01001</eom_location><place>School 4</place>"
            f"<visits><n>4</n><photo>1679212345.jpg</photo></visits>"
            f"<visits><n>30</n><photo>1679212399.jpg</photo>"
            f"<rooms><plan>plan.pdf</plan></rooms></visits>"
            f"<meta><instanceID>uuid:{key}</instanceID></meta></data>").encode()


def send_odk(client, observer, document, **parts):
    return client.post("/openrosa/submission", {
        "xml_submission_file": SimpleUploadedFile("instance.xml", document, "text/xml"),
        **parts}, **basic_auth(observer))


def test_odk_collect_sends_each_visits_photo_with_the_instance(client, version, observer):
    key = str(uuid.uuid4())
    png, jpeg = files.png(), files.jpeg()

    response = send_odk(client, observer, odk_instance(key, version), **{
        "1679212345.jpg": SimpleUploadedFile("1679212345.jpg", png, "image/jpeg"),
        "1679212399.jpg": SimpleUploadedFile("1679212399.jpg", jpeg, "image/jpeg"),
        "plan.pdf": SimpleUploadedFile("plan.pdf", b"%PDF-1.4", "application/pdf")})

    assert response.status_code == 201, response.content.decode()
    submission = Submission.objects.get(uuid=key)
    assert submission.answers["visits"] == [
        {"n": 4, "photo": "1679212345.jpg"},
        {"n": 30, "photo": "1679212399.jpg", "rooms": [{"plan": "plan.pdf"}]}]
    stored = {a.question: a.content_type for a in submission.attachments.all()}
    assert stored == {"visits[1]/photo": "image/png", "visits[2]/photo": "image/jpeg",
                      "visits[2]/rooms[1]/plan": "application/octet-stream"}


def test_odk_collect_is_told_which_visits_photo_did_not_arrive(client, version, observer):
    key = str(uuid.uuid4())

    response = send_odk(client, observer, odk_instance(key, version), **{
        "1679212345.jpg": SimpleUploadedFile("1679212345.jpg", files.png(), "image/jpeg"),
        "plan.pdf": SimpleUploadedFile("plan.pdf", b"%PDF-1.4", "application/pdf")})

    assert response.status_code == 422
    assert "1679212399.jpg" in response.content.decode()
    assert (Submission.objects.count(), Attachment.objects.count()) == (0, 0)


def post_api_files(client, user, report, **files_):
    return client.post("/api/submissions/with-files", {"submission": report, **files_},
                       HTTP_AUTHORIZATION=f"Bearer {make_api_token(user)}")


def api_report(key: str, **answers) -> str:
    return json.dumps({"uuid": key, "form_id": "queues", "location": "01001",
                       "observed_at": "2023-03-19T10:42:00+06:00", "answers": answers})


def test_the_api_stores_each_visits_photo_sent_with_the_report(client, version, observer):
    key = str(uuid.uuid4())
    report = api_report(key, visits=[{"n": 4}, {"n": 30, "rooms": [{}]}])
    png = files.png()

    def send():
        return post_api_files(client, observer, report, **{
            "visits[2]/photo": SimpleUploadedFile("q.png", png, "image/png"),
            "visits[2]/rooms[1]/plan": SimpleUploadedFile("p.pdf", b"%PDF-1.4", "a/b")})

    response = send()

    assert response.status_code == 201, response.content.decode()
    assert response.json()["answers"]["visits"] == [{"n": 4}, {"n": 30, "rooms": [{}]}]
    submission = Submission.objects.get(uuid=key)
    assert {a.question: a.size for a in submission.attachments.all()} == {
        "visits[2]/photo": len(png), "visits[2]/rooms[1]/plan": 8}
    assert send().status_code == 200  # a replay stores nothing more
    assert Attachment.objects.count() == 2


@pytest.mark.parametrize(("report", "errors"), [
    ("{not json", {"submission": ["this is not JSON"]}),
    ('{"uuid": "5d6f0a9e-1c2b-4e3f-8a7b-9c0d1e2f3a4b", "location": "01001", "answers": {}}',
     {"submission.form_id": ["Field required"]}),
    ('{"uuid": "5d6f0a9e-1c2b-4e3f-8a7b-9c0d1e2f3a4b", "form_id": "queues", '
     '"location": "01\\u0000001", "answers": {}}',
     {"submission.location": ["contains a NUL character, which a text may not hold"]}),
], ids=["not-json", "no-form", "nul"])
def test_the_api_refuses_a_report_part_that_is_not_a_report_naming_the_field(
        client, version, observer, report, errors):
    response = post_api_files(client, observer, report, **{
        "visits[1]/photo": SimpleUploadedFile("q.png", files.png(), "image/png")})

    assert response.status_code == 422
    assert response.json()["errors"] == errors
    assert (Submission.objects.count(), Attachment.objects.count()) == (0, 0)


def test_the_api_refuses_a_photo_of_a_visit_the_report_does_not_hold(client, version, observer):
    response = post_api_files(client, observer, api_report(str(uuid.uuid4()), visits=[{"n": 4}]),
                              **{"visits[2]/photo": SimpleUploadedFile("q.png", files.png())})

    assert response.status_code == 422
    assert response.json()["errors"] == {"visits[2]/photo": ["the report has no such instance"]}
    assert (Submission.objects.count(), Attachment.objects.count()) == (0, 0)


def test_the_edit_page_offers_no_file_field_and_an_edit_keeps_the_photos(
        client, version, observer, tree, mission):
    client.force_login(observer)
    post_page(client, tree, {"visits[1]": "1", "visits[1]/n": "4", "visits[1]/photo":
                             SimpleUploadedFile("a.png", files.png(), "image/png")})
    submission = Submission.objects.get()
    client.force_login(core_user_for(mission))
    url = reverse("observation:submission_edit", args=[submission.uuid])

    page = client.get(url).content.decode()
    saved = client.post(url, {"place": "school", "visits[1]": "1", "visits[1]/n": "5",
                              "reason": "typo"})

    assert 'type="file"' not in page
    assert "Photos and files are kept as they were sent" in page
    assert saved.status_code == 302
    submission.refresh_from_db()
    assert submission.answers["visits"] == [{"n": 5}]
    assert list(Attachment.objects.values_list("question", flat=True)) == ["visits[1]/photo"]
