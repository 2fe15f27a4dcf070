"""What the SMS gateways may send is bounded: a sender of more than 15 digits, a text over
EOM_MAX_SMS_CHARS, a JSON body nested beyond the parser's depth are refused (400 naming the
field) and nothing is logged; a station code longer than any stored one is answered as an
unknown station (a database error on PostgreSQL before)."""

import uuid

import pytest
from django.http import QueryDict
from django.urls import reverse

from eom.observation.channels.sms import twilio_signature
from eom.observation.models import SmsMessage, Submission
from tests.observation.scene import set_up

SECRET = "s3cret-for-tests"
PHONE = "+77011234567"


@pytest.fixture(autouse=True)
def gateway(settings, mission, tree, observer, other_team):
    settings.EOM_SMS_SECRET = SECRET
    set_up(mission, tree, observer, other_team)
    observer.person.phone = PHONE
    observer.person.save(update_fields=["phone"])


def inbound(client, body, **fields):
    data = body if isinstance(body, str) else {
        "sender": PHONE, "text": "VT", "time": "2023-03-19T10:00:00+06:00",
        "id": uuid.uuid4().hex, **fields}
    return client.post(reverse("sms:inbound"), data, content_type="application/json",
                       headers={"X-EOM-Secret": SECRET})


def test_a_sender_of_more_than_15_digits_is_refused_naming_sender(client):
    response = inbound(client, None, sender="+" + "7" * 16)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["sender"]
    assert SmsMessage.objects.count() == 0


def test_a_text_over_the_limit_is_refused_naming_text(client):
    response = inbound(client, None, text="x" * 1601)

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "text": ["is 1601 characters long; at most 1600 are allowed"]}
    assert SmsMessage.objects.count() == 0


def test_a_text_of_exactly_the_limit_is_logged(client):
    assert inbound(client, None, text="x" * 1600).status_code == 200
    assert SmsMessage.objects.count() == 1


def test_a_json_body_nested_beyond_the_parsers_depth_is_refused(client):
    response = inbound(client, "[" * 100_000 + "]" * 100_000)

    assert response.status_code == 400
    assert response.json()["errors"] == {"body": ["not a JSON object"]}


def test_a_twilio_body_over_the_limit_is_refused_naming_body(client):
    fields = {"From": PHONE, "Body": "x" * 1601, "MessageSid": "SM" + "1" * 32}
    params = QueryDict(mutable=True)
    params.update(fields)
    signature = twilio_signature(SECRET, "http://testserver" + reverse("sms:twilio"), params)

    response = client.post(reverse("sms:twilio"), fields,
                           headers={"X-Twilio-Signature": signature})

    assert response.status_code == 400
    assert response.content.decode().startswith("Body: is 1601 characters long")
    assert SmsMessage.objects.count() == 0


def test_a_station_code_longer_than_any_is_answered_as_unknown(client, observer):
    code = observer.person.code

    response = inbound(client, None, text=f"VT {code} 0{'1' * 200} AA100 AB40 AC1 AE1,3 AF2")

    assert response.status_code == 200
    assert SmsMessage.objects.get().error_kind == "unknown_station"
    assert Submission.objects.count() == 0
