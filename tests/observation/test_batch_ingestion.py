"""Many reports in one call answer each report exactly as the single path would, store the good
ones once (also under concurrent duplicate batches), and cost a fixed number of queries."""

import datetime as dt
import threading
import uuid

import pytest
from django.db import connection

from eom.missions.models import AuditEntry
from eom.observation import batch, services
from eom.observation.models import QAFlag, Submission
from eom.xlsform import coding
from tests.factories import (
    make_api_token,
    make_user,
)
from tests.observation.scene import set_up


@pytest.fixture
def form(mission, tree, observer, other_team):
    return set_up(mission, tree, observer, other_team)


def report(location="01001", **answers):
    return {"uuid": str(uuid.uuid4()), "form_id": "voting", "location": location,
            "observed_at": "2023-03-19T10:42:00+06:00",
            "answers": {"registered": 100, "voted": 40, "secrecy": "yes", "assessment": "good",
                        **answers}}


@pytest.fixture
def post(client, form, observer):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {make_api_token(observer)}"}

    def call(reports, **extra):
        return client.post("/api/submissions/batch", {"submissions": reports, **extra},
                           content_type="application/json", **headers)

    return call


def as_input(data):
    return services.SubmissionInput(
        uuid=data["uuid"], form_id=data["form_id"], location_code=data["location"],
        answers=data["answers"], observed_at=dt.datetime.fromisoformat(data["observed_at"]))


def single_path_errors(actor, mission, data):
    """What POST /api/submissions answers for that report (nothing is stored: it is refused)."""
    with pytest.raises(services.SubmissionRejected) as refused:
        services.ingest_submission(actor=actor, channel="api", mission=mission,
                                   data=as_input(data))
    return refused.value.status, refused.value.errors


def test_a_batch_stores_each_report_with_its_team_flags_and_audit_entry(post, form, observer):
    reports = [report(), report("01002", assessment="bad"), report(voted=60)]
    response = post(reports)
    assert response.status_code == 200
    body = response.json()
    assert (body["stored"], body["replayed"], body["refused"]) == (3, 0, 0)
    assert [r["status"] for r in body["results"]] == [201, 201, 201]
    assert [r["index"] for r in body["results"]] == [0, 1, 2]
    stored = {str(s.uuid): s for s in Submission.objects.select_related("team", "location")}
    assert set(stored) == {r["uuid"] for r in reports}
    assert {s.team.code for s in stored.values()} == {"STO-1"}
    assert stored[reports[1]["uuid"]].location.code == "01002"
    assert stored[reports[0]["uuid"]].answers == reports[0]["answers"]
    # A "bad" assessment raises the QA rule "negative", as it does through the single path.
    flags = {str(f.submission.uuid): f.rule for f in QAFlag.objects.select_related("submission")}
    assert flags.get(reports[1]["uuid"]) == "negative"
    assert [r["flags"] for r in body["results"]] == [
        stored[r["uuid"]].n_flags for r in reports
    ]
    entries = AuditEntry.objects.filter(model="observation.submission", action="create")
    assert sorted(e.object_id for e in entries) == sorted(str(s.pk) for s in stored.values())
    assert {e.actor_id for e in entries} == {observer.pk}
    assert {s.channel for s in stored.values()} == {"api"}
    definition = services.definition_of(form.current_version)
    assert [bytes(s.choice_codes) for s in stored.values()] == [
        coding.encode(definition, s.answers) for s in stored.values()
    ]


def test_refused_reports_get_the_single_paths_answers_and_change_nothing(
    post, mission, observer
):
    good = report()
    refused = [
        report(voted=-1, secrecy="perhaps"),        # bad answers: 422 per question
        report("02001"),                            # another team's station: 403
        {**report(), "form_id": "nosuchform"},      # unknown form: 422
        report("99999"),                            # unknown location: 422
    ]
    expected = [single_path_errors(observer, mission, data) for data in refused]
    body = post([good, *refused]).json()
    assert body["results"][0]["status"] == 201
    answers = [(r["status"], r["errors"]) for r in body["results"][1:]]
    assert answers == [(status, errors) for status, errors in expected]
    assert [status for status, _errors in answers] == [422, 403, 422, 422]
    assert (body["stored"], body["refused"]) == (1, 4)
    assert list(Submission.objects.values_list("uuid", flat=True)) == [uuid.UUID(good["uuid"])]
    assert AuditEntry.objects.filter(model="observation.submission").count() == 1


def test_all_or_nothing_keeps_the_whole_batch_out_when_one_report_is_refused(post):
    response = post([report(), report("02001"), report()], all_or_nothing=True)
    assert response.status_code == 422
    body = response.json()
    assert [r["status"] for r in body["results"]] == [424, 403, 424]
    assert body["stored"] == 0
    assert Submission.objects.count() == 0
    assert AuditEntry.objects.filter(model="observation.submission").count() == 0


def test_a_uuid_repeated_in_a_batch_or_sent_again_is_stored_once(post):
    first, second = report(), report("01002")
    body = post([first, second, {**first, "answers": {"registered": 1}}]).json()
    assert [r["status"] for r in body["results"]] == [201, 201, 200]
    again = post([second, first]).json()
    assert [r["status"] for r in again["results"]] == [200, 200]
    assert (again["stored"], again["replayed"]) == (0, 2)
    assert Submission.objects.count() == 2
    assert Submission.objects.get(uuid=first["uuid"]).answers["registered"] == 100


def test_a_uuid_stored_by_another_team_is_answered_409(client, post, mission, other_team):
    data = report("02001")
    stranger = make_user(mission, "observer")
    other_team.members.add(stranger.person)
    services.ingest_submission(actor=stranger, channel="api", mission=mission,
                               data=as_input(data))
    body = post([{**data, "location": "01001"}]).json()
    assert body["results"][0]["status"] == 409
    assert Submission.objects.count() == 1


def test_more_reports_than_a_batch_takes_are_refused_before_anything_is_read(post):
    response = post([report() for _ in range(batch.MAX_BATCH + 1)])
    assert response.status_code == 422
    assert Submission.objects.count() == 0


def test_a_batch_costs_the_same_queries_for_5_reports_as_for_50(
    post, django_assert_max_num_queries
):
    assert post([report()]).status_code == 200  # the token's first use and the definition
    # 14: the audit chain's head is locked once and moved once per batch, whatever its size.
    with django_assert_max_num_queries(14) as five:
        assert post([report() for _ in range(5)]).json()["stored"] == 5
    with django_assert_max_num_queries(14) as fifty:
        assert post([report("01002", assessment="bad") for _ in range(50)]).json()["stored"] == 50
    assert len(fifty.captured_queries) == len(five.captured_queries) + 1  # the flags insert


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicate_batches_store_each_report_once(mission, tree, observer, other_team):
    set_up(mission, tree, observer, other_team)
    shared = [as_input(report()) for _ in range(5)]
    outcomes, errors = [], []
    barrier = threading.Barrier(6)

    def send():
        try:
            barrier.wait()
            outcomes.append(batch.ingest_submissions(
                actor=observer, channel="api", mission=mission, items=shared))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    statuses = [o.status for result in outcomes for o in result]
    assert sorted(set(statuses)) == [200, 201]
    assert statuses.count(201) == 5
    assert Submission.objects.count() == 5
    assert AuditEntry.objects.filter(model="observation.submission").count() == 5
