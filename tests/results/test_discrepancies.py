"""Observer copies from counting reports, and their differences from the official protocols."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from eom.observation.models import Submission
from eom.results.models import Protocol
from eom.results.queries import discrepancies
from eom.results.services import sync_observer_copies
from tests.factories import make_form, make_protocol, make_results_contest, question

COUNTING = ["n_registered", "n_received", "n_issued", "n_cancelled", "n_in_boxes", "n_invalid",
            "n_valid", "n_amanat", "n_auyl", "n_against_all"]


@pytest.fixture
def contest(mission, tree):
    return make_results_contest(mission)


def report(mission, location, **answers) -> Submission:
    form = make_form(mission, "counting", "counting", [question(n) for n in COUNTING])
    figures = {"n_registered": 101, "n_received": 100, "n_issued": 88, "n_cancelled": 12,
               "n_in_boxes": 88, "n_invalid": 3, "n_valid": 85, "n_amanat": 60, "n_auyl": 20,
               "n_against_all": 5, **answers}
    return Submission.objects.create(
        mission=mission, form=form, form_version=form.current_version, location=location,
        observed_at=timezone.make_aware(dt.datetime(2023, 3, 19, 21)), channel="api",
        answers=figures)


def test_discrepancies_observer_copies_come_from_counting_reports(contest, mission, tree):
    submission = report(mission, tree["01001"])
    assert sync_observer_copies(mission) == 1
    copy = Protocol.objects.get(source="observer")
    assert (copy.submission, copy.location, copy.n_in_boxes) == (submission, tree["01001"], 88)
    assert copy.votes == {"AMANAT": 60, "AUYL": 20}
    assert copy.failed == []
    assert sync_observer_copies(mission) == 0  # incremental: nothing new


def test_discrepancies_edited_and_deleted_reports_update_the_copies(contest, mission, tree):
    submission = report(mission, tree["01001"])
    sync_observer_copies(mission)
    submission.answers = {**submission.answers, "n_amanat": 70}
    submission.save()
    sync_observer_copies(mission)
    copy = Protocol.objects.get(source="observer")
    assert copy.votes["AMANAT"] == 70 and copy.failed == ["votes_sum"]
    submission.deleted_at = timezone.now()
    submission.save()
    sync_observer_copies(mission)
    assert not Protocol.objects.filter(source="observer").exists()


def test_discrepancies_are_ranked_by_the_largest_difference(contest, tree):
    make_protocol(contest, tree["01001"], votes={"AMANAT": 60, "AUYL": 20})
    make_protocol(contest, tree["01001"], "observer", votes={"AMANAT": 60, "AUYL": 20})
    make_protocol(contest, tree["01002"], votes={"AMANAT": 100, "AUYL": 20})
    make_protocol(contest, tree["01002"], "observer", votes={"AMANAT": 60, "AUYL": 60})
    make_protocol(contest, tree["02001"], votes={"AMANAT": 60, "AUYL": 20}, n_invalid=9)
    make_protocol(contest, tree["02001"], "observer", votes={"AMANAT": 60, "AUYL": 20},
                  n_invalid=3, n_in_boxes=94)
    make_protocol(contest, tree["02002"], "observer")
    differing, unmatched = discrepancies(contest, Protocol.objects.all())
    assert [(d.location.code, d.size) for d in differing] == [("01002", 40), ("02001", 6)]
    assert [(x.line, x.official, x.observer) for x in differing[0].differences] == [
        ("AMANAT", 100, 60), ("AUYL", 20, 60)]
    assert [(x.line, x.official, x.observer) for x in differing[1].differences] == [
        ("n_invalid", 9, 3)]
    assert [d.location.code for d in unmatched] == ["02002"]


def test_discrepancies_lines_the_observer_did_not_copy_are_not_differences(contest, tree):
    make_protocol(contest, tree["01001"])
    copy = make_protocol(contest, tree["01001"], "observer")
    Protocol.objects.filter(pk=copy.pk).update(n_received=None, n_cancelled=None)
    assert discrepancies(contest, Protocol.objects.all()) == ([], [])
