"""Text that is not valid Unicode (a lone surrogate, only possible as a JSON `\\ud800` escape) or
that holds a NUL character is refused wherever the outside sends text (answers, API bodies,
meetings, SMS, query parameters, forms), naming the field; nothing is stored. Text stored before
(SQLite kept lone surrogates) is still shown, with U+FFFD in place of the damaged character."""

import json
import uuid

import pytest
from django.db import connection
from django.http import QueryDict
from django.urls import reverse
from django.utils.http import urlencode

from eom.missions.models import Meeting
from eom.observation import services
from eom.observation.channels.sms import twilio_signature
from eom.observation.models import SmsMessage, Submission
from tests.factories import make_api_token
from tests.observation.scene import send, set_up

LONE = "\\ud800"  # as written in a JSON document
NUL = "\\u0000"
SECRET = "s3cret-for-tests"


@pytest.fixture
def form(mission, tree, observer, other_team):
    return set_up(mission, tree, observer, other_team)


def written(data, raw: str) -> str:
    """`data` as JSON text, with `raw` written as is where `data` says "RAW" (json.dumps would
    write a lone surrogate's escape escaped)."""
    return json.dumps(data).replace('"RAW"', f'"{raw}"')


def json_post(client, user, path, text: str):
    return client.post(path, text, content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {make_api_token(user)}")


def report_json(details: str) -> str:
    """A report whose text answer `secrecy_details` is `details` (as written in JSON)."""
    return written({"uuid": str(uuid.uuid4()), "form_id": "voting", "location": "01001",
                    "observed_at": "2023-03-19T10:42:00+06:00",
                    "answers": {"registered": 100, "voted": 40, "secrecy": "no",
                                "secrecy_details": "RAW", "assessment": "good"}}, details)


@pytest.mark.parametrize("bad", [LONE, NUL, "left " + LONE + " right"])
def test_a_text_answer_that_is_not_valid_text_is_refused_naming_the_answer(
        client, form, observer, bad):
    response = json_post(client, observer, "/api/submissions", report_json(bad))

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "answers", "secrecy_details"]
    assert Submission.objects.count() == 0


def test_a_bad_text_in_a_batch_names_the_report_and_the_answer(client, form, observer):
    body = f'{{"submissions": [{report_json("fine")}, {report_json(LONE)}]}}'

    response = json_post(client, observer, "/api/submissions/batch", body)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == [
        "body", "submissions", 1, "answers", "secrecy_details"]
    assert Submission.objects.count() == 0


@pytest.mark.parametrize(("written", "stored"), [
    ("\\ud83d\\ude00", "\U0001f600"),  # an emoji as a surrogate pair: valid
    ("\\\\u0000", "\\u0000"),  # a backslash, then the letters u0000: no NUL
])
def test_valid_text_written_with_escapes_is_stored(client, form, observer, written, stored):
    response = json_post(client, observer, "/api/submissions", report_json(written))

    assert response.status_code == 201
    assert Submission.objects.get().answers["secrecy_details"] == stored


@pytest.mark.parametrize(("field", "loc"), [
    ({"key_points": "RAW"}, ["body", "key_points"]),
    ({"interlocutors": [{"name": "RAW"}]}, ["body", "interlocutors", 0, "name"]),
    ({"topics": ["ok", "RAW"]}, ["body", "topics", 1]),
], ids=["key points", "an interlocutor's name", "a topic"])
def test_a_meeting_with_text_that_is_not_valid_is_refused_naming_the_field(
        client, mission, core_member, field, loc):
    body = written({"date": "2023-02-08", "place": "CEC", **field}, LONE)

    response = json_post(client, core_member, "/api/meetings", body)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == loc
    assert Meeting.objects.count() == 0


@pytest.mark.parametrize("bad", ["a\ud800b", "a\x00b"], ids=["lone surrogate", "NUL"])
def test_the_ingestion_refuses_bad_text_from_any_channel(form, mission, observer, bad):
    with pytest.raises(services.SubmissionRejected) as refused:
        send(observer, mission, answers={"registered": 100, "secrecy": "no",
                                         "secrecy_details": bad}, channel="openrosa")

    assert list(refused.value.errors) == ["secrecy_details"]
    assert Submission.objects.count() == 0


@pytest.fixture
def gateway(settings, form, observer):
    settings.EOM_SMS_SECRET = SECRET
    observer.person.phone = "+77011234567"
    observer.person.save(update_fields=["phone"])


@pytest.mark.parametrize("bad", [LONE, NUL])
def test_an_sms_text_that_is_not_valid_text_is_refused_naming_text(client, gateway, bad):
    body = written({"sender": "+77011234567", "text": "RAW", "id": "g1"}, f"VT P1 {bad}")

    response = client.post(reverse("sms:inbound"), body, content_type="application/json",
                           headers={"X-EOM-Secret": SECRET})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["text"]
    assert SmsMessage.objects.count() == 0


def test_a_twilio_body_with_nul_is_refused_naming_body(client, gateway):
    fields = {"From": "+77011234567", "Body": "VT P1\x00", "MessageSid": "SM" + "1" * 32}
    params = QueryDict(mutable=True)
    params.update(fields)
    signature = twilio_signature(SECRET, "http://testserver" + reverse("sms:twilio"), params)

    response = client.post(reverse("sms:twilio"), fields,
                           headers={"X-Twilio-Signature": signature})

    assert response.status_code == 400
    assert response.content.decode().startswith("Body: ")
    assert SmsMessage.objects.count() == 0


def test_a_posted_form_field_with_nul_is_refused_naming_it(client, mission, core_member):
    client.force_login(core_member)
    data = {"date": "2023-02-08", "place": "CEC", "key_points": "before\x00after"}

    encoded = client.post(reverse("missions:meeting_create"), urlencode(data),
                          content_type="application/x-www-form-urlencoded")
    multipart = client.post(reverse("missions:meeting_create"), data)

    assert encoded.status_code == 400
    assert encoded.content.decode().startswith("key_points: ")
    assert multipart.status_code == 200  # the form, shown again with the field's error
    assert multipart.context["form"].errors.keys() == {"key_points"}
    assert Meeting.objects.count() == 0


@pytest.mark.parametrize("url", ["/people/?q=%00", "/meetings/?topic=a%00b",
                                 "/api/locations?q=%00", "/api/meetings?mission=%00"])
def test_a_query_parameter_with_nul_is_refused_naming_it(client, mission, tree, core_member,
                                                         url):
    client.force_login(core_member)

    response = client.get(url)

    assert response.status_code == 400
    name = url.split("?")[1].split("=")[0]
    assert name in response.content.decode()


# SQLite kept a lone surrogate inside a JSON document (as an escape); PostgreSQL's jsonb never.
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL never stored a lone surrogate")


@sqlite_only
def test_pages_show_a_report_whose_comment_holds_a_lone_surrogate(
        client, form, mission, observer, core_member):
    submission, _created = send(observer, mission, answers={
        "registered": 100, "secrecy": "no", "secrecy_details": "ok", "assessment": "good"})
    answers = {**submission.answers, "secrecy_details": "bad \ud800 text"}
    Submission.objects.filter(pk=submission.pk).update(answers=answers)
    client.force_login(core_member)

    for name in ("observation:submission", "observation:submission_edit"):
        response = client.get(reverse(name, args=[submission.uuid]))
        assert response.status_code == 200, name
        assert "bad \ufffd text" in response.content.decode()
    api = client.get(f"/api/submissions/{submission.uuid}")
    assert json.loads(api.content)["answers"]["secrecy_details"] == "bad \ud800 text"
