"""Requests over a size or count limit are answered before any view runs, naming the limit and
its setting (docs/security-limits.md), and change nothing; the limits are settings that refuse
a value below 1."""

import uuid

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile

from eom.missions.models import Meeting
from eom.observation.models import Submission
from eom.settings import env_limit
from tests.factories import basic_auth, make_api_token


def test_a_body_over_the_limit_answers_413_naming_the_setting(client, mission, observer,
                                                              settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {"uuid": str(uuid.uuid4()), "form_id": "voting", "location": "01001",
            "answers": {"comment": "x" * 2000}}

    response = client.post("/api/submissions", body, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {make_api_token(observer)}")

    assert response.status_code == 413
    assert "1,000 bytes" in response.json()["detail"]
    assert "EOM_MAX_BODY_BYTES" in response.json()["detail"]
    assert Submission.objects.count() == 0


def test_a_form_body_over_the_limit_answers_413(client, mission, core_member, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(core_member)

    response = client.post("/meetings/new/", "place=" + "x" * 2000 + "&date=2023-02-08",
                           content_type="application/x-www-form-urlencoded")

    assert response.status_code == 413
    assert "EOM_MAX_BODY_BYTES" in response.content.decode()
    assert Meeting.objects.count() == 0


def test_any_request_larger_than_the_request_limit_answers_413_before_it_is_read(
        client, mission, observer, settings):
    settings.EOM_MAX_REQUEST_BYTES = 10_000
    photo = SimpleUploadedFile("photo.jpg", b"\xff" * 20_000, "image/jpeg")

    response = client.post("/openrosa/submission", {"xml_submission_file": photo},
                           **basic_auth(observer))

    assert response.status_code == 413
    assert "EOM_MAX_REQUEST_BYTES" in response.content.decode()


def test_a_form_of_too_many_fields_is_refused_naming_the_setting(client, mission, core_member,
                                                                 settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    client.force_login(core_member)
    body = "&".join(f"f{i}=1" for i in range(20))

    response = client.post("/meetings/new/", body,
                           content_type="application/x-www-form-urlencoded")

    assert response.status_code == 400
    assert "EOM_MAX_FORM_FIELDS" in response.content.decode()


def test_a_query_parameter_longer_than_the_limit_is_refused_naming_it(client, mission,
                                                                      core_member):
    client.force_login(core_member)

    response = client.get("/people/", {"group": "x" * 2001})

    assert response.status_code == 400
    assert response.content.decode().startswith("group: is 2001 characters long")


@pytest.mark.parametrize("raw", ["0", "-5"])
def test_a_limit_below_one_stops_the_server_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("EOM_MAX_ANSWERS", raw)

    with pytest.raises(ImproperlyConfigured, match="EOM_MAX_ANSWERS"):
        env_limit("EOM_MAX_ANSWERS", 500)
