"""The JSON API and the offline outbox take no files: a photo sent to them is never stored."""

import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from eom.observation.models import Attachment, Submission
from tests.factories import make_api_token, make_form, question
from tests.observation import photo_files
from tests.observation.scene import set_up


@pytest.fixture
def incident(mission, tree, observer, other_team, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    set_up(mission, tree, observer, other_team)
    return make_form(mission, "incident", "incident", [
        question("description", "text", required=True), question("photo", "image"),
    ])


def report() -> dict:
    return {"uuid": str(uuid.uuid4()), "form_id": "incident", "location": "01001",
            "observed_at": "2023-03-19T12:00:00+06:00", "answers": {"description": "Box"}}


@pytest.mark.parametrize("path", ["/api/submissions", "/api/submissions/batch"])
def test_a_multipart_post_with_an_svg_stores_nothing(client, incident, observer, tmp_path,
                                                     path):
    token = make_api_token(observer)
    body = report() if path == "/api/submissions" else {"submissions": [report()]}
    response = client.post(path, {
        "payload": json.dumps(body),
        "photo": SimpleUploadedFile("photo.svg", photo_files.SVG_WITH_SCRIPT, "image/svg+xml"),
    }, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert (response.status_code, response.json()) == (
        400, {"detail": "Cannot parse request body"})
    assert Submission.objects.count() == Attachment.objects.count() == 0
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []
