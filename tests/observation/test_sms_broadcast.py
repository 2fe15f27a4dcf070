"""Broadcasts to observers (queued, sent, retried, logged) and the SMS log page."""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from eom.missions.models import AuditEntry
from eom.observation.channels.sms import (
    MAX_ATTEMPTS,
    Inbound,
    SmsSendError,
    queue_broadcast,
    receive,
    send_queued,
)
from eom.observation.models import Broadcast, SmsMessage
from tests.observation.scene import at

SECRET = "s3cret-for-tests"


@pytest.fixture(autouse=True)
def sms_settings(settings):
    settings.EOM_SMS_SECRET = SECRET
    settings.EOM_SMS_BACKEND = "log"


@pytest.fixture
def phones(observer, other_team):
    """The observer (team STO-1, region R1) and both STO-2 members (R2) have phones."""
    observer.person.phone = "+7 701 111 11 11"
    observer.person.save()
    for i, person in enumerate(other_team.members.order_by("pk"), start=2):
        person.phone = f"8-702-{i}{i}{i}-{i}{i}-{i}{i}"
        person.save()
    return observer


class Failing:
    def __init__(self):
        self.calls = 0

    def send(self, number, text):
        self.calls += 1
        raise SmsSendError("gateway answered 502")


def test_the_broadcast_page_previews_the_count_and_queues(client, core_member, phones, tree):
    client.force_login(core_member)
    url = reverse("sms:broadcast")
    preview = client.post(url, {"text": "Polls close at 20:00", "region": tree["R1"].pk,
                                "preview": ""})
    assert preview.status_code == 200
    assert "1 observer with a phone number will receive it." in preview.content.decode()
    assert SmsMessage.objects.count() == 0
    queued = client.post(url, {"text": "Polls close at 20:00", "queue": ""})
    assert queued.status_code == 302 and queued["Location"] == reverse("sms:log")
    broadcast = Broadcast.objects.get()
    assert (broadcast.n_recipients, broadcast.created_by) == (3, core_member)
    rows = SmsMessage.objects.order_by("number")
    assert list(rows.values_list("number", "status", "direction")) == [
        ("+77011111111", "queued", "out"), ("87022222222", "queued", "out"),
        ("87023333333", "queued", "out")]
    entry = AuditEntry.objects.get(model="observation.broadcast")
    assert entry.changes["recipients"] == [None, 3]
    assert entry.changes["filter"] == [None, {"region": None, "team_kind": None, "team": None}]


@pytest.mark.parametrize(("backend", "said"), [
    ("http", "Queued messages go out within a minute or two."),
    ("log", "This server is set up for training: queued messages are written to the message log"),
])
def test_the_broadcast_page_says_when_messages_go_out_and_names_no_command(settings,
        client, core_member, backend, said):
    settings.EOM_SMS_BACKEND = backend
    client.force_login(core_member)

    page = client.get(reverse("sms:broadcast")).content.decode()

    assert said in page
    assert "send-queued" not in page and "eom sms" not in page and "cron" not in page


def test_the_broadcast_page_warns_when_queued_messages_wait_too_long(
        client, core_member, phones, mission):
    queue_broadcast(actor=core_member, channel="page", mission=mission, text="Check in",
                    now=timezone.now() - dt.timedelta(minutes=6))
    queue_broadcast(actor=core_member, channel="page", mission=mission, text="Just now")
    client.force_login(core_member)

    page = client.get(reverse("sms:broadcast")).content.decode()

    assert ("3 queued messages have waited more than five minutes to go out: the server is not "
            "sending.") in page


def test_filters_by_team_and_team_kind(core_member, phones, other_team, mission):
    by_team = queue_broadcast(actor=core_member, channel="page", mission=mission, text="hi",
                              team=other_team)
    by_kind = queue_broadcast(actor=core_member, channel="page", mission=mission, text="hi",
                              team_kind="lto")
    assert (by_team.n_recipients, by_kind.n_recipients) == (2, 0)


def test_an_empty_text_is_refused_beside_the_field(client, core_member, phones):
    client.force_login(core_member)
    response = client.post(reverse("sms:broadcast"), {"text": "", "queue": ""})
    assert response.status_code == 422
    assert Broadcast.objects.count() == 0


@pytest.mark.parametrize("persona", ["observer", "coordinator", "analyst"])
def test_only_the_core_team_and_administrators_use_the_sms_pages(client, request, persona,
                                                                 phones, mission):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("sms:log")).status_code == 403
    assert client.post(reverse("sms:broadcast"), {"text": "x", "queue": ""}).status_code == 403
    assert Broadcast.objects.count() == 0


def test_administrators_may_broadcast(client, administrator, phones):
    client.force_login(administrator)
    assert client.post(reverse("sms:broadcast"), {"text": "x", "queue": ""}).status_code == 302


def test_the_dev_backend_sends_the_queue_and_counts_the_attempt(core_member, phones, mission,
                                                                capsys):
    queue_broadcast(actor=core_member, channel="page", mission=mission, text="Check in")
    call_command("sms", "send-queued")
    assert capsys.readouterr().out.strip() == "sent 3, to retry 0, failed 0"
    sent = SmsMessage.objects.filter(direction="out")
    assert set(sent.values_list("status", "attempts")) == {("sent", 1)}
    assert all(m.gateway_id.startswith("log-") and m.sent_at for m in sent)
    call_command("sms", "send-queued")
    assert capsys.readouterr().out.strip() == "sent 0, to retry 0, failed 0"


def test_a_failing_gateway_is_retried_with_backoff_then_marked_failed(core_member, phones,
                                                                      mission, other_team):
    now = at(12)
    queue_broadcast(actor=core_member, channel="page", mission=mission, text="x", team=other_team,
                    now=now)
    failing = Failing()
    assert send_queued(sender=failing, now=now) == {"sent": 0, "retry": 2, "failed": 0}
    message = SmsMessage.objects.filter(direction="out").first()
    assert (message.attempts, message.next_attempt_at) == (1, now + dt.timedelta(minutes=1))
    assert send_queued(sender=failing, now=now + dt.timedelta(seconds=59))["retry"] == 0
    waits = [1, 2, 4, 8]
    for attempt in range(2, MAX_ATTEMPTS + 1):
        now += dt.timedelta(minutes=waits[attempt - 2])
        send_queued(sender=failing, now=now)
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (
        "failed", MAX_ATTEMPTS, "gateway answered 502")
    assert failing.calls == 2 * MAX_ATTEMPTS


def test_the_command_fails_when_messages_fail_for_good(settings, core_member, phones, mission):
    settings.EOM_SMS_BACKEND = "http"
    settings.EOM_SMS_SEND_URL = "http://127.0.0.1:9/send"  # nothing listens there
    queue_broadcast(actor=core_member, channel="page", mission=mission, text="x")
    SmsMessage.objects.update(attempts=MAX_ATTEMPTS - 1)
    with pytest.raises(CommandError, match="3 messages failed for good"):
        call_command("sms", "send-queued")
    assert set(SmsMessage.objects.values_list("status", flat=True)) == {"failed"}


def test_the_http_backend_posts_json_with_the_secret(settings, core_member, phones, mission):
    received = []

    class Gateway(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.headers["X-EOM-Secret"], json.loads(body)))
            answer = json.dumps({"id": f"gw-{len(received)}"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        settings.EOM_SMS_BACKEND = "http"
        settings.EOM_SMS_SEND_URL = f"http://127.0.0.1:{server.server_port}/send"
        queue_broadcast(actor=core_member, channel="page", mission=mission, text="Hello",
                        team=phones.person.teams.get())
        assert send_queued() == {"sent": 1, "retry": 0, "failed": 0}
    finally:
        server.shutdown()
        server.server_close()
    assert received == [(SECRET, {"to": "+77011111111", "text": "Hello"})]
    assert SmsMessage.objects.get().gateway_id == "gw-1"


# --- the log page ------------------------------------------------------------------------------


def log_some(n: int) -> None:
    for i in range(n):
        receive(Inbound(number=f"+7701111111{i}", text=f"hello {i}", gateway_id=f"g{i}",
                        at=at(9, i)))


def test_the_log_lists_and_searches_messages(client, core_member, phones):
    log_some(3)
    receive(Inbound(number="+77011111111", text="VT nonsense", gateway_id="x", at=at(9, 30)))
    client.force_login(core_member)
    page = client.get(reverse("sms:log")).content.decode()
    assert "hello 0" in page and "VT nonsense" in page
    by_person = client.get(reverse("sms:log"), {"q": phones.person.full_name}).content.decode()
    assert "VT nonsense" in by_person and "hello 2" not in by_person
    by_number = client.get(reverse("sms:log"), {"q": "701 111 1112"}).content.decode()
    assert "hello 2" in by_number and "hello 1" not in by_number
    by_status = client.get(reverse("sms:log"), {"status": "accepted"}).content.decode()
    assert "hello" not in by_status


def test_the_log_page_costs_the_same_queries_for_1_and_3_messages(client, core_member, phones):
    client.force_login(core_member)
    log_some(1)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("sms:log"))
    log_some(3)
    with CaptureQueriesContext(connection) as three:
        client.get(reverse("sms:log"))
    assert len(one) == len(three)
