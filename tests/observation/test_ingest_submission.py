"""The one ingestion path: typed answers, errors per question, skip logic, who may report."""

import pytest

from eom.missions.models import AuditEntry
from eom.observation.models import Submission
from eom.observation.services import SubmissionRejected
from tests.observation.scene import at, send, set_up


@pytest.fixture
def form(mission, tree, observer, other_team):
    return set_up(mission, tree, observer, other_team)


def test_ingest_stores_typed_answers_with_team_and_location(mission, form, observer):
    submission, created = send(observer, mission, answers={
        "registered": "1 177", "voted": 402, "secrecy": "yes", "problems": "crowding queue",
        "assessment": "good",
    })
    assert created is True
    assert submission.answers == {"registered": 1177, "voted": 402, "secrecy": "yes",
                                  "problems": ["queue", "crowding"], "assessment": "good"}
    assert (submission.team.code, submission.location.code) == ("STO-1", "01001")
    assert (submission.observer, submission.channel) == (observer.person, "api")
    assert submission.form_version == form.current_version


def test_ingest_reports_every_bad_answer_by_question(mission, form, observer):
    with pytest.raises(SubmissionRejected) as rejected:
        send(observer, mission, answers={
            "registered": "many", "secrecy": "perhaps", "bogus": 1,
        })
    assert rejected.value.status == 422
    assert rejected.value.errors == {
        "bogus": ["this form has no question “bogus”"],
        "registered": ["“many” is not a whole number"],
        "secrecy": ["“perhaps” is not one of the choices"],
    }
    assert Submission.objects.count() == 0


def test_ingest_checks_constraints_with_their_message(mission, form, observer):
    with pytest.raises(SubmissionRejected) as rejected:
        send(observer, mission, answers={"registered": 100, "voted": 140, "secrecy": "yes"})
    assert rejected.value.errors == {"voted": ["More voters than registered."]}


def test_ingest_requires_a_follow_up_only_when_it_is_relevant(mission, form, observer):
    with pytest.raises(SubmissionRejected) as rejected:
        send(observer, mission, answers={"registered": 100, "secrecy": "no"})
    assert rejected.value.errors == {"secrecy_details": ["An answer is required."]}
    submission, _ = send(observer, mission, answers={
        "registered": 100, "secrecy": "yes", "secrecy_details": "ignored: not asked",
    })
    assert "secrecy_details" not in submission.answers


def test_ingest_refuses_unknown_form_and_location(mission, form, observer):
    with pytest.raises(SubmissionRejected) as rejected:
        send(observer, mission, location="99999", form_id="nope")
    assert rejected.value.errors == {
        "form_id": ["unknown form “nope”"], "location": ["unknown location code “99999”"],
    }


def test_observer_reports_only_where_its_team_is_deployed(mission, form, observer):
    with pytest.raises(SubmissionRejected) as rejected:
        send(observer, mission, location="02001")
    assert rejected.value.status == 403
    assert Submission.objects.count() == 0


def test_observer_cannot_report_outside_the_deployment_dates(mission, form, observer):
    import datetime as dt

    from django.utils import timezone

    with pytest.raises(SubmissionRejected) as rejected:
        send(observer, mission, when=timezone.make_aware(dt.datetime(2023, 3, 25, 10)))
    assert rejected.value.status == 403


def test_coordinator_reports_within_its_area_only(mission, form, coordinator):
    submission, _ = send(coordinator, mission, location="01002")
    assert submission.team is None
    with pytest.raises(SubmissionRejected):
        send(coordinator, mission, location="02001")


def test_analyst_cannot_report(mission, form, analyst):
    with pytest.raises(SubmissionRejected) as rejected:
        send(analyst, mission)
    assert rejected.value.status == 403


def test_ingest_is_audited_with_its_channel(mission, form, observer):
    submission, _ = send(observer, mission, channel="page", when=at(9, 30))
    entry = AuditEntry.objects.get(model="observation.submission")
    assert (entry.channel, entry.actor, entry.object_id) == ("page", observer, str(submission.pk))
