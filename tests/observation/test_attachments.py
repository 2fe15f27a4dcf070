"""Photos sent with a report through the checklist page are stored as files beside it, with
the type their content says; anything else refuses the whole report and leaves nothing behind,
neither a row nor a file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eom.missions.models import AuditEntry
from eom.observation import batch, services
from eom.observation.models import Attachment, Submission
from tests.factories import make_form, question
from tests.observation import photo_files as files
from tests.observation.scene import set_up

NOT_A_PHOTO = "the file is not a JPEG, PNG, WebP or HEIC photo (by its content)"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def incident(mission, tree, observer, other_team, media):
    set_up(mission, tree, observer, other_team)
    return make_form(mission, "incident", "incident", [
        question("description", "text", required=True), question("photo", "image"),
        question("second_photo", "image"),
    ])


def post(client, tree, **uploads):
    url = reverse("observation:checklist", args=[tree["01001"].pk, "incident"])
    return client.post(url, {"uuid": "5d6f0a9e-1c2b-4e3f-8a7b-9c0d1e2f3a4b",
                             "observed_at": "2023-03-19T12:00", "description": "Box unsealed",
                             **uploads})


def stored_files(media) -> list:
    return [path for path in media.rglob("*") if path.is_file()]


def nothing_stored(media) -> bool:
    return (Submission.objects.count(), Attachment.objects.count(), stored_files(media),
            AuditEntry.objects.filter(model="observation.submission").count()) == (0, 0, [], 0)


def test_photo_is_stored_beside_the_report(client, incident, observer, tree, media):
    client.force_login(observer)
    png = files.png()
    response = post(client, tree, photo=SimpleUploadedFile("box.png", png, "image/png"))
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.question, attachment.size, attachment.content_type) == (
        "photo", len(png), "image/png",
    )
    assert (media / attachment.file.name).read_bytes() == png
    assert attachment.submission == Submission.objects.get()


@pytest.mark.parametrize(("content", "kind", "extension"), [
    (files.jpeg(), "image/jpeg", ".jpg"),
    (files.WEBP, "image/webp", ".webp"),
    (files.heic(), "image/heic", ".heic"),
    (files.heif(), "image/heif", ".heif"),
])
def test_every_phone_photo_format_is_accepted(client, incident, observer, tree, media,
                                              content, kind, extension):
    client.force_login(observer)
    upload = SimpleUploadedFile("IMG_0001", content, "application/octet-stream")
    assert post(client, tree, photo=upload).status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.content_type, attachment.file.name.endswith(extension)) == (kind, True)
    assert (media / attachment.file.name).read_bytes() == content


def test_svg_with_script_is_refused_naming_the_question_and_nothing_is_stored(
        client, incident, observer, tree, media):
    client.force_login(observer)
    upload = SimpleUploadedFile("photo.svg", files.SVG_WITH_SCRIPT, "image/svg+xml")
    response = post(client, tree, photo=upload)
    assert response.status_code == 422
    assert response.context["errors"] == {"photo": [NOT_A_PHOTO]}
    assert NOT_A_PHOTO in response.content.decode()
    assert nothing_stored(media)


@pytest.mark.parametrize(("name", "content", "content_type"), [
    ("notes.txt", b"text", "text/plain"),
    ("page.html", files.HTML, "text/html"),
    ("statement.pdf", files.PDF, "application/pdf"),
    ("photo.png", files.POLYGLOT, "image/png"),
    ("photo.jpg", files.SVG_WITH_SCRIPT, "image/jpeg"),
    ("empty.png", b"", "image/png"),
])
def test_a_file_that_is_not_a_photo_by_its_content_is_refused(
        client, incident, observer, tree, media, name, content, content_type):
    client.force_login(observer)
    response = post(client, tree, photo=SimpleUploadedFile(name, content, content_type))
    assert response.status_code == 422
    assert response.context["errors"] == {"photo": [NOT_A_PHOTO]}
    assert nothing_stored(media)


def test_a_png_named_svg_and_sent_as_svg_is_stored_as_a_png(client, incident, observer, tree,
                                                             media):
    client.force_login(observer)
    upload = SimpleUploadedFile("photo.svg", files.png(), "image/svg+xml")
    assert post(client, tree, photo=upload).status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/png"
    assert attachment.file.name.endswith("-photo.png")
    assert ".svg" not in attachment.file.name


def test_one_bad_file_refuses_the_whole_report_and_writes_no_file(client, incident, observer,
                                                                  tree, media):
    client.force_login(observer)
    response = post(client, tree,
                    photo=SimpleUploadedFile("box.png", files.png(), "image/png"),
                    second_photo=SimpleUploadedFile("x.svg", files.SVG_WITH_SCRIPT, "image/png"))
    assert response.status_code == 422
    assert response.context["errors"] == {"second_photo": [NOT_A_PHOTO]}
    assert nothing_stored(media)


def test_a_photo_exactly_at_the_size_limit_is_accepted(client, incident, observer, tree,
                                                       settings):
    png = files.png()
    settings.EOM_MAX_PHOTO_BYTES = len(png)
    client.force_login(observer)
    assert post(client, tree, photo=SimpleUploadedFile("a.png", png, "image/png")
                ).status_code == 302


def test_a_photo_one_byte_over_the_size_limit_is_refused(client, incident, observer, tree,
                                                         settings, media):
    png = files.png()
    settings.EOM_MAX_PHOTO_BYTES = len(png) - 1
    client.force_login(observer)
    response = post(client, tree, photo=SimpleUploadedFile("a.png", png, "image/png"))
    assert response.status_code == 422
    assert response.context["errors"] == {
        "photo": [f"the photo is larger than {len(png) - 1}\xa0bytes"]}
    assert nothing_stored(media)


def test_more_photos_than_a_report_may_hold_are_refused_naming_the_one_over(
        client, incident, observer, tree, settings, media):
    settings.EOM_MAX_PHOTOS_PER_REPORT = 1
    client.force_login(observer)
    response = post(client, tree,
                    photo=SimpleUploadedFile("a.png", files.png(), "image/png"),
                    second_photo=SimpleUploadedFile("b.png", files.png(), "image/png"))
    assert response.status_code == 422
    assert response.context["errors"] == {"second_photo": [
        "a report holds at most 1 photo; send this one with another report"]}
    assert nothing_stored(media)


def test_a_file_for_a_question_that_takes_none_is_refused(client, incident, observer, tree,
                                                          media):
    client.force_login(observer)
    response = post(client, tree,
                    description=SimpleUploadedFile("a.png", files.png(), "image/png"))
    assert response.status_code == 422
    assert "this question takes no file" in response.context["errors"]["description"]
    assert nothing_stored(media)


def test_files_written_for_a_report_that_is_not_stored_are_removed(incident, media):
    storage = Attachment._meta.get_field("file").storage
    with pytest.raises(RuntimeError), batch._attachment_files() as written:
        written.append(storage.save("attachments/left.png", SimpleUploadedFile("a", b"x")))
        assert stored_files(media) != []
        raise RuntimeError("the transaction failed")
    assert stored_files(media) == []


def test_photo_is_served_to_who_may_see_the_report_only(client, incident, observer, tree,
                                                        other_team):
    client.force_login(observer)
    png = files.png()
    post(client, tree, photo=SimpleUploadedFile("box.png", png, "image/png"))
    attachment = Attachment.objects.get()
    url = reverse("observation:attachment", args=[attachment.submission.uuid, attachment.pk])
    response = client.get(url)
    assert (response.status_code, b"".join(response.streaming_content)) == (200, png)
    from django.contrib.auth import get_user_model

    stranger = other_team.members.first()
    stranger.user = get_user_model().objects.create_user("stranger", password="pw-for-tests")
    stranger.save()
    client.force_login(stranger.user)
    assert client.get(url).status_code == 404


def photo_report(key: str, **uploads) -> services.SubmissionInput:
    return services.SubmissionInput(uuid=key, form_id="incident", location_code="01001",
                                    observed_at="2023-03-19T12:00:00+06:00",
                                    answers={"description": "Box unsealed"}, attachments=uploads)


def test_reports_of_a_batch_keep_their_photos_as_one_report_does(incident, observer, mission,
                                                                 media):
    jpeg, png = files.jpeg(), files.png()
    outcomes = batch.ingest_submissions(actor=observer, channel="offline", mission=mission, items=[
        photo_report("5d6f0a9e-1c2b-4e3f-8a7b-9c0d1e2f3a01",
                     photo=SimpleUploadedFile("a", jpeg), second_photo=SimpleUploadedFile("b", png)),
        photo_report("5d6f0a9e-1c2b-4e3f-8a7b-9c0d1e2f3a02"),
    ])
    assert [o.status for o in outcomes] == [201, 201]
    kept = {(a.submission.uuid.hex[-2:], a.question, a.content_type, a.size)
            for a in Attachment.objects.select_related("submission")}
    assert kept == {("01", "photo", "image/jpeg", len(jpeg)),
                    ("01", "second_photo", "image/png", len(png))}
    assert sorted(p.read_bytes() for p in stored_files(media)) == sorted([jpeg, png])


def test_a_refused_photo_in_an_all_or_nothing_batch_keeps_every_report_and_file_out(
        incident, observer, mission, media):
    outcomes = batch.ingest_submissions(actor=observer, channel="offline", mission=mission, items=[
        photo_report("5d6f0a9e-1c2b-4e3f-8a7b-9c0d1e2f3a01", photo=SimpleUploadedFile(
            "a", files.png())),
        photo_report("5d6f0a9e-1c2b-4e3f-8a7b-9c0d1e2f3a02", photo=SimpleUploadedFile(
            "b.png", b"<svg onload=alert(1)>", "image/png")),
    ], all_or_nothing=True)
    assert [(o.status, o.errors) for o in outcomes] == [
        (424, {"batch": ["not stored: another report of the batch was refused"]}),
        (422, {"photo": [NOT_A_PHOTO]}),
    ]
    assert nothing_stored(media)
