"""A photo of a report is always downloaded, never shown as a page of eom: it comes with
Content-Disposition: attachment, nosniff, a policy that allows nothing, and the type its content
was checked to be. Files stored before eom checked the content come as octet-stream."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eom.observation.models import Attachment
from tests.factories import make_form, question
from tests.observation import photo_files
from tests.observation.scene import send, set_up


@pytest.fixture
def report(mission, tree, observer, other_team, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    set_up(mission, tree, observer, other_team)
    submission, _created = send(observer, mission)
    return submission


def attach(report, name: str, content: bytes, content_type: str) -> Attachment:
    """A file stored as an older eom stored uploads: the name and type the sender gave."""
    attachment = Attachment(submission=report, question="photo", content_type=content_type,
                            size=len(content))
    attachment.file.save(name, ContentFile(content), save=True)
    return attachment


def policy(response) -> set[str]:
    """The directives of the response's Content-Security-Policy (in any order)."""
    return {part.strip() for part in response["Content-Security-Policy"].split(";")}


def download(client, attachment):
    """The response, its file read and closed."""
    response = client.get(reverse("observation:attachment",
                                  args=[attachment.submission.uuid, attachment.pk]))
    response.body = b"".join(response.streaming_content)
    response.close()
    return response


def test_a_photo_is_sent_as_a_download_with_its_checked_type(client, report, observer):
    png = photo_files.png()
    attachment = attach(report, "0001-photo.png", png, "image/png")
    client.force_login(observer)
    response = download(client, attachment)
    assert response.status_code == 200
    assert response.body == png
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert policy(response) == {"default-src 'none'", "sandbox"}
    name = attachment.file.name.rsplit("/", 1)[1]
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}")


def test_an_svg_stored_before_the_content_was_checked_comes_as_octet_stream(
        client, report, core_member):
    attachment = attach(report, "photo.svg", photo_files.SVG_WITH_SCRIPT, "image/svg+xml")
    client.force_login(core_member)
    response = download(client, attachment)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith('attachment; filename="photo')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert policy(response) == {"default-src 'none'", "sandbox"}


def test_a_stored_type_the_content_does_not_bear_out_comes_as_octet_stream(
        client, report, core_member):
    attachment = attach(report, "photo.png", photo_files.HTML, "image/png")
    client.force_login(core_member)
    assert download(client, attachment)["Content-Type"] == "application/octet-stream"


def test_a_name_outside_ascii_is_given_plain_and_exactly(report):
    attachment = attach(report, "фото \"1\";.png", photo_files.png(), "image/png")
    attachment.file.name = "attachments/2023/03/фото \"1\";.png"
    assert attachment.content_disposition() == (
        "attachment; filename=\"____ _1__.png\"; "
        "filename*=UTF-8''%D1%84%D0%BE%D1%82%D0%BE%20%221%22%3B.png")


def test_a_photo_uploaded_through_the_page_downloads_as_a_png(client, mission, report,
                                                               observer, tree):
    make_form(mission, "incident", "incident", [question("photo", "image")])
    client.force_login(observer)
    url = reverse("observation:checklist", args=[tree["01001"].pk, "incident"])
    client.post(url, {"uuid": "5d6f0a9e-1c2b-4e3f-8a7b-9c0d1e2f3a4b",
                      "observed_at": "2023-03-19T12:00",
                      "photo": SimpleUploadedFile("x.svg", photo_files.png(), "image/svg+xml")})
    response = download(client, Attachment.objects.get())
    assert (response["Content-Type"], response["Content-Disposition"].endswith('-photo.png')) == (
        "image/png", True)
