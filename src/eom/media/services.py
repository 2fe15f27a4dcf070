"""What changes media monitoring. Every function takes the actor and the channel, runs in one
transaction and writes the audit trail (`eom.missions.audit`): one entry per item entered on
the page or through the API, entries in bulk for an import (`importer`).

Items are checked here, whatever the channel: `item_problems` names every field that does not
fit, as the API names it (`outlet`, `seconds`, `party`…)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from eom.missions import audit
from eom.missions.models import Candidate, Mission, Party
from eom.missions.validators import text_problem

from . import permissions
from .models import (
    Item,
    Language,
    MonitoringPeriod,
    Outlet,
    SubjectKind,
    Tone,
    Topic,
    subject_key,
    unit_key,
)

MAX_SECONDS = 24 * 3600  # a day of broadcast
MAX_CM2 = 100_000  # some forty broadsheet pages
MAX_NOTE_CHARS = 2000


class ItemRejected(Exception):
    """The input does not fit: `errors` is {field: reason}."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


@dataclass
class ItemData:
    """An item as a form, the API or a sheet's row gives it (references already looked up)."""

    outlet: Outlet | None
    date: dt.date | None
    programme: str
    subject_kind: str
    tone: str
    coder: str
    seconds: int | None = None
    cm2: int | None = None
    party: Party | None = None
    candidate: Candidate | None = None
    subject_name: str = ""
    topic: Topic | None = None
    language: str = ""
    note: str = ""
    synthetic: bool = False


def _deny_unless_writer(actor, mission: Mission) -> None:
    if actor is not None and not permissions.can_write_media(actor, mission):
        raise PermissionDenied(_("Only the core team and administrators write media "
                                 "monitoring."))


def _period_of(periods: list[MonitoringPeriod], date: dt.date) -> MonitoringPeriod | None:
    return next((p for p in periods if p.starts <= date <= p.ends), None)


def item_problems(mission: Mission, data: ItemData,
                  periods: list[MonitoringPeriod] | None = None) -> dict[str, str]:
    """Every field of `data` that does not fit, with the reason."""
    errors: dict[str, str] = {}
    outlet = data.outlet
    if outlet is None or outlet.mission_id != mission.pk:
        errors["outlet"] = _("is no outlet of this mission")
        outlet = None
    if data.date is None:
        errors["date"] = _("is required")
    else:
        periods = (list(MonitoringPeriod.objects.filter(mission=mission))
                   if periods is None else periods)
        if periods and _period_of(periods, data.date) is None:
            errors["date"] = _("falls in no monitoring period of the mission")
    for name, value, limit, required in (("programme", data.programme, 200, True),
                                         ("coder", data.coder, 100, True),
                                         ("subject_name", data.subject_name, 200, False),
                                         ("note", data.note, MAX_NOTE_CHARS, False)):
        problem = text_problem(value, max_chars=limit)
        if problem:
            errors[name] = problem
        elif required and not value.strip():
            errors[name] = _("is required")
    if outlet is not None:
        wanted, other = ("seconds", "cm2") if outlet.is_broadcast else ("cm2", "seconds")
        value = getattr(data, wanted)
        top = MAX_SECONDS if wanted == "seconds" else MAX_CM2
        if value is None:
            errors[wanted] = (_("is required for television and radio") if wanted == "seconds"
                              else _("is required for print and online outlets"))
        elif not 1 <= value <= top:
            errors[wanted] = _("must be a whole number from 1 to %(max)d") % {"max": top}
        if getattr(data, other) is not None:
            errors[other] = (_("is for television and radio only") if other == "seconds"
                             else _("is for print and online outlets only"))
    if data.subject_kind not in SubjectKind.values:
        errors["subject_kind"] = _("must be party, candidate, official or other")
    elif data.subject_kind == SubjectKind.PARTY:
        if data.party is None or data.party.election.mission_id != mission.pk:
            errors["party"] = _("is required: a party of this mission")
    elif data.subject_kind == SubjectKind.CANDIDATE:
        if data.candidate is None or data.candidate.contest.election.mission_id != mission.pk:
            errors["candidate"] = _("is required: a candidate of this mission")
    elif not data.subject_name.strip() and "subject_name" not in errors:
        errors["subject_name"] = _("name the official or other subject")
    if data.tone not in Tone.values:
        errors["tone"] = _("must be positive, neutral or negative")
    if data.topic is not None and data.topic.mission_id != mission.pk:
        errors["topic"] = _("is no topic of this mission")
    if data.language and data.language not in Language.values:
        errors["language"] = _("must be one of: %(codes)s") % {
            "codes": ", ".join(Language.values)}
    return errors


def build_item(mission: Mission, data: ItemData, *, actor,
               periods: list[MonitoringPeriod]) -> Item:
    """The unsaved item for checked `data`; its unit key set, `second_coding` not yet."""
    assert data.outlet is not None and data.date is not None
    kind = data.subject_kind
    party = data.party if kind == SubjectKind.PARTY else None
    candidate = data.candidate if kind == SubjectKind.CANDIDATE else None
    name = " ".join(data.subject_name.split())
    subject = subject_key(kind, party.pk if party else None,
                          candidate.pk if candidate else None, name)
    return Item(
        mission=mission, outlet=data.outlet, period=_period_of(periods, data.date),
        date=data.date, programme=" ".join(data.programme.split()), seconds=data.seconds,
        cm2=data.cm2, subject_kind=kind, party=party, candidate=candidate, subject_name=name,
        tone=data.tone, topic=data.topic, language=data.language or data.outlet.language,
        coder=" ".join(data.coder.split()), note=data.note.strip(),
        unit=unit_key(data.outlet.pk, data.date, data.programme, subject),
        synthetic=data.synthetic, created_by=actor if getattr(actor, "pk", None) else None)


@transaction.atomic
def create_item(*, actor, channel: str, mission: Mission, data: ItemData) -> Item:
    """One coded item. Raises PermissionDenied unless the actor writes media monitoring,
    ItemRejected naming the fields that do not fit (a monitor codes a unit once). When another
    monitor coded the unit before, the item is a second coding. Side effect: an audit entry."""
    _deny_unless_writer(actor, mission)
    periods = list(MonitoringPeriod.objects.filter(mission=mission))
    errors = item_problems(mission, data, periods)
    if errors:
        raise ItemRejected(errors)
    item = build_item(mission, data, actor=actor, periods=periods)
    # The outlet's row is the lock: two monitors coding one unit at once are told apart.
    Outlet.objects.select_for_update().filter(pk=item.outlet_id).first()
    coded = Item.objects.filter(mission=mission, unit=item.unit)
    if coded.filter(coder=item.coder).exists():
        raise ItemRejected({"coder": _("has coded this unit already")})
    item.second_coding = coded.exists()
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:  # the same monitor's same unit, saved meanwhile
        raise ItemRejected({"coder": _("has coded this unit already")}) from None
    audit.record(actor=actor, channel=channel, action="create", obj=item,
                 changes=audit.diff({}, audit.snapshot(item)), mission=mission)
    return item


def data_of(item: Item) -> ItemData:
    """What an item holds, as a form or the API gives it (to change some of it)."""
    return ItemData(
        outlet=item.outlet, date=item.date, programme=item.programme,
        subject_kind=item.subject_kind, tone=item.tone, coder=item.coder, seconds=item.seconds,
        cm2=item.cm2, party=item.party, candidate=item.candidate,
        subject_name=item.subject_name, topic=item.topic, language=item.language,
        note=item.note, synthetic=item.synthetic)


def _keep_a_first_coding(mission: Mission, unit: str, *, actor, channel: str) -> None:
    """When a unit's first coding was changed away or deleted, its earliest remaining coding
    becomes the first (counted in the figures); the change is audited."""
    codings = Item.objects.filter(mission=mission, unit=unit).order_by("pk")
    if not codings.exists() or codings.filter(second_coding=False).exists():
        return
    first = codings.first()
    assert first is not None
    Item.objects.filter(pk=first.pk).update(second_coding=False)
    audit.record(actor=actor, channel=channel, action="update", obj=first,
                 changes={"second_coding": [True, False]}, mission=mission)


@transaction.atomic
def update_item(*, actor, channel: str, item: Item, data: ItemData) -> Item:
    """Change a coded item to `data` (the same checks as `create_item`). The item is a second
    coding when another monitor's first coding of its unit exists; the unit it leaves keeps a
    first coding (`_keep_a_first_coding`). Side effects: audit entries (the item's, and the
    promoted coding's)."""
    mission = item.mission
    _deny_unless_writer(actor, mission)
    periods = list(MonitoringPeriod.objects.filter(mission=mission))
    errors = item_problems(mission, data, periods)
    if errors:
        raise ItemRejected(errors)
    built = build_item(mission, data, actor=actor, periods=periods)
    Outlet.objects.select_for_update().filter(pk__in={item.outlet_id, built.outlet_id}).first()
    item = Item.objects.select_for_update().get(pk=item.pk)
    before, old_unit = audit.snapshot(item), item.unit
    others = Item.objects.filter(mission=mission, unit=built.unit).exclude(pk=item.pk)
    if others.filter(coder=built.coder).exists():
        raise ItemRejected({"coder": _("has coded this unit already")})
    for field in ("outlet", "period", "date", "programme", "seconds", "cm2", "subject_kind",
                  "party", "candidate", "subject_name", "tone", "topic", "language", "coder",
                  "note", "unit"):
        setattr(item, field, getattr(built, field))
    item.second_coding = others.filter(second_coding=False).exists()
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:  # the same monitor's same unit, saved meanwhile
        raise ItemRejected({"coder": _("has coded this unit already")}) from None
    changes = audit.diff(before, audit.snapshot(item))
    if changes:
        audit.record(actor=actor, channel=channel, action="update", obj=item, changes=changes,
                     mission=mission)
    if old_unit != item.unit:
        _keep_a_first_coding(mission, old_unit, actor=actor, channel=channel)
    return item


@transaction.atomic
def delete_item(*, actor, channel: str, item: Item) -> None:
    """Delete a coded item; its unit keeps a first coding if another monitor coded it
    (`_keep_a_first_coding`). Side effects: audit entries."""
    mission = item.mission
    _deny_unless_writer(actor, mission)
    Outlet.objects.select_for_update().filter(pk=item.outlet_id).first()
    audit.record(actor=actor, channel=channel, action="delete", obj=item,
                 changes=audit.diff(audit.snapshot(item), {}), mission=mission)
    unit = item.unit
    item.delete()
    _keep_a_first_coding(mission, unit, actor=actor, channel=channel)


# --- reference data (the admin does the same for its writers) -------------------------------


def _created(actor, channel: str, mission: Mission, obj):
    obj.full_clean()
    obj.save()
    audit.record(actor=actor, channel=channel, action="create", obj=obj,
                 changes=audit.diff({}, audit.snapshot(obj)), mission=mission)
    return obj


@transaction.atomic
def create_outlet(*, actor, channel: str, mission: Mission, name: str, kind: str,
                  ownership: str, language: str, ownership_assumed: bool = False) -> Outlet:
    _deny_unless_writer(actor, mission)
    return _created(actor, channel, mission, Outlet(
        mission=mission, name=name, kind=kind, ownership=ownership, language=language,
        ownership_assumed=ownership_assumed))


@transaction.atomic
def create_period(*, actor, channel: str, mission: Mission, name: str, starts: dt.date,
                  ends: dt.date) -> MonitoringPeriod:
    _deny_unless_writer(actor, mission)
    return _created(actor, channel, mission,
                    MonitoringPeriod(mission=mission, name=name, starts=starts, ends=ends))


@transaction.atomic
def create_topics(*, actor, channel: str, mission: Mission,
                  topics: Iterable[tuple[str, str]]) -> list[Topic]:
    _deny_unless_writer(actor, mission)
    return [_created(actor, channel, mission, Topic(mission=mission, code=code, name=name))
            for code, name in topics]
