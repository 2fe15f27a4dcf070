"""SMS reports through the gateway webhooks, over the real HTTP stack: the generic gateway
(JSON and form-encoded), Twilio, and the guards (secret, number, code, duplicates, locks)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from eom.missions.models import AuditEntry
from eom.observation.channels.sms import twilio_signature
from eom.observation.models import FormVersion, SmsLock, SmsMessage, Submission
from tests.factories import make_deployment
from tests.observation.scene import at, set_up

SECRET = "s3cret-for-tests"
PHONE = "+77011234567"
GOOD = "AA100 AB40 AC1 AE1,3 AF2"


@pytest.fixture(autouse=True)
def sms_secret(settings):
    settings.EOM_SMS_SECRET = SECRET
    settings.EOM_SMS_PUBLIC_URL = ""


@pytest.fixture
def form(mission, tree, observer, other_team):
    voting = set_up(mission, tree, observer, other_team)
    observer.person.phone = "+7 (701) 123-45-67"
    observer.person.save(update_fields=["phone"])
    return voting


@pytest.fixture
def code(observer):
    return observer.person.code


def sms(client, text, *, sender=PHONE, when=None, gateway_id=None, as_json=True,
        secret=SECRET, **extra):
    data = {"sender": sender, "text": text, "time": (when or at(10)).isoformat(),
            "id": gateway_id or uuid.uuid4().hex}
    if as_json:
        return client.post(reverse("sms:inbound"), data, content_type="application/json",
                           headers={"X-EOM-Secret": secret}, **extra)
    return client.post(reverse("sms:inbound"), {**data, "secret": secret}, **extra)


def reply(client, text, **kwargs) -> str:
    response = sms(client, text, **kwargs)
    assert response.status_code == 200
    return response.json()["reply"]


# --- the two gateway formats --------------------------------------------------------------------


def test_a_json_report_is_stored_and_answered_with_what_was_received(client, form, code):
    response = sms(client, f"VT {code} 01001 AA100 AB40 AC2 AE1,3 AF2 @booth  open")
    body = response.json()
    submission = Submission.objects.get()
    assert response.status_code == 200
    assert body["status"] == "accepted" and body["to"] == PHONE
    assert body["reply"] == (f"received: VT 01001 AA100 AB40 AC2 AE1,3 AF2 @booth open (ref "
                             f"{str(submission.uuid)[:8]})")
    assert submission.channel == "sms" and submission.location.code == "01001"
    assert submission.answers == {"registered": 100, "voted": 40, "secrecy": "no",
                                  "secrecy_details": "booth open",
                                  "problems": ["queue", "pressure"], "assessment": "good"}
    assert submission.observed_at == at(10)
    logged = SmsMessage.objects.get()
    assert (logged.status, logged.submission, logged.person.code) == ("accepted", submission, code)
    assert AuditEntry.objects.filter(model="observation.submission", channel="sms").count() == 1


def test_a_form_encoded_report_with_the_secret_as_a_field(client, form, code):
    response = sms(client, f"vt{code.lower()} 01002 aa 100 ab 40 ac1 af 2", as_json=False)
    assert response.json()["status"] == "accepted"
    assert Submission.objects.get().location.code == "01002"


def test_the_twilio_signature_is_computed_as_twilio_does():
    # Twilio's own test vector (twilio-python, tests/unit/test_request_validator.py).
    params = QueryDict(mutable=True)
    params.update({"CallSid": "CA1234567890ABCDE", "Digits": "1234", "From": "+14158675309",
                   "To": "+18005551212", "Caller": "+14158675309"})
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    assert twilio_signature("12345", url, params) == "RSOYDt4T1cUTdK1PDd93/VVr8B8="


def twilio_post(client, fields: dict, token: str = SECRET):
    params = QueryDict(mutable=True)
    params.update(fields)
    signature = twilio_signature(token, "http://testserver" + reverse("sms:twilio"), params)
    return client.post(reverse("sms:twilio"), fields, headers={"X-Twilio-Signature": signature})


def test_a_twilio_report_is_stored_and_answered_in_twiml(client, form, code, observer):
    today = timezone.localdate()
    make_deployment(observer.person.teams.get(), [form.mission.locations.get(code="01001")],
                    starts=today - dt.timedelta(days=1), ends=today + dt.timedelta(days=1))
    fields = {"From": PHONE, "To": "+15005550006", "Body": f"VT{code} {GOOD}",
              "MessageSid": "SM" + "1" * 32, "AccountSid": "AC" + "2" * 32, "NumMedia": "0"}
    response = twilio_post(client, fields)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/xml")
    assert response.content.decode().startswith(
        '<?xml version="1.0" encoding="UTF-8"?><Response><Message>received: VT 01001 AA100')
    assert Submission.objects.get().location.code == "01001"
    again = twilio_post(client, fields)  # Twilio retries with the same MessageSid
    assert again.content == response.content
    assert (SmsMessage.objects.count(), Submission.objects.count()) == (1, 1)


def test_a_wrong_twilio_signature_is_refused_and_nothing_is_stored(client, form, code):
    fields = {"From": PHONE, "Body": f"VT{code} {GOOD}", "MessageSid": "SM1"}
    assert twilio_post(client, fields, token="not-the-token").status_code == 403
    assert client.post(reverse("sms:twilio"), fields).status_code == 403
    assert SmsMessage.objects.count() == 0


# --- authentication and input ------------------------------------------------------------------


def test_a_wrong_secret_is_refused_and_nothing_is_stored(client, form, code):
    assert sms(client, f"VT {code} 01001 {GOOD}", secret="guess").status_code == 403
    assert sms(client, f"VT {code} 01001 {GOOD}", secret="", as_json=False).status_code == 403
    assert (SmsMessage.objects.count(), Submission.objects.count()) == (0, 0)


def test_without_a_configured_secret_the_webhook_refuses_everything(settings, client, form, code):
    settings.EOM_SMS_SECRET = ""
    assert sms(client, f"VT {code} 01001 {GOOD}", secret="").status_code == 403
    assert SmsMessage.objects.count() == 0


def test_missing_fields_are_named(client, form):
    response = client.post(reverse("sms:inbound"), {"time": "yesterday"},
                           content_type="application/json", headers={"X-EOM-Secret": SECRET})
    assert response.status_code == 400
    assert response.json()["errors"] == {"sender": ["required"], "text": ["required"],
                                         "time": ["not ISO 8601 or Unix seconds"]}


def test_unix_seconds_are_read_as_the_message_time(client, form, code):
    data = {"sender": PHONE, "text": f"VT {code} 01001 {GOOD}", "id": "u1",
            "time": str(int(at(11).timestamp()))}
    client.post(reverse("sms:inbound"), data, content_type="application/json",
                headers={"X-EOM-Secret": SECRET})
    assert Submission.objects.get().observed_at == at(11)


# --- who sends ---------------------------------------------------------------------------------


def test_an_unknown_number_is_refused(client, form, code):
    assert reply(client, f"VT {code} 01001 {GOOD}", sender="+77019999999") == (
        "this number is not registered with the mission")
    assert SmsMessage.objects.get().error_kind == "unknown_number"
    assert Submission.objects.count() == 0


def test_the_code_must_be_the_one_of_the_number(client, form, other_team):
    stranger = other_team.members.first().code
    assert reply(client, f"VT {stranger} 01001 {GOOD}") == (
        f"the code {stranger} is not the one of this number")
    assert Submission.objects.count() == 0


def test_numbers_written_with_00_or_without_plus_find_the_person(client, form, code):
    assert reply(client, f"VT {code} 01001 {GOOD}", sender="0077011234567").startswith("received")
    assert reply(client, f"VT {code} 01002 {GOOD}", sender="77011234567").startswith("received")


def test_an_observer_without_a_login_gets_one_for_sms(client, form, other_team):
    person = other_team.members.order_by("pk").first()
    person.phone = "+77020000001"
    person.save()
    text = f"VT {person.code} {GOOD}"  # the team has one station: 02001
    assert reply(client, text, sender=person.phone).startswith("received: VT 02001")
    person.refresh_from_db()
    assert person.user.username == f"sms-{person.code}"
    assert not person.user.has_usable_password()


def test_an_observer_with_two_stations_must_name_one(client, form, code):
    assert reply(client, f"VT {code} {GOOD}") == "name the station after your code: 01001, 01002"


def test_a_station_the_team_is_not_deployed_to_is_refused(client, form, code):
    assert reply(client, f"VT {code} 02001 {GOOD}") == (
        "you are not deployed to 02001 on that day")
    assert reply(client, f"VT {code} 99999 {GOOD}") == "unknown station 99999"


# --- replies ------------------------------------------------------------------------------------


def test_the_reply_shows_what_was_stored_not_what_was_skipped(client, form, code):
    # The comment goes to the form's first text question, asked only when AC is 2 (no).
    assert reply(client, f"VT {code} 01001 {GOOD} @queue").startswith(
        "received: VT 01001 AA100 AB40 AC1 AE1,3 AF2 (ref ")
    assert "secrecy_details" not in Submission.objects.get().answers


def test_refused_answers_are_named_by_tag(client, form, code):
    assert reply(client, f"VT {code} 01001 AA100 AB400 AC1") == "AB: More voters than registered"
    assert reply(client, f"VT {code} 01001 AA100 AC2") == "missing AD"
    assert reply(client, f"VT {code} 01001 AA100 AB9 AC3 ZZ1") == (
        "AC: 3 is not a choice (1–2); unknown question ZZ in VT (write comments after @)")
    assert reply(client, f"XY{code} AA1") == "unknown form XY (forms: VT)"


@pytest.mark.parametrize(("languages", "expected"), [
    ("ru, en", "не хватает AC"),
    ("kk", "жетіспейді: AC"),
    ("de", "missing AC"),
    ("", "missing AC"),
])
def test_the_reply_is_in_the_observer_s_first_language(client, form, code, observer, languages,
                                                       expected):
    observer.person.languages = languages
    observer.person.save()
    assert reply(client, f"VT {code} 01001 AA100") == expected


def test_an_accepted_reply_in_russian(client, form, code, observer):
    observer.person.languages = "ru"
    observer.person.save()
    assert reply(client, f"VT {code} 01001 {GOOD}").startswith(
        "принято: VT 01001 AA100 AB40 AC1 AE1,3 AF2 (№ ")


# --- stored once -------------------------------------------------------------------------------


def test_a_gateway_retry_is_stored_once_and_answered_alike(client, form, code):
    first = sms(client, f"VT {code} 01001 {GOOD}", gateway_id="gw-7").json()
    second = sms(client, f"VT {code} 01001 {GOOD}", gateway_id="gw-7").json()
    assert first == second
    assert (SmsMessage.objects.count(), Submission.objects.count()) == (1, 1)


def test_an_identical_message_within_12_hours_is_answered_but_stored_once(client, form, code):
    text = f"VT {code} 01001 {GOOD}"
    first = reply(client, text, when=at(10))
    assert reply(client, " " + text.replace(" ", "  ") + " ", when=at(21, 59)) == first
    assert Submission.objects.count() == 1
    assert list(SmsMessage.objects.order_by("at").values_list("status", flat=True)) == [
        "accepted", "duplicate"]


def test_an_identical_message_after_12_hours_is_a_new_report(client, form, code):
    text = f"VT {code} 01001 {GOOD}"
    reply(client, text, when=at(8))
    assert reply(client, text, when=at(20, 1)).startswith("received")
    assert Submission.objects.count() == 2


# --- locks and rates ---------------------------------------------------------------------------


def test_five_failures_in_15_minutes_lock_the_number_for_30_minutes(client, form, code):
    for minute in range(4):
        assert reply(client, f"VT {code} 01001 AA{minute}", when=at(10, minute)) == "missing AC"
    assert reply(client, f"VT {code} 01001 {GOOD}", when=at(10, 4)).startswith("received")
    assert not SmsLock.objects.exists()  # four failures: not yet
    reply(client, "hello", when=at(10, 5))
    lock = SmsLock.objects.get()
    assert lock.locked_until == at(10, 35)
    locked = reply(client, f"VT {code} 01002 {GOOD}", when=at(10, 34))
    assert locked == "too many errors from this number; try again after 10:35"
    assert SmsMessage.objects.get(status="locked").error_kind == "locked"
    assert reply(client, f"VT {code} 01002 {GOOD}", when=at(10, 35)).startswith("received")
    assert Submission.objects.count() == 2


def test_failures_spread_over_more_than_15_minutes_do_not_lock(client, form, code):
    for minute in (0, 4, 8, 12, 16):
        reply(client, "hello", when=at(10, minute))
    assert not SmsLock.objects.exists()


def test_the_lock_is_per_number_not_per_carrier_address(client, form, code, other_team):
    for minute in range(5):
        reply(client, "hello", when=at(10, minute), REMOTE_ADDR="10.0.0.1")
    mate = other_team.members.order_by("pk").first()
    mate.phone = "+77020000002"
    mate.save()
    answer = reply(client, f"VT {mate.code} {GOOD}", sender=mate.phone, when=at(10, 6),
                   REMOTE_ADDR="10.0.0.1")
    assert answer.startswith("received")


def test_more_than_30_messages_in_5_minutes_from_one_number_are_held(client, form, code):
    text = f"VT {code} 01001 {GOOD}"
    for second in range(30):
        reply(client, text, when=at(10) + dt.timedelta(seconds=second))
    assert reply(client, text, when=at(10, 1)) == (
        "too many messages from this number; wait a few minutes")
    assert SmsMessage.objects.filter(error_kind="rate_limited").count() == 1
    assert Submission.objects.count() == 1


# --- partial reports ---------------------------------------------------------------------------


def allow_partial(form):
    version = form.current_version
    version.definition = {**version.definition, "sms_partial": True}
    FormVersion.objects.filter(pk=version.pk).update(definition=version.definition,
                                                     uploaded_at=timezone.now())


def test_a_partial_form_stores_the_report_when_the_last_part_arrives(client, form, code):
    allow_partial(form)
    assert reply(client, f"VT {code} 01001 AA100 AB40", when=at(10)) == (
        "received: VT 01001 AA100 AB40; still missing AC")
    assert Submission.objects.count() == 0
    assert reply(client, f"VT {code} 01001 AC1 AF2", when=at(10, 5)).startswith(
        "received: VT 01001 AA100 AB40 AC1 AF2 (ref")
    submission = Submission.objects.get()
    assert submission.answers == {"registered": 100, "voted": 40, "secrecy": "yes",
                                  "assessment": "good"}
    assert set(SmsMessage.objects.values_list("submission", flat=True)) == {submission.pk}


def test_without_the_form_setting_a_partial_report_is_refused(client, form, code):
    assert reply(client, f"VT {code} 01001 AA100 AB40") == "missing AC"
    assert SmsMessage.objects.get().status == "rejected"


def test_a_partial_part_with_a_wrong_answer_is_refused(client, form, code):
    allow_partial(form)
    assert reply(client, f"VT {code} 01001 AA100 AB400") == "AB: More voters than registered"
