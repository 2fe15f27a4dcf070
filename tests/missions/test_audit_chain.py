"""The audit trail is a hash chain: an entry altered or removed afterwards shows in
`eom audit verify`, also when many writers add entries at the same time."""

import io
import subprocess
import sys
import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from eom.missions import audit
from eom.missions.models import AuditChainHead, AuditEntry, Location
from tests.factories import make_location

capture_on_commit_callbacks = TestCase.captureOnCommitCallbacks


def write_entries(mission, n: int = 3, actor=None) -> list[AuditEntry]:
    """Write `n` entries, each in a transaction of its own that commits (as a request would), so
    that they are linked."""
    for number in range(n):
        with capture_on_commit_callbacks(execute=True):
            audit.record(actor=actor, channel="command", action="update", obj=mission,
                         changes={"note": [str(number), str(number + 1)]}, mission=mission)
    return list(AuditEntry.objects.order_by("seq"))


def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("on SQLite entries are linked in their writer's transaction "
                    "(make test-postgres runs this)")


def verify() -> str:
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def test_entries_are_chained_one_after_the_other(mission):
    entries = write_entries(mission, 3)
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[0].prev_hash == audit.GENESIS
    assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]
    assert all(audit.entry_hash(e) == e.hash for e in entries)
    head = AuditChainHead.objects.get()
    assert (head.seq, head.hash) == (3, entries[-1].hash)


def test_verify_reports_an_intact_chain(mission, tree):
    write_entries(mission, 3)
    with capture_on_commit_callbacks(execute=True):
        audit.record_many(actor=None, channel="import", mission=mission, entries=[
            ("create", location, {"code": [None, location.code]})
            for location in Location.objects.all()
        ])
    head = AuditChainHead.objects.get()
    assert verify() == f"12 entries, chain intact; head 12 {head.hash}\n"


def test_verify_on_an_empty_trail_is_intact(db):
    assert verify().startswith("0 entries, chain intact")


def test_altering_an_entrys_changes_is_reported(mission):
    entries = write_entries(mission, 3)
    AuditEntry.objects.filter(pk=entries[1].pk).update(changes={"note": ["0", "forged"]})
    with pytest.raises(CommandError, match=f"entry 2 \\(id {entries[1].pk}\\) was altered"):
        verify()


@pytest.mark.parametrize("field, value", [
    ("object_repr", "Someone else"), ("actor_username", "intruder"), ("confidential", True),
    ("channel", "api"),
])
def test_altering_any_field_of_an_entry_is_reported(mission, field, value):
    entries = write_entries(mission, 2)
    AuditEntry.objects.filter(pk=entries[0].pk).update(**{field: value})
    report = audit.verify_chain()
    assert (report.intact, report.seq, report.entry_id) == (False, 1, entries[0].pk)


def test_deleting_an_entry_in_the_middle_is_reported(mission):
    entries = write_entries(mission, 4)
    AuditEntry.objects.filter(pk=entries[1].pk).delete()
    with pytest.raises(CommandError, match="entries 2–2 are missing"):
        verify()


def test_deleting_and_renumbering_is_still_reported(mission):
    entries = write_entries(mission, 3)
    AuditEntry.objects.filter(pk=entries[1].pk).delete()
    AuditEntry.objects.filter(pk=entries[2].pk).update(seq=2)
    report = audit.verify_chain()
    assert (report.intact, report.seq) == (False, 2)
    assert "does not follow the entry before" in report.problem


def test_deleting_the_last_entry_is_reported_through_the_head(mission):
    entries = write_entries(mission, 3)
    AuditEntry.objects.filter(pk=entries[-1].pk).delete()
    with pytest.raises(CommandError, match="entries 3–3 are missing \\(removed from the end\\)"):
        verify()


def test_the_actor_is_kept_when_its_login_is_deleted(mission):
    login = get_user_model().objects.create_user("anna", password="pw-for-tests")
    write_entries(mission, 2, actor=login)
    login_id = login.pk
    login.delete()
    entry = AuditEntry.objects.order_by("seq").first()
    assert (entry.actor, entry.actor_user_id, entry.actor_username) == (None, login_id, "anna")
    assert audit.verify_chain().intact


def test_a_missing_head_is_made_again_from_the_last_entry(mission):
    write_entries(mission, 2)
    AuditChainHead.objects.all().delete()
    write_entries(mission, 1)
    assert audit.verify_chain().intact
    assert AuditChainHead.objects.get().seq == 3


def test_a_batch_takes_the_chain_lock_once(mission, tree):
    locations = list(Location.objects.all())
    with CaptureQueriesContext(connection) as queries, capture_on_commit_callbacks(execute=True):
        audit.record_many(actor=None, channel="import", mission=mission,
                          entries=[("update", loc, {"n": [1, 2]}) for loc in locations * 5])
    head_queries = [q["sql"] for q in queries.captured_queries if "auditchainhead" in q["sql"]]
    assert len(head_queries) == 2  # locked and read once, moved once
    assert "FOR UPDATE" in head_queries[0] or connection.vendor != "postgresql"
    assert audit.verify_chain().n_entries == 5 * len(locations)


def test_a_rolled_back_write_leaves_the_chain_intact(mission):
    write_entries(mission, 1)
    with pytest.raises(RuntimeError), transaction.atomic():
        write_entries(mission, 2)
        raise RuntimeError("the request failed")
    write_entries(mission, 1)
    report = audit.verify_chain()
    assert (report.intact, report.n_entries, report.head_seq) == (True, 2, 2)


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_intact_chain(mission):
    """Eight writers, each ten transactions of a batch of five and a single entry; on
    PostgreSQL they run at the same time and wait on the chain head's lock."""
    places = [make_location(mission, "region", f"R{n}") for n in range(5)]
    errors: list[Exception] = []
    barrier = threading.Barrier(8)

    def writer() -> None:
        try:
            barrier.wait()
            for _round in range(10):
                with transaction.atomic():
                    audit.record_many(actor=None, channel="api", mission=mission,
                                      entries=[("create", place, {}) for place in places])
                    audit.record(actor=None, channel="api", action="update", obj=mission)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert not AuditEntry.objects.filter(seq=audit.PENDING).exists()  # linked on commit
    report = audit.verify_chain(link=False)
    assert (report.intact, report.n_entries, report.head_seq) == (True, 480, 480)
    assert sorted(AuditEntry.objects.values_list("seq", flat=True)) == list(range(1, 481))


def test_on_postgresql_the_writer_does_not_lock_the_chain_head(mission):
    postgresql_only()
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        audit.record(actor=None, channel="api", action="update", obj=mission, mission=mission)
        entry = AuditEntry.objects.get()
        assert (entry.seq, entry.hash) == (audit.PENDING, "")  # pending until the commit
    assert not [q for q in queries.captured_queries if "auditchainhead" in q["sql"]]


def test_an_entry_is_linked_once_its_writer_has_committed(mission):
    with capture_on_commit_callbacks(execute=True):
        audit.record(actor=None, channel="api", action="update", obj=mission, mission=mission)
    entry = AuditEntry.objects.get()
    assert (entry.seq, entry.prev_hash, entry.hash) == (1, audit.GENESIS, audit.entry_hash(entry))
    assert AuditChainHead.objects.get().seq == 1


def test_on_postgresql_an_entry_written_alone_is_linked_in_one_statement(mission):
    """A report sent alone: after its commit one statement locks its entry and the head,
    computes the hash in the database and stores it; the hash is the one Python computes, also
    for quotes, percent signs, backslashes and Kazakh letters in the content."""
    postgresql_only()
    write_entries(mission, 1)  # the head's row exists
    awkward = {"note": ["it's 100% \\ \"done\"", "Қазақстан — Ақмола"]}
    with CaptureQueriesContext(connection) as queries:
        with capture_on_commit_callbacks(execute=True), transaction.atomic():
            audit.record(actor=None, channel="api", action="update", obj=mission,
                         changes=awkward, mission=mission)
            written = len(queries.captured_queries)
    linking = [q for q in queries.captured_queries[written:]
               if "SAVEPOINT" not in q["sql"]]  # the test's own transaction
    assert len(linking) == 1 and "auditchainhead" in linking[0]["sql"]
    entry = AuditEntry.objects.get(seq=2)
    assert audit.changes_of(entry) == awkward
    assert entry.hash == audit.entry_hash(entry)
    assert entry.prev_hash == AuditEntry.objects.get(seq=1).hash
    assert (AuditChainHead.objects.get().seq, AuditChainHead.objects.get().hash) == (2, entry.hash)
    assert audit.verify_chain().intact


def test_an_entry_left_pending_is_linked_by_verify(mission):
    """A worker that stopped between its commit and the linking leaves its entries pending."""
    write_entries(mission, 2)
    left = AuditEntry.objects.create(channel="api", action="update", model="missions.mission",
                                     object_id=str(mission.pk), object_repr=str(mission),
                                     changes={"note": ["a", "b"]}, mission=mission)
    assert left.seq == audit.PENDING
    assert verify().startswith("3 entries, chain intact; head 3 ")
    left.refresh_from_db()
    assert (left.seq, left.hash) == (3, audit.entry_hash(left))


def test_entries_linked_meanwhile_are_not_linked_twice(mission):
    """verify links an entry between its writer's commit and the writer's own linking."""
    postgresql_only()
    with capture_on_commit_callbacks(execute=False) as callbacks:
        audit.record(actor=None, channel="api", action="update", obj=mission, mission=mission)
    assert audit.link_pending() == 1
    for callback in callbacks:
        callback()
    report = audit.verify_chain(link=False)
    assert (report.intact, report.n_entries, report.head_seq) == (True, 1, 1)


def test_eom_audit_verify_is_a_console_command():
    result = subprocess.run([sys.executable, "-m", "eom", "audit", "--help"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "verify" in result.stdout
