"""What changes the mission's records. Every function takes the actor and the channel,
runs in one transaction and writes the audit trail."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, bulk, permissions, twofactor
from .models import (
    LEVEL_ORDER,
    ApiToken,
    Channel,
    FollowUp,
    Interlocutor,
    Location,
    LocationLevel,
    Meeting,
    Mission,
    Organisation,
    OrganisationKind,
    Person,
    Team,
    Topic,
)


def current_mission() -> Mission | None:
    """The mission the pages show: EOM_MISSION if set, else the latest deployed."""
    # Mission.objects.filter(code=EOM_MISSION).first(), else Mission.objects.order_by(
    # F("deployment_start").desc(nulls_last=True), "-pk").first(), in SQL (bulk.select): every
    # API call asks it, and Django compiling it took longer than the database answering.
    fields = [field.name for field in Mission._meta.concrete_fields]
    if settings.EOM_MISSION:
        found = bulk.select(Mission, fields, "WHERE t.code = %s LIMIT 1", [settings.EOM_MISSION])
    else:
        found = bulk.select(
            Mission, fields, "ORDER BY t.deployment_start DESC NULLS LAST, t.id DESC LIMIT 1", [])
    return found[0] if found else None


class NoSuchMission(LookupError):
    """No mission has the code asked for (`code`), or, asked for none, there is no mission."""

    def __init__(self, code: str | None) -> None:
        super().__init__(code)
        self.code = code


def mission_named(code: str | None) -> Mission:
    """The mission with `code`, else (no code given) the current one; NoSuchMission when there
    is none. The one rule behind the API's `?mission=` (404) and the commands' `--mission`
    (CommandError)."""
    mission = Mission.objects.filter(code=code).first() if code else current_mission()
    if mission is None:
        raise NoSuchMission(code)
    return mission


# --- locations ----------------------------------------------------------------------------


def recompute_totals(mission: Mission) -> None:
    """Sum registered voters and count polling stations at every level above the stations.

    Side effects: rewrites n_registered and n_stations of every non-station location.
    """
    stations = Location.objects.filter(mission=mission, level=LocationLevel.POLLING_STATION)
    stations.update(n_stations=1)
    upper = Location.objects.filter(mission=mission).exclude(level=LocationLevel.POLLING_STATION)
    totals: dict[str, tuple[int, int]] = {}
    for path, n_registered in stations.values_list("path", "n_registered").iterator():
        codes = path.rstrip("/").split("/")
        for depth in range(1, len(codes)):
            ancestor = "/".join(codes[:depth]) + "/"
            count, voters = totals.get(ancestor, (0, 0))
            totals[ancestor] = (count + 1, voters + n_registered)
    changed = []
    for location in upper.only("pk", "path", "n_stations", "n_registered"):
        count, voters = totals.get(location.path, (0, 0))
        if (location.n_stations, location.n_registered) != (count, voters):
            location.n_stations, location.n_registered = count, voters
            changed.append(location)
    Location.objects.bulk_update(changed, ["n_stations", "n_registered"], batch_size=1000)


def location_totals(mission: Mission) -> dict[str, int]:
    counts = dict(
        Location.objects.filter(mission=mission)
        .values_list("level")
        .annotate(n=Count("pk"))
        .values_list("level", "n")
    )
    return {level: counts.get(level, 0) for level in LEVEL_ORDER}


def registered_voters(mission: Mission) -> int:
    stations = Location.objects.filter(mission=mission, level=LocationLevel.POLLING_STATION)
    return stations.aggregate(total=Sum("n_registered"))["total"] or 0


# --- meetings -----------------------------------------------------------------------------


@dataclass(frozen=True)
class InterlocutorData:
    name: str
    title: str = ""
    organisation: str = ""
    organisation_kind: str = OrganisationKind.OTHER


@dataclass(frozen=True)
class FollowUpData:
    text: str
    owner: Person | None = None
    due: dt.date | None = None
    status: str = FollowUp.Status.OPEN


@dataclass
class MeetingData:
    date: dt.date
    place: str
    time: dt.time | None = None
    region: Location | None = None
    participants: list[Person] = field(default_factory=list)
    interlocutors: list[InterlocutorData] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    key_points: str = ""
    follow_ups: list[FollowUpData] = field(default_factory=list)
    confidential: bool = False
    source: str = ""
    synthetic: bool | None = None  # None keeps what is stored


_MEETING_M2M = ("participants", "interlocutors", "topics")


def meeting_snapshot(meeting: Meeting) -> dict:
    """What the audit trail keeps of a meeting: its fields, links and follow-ups."""
    values = audit.snapshot(meeting, m2m=_MEETING_M2M)
    values["follow_ups"] = [
        f"{f.text} | {f.owner_id or ''} | {f.due or ''} | {f.status}"
        for f in meeting.follow_ups.all()
    ]
    return values


def _interlocutor(mission: Mission, data: InterlocutorData, actor,
                  retitled: list) -> Interlocutor:
    """The interlocutor named (created with its organisation when new). Names are encrypted in
    the database, so they are compared here, with the organisation locked against a second
    writer creating the same person. A new title replaces the stored one when the actor may see
    the interlocutor (added to `retitled`, for the audit trail); one known only from
    confidential meetings keeps the title the core team gave it."""
    organisation, _created = Organisation.objects.get_or_create(
        mission=mission,
        name=data.organisation.strip() or _("(organisation not given)"),
        defaults={"kind": data.organisation_kind},
    )
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    name, title = data.name.strip(), data.title.strip()
    known = [i for i in Interlocutor.objects.filter(organisation=organisation) if i.name == name]
    if not known:
        return Interlocutor.objects.create(organisation=organisation, name=name, title=title)
    interlocutor = known[0]
    if title and interlocutor.title != title:
        visible = permissions.interlocutors_visible_to(actor, mission)
        if visible.filter(pk=interlocutor.pk).exists():
            retitled.append(("update", interlocutor, {"title": [interlocutor.title, title]}))
            interlocutor.title = title
            interlocutor.save(update_fields=["title"])
    return interlocutor


def _meeting_text(meeting: Meeting) -> str:
    """Every word of the meeting the log searches, lower case. Reads the relations through
    `.all()`, so that a prefetched list is used."""
    parts = [meeting.place, meeting.key_points, meeting.source]
    if meeting.region_id:
        region = meeting.region
        parts += [region.name_en, region.name_ru, region.name_kk]
    for interlocutor in meeting.interlocutors.all():
        parts += [interlocutor.name, interlocutor.title, interlocutor.organisation.name]
    parts += [topic.name for topic in meeting.topics.all()]
    parts += [person.full_name for person in meeting.participants.all()]
    parts += [follow_up.text for follow_up in meeting.follow_ups.all()]
    return "\n".join(part for part in parts if part).lower()


_MEETING_TEXT_RELATIONS = ("interlocutors__organisation", "topics", "participants", "follow_ups")


def refresh_search_text(meeting: Meeting) -> None:
    """Rebuild the text the meetings log searches in SQL (after an edit outside the services).

    A confidential meeting keeps none: its text stays sealed in the database and is searched
    in Python (`search_meetings`)."""
    if meeting.confidential:
        meeting.search_text = ""
    else:
        fresh = Meeting.objects.select_related("region").prefetch_related(
            *_MEETING_TEXT_RELATIONS
        )
        meeting.search_text = _meeting_text(fresh.get(pk=meeting.pk))
    meeting.save(update_fields=["search_text"])


def _write_meeting(meeting: Meeting, data: MeetingData, actor) -> list:
    """Store `data` in `meeting`; returns the audit entries of the interlocutors retitled (the
    caller writes them with the meeting's, last, so that the audit chain's lock is taken at the
    end of the transaction)."""
    retitled: list = []
    mission = meeting.mission
    meeting.date, meeting.time, meeting.place = data.date, data.time, data.place.strip()
    meeting.region = data.region
    meeting.key_points = data.key_points.strip()
    meeting.confidential = data.confidential
    meeting.source = data.source.strip()
    if data.synthetic is not None:
        meeting.synthetic = data.synthetic
    meeting.save()
    meeting.participants.set(data.participants)
    meeting.interlocutors.set(
        [_interlocutor(mission, item, actor, retitled) for item in data.interlocutors]
    )
    topics = [
        Topic.objects.get_or_create(mission=mission, name=name.strip())[0]
        for name in data.topics
        if name.strip()
    ]
    meeting.topics.set(topics)
    meeting.follow_ups.all().delete()
    FollowUp.objects.bulk_create(
        FollowUp(meeting=meeting, text=f.text.strip(), owner=f.owner, due=f.due, status=f.status)
        for f in data.follow_ups
    )
    refresh_search_text(meeting)
    return retitled


def _check_meeting_data(actor, mission: Mission, data: MeetingData) -> None:
    if data.confidential and not permissions.can_mark_confidential(actor):
        raise PermissionDenied(_("Only the core team can mark a meeting confidential."))
    foreign = [p for p in data.participants if p.mission_id != mission.pk]
    if foreign or (data.region is not None and data.region.mission_id != mission.pk):
        raise PermissionDenied(_("Participants and region must belong to this mission."))


@transaction.atomic
def create_meeting(*, actor, channel: str, mission: Mission, data: MeetingData) -> Meeting:
    """Record a meeting with its participants, interlocutors, topics and follow-ups.

    Organisations, interlocutors and topics named for the first time are created.
    Raises PermissionDenied when the actor may not record it. Side effects: one audit entry,
    and one per known interlocutor given a new title.
    """
    if not permissions.can_create_meeting(actor):
        raise PermissionDenied(_("You may not record meetings."))
    _check_meeting_data(actor, mission, data)
    meeting = Meeting(mission=mission, created_by=actor if actor.is_authenticated else None)
    retitled = _write_meeting(meeting, data, actor)
    audit.record_many(actor=actor, channel=channel, entries=retitled, mission=mission)
    audit.record(
        actor=actor,
        channel=channel,
        action="create",
        obj=meeting,
        changes=audit.diff({}, meeting_snapshot(meeting)),
        mission=mission,
    )
    return meeting


@transaction.atomic
def update_meeting(*, actor, channel: str, meeting: Meeting, data: MeetingData) -> Meeting:
    """Replace a meeting's contents. Side effects: one audit entry with what changed, and one
    per known interlocutor given a new title."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not permissions.can_edit_meeting(actor, meeting):
        raise PermissionDenied(_("You may not edit this meeting."))
    _check_meeting_data(actor, meeting.mission, data)
    before = meeting_snapshot(meeting)
    retitled = _write_meeting(meeting, data, actor)
    changes = audit.diff(before, meeting_snapshot(meeting))
    audit.record_many(actor=actor, channel=channel, entries=retitled, mission=meeting.mission)
    if changes:
        audit.record(
            actor=actor,
            channel=channel,
            action="update",
            obj=meeting,
            changes=changes,
            mission=meeting.mission,
        )
    return meeting


@transaction.atomic
def delete_meeting(*, actor, channel: str, meeting: Meeting) -> None:
    if not permissions.can_edit_meeting(actor, meeting):
        raise PermissionDenied(_("You may not delete this meeting."))
    audit.record(
        actor=actor,
        channel=channel,
        action="delete",
        obj=meeting,
        changes=audit.diff(meeting_snapshot(meeting), {}),
        mission=meeting.mission,
    )
    meeting.delete()


def search_meetings(meetings, text: str):
    """Meetings of `meetings` whose text holds every word of `text` (any case, any of the
    three languages).

    Meetings that are not confidential are searched in SQL over `search_text`. Confidential
    ones keep no search text (their words would lie in the database in clear): those of
    `meetings` (none unless the reader is of the core team) are read, decrypted and searched
    here, a bounded set (a mission records tens to hundreds of confidential meetings).
    """
    words = text.lower().split()
    if not words:
        return meetings
    in_sql = Q(confidential=False)
    for word in words:
        in_sql &= Q(search_text__contains=word)
    confidential = (
        Meeting.objects.filter(pk__in=meetings.filter(confidential=True).values("pk"))
        .select_related("region")
        .prefetch_related(*_MEETING_TEXT_RELATIONS)
    )
    found = [m.pk for m in confidential if all(word in _meeting_text(m) for word in words)]
    return meetings.filter(in_sql | Q(pk__in=found))


# --- people and teams -------------------------------------------------------------------


def team_snapshot(team: Team) -> dict:
    """What the audit trail keeps of a team: its fields, members (leader marked) and
    deployments."""
    values = audit.snapshot(team)
    values["members"] = sorted(
        f"{m.person.code} (leader)" if m.is_leader else m.person.code
        for m in team.memberships.select_related("person")
    )
    values["deployments"] = sorted(
        f"{d.starts}–{d.ends}: {', '.join(sorted(loc.code for loc in d.locations.all()))}"
        + (f" | {d.note}" if d.note else "")
        for d in team.deployments.prefetch_related("locations")
    )
    return values


# --- API tokens ---------------------------------------------------------------------------

MAX_TOKEN_DAYS = 3650


class TokenExpired(Exception):
    """A token that exists and was not revoked, but whose time has run out."""

    def __init__(self, expires_at: dt.datetime):
        super().__init__(expires_at)
        self.expires_at = expires_at


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _expiry(days: int | None) -> dt.datetime:
    days = settings.EOM_TOKEN_DAYS if days is None else days
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValueError(_("A token lasts from 1 to %(n)s days.") % {"n": MAX_TOKEN_DAYS})
    return timezone.now() + dt.timedelta(days=days)


@transaction.atomic
def issue_token(
    *, actor, channel: str, user, name: str, days: int | None = None, plain: str | None = None
) -> tuple[ApiToken, str]:
    """A new API token for `user`; returns the record and the token (shown once, never stored).

    It expires after `days` (default EOM_TOKEN_DAYS, 90; from 1 to 3650, else ValueError).
    On a page, a login that needs two-factor sign-in must have given its code in this session.
    `plain` lets the server's operator (actor None) choose the token, e.g. one derived from a
    secret so that a rerun finds it again; a token that exists already is returned as it is,
    its expiry renewed if it has passed (audited).
    """
    operator = actor is None  # the server's operator, on the command line
    if not operator and actor != user and not permissions.is_administrator(actor):
        raise PermissionDenied(_("You may only issue tokens for yourself."))
    if plain is not None and not operator:
        raise PermissionDenied(_("Only the server's operator chooses a token."))
    if (channel == Channel.PAGE and twofactor.required_for(actor)
            and not twofactor.is_verified(actor)):
        raise PermissionDenied(_("Confirm your sign-in with a code before issuing a token."))
    expires_at = _expiry(days)
    plain = plain or "eom_" + secrets.token_urlsafe(32)
    person = permissions.person_of(user)
    mission = person.mission if person else None
    existing = ApiToken.objects.filter(digest=token_digest(plain), user=user).first()
    if existing is not None:
        if existing.expired:
            changes = {"expires_at": [existing.expires_at.isoformat(), expires_at.isoformat()]}
            existing.expires_at = expires_at
            existing.save(update_fields=["expires_at"])
            audit.record(actor=actor, channel=channel, action="update", obj=existing,
                         changes=changes, mission=mission)
        return existing, plain
    token = ApiToken.objects.create(
        user=user, name=name, digest=token_digest(plain), prefix=plain[4:12],
        expires_at=expires_at,
    )
    audit.record(
        actor=actor,
        channel=channel,
        action="create",
        obj=token,
        changes={"name": [None, name], "user": [None, user.get_username()],
                 "expires_at": [None, expires_at.isoformat()]},
        mission=mission,
    )
    return token, plain


def tokens_of(user):
    """The login's own tokens, newest first (for its tokens page)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


@transaction.atomic
def revoke_token(*, actor, channel: str, token: ApiToken) -> ApiToken:
    """Revoke a token: its own login, an administrator, or the operator (actor None) may.

    Side effects: the token stops working at once; an audit entry (none if already revoked)."""
    if actor is not None and actor.pk != token.user_id and not permissions.is_administrator(actor):
        raise PermissionDenied(_("You may only revoke your own tokens."))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if not token.revoked:
        token.revoked = True
        token.save(update_fields=["revoked"])
        person = permissions.person_of(token.user)
        audit.record(actor=actor, channel=channel, action="update", obj=token,
                     changes={"revoked": [False, True]},
                     mission=person.mission if person else None)
    return token


def user_for_token(plain: str):
    """The active user a live token belongs to, else None; TokenExpired when the token exists,
    is not revoked, but has expired. Its person comes in the same query (every API call asks
    for it next)."""
    # ApiToken.objects.select_related("user__person").filter(digest=…, revoked=False,
    # user__is_active=True), in SQL (bulk.select): every API call asks it, and Django compiling
    # its joins took longer than the database answering.
    User = get_user_model()
    token_fields = [ApiToken._meta.get_field(name) for name in ("id", "last_used_at",
                                                                 "expires_at")]
    user_fields, person_fields = User._meta.concrete_fields, Person._meta.concrete_fields
    quote = connection.ops.quote_name
    columns = ", ".join([f"k.{quote(f.column)}" for f in token_fields]
                        + [f"u.{quote(f.column)}" for f in user_fields]
                        + [f"p.{quote(f.column)}" for f in person_fields])
    found = bulk.rows(
        f"SELECT {columns} FROM {quote(ApiToken._meta.db_table)} k"
        f" JOIN {quote(User._meta.db_table)} u ON u.id = k.user_id"
        f" LEFT JOIN {quote(Person._meta.db_table)} p ON p.user_id = u.id"
        " WHERE k.digest = %s AND k.revoked = %s AND u.is_active = %s",
        [token_digest(plain), False, True], [*token_fields, *user_fields, *person_fields])
    if not found:
        return None
    (token_id, last_used_at, expires_at, *rest), n_user = found[0], len(user_fields)
    now = timezone.now()
    if expires_at <= now:
        raise TokenExpired(expires_at)
    user = User.from_db("default", [f.attname for f in user_fields], rest[:n_user])
    if rest[n_user] is not None:  # the person's id: a login with a person
        user.person = Person.from_db("default", [f.attname for f in person_fields],
                                     rest[n_user:])
    if last_used_at is None or now - last_used_at > dt.timedelta(minutes=5):
        # ApiToken.objects.filter(pk=token_id).update(last_used_at=now), in SQL (prepared)
        bulk.execute(f"UPDATE {quote(ApiToken._meta.db_table)} SET last_used_at = %s"
                     " WHERE id = %s",
                     [token_fields[1].get_db_prep_value(now, connection), token_id])
    return user
