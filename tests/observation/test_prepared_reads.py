"""The ingestion's hand-written statements, run as often as every report runs them: on
PostgreSQL they are prepared on the connection after a few runs and still answer as the first
run did; a lone row is one INSERT that reads back as a saved one; EOM_DB_PREPARED_STATEMENTS
false prepares nothing."""

import uuid

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from eom.missions import audit, bulk
from eom.missions.models import AuditEntry
from eom.observation import batch
from eom.observation.models import QAFlag, Submission
from tests.observation.scene import send, set_up

RUNS = bulk.PREPARE_THRESHOLD + 3


@pytest.fixture
def stored(mission, tree, observer, other_team):
    set_up(mission, tree, observer, other_team)
    submission, _created = send(observer, mission)
    return submission


def prepared_statements() -> int:
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        return cursor.fetchone()[0]


def test_reads_run_many_times_on_one_connection_answer_as_the_first_time(stored, mission):
    before = prepared_statements()
    first = (batch._stored_keys({stored.uuid}), batch._versions(mission, {"voting"}),
             batch._locations(mission, {"01001"}))
    for _run in range(RUNS):
        again = (batch._stored_keys({stored.uuid}), batch._versions(mission, {"voting"}),
                 batch._locations(mission, {"01001"}))
        assert again[0] == first[0] == {stored.uuid}
        assert [(v.pk, v.version, v.form.form_id) for v in again[1]] == [
            (v.pk, v.version, v.form.form_id) for v in first[1]]
        assert {c: (p.pk, p.path) for c, p in again[2].items()} == {
            c: (p.pk, p.path) for c, p in first[2].items()}
    if connection.vendor == "postgresql":
        assert prepared_statements() >= before + 3


def test_without_prepared_statements_nothing_is_prepared(db, settings):
    settings.EOM_DB_PREPARED_STATEMENTS = False
    before = prepared_statements()
    field = Submission._meta.get_field("n_flags")
    for run in range(RUNS):
        assert bulk.rows("SELECT %s + 1 -- not prepared", [run], [field]) == [(run + 1,)]
    assert prepared_statements() == before


def test_a_lone_report_flag_and_audit_entry_read_back_as_saved(stored, observer, mission):
    fields = {f.attname: getattr(stored, f.attname) for f in Submission._meta.concrete_fields
              if not f.primary_key}
    lone = Submission(**{**fields, "uuid": uuid.uuid4(), "answers": {"note": "«Аманат»\t\\N"},
                         "choice_codes": b"\x00\\N\xff"})
    with transaction.atomic():
        bulk.insert_many(Submission, [lone])
        bulk.insert_many(QAFlag, [QAFlag(submission=lone, rule="r", severity="high",
                                         message={"en": "m"}, expression="1", values={"a": 1})],
                         with_ids=False)
        assert audit.record_many(actor=observer, channel="api", mission=mission, entries=[
            ("create", lone, {"answers": [None, lone.answers]})]) == 1
    assert lone.pk is not None and not lone._state.adding
    back = Submission.objects.get(pk=lone.pk)
    assert (back.uuid, back.answers, bytes(back.choice_codes), back.received_at) == (
        lone.uuid, {"note": "«Аманат»\t\\N"}, b"\x00\\N\xff", lone.received_at)
    assert [(f.rule, f.values) for f in QAFlag.objects.filter(submission=lone)] == [("r", {"a": 1})]
    entry = AuditEntry.objects.get(model="observation.submission", object_id=str(lone.pk))
    assert entry.changes == {"answers": [None, {"note": "«Аманат»\t\\N"}]}
    assert audit.verify_chain().intact


@pytest.mark.django_db(transaction=True)
def test_statements_after_a_reconnection_or_an_error_run_on_the_connection_as_it_is_now(db):
    """The cursor kept for these statements follows the connection when Django opens it again,
    and stays usable after a statement failed."""
    field = Submission._meta.get_field("n_flags")
    assert bulk.rows("SELECT %s + 1", [1], [field]) == [(2,)]
    connection.close()
    assert bulk.rows("SELECT %s + 1", [2], [field]) == [(3,)]
    with pytest.raises(DatabaseError):
        bulk.rows("SELECT n_flags FROM no_such_table WHERE id = %s", [0], [field])
    assert bulk.rows("SELECT %s + 1", [3], [field]) == [(4,)]


def test_a_report_and_its_audit_entry_written_by_one_statement_read_back_as_saved(
        stored, observer, mission):
    if connection.vendor != "postgresql":
        pytest.skip("one statement for both rows is PostgreSQL's")
    fields = {f.attname: getattr(stored, f.attname) for f in Submission._meta.concrete_fields
              if not f.primary_key}
    lone = Submission(**{**fields, "uuid": uuid.uuid4(), "answers": {"note": "«Аманат»\t\\N'%s"},
                         "choice_codes": b"\x00\\N\xff"})
    entry = audit.pending_entry(actor=observer, channel="api", action="create", obj=lone,
                                changes={"answers": [None, lone.answers]}, mission=mission)
    with transaction.atomic():
        bulk.insert_with_entry(lone, entry, refers="object_id")
        audit.link_when_committed([entry], connection.alias)
    assert lone.pk is not None and not lone._state.adding and entry.object_id == str(lone.pk)
    back = Submission.objects.get(pk=lone.pk)
    assert (back.uuid, back.answers, bytes(back.choice_codes), back.received_at) == (
        lone.uuid, {"note": "«Аманат»\t\\N'%s"}, b"\x00\\N\xff", lone.received_at)
    stored_entry = AuditEntry.objects.get(pk=entry.pk)
    assert (stored_entry.object_id, stored_entry.object_repr, stored_entry.seq) == (
        str(lone.pk), str(lone), audit.PENDING)
    assert stored_entry.changes == {"answers": [None, {"note": "«Аманат»\t\\N'%s"}]}
    taken = Submission(**{**fields, "uuid": lone.uuid})
    again = audit.pending_entry(actor=observer, channel="api", action="create", obj=taken,
                                changes={}, mission=mission)
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.insert_with_entry(taken, again, refers="object_id")
    assert AuditEntry.objects.filter(model="observation.submission").count() == 2  # no third
    assert audit.verify_chain().intact
