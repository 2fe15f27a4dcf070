"""The audit trail: every create, update and delete, with who, when and through which channel."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from typing import Any

from django.db import models

from . import bulk
from .models import AuditEntry, Channel, Mission


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, dt.date | dt.time | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return sorted(str(_plain(item)) for item in value)
    return value


def snapshot(obj: models.Model, m2m: Iterable[str] = ()) -> dict[str, Any]:
    """The record's stored field values (foreign keys as ids), plus the named many-to-many sets."""
    values: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in {"search_text", "updated_at", "created_at", "path"}:
            continue
        values[field.name] = _plain(getattr(obj, field.attname))
    for name in m2m:
        values[name] = sorted(str(pk) for pk in getattr(obj, name).values_list("pk", flat=True))
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields that changed."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def _entry(actor, channel, action, obj, changes, mission) -> AuditEntry:
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEntry(
        actor=user,
        channel=Channel(channel),
        action=action,
        model=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        changes=changes,
        mission=mission,
    )


def record(
    *,
    actor,
    channel: str,
    action: str,
    obj: models.Model,
    changes: dict[str, Any] | None = None,
    mission: Mission | None = None,
) -> AuditEntry:
    """Write one audit entry. `actor` is the user (None for the system)."""
    entry = _entry(actor, channel, action, obj, changes or {}, mission)
    entry.save()
    return entry


def record_many(
    *,
    actor,
    channel: str,
    entries: Iterable[tuple[str, models.Model, dict[str, Any]]],
    mission: Mission | None = None,
) -> int:
    """Write one audit entry per (action, object, changes), in bulk. Returns how many."""
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    common = {"actor_id": user.pk if user else None, "channel": Channel(channel),
              "mission_id": mission.pk if mission else None}
    rows = [
        AuditEntry(action=action, model=obj._meta.label_lower, object_id=str(obj.pk),
                   object_repr=str(obj)[:300], changes=changes, **common)
        for action, obj, changes in entries
    ]
    bulk.insert_many(AuditEntry, rows, with_ids=False)
    return len(rows)
