"""A report sent alone: on PostgreSQL its record and its audit entry are written by one
statement (its own transaction), the entry linked after it; the answer is built from the record
without validating it again. What is stored and answered is what the transaction stored and
answered before."""

import json
import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from ninja.responses import NinjaJSONEncoder

from eom.missions import audit
from eom.missions.models import AuditEntry
from eom.observation import hooks, services
from eom.observation.channels.api import SubmissionOut, answer_of
from eom.observation.models import Stage, Submission
from tests.observation.scene import send, set_up


@pytest.fixture
def form(mission, tree, observer, other_team):
    return set_up(mission, tree, observer, other_team)


def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the one-statement write is PostgreSQL's")


@pytest.mark.django_db(transaction=True)
def test_a_report_sent_alone_is_written_with_its_audit_entry_by_one_statement(
        mission, tree, observer, other_team):
    postgresql_only()
    set_up(mission, tree, observer, other_team)
    with CaptureQueriesContext(connection) as queries:
        submission, created = send(observer, mission)
    writes = [q["sql"] for q in queries.captured_queries
              if 'INSERT INTO "observation_submission"' in q["sql"]
              or 'INSERT INTO "missions_auditentry"' in q["sql"]]
    assert len(writes) == 1
    assert 'INSERT INTO "observation_submission"' in writes[0]
    assert 'INSERT INTO "missions_auditentry"' in writes[0]
    entry = AuditEntry.objects.get(model="observation.submission")
    stored = Submission.objects.get()
    assert (created, stored.pk, stored.uuid) == (True, submission.pk, submission.uuid)
    assert (entry.object_id, entry.object_repr, entry.action, entry.channel) == (
        str(stored.pk), str(stored), "create", "api")
    assert (entry.actor_id, entry.mission_id) == (observer.pk, mission.pk)
    assert audit.changes_of(entry) == {"answers": [None, stored.answers]}
    assert entry.seq > 0 and entry.hash == audit.entry_hash(entry)  # linked after its commit
    assert audit.verify_chain(link=False).intact


@pytest.mark.django_db(transaction=True)
def test_reports_sent_alone_at_the_same_time_keep_one_intact_chain(
        mission, tree, observer, other_team):
    """Eight senders, ten reports each, at the same moment: every report stored once, every
    entry linked in one chain."""
    set_up(mission, tree, observer, other_team)
    errors: list[Exception] = []
    barrier = threading.Barrier(8)

    def sender() -> None:
        try:
            barrier.wait()
            for _round in range(10):
                send(observer, mission)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sender) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Submission.objects.count() == 80
    entries = AuditEntry.objects.filter(model="observation.submission")
    assert entries.count() == 80
    assert not entries.filter(seq=audit.PENDING).exists()
    assert sorted(entries.values_list("object_id", flat=True)) == sorted(
        str(pk) for pk in Submission.objects.values_list("pk", flat=True))
    report = audit.verify_chain(link=False)
    assert report.intact and report.n_entries == AuditEntry.objects.count()


def test_only_a_counting_report_concerns_the_results(mission, form, observer):
    submission, _created = send(observer, mission)
    assert hooks.concerned([submission]) is False
    submission.form.stage = Stage.COUNTING
    assert hooks.concerned([submission]) is True
    assert hooks.concerned([]) is False


def _json(answer) -> dict:
    return json.loads(json.dumps(answer, cls=NinjaJSONEncoder))


@pytest.mark.parametrize("case", ["new", "flagged", "replay", "deleted"])
def test_the_answer_is_the_json_that_validating_the_record_gives(
        mission, form, observer, coordinator, case):
    answers = {"registered": 100, "voted": 40, "secrecy": "yes",
               "assessment": "very_bad" if case == "flagged" else "good"}
    submission, _created = send(observer, mission, answers=answers)
    if case in ("replay", "deleted"):
        if case == "deleted":
            services.delete_submission(actor=coordinator, channel="page", submission=submission,
                                       reason="sent twice")
        submission = Submission.objects.select_related(
            "form", "form_version", "location", "team", "observer").get(pk=submission.pk)
    built = answer_of(submission).model_dump()
    validated = SubmissionOut.model_validate(submission).model_dump()
    assert _json(built) == _json(validated)
    assert json.dumps(built, cls=NinjaJSONEncoder) == json.dumps(validated, cls=NinjaJSONEncoder)
    assert (len(built["flags"]), built["deleted"]) == (
        int(case == "flagged"), case == "deleted")
