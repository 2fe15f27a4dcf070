"""Photos sent with a report are stored as files beside it; anything else is refused."""

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eom.observation.models import Attachment, Submission
from tests.factories import make_form, question
from tests.observation.scene import set_up

# A 1×1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


@pytest.fixture
def incident(mission, tree, observer, other_team, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    set_up(mission, tree, observer, other_team)
    return make_form(mission, "incident", "incident", [
        question("description", "text", required=True), question("photo", "image"),
    ])


def post(client, tree, upload):
    url = reverse("observation:checklist", args=[tree["01001"].pk, "incident"])
    return client.post(url, {"uuid": "5d6f0a9e-1c2b-4e3f-8a7b-9c0d1e2f3a4b",
                             "observed_at": "2023-03-19T12:00", "description": "Box unsealed",
                             "photo": upload})


def test_photo_is_stored_beside_the_report(client, incident, observer, tree, tmp_path):
    client.force_login(observer)
    response = post(client, tree, SimpleUploadedFile("box.png", PNG, content_type="image/png"))
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.question, attachment.size, attachment.content_type) == (
        "photo", len(PNG), "image/png",
    )
    assert (tmp_path / attachment.file.name).read_bytes() == PNG
    assert attachment.submission == Submission.objects.get()


def test_a_file_that_is_not_an_image_is_refused(client, incident, observer, tree):
    client.force_login(observer)
    response = post(client, tree, SimpleUploadedFile("notes.txt", b"text",
                                                     content_type="text/plain"))
    assert response.status_code == 422
    assert response.context["errors"] == {"photo": ["the file is not an image"]}
    assert Submission.objects.count() == 0 and Attachment.objects.count() == 0


def test_photo_is_served_to_who_may_see_the_report_only(client, incident, observer, tree,
                                                        other_team):
    client.force_login(observer)
    post(client, tree, SimpleUploadedFile("box.png", PNG, content_type="image/png"))
    attachment = Attachment.objects.get()
    url = reverse("observation:attachment", args=[attachment.submission.uuid, attachment.pk])
    response = client.get(url)
    assert (response.status_code, b"".join(response.streaming_content)) == (200, PNG)
    from django.contrib.auth import get_user_model

    stranger = other_team.members.first()
    stranger.user = get_user_model().objects.create_user("stranger", password="pw-for-tests")
    stranger.save()
    client.force_login(stranger.user)
    assert client.get(url).status_code == 404
