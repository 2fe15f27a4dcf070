"""The SMS channel: gateway webhooks, the guards, broadcasts and the message log.

Inbound: `POST /sms/inbound/` (generic gateway: JSON or form-encoded `sender`, `text`, `time`,
`id`; the secret in the `X-EOM-Secret` header or a `secret` field) and `POST /sms/twilio/`
(Twilio's form-encoded `From`, `Body`, `MessageSid`, signed with `X-Twilio-Signature`; the secret
is the Twilio auth token). Both end in `receive`, which logs the message, applies the guards,
reads it with `eom.xlsform.sms_syntax.parse` and stores the report through
`services.ingest_submission` (channel "sms"). Outbound: broadcasts are queued as `SmsMessage`
rows and sent by `eom sms send-queued` through a backend (`EOM_SMS_BACKEND`: log or http).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Protocol
from xml.sax.saxutils import escape

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Replace
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from eom.missions import audit
from eom.missions.access import readers_page
from eom.missions.models import Access, Channel, Location, Mission, Person, Team, TeamKind
from eom.missions.permissions import can_use_sms_pages
from eom.missions.services import current_mission
from eom.missions.validators import EARLIEST_DAY, text_problem
from eom.observation import permissions, services
from eom.observation.models import Form, Stage
from eom.observation.sms_models import Broadcast, SmsLock, SmsMessage
from eom.xlsform.sms_syntax import ParsedSms, SmsError, SmsForm, parse, sms_forms

from . import sms_replies as replies

logger = logging.getLogger(__name__)

IN, OUT = SmsMessage.Direction.IN, SmsMessage.Direction.OUT
S = SmsMessage.Status
DUPLICATE_WINDOW = dt.timedelta(hours=12)
FAILURE_WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES = 5
LOCK_PERIOD = dt.timedelta(minutes=30)
RATE_WINDOW = dt.timedelta(minutes=5)
RATE_LIMIT = 30
MAX_ATTEMPTS = 5
UUID_NAMESPACE = uuid.UUID("6f2a8c1e-5d0b-4c1f-9a57-3e8d2b7c4a10")
MAX_NUMBER_DIGITS = 15  # E.164
MAX_CODE_CHARS = 64  # a location code, as stored


# --- numbers and people -----------------------------------------------------------------------


def normalise_number(raw: str) -> str:
    """E.164-ish: digits only, a leading + kept, a leading 00 read as +."""
    raw = (raw or "").strip()
    digits = "".join(c for c in raw if c.isascii() and c.isdigit())
    if raw.startswith("+"):
        return "+" + digits
    if digits.startswith("00"):
        return "+" + digits[2:]
    return digits


def _normalised_phone():
    expression = F("phone")
    for character in (" ", "-", "(", ")", ".", "/", "\u00a0"):
        expression = Replace(expression, Value(character), Value(""))
    return expression


def people_with_number(mission: Mission | None, number: str) -> QuerySet[Person]:
    """The mission's people whose phone, written any usual way, is this number."""
    if mission is None or not number.lstrip("+"):
        return Person.objects.none()
    digits = number.lstrip("+")
    candidates = {f"+{digits}", digits, f"00{digits}"}
    return (
        Person.objects.filter(mission=mission)
        .exclude(phone="")
        .annotate(normalised_phone=_normalised_phone())
        .filter(normalised_phone__in=candidates)
        .select_related("user")
        .order_by("pk")
    )


def _login_of(person: Person):
    """The person's login; one with an unusable password is made for an SMS-only observer."""
    if person.user_id:
        return person.user
    users = get_user_model().objects
    name = f"sms-{person.code}"
    if users.filter(username=name).exists():
        name = f"sms-{person.code}-{person.pk}"
    person.user = users.create_user(name)
    person.save(update_fields=["user"])
    audit.record(actor=None, channel=Channel.SMS, action="update", obj=person,
                 mission=person.mission, changes={"user": [None, name]})
    return person.user


# --- receiving --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Inbound:
    number: str
    text: str
    gateway_id: str = ""
    at: dt.datetime | None = None


def _digest(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()


_SMS_FORMS: dict[tuple, dict[str, SmsForm]] = {}


def mission_forms(mission: Mission) -> dict[str, SmsForm]:
    forms_ = Form.objects.filter(mission=mission, current_version__isnull=False)
    versions = [form.current_version for form in forms_.select_related("current_version")
                .defer("current_version__definition", "current_version__source")]
    # Worked out once per process for these versions (every message asks, and reading the
    # definitions took longer than the rest of the message's checks): a stored version never
    # changes, and the key holds each one's upload time, in the forms' order.
    key = tuple((version.pk, version.uploaded_at) for version in versions)
    found = _SMS_FORMS.get(key)
    if found is None:
        if len(_SMS_FORMS) > 50:
            _SMS_FORMS.clear()
        found = _SMS_FORMS[key] = sms_forms(
            services.definition_of(version) for version in versions)
    return found


def receive(inbound: Inbound, *, mission: Mission | None = None,
            now: dt.datetime | None = None) -> SmsMessage:
    """Log one received SMS, apply the guards, store the report it carries; returns the logged
    message with its status and reply.

    A gateway retry (same gateway id) returns the logged message and changes nothing. The
    message's time is the gateway's (never later than now); windows (duplicates 12 h, failures
    15 min, lock 30 min, rate 5 min) are measured on it. Side effects: SmsMessage row, maybe a
    Submission (audited by ingest_submission), an SmsLock, a login for an SMS-only observer.
    """
    now = now or timezone.now()
    at = min(inbound.at or now, now)
    number = normalise_number(inbound.number)
    text = inbound.text or ""
    gateway_id = (inbound.gateway_id or "").strip()[:100] or "auto-" + hashlib.sha256(
        f"{number}|{at.isoformat()}|{text}".encode()).hexdigest()[:40]
    logged = SmsMessage.objects.filter(direction=IN, gateway_id=gateway_id).first()
    if logged is not None:
        return logged
    mission = mission or current_mission()
    try:
        with transaction.atomic():
            message = SmsMessage.objects.create(
                mission=mission, direction=IN, number=number, text=text, gateway_id=gateway_id,
                at=at, digest=_digest(text), status=S.REJECTED,
            )
            _handle(message, mission)
            message.reply = replies.shorten(message.reply)
            message.save()
            if message.status == S.REJECTED:
                _count_failure(number, at)
    except IntegrityError:
        logged = SmsMessage.objects.filter(direction=IN, gateway_id=gateway_id).first()
        if logged is None:
            raise
        return logged
    return message


def _handle(message: SmsMessage, mission: Mission | None) -> None:
    people = list(people_with_number(mission, message.number))
    language = replies.language_of(
        people[0].languages if people else "", default=settings.LANGUAGE_CODE[:2]
    )
    message.person = people[0] if people else None

    def refuse(kind: str, status: str = S.REJECTED, **values) -> None:
        message.status, message.error_kind = status, kind
        message.reply = replies.say(kind, language, **values)

    lock = SmsLock.objects.filter(number=message.number, locked_until__gt=message.at).first()
    if lock is not None:
        until = timezone.localtime(lock.locked_until).strftime("%H:%M")
        return refuse("locked", S.LOCKED, time=until)
    recent = SmsMessage.objects.filter(
        direction=IN, number=message.number, at__gt=message.at - RATE_WINDOW,
        at__lte=message.at,
    ).exclude(pk=message.pk)
    if recent.count() >= RATE_LIMIT:
        return refuse("rate_limited", S.LOCKED)
    earlier = SmsMessage.objects.filter(
        direction=IN, number=message.number, digest=message.digest,
        at__gte=message.at - DUPLICATE_WINDOW, at__lte=message.at,
        status__in=[S.ACCEPTED, S.PARTIAL],
    ).exclude(pk=message.pk).order_by("at", "pk").first()
    if earlier is not None:
        message.status, message.reply = S.DUPLICATE, earlier.reply
        message.person, message.submission = earlier.person, earlier.submission
        return None
    if not people:
        return refuse("unknown_number")
    parsed = parse(message.text, mission_forms(mission))
    if isinstance(parsed, SmsError):
        message.status, message.error_kind = S.REJECTED, parsed.kind.value
        message.reply = replies.reply_for(parsed, language)
        return None
    person = next((p for p in people if p.code.casefold() == parsed.observer.casefold()), None)
    if person is None:
        return refuse("code_mismatch", code=parsed.observer)
    message.person = person
    language = replies.language_of(person.languages, default=language)
    with override(language):
        _store(message, mission, person, parsed, language)
    return None


def _station(user, mission: Mission, parsed: ParsedSms, at: dt.datetime) -> str | None:
    if parsed.station is not None:
        return parsed.station
    day = timezone.localtime(at).date()
    stations = list(permissions.assigned_locations(user, mission, on=day).order_by("path")[:6])
    if len(stations) != 1:
        return None
    station = stations[0]
    form = Form.objects.filter(mission=mission, form_id=parsed.form.form_id).first()
    if form is not None and form.stage == Stage.TABULATION and station.parent_id:
        return station.parent.code
    return station.code


def _store(message: SmsMessage, mission: Mission, person: Person, parsed: ParsedSms,
           language: str) -> None:
    def refuse(kind: str, reply: str) -> None:
        message.status, message.error_kind, message.reply = S.REJECTED, kind, reply

    user = _login_of(person)
    code = _station(user, mission, parsed, message.at)
    if code is not None and len(code) > MAX_CODE_CHARS:  # no station has such a code
        return refuse("unknown_station", replies.say(
            "unknown_station", language, station=code[:MAX_CODE_CHARS] + "…"))
    if code is None:
        day = timezone.localtime(message.at).date()
        stations = permissions.assigned_locations(user, mission, on=day).order_by("path")
        listed = [s.code for s in stations[:5]] or ["…"]
        return refuse("station_needed", replies.say("station_needed", language, stations=listed))
    form = parsed.form
    message.form_id, message.location_code = form.form_id, code
    message.answers = parsed.answers
    parts = SmsMessage.objects.none()
    answers = dict(parsed.answers)
    if form.partial:
        parts = SmsMessage.objects.filter(
            direction=IN, person=person, status=S.PARTIAL, submission__isnull=True,
            form_id=form.form_id, location_code=code,
            at__gte=message.at - DUPLICATE_WINDOW, at__lte=message.at,
        ).exclude(pk=message.pk).order_by("at", "pk")
        answers = {}
        for part in parts:
            answers.update(part.answers)
        answers.update(parsed.answers)
    key = uuid.uuid5(UUID_NAMESPACE, f"sms:{message.gateway_id}")
    data = services.SubmissionInput(
        uuid=key, form_id=form.form_id, location_code=code, answers=answers,
        observed_at=message.at,
    )
    try:
        submission, _created = services.ingest_submission(
            actor=user, channel=Channel.SMS, mission=mission, data=data
        )
    except services.SubmissionRejected as rejected:
        return _rejected(message, rejected, form, answers, code, language)
    message.status, message.submission = S.ACCEPTED, submission
    parts.update(submission=submission)
    kept = {q.name: submission.answers[q.name] for q in form.questions
            if q.name in submission.answers}
    stored = ParsedSms(form=form, observer=parsed.observer, station=code, answers=kept)
    message.reply = replies.reply_for(stored, language, ref=str(submission.uuid)[:8])
    return None


def _rejected(message: SmsMessage, rejected: services.SubmissionRejected, form: SmsForm,
              answers: dict, code: str, language: str) -> None:
    errors = rejected.errors
    message.status = S.REJECTED
    if "location" in errors:
        kind = "not_deployed" if rejected.status == 403 else "unknown_station"
        if kind == "unknown_station" and Location.objects.filter(
                mission_id=message.mission_id, code=code).exists():
            # A known place where no report of that stage is made (voting at a commission,
            # tabulation at a polling station): the reason, as the other channels give it.
            message.error_kind = "wrong_place"
            message.reply = replies.say("not_stored", language,
                                        reason=" ".join(errors["location"]))
            return
        message.error_kind = kind
        message.reply = replies.say(kind, language, station=code)
        return
    missing = [q.tag for q in form.questions if q.name in errors and q.name not in answers]
    invalid = [
        replies.say("answer", language, tag=q.tag,
                    reason=" ".join(errors[q.name]).rstrip("."))
        for q in form.questions if q.name in errors and q.name in answers
    ]
    other = [" ".join(reasons) for name, reasons in errors.items() if form.by_name(name) is None]
    if form.partial and missing and not invalid and not other:
        message.status, message.error_kind = S.PARTIAL, ""
        shown = ParsedSms(form=form, observer="", station=code, answers=answers)
        message.reply = replies.partial_reply(shown, missing, language)
        return
    message.error_kind = "missing_answers" if missing and not invalid else "answers"
    parts = invalid + [replies.say("not_stored", language, reason=r) for r in other]
    if missing and not form.partial:
        parts.append(replies.say("missing_answers", language, tags=missing))
    message.reply = replies.joined(parts)


def _count_failure(number: str, at: dt.datetime) -> None:
    """Lock the number after MAX_FAILURES refusals within FAILURE_WINDOW (never by address)."""
    lock = SmsLock.objects.filter(number=number).first()
    since = at - FAILURE_WINDOW
    if lock is not None and lock.locked_until > since:
        since = lock.locked_until
    failures = SmsMessage.objects.filter(
        direction=IN, number=number, status=S.REJECTED, at__gte=since, at__lte=at
    ).count()
    if failures < MAX_FAILURES:
        return
    SmsLock.objects.update_or_create(
        number=number, defaults={"locked_until": at + LOCK_PERIOD, "failures": failures}
    )


# --- webhooks ---------------------------------------------------------------------------------


def _secret() -> str:
    return settings.EOM_SMS_SECRET


def _same(given: str, expected: str) -> bool:
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def _parse_time(raw: str) -> dt.datetime | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    if raw.isdigit():
        seconds = int(raw) / (1000 if len(raw) > 11 else 1)
        return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
    moment = parse_datetime(raw)
    if moment is None:
        raise ValueError(raw)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _inbound_errors(sender: str, text: str) -> dict[str, list[str]]:
    """What is wrong with a message's sender and text, by field (the gateway's names)."""
    errors: dict[str, list[str]] = {}
    if len(normalise_number(sender).lstrip("+")) > MAX_NUMBER_DIGITS:
        errors["sender"] = [_("a phone number has at most %(n)d digits") % {
            "n": MAX_NUMBER_DIGITS}]
    problem = text_problem(text, max_chars=settings.EOM_MAX_SMS_CHARS)
    if problem:
        errors["text"] = [problem]
    return errors


@csrf_exempt
@require_POST
def inbound(request):
    """Generic gateway: sender, text, time (ISO 8601 or Unix seconds), id; JSON or form."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, RecursionError):
            data = None
        if not isinstance(data, dict):
            return JsonResponse({"errors": {"body": ["not a JSON object"]}}, status=400)
    else:
        data = request.POST
    given = request.headers.get("X-EOM-Secret") or str(data.get("secret") or "")
    if not _same(given, _secret()):
        return JsonResponse({"errors": {"secret": ["wrong or missing secret"]}}, status=403)
    errors = {name: ["required"] for name in ("sender", "text") if not str(data.get(name) or "")}
    errors = errors or _inbound_errors(str(data["sender"]), str(data["text"]))
    try:
        at = _parse_time(str(data.get("time") or ""))
    except (ValueError, OverflowError, OSError):
        errors["time"] = ["not ISO 8601 or Unix seconds"]
    else:  # a time later than now is taken as now; one too early breaks the time windows
        if at is not None and at < dt.datetime.combine(EARLIEST_DAY, dt.time(), dt.UTC):
            errors["time"] = [_("before %(day)s") % {"day": EARLIEST_DAY.isoformat()}]
    if errors:
        return JsonResponse({"errors": errors}, status=400)
    message = receive(Inbound(number=str(data["sender"]), text=str(data["text"]),
                              gateway_id=str(data.get("id") or ""), at=at))
    return JsonResponse({"status": message.status, "to": message.number, "reply": message.reply})


def twilio_signature(token: str, url: str, params) -> str:
    """Twilio's X-Twilio-Signature: HMAC-SHA1 of the URL followed by each POST field's name
    and value, fields sorted by name (values of a repeated name sorted too), in Base64."""
    data = url + "".join(
        name + value for name in sorted(params) for value in sorted(params.getlist(name))
    )
    digest = hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def _twilio_urls(request) -> list[str]:
    public = settings.EOM_SMS_PUBLIC_URL.rstrip("/")
    url = public + request.get_full_path() if public else request.build_absolute_uri()
    scheme, _sep, rest = url.partition("://")
    host, slash, path = rest.partition("/")
    default = {"https": "443", "http": "80"}.get(scheme, "")
    bare = host.rsplit(":", 1)[0] if host.endswith(f":{default}") else host
    return list(dict.fromkeys([url, f"{scheme}://{bare}{slash}{path}",
                               f"{scheme}://{bare}:{default}{slash}{path}"]))


@csrf_exempt
@require_POST
def twilio(request):
    """Twilio Programmable Messaging webhook; answers TwiML with the reply."""
    token, given = _secret(), request.headers.get("X-Twilio-Signature", "")
    if not token or not any(
        _same(given, twilio_signature(token, url, request.POST)) for url in _twilio_urls(request)
    ):
        return HttpResponse("wrong or missing X-Twilio-Signature", status=403,
                            content_type="text/plain")
    if not request.POST.get("From") or "Body" not in request.POST:
        return HttpResponse("From and Body are required", status=400, content_type="text/plain")
    errors = _inbound_errors(request.POST["From"], request.POST["Body"])
    if errors:
        names = {"sender": "From", "text": "Body"}
        return HttpResponse("; ".join(f"{names[k]}: {' '.join(v)}" for k, v in errors.items()),
                            status=400, content_type="text/plain; charset=utf-8")
    message = receive(Inbound(number=request.POST["From"], text=request.POST["Body"],
                              gateway_id=request.POST.get("MessageSid", "")))
    body = f"<Message>{escape(message.reply)}</Message>" if message.reply else ""
    return HttpResponse(f'<?xml version="1.0" encoding="UTF-8"?><Response>{body}</Response>',
                        content_type="text/xml; charset=utf-8")


# --- sending ----------------------------------------------------------------------------------


class SmsSendError(Exception):
    pass


class Sender(Protocol):
    def send(self, number: str, text: str) -> str:
        """Send one SMS; returns the gateway's id for it. Raises SmsSendError."""


class LogSender:
    """For development and the demo: writes each message to the log instead of sending it."""

    def send(self, number: str, text: str) -> str:
        logger.warning("SMS to %s: %s", number, text)
        return f"log-{uuid.uuid4()}"


class HttpSender:
    """A generic HTTP gateway: POST {"to", "text"} as JSON to EOM_SMS_SEND_URL, with the secret
    in X-EOM-Secret; any 2xx is success, and a JSON answer's "id" is kept."""

    def __init__(self, url: str, secret: str, timeout: float = 10) -> None:
        self.url, self.secret, self.timeout = url, secret, timeout

    def send(self, number: str, text: str) -> str:
        body = json.dumps({"to": number, "text": text}).encode()
        request = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Content-Type": "application/json", "X-EOM-Secret": self.secret,
        })
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = response.read()
        except (urllib.error.URLError, OSError) as error:
            raise SmsSendError(str(error)) from error
        try:
            data = json.loads(answer or b"{}")
        except ValueError:
            return ""
        return str(data.get("id", "")) if isinstance(data, dict) else ""


def configured_sender() -> Sender:
    kind = settings.EOM_SMS_BACKEND
    if kind == "log":
        return LogSender()
    if kind == "http":
        url = settings.EOM_SMS_SEND_URL
        if not url:
            raise ImproperlyConfigured("EOM_SMS_BACKEND=http needs EOM_SMS_SEND_URL")
        return HttpSender(url, _secret())
    raise ImproperlyConfigured(f"EOM_SMS_BACKEND={kind!r}: expected log or http")


# A queued message waits at most a minute for the sender (run every minute); one due for longer
# than this says that the sender is not running.
OVERDUE_AFTER = dt.timedelta(minutes=5)


def sends_to_phones() -> bool:
    """Whether queued messages go to phones (a gateway is configured), not to the server's log."""
    return settings.EOM_SMS_BACKEND != "log"


def overdue_messages(mission: Mission, now: dt.datetime | None = None) -> int:
    """How many of the mission's queued messages have been due for longer than OVERDUE_AFTER."""
    now = now or timezone.now()
    return SmsMessage.objects.filter(
        mission=mission, direction=OUT, status=S.QUEUED, next_attempt_at__lt=now - OVERDUE_AFTER
    ).count()


def send_queued(*, sender: Sender | None = None, now: dt.datetime | None = None,
                limit: int = 500) -> dict[str, int]:
    """Send the queued messages that are due; returns {"sent", "retry", "failed"} counts.

    A failed attempt is counted and retried after 1, 2, 4, 8 minutes; after MAX_ATTEMPTS the
    message is marked failed with the last error.
    """
    sender = sender or configured_sender()
    now = now or timezone.now()
    due = SmsMessage.objects.filter(direction=OUT, status=S.QUEUED).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    ).order_by("at", "pk")
    counts = {"sent": 0, "retry": 0, "failed": 0}
    lock = {"skip_locked": True} if connection.features.has_select_for_update_skip_locked else {}
    for pk in list(due.values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            message = SmsMessage.objects.select_for_update(**lock).filter(
                pk=pk, status=S.QUEUED).first()
            if message is None:
                continue
            message.attempts += 1
            try:
                gateway_id = sender.send(message.number, message.text)
            except Exception as error:  # any failure of the gateway is retried, then logged
                message.last_error = str(error)[:300] or error.__class__.__name__
                if message.attempts >= MAX_ATTEMPTS:
                    message.status = S.FAILED
                    counts["failed"] += 1
                else:
                    message.next_attempt_at = now + dt.timedelta(minutes=2 ** (message.attempts - 1))
                    counts["retry"] += 1
            else:
                message.status, message.sent_at = S.SENT, now
                taken = SmsMessage.objects.filter(direction=OUT, gateway_id=gateway_id).exists()
                message.gateway_id = "" if not gateway_id or taken else gateway_id[:100]
                counts["sent"] += 1
            message.save()
    return counts


# --- broadcasts -------------------------------------------------------------------------------


def recipients(mission: Mission, *, region: Location | None = None, team_kind: str = "",
               team: Team | None = None) -> QuerySet[Person]:
    """Observers with a phone, in the region (by their area, their team's area or deployment),
    of the team kind, in the team."""
    people = Person.objects.filter(mission=mission, access=Access.OBSERVER).exclude(phone="")
    if region is not None:
        prefix = region.path
        people = people.filter(
            Q(area__path__startswith=prefix) | Q(teams__area__path__startswith=prefix)
            | Q(teams__deployments__locations__path__startswith=prefix)
        )
    if team_kind:
        people = people.filter(teams__kind=team_kind)
    if team is not None:
        people = people.filter(teams=team)
    return Person.objects.filter(pk__in=people.values("pk")).order_by("code")


@transaction.atomic
def queue_broadcast(*, actor, channel: str, mission: Mission, text: str,
                    region: Location | None = None, team_kind: str = "",
                    team: Team | None = None, now: dt.datetime | None = None) -> Broadcast:
    """Queue one SMS per chosen observer; `eom sms send-queued` sends them.

    Raises PermissionDenied unless the actor is core team or administrator. Side effects:
    a Broadcast, its queued SmsMessage rows, an audit entry.
    """
    if not can_use_sms_pages(actor, mission):
        raise PermissionDenied(_("You may not send broadcasts."))
    now = now or timezone.now()
    people = list(recipients(mission, region=region, team_kind=team_kind, team=team))
    broadcast = Broadcast.objects.create(
        mission=mission, text=text, region=region, team_kind=team_kind, team=team,
        n_recipients=len(people), created_by=actor, created_at=now,
    )
    SmsMessage.objects.bulk_create(
        SmsMessage(mission=mission, direction=OUT, number=normalise_number(p.phone), text=text,
                   at=now, person=p, status=S.QUEUED, broadcast=broadcast, next_attempt_at=now)
        for p in people
    )
    audit.record(actor=actor, channel=channel, action="create", obj=broadcast, mission=mission,
                 changes={"text": [None, text], "recipients": [None, len(people)],
                          "filter": [None, {"region": region.code if region else None,
                                            "team_kind": team_kind or None,
                                            "team": team.code if team else None}]})
    return broadcast


# --- pages ------------------------------------------------------------------------------------


_sms_page = readers_page(can_use_sms_pages, gettext_lazy(
    "The SMS pages are for the core team and administrators."))


class LogFilter(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False,
                               choices=[("", "—"), *S.choices])
    direction = forms.ChoiceField(label=gettext_lazy("Direction"), required=False,
                                  choices=[("", "—"), *SmsMessage.Direction.choices])


def search_messages(mission: Mission, q: str = "", status: str = "", direction: str = ""):
    rows = SmsMessage.objects.filter(mission=mission).select_related("person", "submission")
    q = q.strip()
    if q:
        found = (Q(text__icontains=q) | Q(reply__icontains=q) | Q(person__full_name__icontains=q)
                 | Q(person__code__iexact=q) | Q(number__contains=q))
        digits = normalise_number(q).lstrip("+")
        if len(digits) >= 3:
            found |= Q(number__contains=digits)
        rows = rows.filter(found)
    if status:
        rows = rows.filter(status=status)
    if direction:
        rows = rows.filter(direction=direction)
    return rows


@_sms_page
def message_log(request, mission):
    """Every SMS in and out, latest first, searchable by number, text, person and status."""
    filters = LogFilter(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    rows = search_messages(mission, values.get("q", ""), values.get("status", ""),
                           values.get("direction", ""))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "observation/sms_log.html", {
        "filter": filters if filters.is_bound else LogFilter(), "page": page,
        "broadcasts": Broadcast.objects.filter(mission=mission).select_related("created_by")[:5],
    })


class BroadcastForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Text"), max_length=640,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=gettext_lazy("At most 640 characters; a phone shows more "
                                                  "than 160 as one message in several parts."))
    region = forms.ModelChoiceField(label=gettext_lazy("Region"), required=False,
                                    queryset=Location.objects.none())
    team_kind = forms.ChoiceField(label=gettext_lazy("Team kind"), required=False,
                                  choices=[("", "—"), *TeamKind.choices])
    team = forms.ModelChoiceField(label=gettext_lazy("Team"), required=False,
                                  queryset=Team.objects.none())

    def __init__(self, mission: Mission, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Location.objects.filter(mission=mission,
                                                                 level="region")
        self.fields["team"].queryset = Team.objects.filter(mission=mission)


@_sms_page
def broadcast(request, mission):
    """Choose observers, preview how many, queue the text for them."""
    form = BroadcastForm(mission, request.POST or None)
    count = None
    if request.method == "POST" and form.is_valid():
        chosen = {k: form.cleaned_data[k] for k in ("region", "team_kind", "team")}
        if "queue" in request.POST:
            sent = queue_broadcast(actor=request.user, channel=Channel.PAGE, mission=mission,
                                   text=form.cleaned_data["text"], **chosen)
            messages.success(request, _("Queued for %(n)d observers.") % {"n": sent.n_recipients})
            return redirect("sms:log")
        count = recipients(mission, **chosen).count()
    status = 422 if request.method == "POST" and not form.is_valid() else 200
    context = {"form": form, "count": count, "to_phones": sends_to_phones(),
               "overdue": overdue_messages(mission)}
    return render(request, "observation/sms_broadcast.html", context, status=status)
