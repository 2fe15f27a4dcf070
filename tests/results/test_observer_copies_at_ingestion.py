"""Observer copies follow their counting reports when these are stored, corrected or deleted;
the results pages only read (a GET writes no row)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from eom.missions.models import AuditEntry
from eom.observation import services
from eom.observation.models import Submission
from eom.results.models import Protocol
from tests.factories import (
    make_api_token,
    make_deployment,
    make_form,
    make_results_contest,
    question,
    voting_form,
)

COUNTING = ["n_registered", "n_received", "n_issued", "n_cancelled", "n_in_boxes", "n_invalid",
            "n_valid", "n_amanat", "n_auyl", "n_against_all"]
FIGURES = {"n_registered": 101, "n_received": 100, "n_issued": 88, "n_cancelled": 12,
           "n_in_boxes": 88, "n_invalid": 3, "n_valid": 85, "n_amanat": 60, "n_auyl": 20,
           "n_against_all": 5}
RESULTS_PAGES = ["overview", "protocols", "discrepancies", "aggregation", "seats"]


@pytest.fixture
def counting(mission, tree, observer):
    contest = make_results_contest(mission)
    form = make_form(mission, "counting", "counting", [question(n) for n in COUNTING])
    make_deployment(observer.person.teams.get(), [tree["01001"], tree["01002"]])
    return {"contest": contest, "form": form}


@pytest.fixture
def api(client, observer):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {make_api_token(observer)}"}

    def post(path, payload):
        return client.post(path, payload, content_type="application/json", **headers)

    return post


def counting_report(location="01001", **answers):
    return {"uuid": str(uuid.uuid4()), "form_id": "counting", "location": location,
            "observed_at": "2023-03-19T21:30:00+06:00", "answers": {**FIGURES, **answers}}


def test_a_counting_report_stored_through_the_api_makes_its_copy_without_any_page_opened(
        api, counting, tree):
    sent = counting_report()
    assert api("/api/submissions", sent).status_code == 201
    copy = Protocol.objects.get(source="observer")
    assert copy.submission == Submission.objects.get(uuid=sent["uuid"])
    assert (copy.contest, copy.location) == (counting["contest"], tree["01001"])
    assert (copy.n_registered, copy.n_in_boxes, copy.n_valid) == (101, 88, 85)
    assert copy.votes == {"AMANAT": 60, "AUYL": 20}
    assert (copy.failed, copy.n_failed) == ([], 0)


def test_a_replayed_counting_report_keeps_its_one_copy(api, counting):
    sent = counting_report()
    assert api("/api/submissions", sent).status_code == 201
    assert api("/api/submissions", sent).status_code == 200
    assert Protocol.objects.filter(source="observer").count() == 1


def test_a_batch_of_counting_reports_makes_one_copy_each_with_its_checks(api, counting):
    sent = [counting_report(), counting_report("01002", n_amanat=70)]
    response = api("/api/submissions/batch", {"submissions": sent})
    assert response.json()["stored"] == 2
    copies = {p.location.code: p for p in Protocol.objects.filter(source="observer")
              .select_related("location")}
    assert sorted(copies) == ["01001", "01002"]
    assert copies["01002"].votes["AMANAT"] == 70
    assert copies["01001"].failed == [] and copies["01002"].failed == ["votes_sum"]


def test_a_correction_rewrites_the_copy_and_its_checks(api, counting, core_member):
    sent = counting_report()
    api("/api/submissions", sent)
    submission = Submission.objects.get(uuid=sent["uuid"])
    services.edit_submission(actor=core_member, channel="page", submission=submission,
                             answers={**FIGURES, "n_amanat": 70}, reason="typo in Amanat")
    copy = Protocol.objects.get(source="observer")
    assert copy.votes == {"AMANAT": 70, "AUYL": 20}
    assert (copy.failed, copy.n_failed) == (["votes_sum"], 1)
    assert copy.updated_at >= Submission.objects.get(pk=submission.pk).updated_at


def test_a_deleted_counting_report_takes_its_copy_with_it(api, counting, core_member):
    sent = [counting_report(), counting_report("01002")]
    api("/api/submissions/batch", {"submissions": sent})
    submission = Submission.objects.get(uuid=sent[0]["uuid"])
    services.delete_submission(actor=core_member, channel="page", submission=submission,
                               reason="sent for the wrong station")
    assert list(Protocol.objects.filter(source="observer")
                .values_list("location__code", flat=True)) == ["01002"]


def test_a_report_of_another_stage_makes_no_copy(api, counting, mission):
    voting_form(mission)
    sent = {"uuid": str(uuid.uuid4()), "form_id": "voting", "location": "01001",
            "observed_at": "2023-03-19T10:42:00+06:00",
            "answers": {"registered": 100, "voted": 40, "secrecy": "yes", "assessment": "good"}}
    assert api("/api/submissions", sent).status_code == 201
    assert not Protocol.objects.exists()


def test_a_get_of_the_results_pages_writes_nothing(client, api, counting, mission, tree,
                                                   core_member):
    api("/api/submissions", counting_report())
    # A counting report written around the services (as the demo plants them) has no copy:
    # reading a page does not make one.
    Submission.objects.create(
        mission=mission, form=counting["form"], form_version=counting["form"].current_version,
        location=tree["01002"], channel="api", answers=FIGURES,
        observed_at=timezone.make_aware(dt.datetime(2023, 3, 19, 21)))
    client.force_login(core_member)
    before = (Protocol.objects.count(), AuditEntry.objects.count())
    for name in RESULTS_PAGES:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(f"results:{name}")).status_code == 200
        writes = [q["sql"] for q in queries.captured_queries
                  if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
        assert writes == [], name
    assert (Protocol.objects.count(), AuditEntry.objects.count()) == before == (1, before[1])
