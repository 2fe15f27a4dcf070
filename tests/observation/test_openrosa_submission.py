"""Filled forms posted by ODK Collect: real instance documents built from the XForms of the
shipped checklists, stored once through the common ingestion path, refused with reasons."""

import base64
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from eom.missions.models import AuditEntry
from eom.observation.channels.openrosa import xform_of
from eom.observation.models import Attachment, Submission
from tests.factories import basic_auth, fill_xform_instance, load_checklist
from tests.observation import photo_files
from tests.observation.scene import set_up

URL = "/openrosa/submission"
KEY = "5d6f0a9e-1c2b-4e3f-8a7b-9c0d1e2f3a4b"
# A 1×1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
VOTING = {
    "eom_start": "2023-03-19T10:02:11.123+06:00", "eom_location": "01001",
    "arrival_time": "10:02:00.000+06:00", "departure_time": "10:41:00.000+06:00",
    "n_registered": "1200", "n_voted": "430",
    "secrecy_respected": "yes", "group_voting": "no", "ballot_stuffing": "no",
    "carousel_voting": "no", "pressure_on_voters": "no", "unauthorised_persons": "no",
    "voters_turned_away": "no", "observers_restricted": "no", "cameras_operating": "yes",
    "accessible": "yes", "assessment": "good", "comments": "Calm, well organised.",
}


@pytest.fixture
def forms(mission, tree, observer, other_team, settings, tmp_path):
    """The scene's election day, with the shipped voting and incident checklists loaded."""
    settings.MEDIA_ROOT = tmp_path
    set_up(mission, tree, observer, other_team)
    return {name: load_checklist(mission, name) for name in ("voting", "incident")}


def instance(forms, name: str, values: dict, key: str = KEY) -> bytes:
    """The instance ODK Collect would write for these answers to the served XForm."""
    xform, _hash = xform_of(forms[name])
    return fill_xform_instance(xform, values, key)


def post(client, user, xml: bytes, *files: SimpleUploadedFile, **extra):
    data = {"xml_submission_file": SimpleUploadedFile("instance.xml", xml, "text/xml")}
    data.update({f.name: f for f in files})
    return client.post(URL + "?deviceID=collect%3Atest", data, **basic_auth(user), **extra)


def message(response) -> str:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response["X-OpenRosa-Version"] == "1.0"
    text = response.content.decode()
    assert text.startswith("<?xml version='1.0' encoding='UTF-8' ?>\n"
                           '<OpenRosaResponse xmlns="http://openrosa.org/http/response">')
    return text


def test_head_answers_204_with_the_accepted_size(client, observer, forms):
    response = client.head(URL, **basic_auth(observer))
    assert response.status_code == 204
    assert response["X-OpenRosa-Accept-Content-Length"] == str(50 * 1024 * 1024)
    assert response["X-OpenRosa-Version"] == "1.0"
    assert response["Date"].endswith(" GMT")


def test_the_accepted_size_follows_the_photo_limits(client, observer, forms, settings):
    settings.EOM_MAX_PHOTOS_PER_REPORT, settings.EOM_MAX_PHOTO_BYTES = 2, 1_000_000
    response = client.head(URL, **basic_auth(observer))
    assert response["X-OpenRosa-Accept-Content-Length"] == str(10 * 1024 * 1024 + 2_000_000)


def test_head_without_credentials_asks_for_them(client, observer, forms):
    response = client.head(URL)
    assert (response.status_code, response["WWW-Authenticate"]) == (
        401, 'Basic realm="eom", charset="UTF-8"')


def test_voting_report_is_stored_through_the_ingestion_path(client, observer, forms, tree):
    response = post(client, observer, instance(forms, "voting", VOTING))
    assert response.status_code == 201
    assert '<message nature="submit_success">Report received: Voting (one per visit), 01001.' \
        in message(response)
    stored = Submission.objects.get()
    assert (str(stored.uuid), stored.channel, stored.location, stored.form_version) == (
        KEY, "openrosa", tree["01001"], forms["voting"])
    assert (stored.observer, stored.team.code) == (observer.person, "STO-1")
    assert stored.observed_at == dt.datetime(2023, 3, 19, 4, 2, 11, 123000, tzinfo=dt.UTC)
    assert stored.answers == {
        "arrival_time": "10:02:00+06:00", "departure_time": "10:41:00+06:00",
        "n_registered": 1200, "n_voted": 430,
        "secrecy_respected": "yes", "group_voting": "no", "ballot_stuffing": "no",
        "carousel_voting": "no", "pressure_on_voters": "no", "unauthorised_persons": "no",
        "voters_turned_away": "no", "observers_restricted": "no", "cameras_operating": "yes",
        "accessible": "yes", "assessment": "good", "comments": "Calm, well organised.",
    }
    entry = AuditEntry.objects.get(model="observation.submission")
    assert (entry.actor, entry.channel, entry.action) == (observer, "openrosa", "create")


def test_select_multiple_and_skip_logic_come_through(client, observer, forms):
    values = dict(VOTING, ballot_stuffing="yes", assessment="bad",
                  problems="ballot_stuffing pressure", problem_description="Two ballots seen",
                  n_stuffed_ballots="2", stuffing_seen="yes")
    assert post(client, observer, instance(forms, "voting", values)).status_code == 201
    stored = Submission.objects.get()
    assert stored.answers["problems"] == ["ballot_stuffing", "pressure"]
    assert stored.answers["n_stuffed_ballots"] == 2
    assert list(stored.flags.values_list("rule", flat=True)) == ["negative_assessment"]


def test_replay_of_the_same_instance_id_is_stored_once(client, observer, forms):
    xml = instance(forms, "voting", VOTING)
    assert post(client, observer, xml).status_code == 201
    again = post(client, observer, xml)
    assert again.status_code == 202
    assert ('<message nature="submit_success">This report was received before: '
            "Voting (one per visit), 01001. Nothing changed.</message>") in message(again)
    changed = post(client, observer, instance(forms, "voting", dict(VOTING, n_voted="500")))
    assert changed.status_code == 202
    assert Submission.objects.count() == 1
    assert Submission.objects.get().answers["n_voted"] == 430


def test_incident_with_a_photo_stores_the_photo(client, observer, forms, tmp_path):
    values = {"eom_start": "2023-03-19T12:00:00.000+06:00", "eom_location": "01002",
              "category": "ballot_stuffing", "severity": "high",
              "incident_time": "11:50:00.000+06:00", "description": "Box unsealed",
              "photo": "1679205600000.png"}
    photo = SimpleUploadedFile("1679205600000.png", PNG, content_type="image/png")
    response = post(client, observer, instance(forms, "incident", values), photo)
    assert response.status_code == 201, response.content
    stored = Submission.objects.get()
    assert (stored.form.form_id, stored.answers["photo"], stored.n_flags) == (
        "incident", "1679205600000.png", 1)
    attachment = Attachment.objects.get()
    assert (attachment.submission, attachment.question, attachment.content_type) == (
        stored, "photo", "image/png")
    assert (tmp_path / attachment.file.name).read_bytes() == PNG


INCIDENT = {"eom_start": "2023-03-19T12:00:00.000+06:00", "eom_location": "01002",
            "category": "ballot_stuffing", "severity": "high",
            "incident_time": "11:50:00.000+06:00", "description": "Box unsealed"}


def test_svg_with_script_as_the_photo_refuses_the_report_naming_the_question(
        client, observer, forms, tmp_path):
    values = dict(INCIDENT, photo="photo.svg")
    photo = SimpleUploadedFile("photo.svg", photo_files.SVG_WITH_SCRIPT, "image/svg+xml")
    response = post(client, observer, instance(forms, "incident", values), photo)
    assert response.status_code == 422
    assert ("- Photo (optional) (photo): the file is not a JPEG, PNG, WebP or HEIC photo "
            "(by its content)") in message(response)
    assert Submission.objects.count() == Attachment.objects.count() == 0
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []


def test_a_jpeg_sent_by_collect_as_svg_is_stored_as_a_jpeg(client, observer, forms, tmp_path):
    values = dict(INCIDENT, photo="1679205600000.svg")
    jpeg = photo_files.jpeg()
    photo = SimpleUploadedFile("1679205600000.svg", jpeg, "image/svg+xml")
    response = post(client, observer, instance(forms, "incident", values), photo)
    assert response.status_code == 201, response.content
    attachment = Attachment.objects.get()
    assert (attachment.content_type, attachment.file.name.endswith("-photo.jpg")) == (
        "image/jpeg", True)
    assert (tmp_path / attachment.file.name).read_bytes() == jpeg


def test_a_file_the_form_does_not_name_is_not_stored(client, observer, forms, tmp_path):
    values = dict(INCIDENT, photo="1679205600000.png")
    photo = SimpleUploadedFile("1679205600000.png", photo_files.png(), "image/png")
    extra = SimpleUploadedFile("extra.svg", photo_files.SVG_WITH_SCRIPT, "image/svg+xml")
    response = post(client, observer, instance(forms, "incident", values), photo, extra)
    assert response.status_code == 201
    assert list(Attachment.objects.values_list("question", "content_type")) == [
        ("photo", "image/png")]
    assert len([path for path in tmp_path.rglob("*") if path.is_file()]) == 1


def test_photo_named_in_the_form_but_not_sent_is_refused(client, observer, forms):
    values = {"eom_location": "01002", "category": "violence", "severity": "low",
              "incident_time": "11:50:00.000+06:00", "description": "Scuffle",
              "photo": "1679205600000.jpg"}
    response = post(client, observer, instance(forms, "incident", values))
    assert response.status_code == 422
    assert ("- Photo (optional) (photo): the photo “1679205600000.jpg” did not arrive with the "
            "form; send it again") in message(response)
    assert Submission.objects.count() == Attachment.objects.count() == 0


def test_errors_are_listed_per_question(client, observer, forms):
    values = dict(VOTING, n_voted="1500")
    del values["assessment"]
    response = post(client, observer, instance(forms, "voting", values))
    assert response.status_code == 422
    assert message(response).split("\n")[2:5] == [
        '  <message nature="submit_error">The report was not stored. Correct it and send it '
        "again:",
        "- Number of voters who have voted so far (n_voted): Between 0 and the number of "
        "voters on the list",
        "- Overall assessment of the voting (assessment): An answer is required.</message>",
    ]
    assert Submission.objects.count() == 0


def test_unknown_polling_station_is_refused(client, observer, forms):
    response = post(client, observer, instance(forms, "voting", dict(VOTING, eom_location="9")))
    assert response.status_code == 422
    assert "- Polling station code: unknown location code “9”" in message(response)
    assert Submission.objects.count() == 0


def test_observer_not_deployed_to_the_station_is_refused(client, observer, forms):
    response = post(client, observer, instance(forms, "voting",
                                               dict(VOTING, eom_location="02001")))
    assert response.status_code == 403
    assert "- Polling station code: you are not deployed to 02001" in message(response)
    assert Submission.objects.count() == 0


def test_observer_outside_the_deployment_days_is_refused(client, observer, forms):
    values = dict(VOTING, eom_start="2023-03-25T10:00:00.000+06:00")
    response = post(client, observer, instance(forms, "voting", values))
    assert response.status_code == 403
    assert message(response).split("\n")[3:5] == [
        "- Polling station code: you are not deployed to 01001",
        "- Time the form was opened, by the phone's clock: 2023-03-25 10:00</message>",
    ]
    assert Submission.objects.count() == 0


def test_unknown_form_version_is_refused(client, observer, forms):
    xml = instance(forms, "voting", VOTING).replace(b'version="2023031901"', b'version="9"')
    response = post(client, observer, xml)
    assert response.status_code == 422
    assert "- Form version: form voting has no version 9" in message(response)


@pytest.mark.parametrize(("xml", "reason"), [
    (b"<data id='voting'><n_voted>4</data>",
     "The form cannot be read: the form is not well-formed XML (mismatched tag: line 1, "
     "column 30)"),
    (b"""<?xml version="1.0"?><!DOCTYPE data [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<data id="voting"><comments>&x;</comments><meta><instanceID>uuid:%s</instanceID></meta>
</data>""" % KEY.encode(),
     "The form cannot be read: the form has a DOCTYPE or entity declarations, which eom does "
     "not accept"),
])
def test_unreadable_or_hostile_xml_is_refused_and_nothing_stored(
    client, observer, forms, xml, reason
):
    response = post(client, observer, xml)
    assert response.status_code == 400
    assert f'<message nature="submit_error">{reason}</message>' in message(response)
    assert Submission.objects.count() == 0


def test_post_without_the_xml_part_is_refused(client, observer, forms):
    response = client.post(URL, {"other": "x"}, **basic_auth(observer))
    assert response.status_code == 400
    assert "The request has no xml_submission_file." in message(response)


def test_post_without_credentials_stores_nothing(client, observer, forms):
    response = client.post(URL, {"xml_submission_file": SimpleUploadedFile(
        "instance.xml", instance(forms, "voting", VOTING), "text/xml")})
    assert response.status_code == 401
    assert Submission.objects.count() == 0


def test_post_by_a_login_without_access_stores_nothing(client, outsider, forms):
    response = post(client, outsider, instance(forms, "voting", VOTING))
    assert response.status_code == 403
    assert Submission.objects.count() == 0


def test_same_instance_id_sent_by_another_team_is_refused(client, observer, other_team, forms):
    from django.contrib.auth import get_user_model

    assert post(client, observer, instance(forms, "voting", VOTING)).status_code == 201
    stranger = other_team.members.first()
    stranger.user = get_user_model().objects.create_user("stranger", password="pw-for-tests")
    stranger.save()
    response = post(client, stranger.user,
                    instance(forms, "voting", dict(VOTING, eom_location="02001")))
    assert response.status_code == 409
    assert "- Instance ID: this id belongs to another record" in message(response)
    assert Submission.objects.get().observer == observer.person


def test_get_on_the_submission_url_is_not_allowed(client, observer, forms):
    response = client.get(URL, **basic_auth(observer))
    assert (response.status_code, response["Allow"]) == (405, "HEAD, POST")
