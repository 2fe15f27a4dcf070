"""The audit trail: every create, update and delete, with who, when and through which channel.

The trail is a hash chain. Entry n holds `seq` = n, the hash of entry n-1 (`prev_hash`; 64
zeros before the first) and its own `hash`: the SHA-256 of its canonical content

    [seq, at (UTC, ISO 8601 with microseconds), login id, login name, channel, action, record kind,
     record id, record name, changes, mission id, confidential, prev_hash]

written as JSON (keys sorted, ASCII, no spaces). The chain head (`AuditChainHead`, one row)
holds the last `seq` and `hash`.

An entry is written pending (`seq` 0, no hashes) in its writer's transaction and linked after
it: the linker locks the entries and then the head (every linker in that order, so that none
waits on another in a circle), gives the entries their `seq`, `prev_hash` and `hash`, and moves
the head, in one short transaction of its own. On PostgreSQL that happens once the writer has
committed, so that concurrent writers (gunicorn workers ingesting reports) do not hold the
head's lock through their COMMIT and wait on each other's; entries are then chained in the
order they are linked. A writer's single entry (a report sent alone) is linked by one
statement that computes the hash in the database from the text `_middle` gives (`_link_one`). On SQLite the write transaction already serialises writers and the
entries are linked in it. An entry stays pending for the milliseconds between its commit and
its linking; one left pending (a worker stopped in between) is linked by `link_pending`, which
`verify_chain` runs first. `verify_chain` walks the chain and names the first entry altered or
removed, and compares the last one with the head (entries removed at the end).

An entry is confidential (`AuditEntry.confidential`, for the core team only) when its record
is: a confidential meeting (also the update that makes a meeting public again, whose changes
hold the confidential values), a follow-up of one, an interlocutor, organisation or topic that
appears only in confidential meetings.

A confidential entry keeps its changes sealed with the data key (`crypto.encrypt_json`, stored
as {"sealed": token}) and a neutral record name ("meeting 12") instead of the record's own
(a meeting's is its date and place), so that a copy of the database alone does not reveal
them; `changes_of(entry)` opens them for the core team. The chain hashes the changes as
written in clear, so `eom keys rotate`, which reseals them under a new key, leaves the chain
intact.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connections, models, router, transaction
from django.utils import timezone

from . import bulk, crypto, permissions
from .models import AuditChainHead, AuditEntry, Channel, Meeting, Mission

GENESIS = "0" * 64
PENDING = 0  # the `seq` of an entry written but not yet linked
HEAD = 1  # the primary key of the chain head's one row


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


# --- confidentiality ----------------------------------------------------------------------


def is_confidential(obj: models.Model, changes: dict[str, Any] | None = None) -> bool:
    """Whether an entry about `obj` with these `changes` is for the core team only."""
    if isinstance(obj, Meeting):
        before_after = (changes or {}).get("confidential") or ()
        return bool(obj.confidential) or any(bool(value) for value in before_after)
    return permissions.is_confidential_record(obj)


SEALED = "sealed"


def _is_sealed(changes: Any) -> bool:
    return isinstance(changes, dict) and set(changes) == {SEALED}


def changes_of(entry: AuditEntry) -> dict[str, Any]:
    """The entry's changes in clear (a confidential entry's are opened with the data key)."""
    if _is_sealed(entry.changes):
        return crypto.decrypt_json(entry.changes[SEALED])
    return entry.changes


def _record_name(obj: models.Model, confidential: bool) -> str:
    if confidential:
        return f"{obj._meta.verbose_name} {obj.pk}"[:300]
    return str(obj)[:300]


def _reseal(change) -> int:
    """`eom keys rotate`: every sealed entry's token passed through `change`; those that come
    back different are saved. Returns how many."""
    n = 0
    for pk, changes in AuditEntry.objects.filter(confidential=True).values_list("pk", "changes"):
        if _is_sealed(changes):
            token = change(changes[SEALED])
            if token != changes[SEALED]:
                AuditEntry.objects.filter(pk=pk).update(changes={SEALED: token})
                n += 1
    return n


crypto.register_resealer("missions.auditentry", _reseal)


# --- the hash chain -----------------------------------------------------------------------


def _canonical_json(value: Any) -> Any:
    """`value` as it reads back from the database's JSON column (tuples as lists, keys as
    strings…), so that the hash computed before the insert is the one computed after."""
    return json.loads(json.dumps(value))


def _middle(entry: AuditEntry) -> str:
    """The entry's canonical content without its first item (`seq`) and its last (`prev_hash`),
    as it stands between them in the text that is hashed: what the entry's writer knows before
    it has a place in the chain."""
    at = entry.at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    content = [
        at, entry.actor_user_id, entry.actor_username, entry.channel, entry.action,
        entry.model, entry.object_id, entry.object_repr, changes_of(entry), entry.mission_id,
        bool(entry.confidential),
    ]
    return json.dumps(content, sort_keys=True, ensure_ascii=True, separators=(",", ":"))[1:-1]


def entry_hash(entry: AuditEntry) -> str:
    """The SHA-256 (hex) of the entry's canonical content, `prev_hash` included: the JSON
    array [seq, …, prev_hash], keys sorted, ASCII, no spaces."""
    text = f"[{entry.seq},{_middle(entry)},{json.dumps(entry.prev_hash)}]"
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def _locked_head() -> AuditChainHead:
    """The chain head, locked until the transaction ends. Made from the last entry when the row
    is missing (a new database, or a test database flushed between tests)."""
    heads = AuditChainHead.objects.select_for_update()
    # heads.filter(pk=HEAD).first(), in SQL (bulk.select): every report asks it.
    features = connections[router.db_for_write(AuditChainHead)].features
    lock = " FOR UPDATE" if features.has_select_for_update else ""
    found = bulk.select(AuditChainHead, ["id", "seq", "hash"], f"WHERE t.id = %s{lock}", [HEAD])
    head = found[0] if found else None
    if head is None:
        last = AuditEntry.objects.order_by("-seq", "-pk").only("seq", "hash").first()
        AuditChainHead.objects.bulk_create(
            [AuditChainHead(pk=HEAD, seq=last.seq if last else 0,
                            hash=last.hash if last else GENESIS)],
            ignore_conflicts=True,
        )
        head = heads.get(pk=HEAD)
    return head


def _chained(entries: list[AuditEntry], insert) -> None:
    """`insert` `entries` and have them linked into the chain.

    On PostgreSQL they are written pending and linked once the writer's transaction has
    committed (`_link`, from `transaction.on_commit`): the chain head is then locked only for
    the short linking transaction, not from the entry to the writer's COMMIT, so that
    concurrent reports commit side by side instead of one after the other. On SQLite, where
    the write transaction itself serialises writers, they are linked as they are written."""
    alias = router.db_for_write(AuditEntry)
    now = timezone.now()
    for entry in entries:
        entry.at = entry.at or now
        entry.changes = _canonical_json(entry.changes)
    if connections[alias].features.has_select_for_update:
        for entry in entries:
            entry.seq, entry.prev_hash, entry.hash = PENDING, "", ""
        _insert_sealed(entries, insert)
        link_when_committed(entries, alias)
        return
    with transaction.atomic(using=alias, savepoint=False):
        seq, previous = _linked(entries, _locked_head())
        _insert_sealed(entries, insert)
        _move_head(alias, seq, previous)


def link_when_committed(entries: list[AuditEntry], alias: str) -> None:
    """Have `entries`, just written pending (PostgreSQL), linked once the writer's transaction
    commits; at once when the writer is in autocommit (its statement was its transaction)."""
    transaction.on_commit(lambda: _link_after_commit(entries, alias), using=alias, robust=True)


def pending_entry(*, actor, channel: str, action: str, obj: models.Model,
                  changes: dict[str, Any], mission: Mission | None = None) -> AuditEntry | None:
    """The entry that `record_many` would write for (`action`, `obj`, `changes`), not written:
    pending, with its time and its changes as stored, and `object_id` left for the writer to
    fill in with the record's id (for a record inserted by the same statement as its entry,
    `bulk.insert_with_entry`); the writer then has it linked (`link_when_committed`). None on
    a database that links entries as they are written (SQLite), or for a confidential entry
    (its changes are sealed and its name holds the record's id): `record_many` writes those."""
    alias = router.db_for_write(AuditEntry)
    if not connections[alias].features.has_select_for_update or is_confidential(obj, changes):
        return None
    entry = AuditEntry(
        channel=Channel(channel), action=action, model=obj._meta.label_lower, object_id="",
        object_repr=_record_name(obj, False), changes=_canonical_json(changes),
        mission_id=mission.pk if mission else None, confidential=False, at=timezone.now(),
        seq=PENDING, prev_hash="", hash="", **_actor_fields(actor),
    )
    return entry


def _insert_sealed(entries: list[AuditEntry], insert) -> None:
    """`insert` the entries with a confidential entry's changes sealed; the caller's objects
    keep them in clear (readable, and hashable)."""
    plain = [entry.changes for entry in entries]
    for entry in entries:
        if entry.confidential:
            entry.changes = {SEALED: crypto.encrypt_json(entry.changes)}
    insert(entries)
    for entry, changes in zip(entries, plain, strict=True):
        entry.changes = changes


def _linked(entries: list[AuditEntry], head: AuditChainHead) -> tuple[int, str]:
    """Give `entries`, in this order, their places after `head` and their hashes; returns the
    new head's seq and hash."""
    seq, previous = head.seq, head.hash or GENESIS
    for entry in entries:
        seq += 1
        entry.seq, entry.prev_hash = seq, previous
        entry.hash = previous = entry_hash(entry)
    return seq, previous


def _move_head(alias: str, seq: int, previous: str) -> None:
    # AuditChainHead.objects.filter(pk=HEAD).update(seq=seq, hash=previous), in SQL
    table = connections[alias].ops.quote_name(AuditChainHead._meta.db_table)
    bulk.execute(f"UPDATE {table} SET seq = %s, hash = %s WHERE id = %s",
                 [seq, previous, HEAD], using=alias)


class _LinkedMeanwhile(Exception):
    """Some of the entries to link were linked by `link_pending` in the meantime."""


def _link(entries: list[AuditEntry], alias: str) -> None:
    """Link `entries`, written pending: lock them and the head (in that order, as every linker
    does, so that linkers never wait on each other in a circle), give them (in this order)
    their places and hashes, move the head, in one transaction (a savepoint inside another).
    On PostgreSQL it commits without waiting for the disk (`synchronous_commit` off): the
    entries themselves were committed durably by their writer, and a link lost in a crash
    leaves them pending, to be linked again by `link_pending`."""
    with transaction.atomic(using=alias):
        if connections[alias].vendor == "postgresql" and not _locked_pending(entries, alias):
            raise _LinkedMeanwhile
        seq, previous = _linked(entries, _locked_head())
        if not _store_links(entries, alias, seq, previous):
            raise _LinkedMeanwhile


def _locked_pending(entries: list[AuditEntry], alias: str) -> bool:
    """Lock the rows of `entries` (by id, ascending) until the transaction ends; False when
    some of them are no longer pending."""
    table = connections[alias].ops.quote_name(AuditEntry._meta.db_table)
    ids = sorted(entry.pk for entry in entries)
    found = bulk.rows(f"SELECT id FROM {table} WHERE id = ANY(%s) AND seq = {PENDING}"
                      " ORDER BY id FOR UPDATE", [ids], [AuditEntry._meta.pk], using=alias)
    return len(found) == len(ids)


def _link_after_commit(entries: list[AuditEntry], alias: str) -> None:
    try:
        if len(entries) == 1 and _link_one(entries[0], alias):
            return
        _link(entries, alias)
    except _LinkedMeanwhile:
        link_pending(using=alias)


def _link_one(entry: AuditEntry, alias: str) -> bool:
    """Link one entry written pending, in one statement run on its own (PostgreSQL, outside any
    transaction: the one a report sent alone makes). The statement locks the entry if it is
    still pending, then the head; moves the head by one, computing the entry's hash in the
    database from its content (`_middle`, given) and the head's hash as `entry_hash` does in
    Python; and stores the entry's seq, prev_hash and hash. False, with nothing changed, when
    the entry is no longer pending or the head's row is missing (then `_link` does it)."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    table = quote(AuditEntry._meta.db_table)
    head = quote(AuditChainHead._meta.db_table)
    fields = [AuditEntry._meta.get_field(name) for name in ("seq", "prev_hash", "hash")]
    found = bulk.rows(
        f"WITH e AS (SELECT id FROM {table} WHERE id = %s AND seq = {PENDING} FOR UPDATE),"
        f" h0 AS (SELECT seq, COALESCE(NULLIF(hash, ''), %s) AS hash FROM {head}"
        f" WHERE id = %s AND EXISTS (SELECT 1 FROM e) FOR UPDATE),"
        f" h AS (UPDATE {head} AS t SET seq = h0.seq + 1, hash = encode(sha256(convert_to("
        f"'[' || (h0.seq + 1)::text || ',' || %s || ',\"' || h0.hash || '\"]', 'UTF8')), 'hex')"
        f" FROM h0 WHERE t.id = %s AND set_config('synchronous_commit', 'off', true) = 'off'"
        f" RETURNING t.seq, t.hash, h0.hash AS prev_hash)"
        f" UPDATE {table} AS t SET seq = h.seq, prev_hash = h.prev_hash, hash = h.hash"
        f" FROM h WHERE t.id = %s RETURNING t.seq, t.prev_hash, t.hash",
        [entry.pk, GENESIS, HEAD, _middle(entry), HEAD, entry.pk], fields, using=alias)
    if not found:
        return False
    entry.seq, entry.prev_hash, entry.hash = found[0]
    return True


def _store_links(entries: list[AuditEntry], alias: str, seq: int, previous: str) -> bool:
    """Store the entries' seq, prev_hash and hash where they are still pending and move the
    head to (`seq`, `previous`); False, with the head left, when some were no longer pending.
    On PostgreSQL it is one statement, which also turns `synchronous_commit` off for the rest
    of the transaction."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    table = quote(AuditEntry._meta.db_table)
    head = quote(AuditChainHead._meta.db_table)
    if connection.vendor != "postgresql":
        sql = (f"UPDATE {table} SET seq = %s, prev_hash = %s, hash = %s"
               f" WHERE id = %s AND seq = {PENDING}")
        stored = sum(bulk.execute(sql, [e.seq, e.prev_hash, e.hash, e.pk], using=alias)
                     for e in entries)
        if stored != len(entries):
            return False
        _move_head(alias, seq, previous)
        return True
    values = ", ".join(["(%s::bigint, %s::bigint, %s, %s)"] * len(entries))
    params = [value for e in entries for value in (e.pk, e.seq, e.prev_hash, e.hash)]
    return bulk.execute(
        f"WITH linked AS (UPDATE {table} AS t"
        f" SET seq = v.seq, prev_hash = v.prev_hash, hash = v.hash"
        f" FROM (VALUES {values}) AS v(id, seq, prev_hash, hash)"
        f" WHERE t.id = v.id AND t.seq = {PENDING} RETURNING t.id)"
        f" UPDATE {head} SET seq = %s, hash = %s"
        f" WHERE id = %s AND (SELECT count(*) FROM linked) = %s"
        f" AND set_config('synchronous_commit', 'off', true) = 'off'",
        [*params, seq, previous, HEAD, len(entries)], using=alias) == 1


def link_pending(*, using: str | None = None, chunk_size: int = 2000) -> int:
    """Link every entry still pending, in the order they were written (by id): those of a
    writer that stopped between its commit and their linking, or of a transaction whose
    on-commit work never ran. Returns how many."""
    alias = using or router.db_for_write(AuditEntry)
    n = 0
    while True:
        with transaction.atomic(using=alias):
            # The pending entries locked (by id, then the head, as every linker does), so that
            # no linker links them in between.
            pending = AuditEntry.objects.using(alias).filter(seq=PENDING).order_by("pk")
            if connections[alias].features.has_select_for_update:
                pending = pending.select_for_update()
            values = pending.values_list(*_CHAIN_FIELDS)[:chunk_size]
            entries = [AuditEntry(**dict(zip(_CHAIN_FIELDS, row, strict=True)))
                       for row in values]
            for entry in entries:
                entry.changes = changes_of(entry)
            if entries:
                _link(entries, alias)
        n += len(entries)
        if len(entries) < chunk_size:
            return n


def _actor_fields(actor) -> dict[str, Any]:
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    if user is None:
        return {"actor_id": None, "actor_user_id": None, "actor_username": ""}
    return {"actor_id": user.pk, "actor_user_id": user.pk,
            "actor_username": user.get_username()[:150]}


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
    changes = changes or {}
    confidential = is_confidential(obj, changes)
    entry = AuditEntry(
        channel=Channel(channel), action=action, model=obj._meta.label_lower,
        object_id=str(obj.pk), object_repr=_record_name(obj, confidential), changes=changes,
        mission_id=mission.pk if mission else None,
        confidential=confidential, at=None, **_actor_fields(actor),
    )
    _chained([entry], lambda rows: rows[0].save(force_insert=True))
    return entry


def record_many(
    *,
    actor,
    channel: str,
    entries: Iterable[tuple[str, models.Model, dict[str, Any]]],
    mission: Mission | None = None,
) -> int:
    """Write one audit entry per (action, object, changes), in bulk, taking the chain's lock
    once. Returns how many."""
    common = {"channel": Channel(channel), "mission_id": mission.pk if mission else None,
              **_actor_fields(actor)}
    rows = []
    for action, obj, changes in entries:
        confidential = is_confidential(obj, changes)
        rows.append(AuditEntry(action=action, model=obj._meta.label_lower, object_id=str(obj.pk),
                               object_repr=_record_name(obj, confidential), changes=changes,
                               at=None, confidential=confidential, **common))
    if rows:
        _chained(rows, lambda chained: bulk.insert_many(AuditEntry, chained))
    return len(rows)


# --- verification -------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainReport:
    """What `verify_chain` found: `problem` is None when the chain is intact; otherwise it
    names the first entry (by `seq`, and `entry_id` when it exists) that is wrong."""

    n_entries: int
    head_seq: int
    head_hash: str
    problem: str | None = None
    seq: int | None = None
    entry_id: int | None = None

    @property
    def intact(self) -> bool:
        return self.problem is None


_CHAIN_FIELDS = ("pk", "seq", "at", "actor_user_id", "actor_username", "channel", "action",
                 "model", "object_id", "object_repr", "changes", "mission_id", "confidential",
                 "prev_hash", "hash")


def _chain_rows(chunk_size: int) -> Iterator[AuditEntry]:
    rows = (AuditEntry.objects.exclude(seq=PENDING).order_by("seq", "pk")
            .values_list(*_CHAIN_FIELDS))
    for values in rows.iterator(chunk_size=chunk_size):
        entry = AuditEntry(**dict(zip(_CHAIN_FIELDS, values, strict=True)))
        yield entry


def verify_chain(*, chunk_size: int = 2000, link: bool = True) -> ChainReport:
    """Walk the audit chain from its first entry; report the first entry altered or removed.

    Entries left pending are linked first (`link_pending`; with `link`); those a writer
    commits while the walk runs are not walked.

    Checks, for entry n: its `seq` follows the one before (else entries were removed before
    it), its `prev_hash` is the hash of the one before, and its `hash` is that of its content
    (else it was altered). At the end, the last entry must be the one the chain head holds
    (else entries were removed at the end)."""
    if link:
        link_pending()
    alias = router.db_for_read(AuditEntry)
    connection = connections[alias]
    outermost = not connection.in_atomic_block
    # The head and the entries read in one snapshot, so that links made during the walk do not
    # show as a head that does not match the last entry.
    with transaction.atomic(using=alias):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        return _walk(chunk_size)


def _walk(chunk_size: int) -> ChainReport:
    head = AuditChainHead.objects.filter(pk=HEAD).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    expected_seq, previous, n = 1, GENESIS, 0

    def broken(problem: str, entry: AuditEntry | None = None, seq: int | None = None):
        return ChainReport(n, head_seq, head_hash, problem,
                           seq if entry is None else entry.seq,
                           None if entry is None else entry.pk)

    for entry in _chain_rows(chunk_size):
        n += 1
        if entry.seq != expected_seq:
            if entry.seq > expected_seq:
                return broken(f"entries {expected_seq}–{entry.seq - 1} are missing (removed)",
                              seq=expected_seq)
            return broken(f"entry {entry.seq} (id {entry.pk}) is out of sequence", entry)
        if entry.prev_hash != previous:
            return broken(f"entry {entry.seq} (id {entry.pk}) does not follow the entry before",
                          entry)
        if entry_hash(entry) != entry.hash:
            return broken(f"entry {entry.seq} (id {entry.pk}) was altered", entry)
        previous, expected_seq = entry.hash, expected_seq + 1
    last_seq = expected_seq - 1
    if head is None and n:
        return broken("the chain head is missing", seq=last_seq)
    if (last_seq, previous) != (head_seq, head_hash or GENESIS):
        if head_seq > last_seq:
            return broken(f"entries {last_seq + 1}–{head_seq} are missing (removed from the end)",
                          seq=last_seq + 1)
        return broken(f"the chain head ({head_seq}) does not match the last entry ({last_seq})",
                      seq=last_seq)
    return ChainReport(n, head_seq, head_hash)
