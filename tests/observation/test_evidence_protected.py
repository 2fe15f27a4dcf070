"""Observers' reports are evidence: the location, team, form or mission they hang on cannot be
deleted while they exist, and a report keeps its revisions and QA flags (deleting a report is a
soft delete, done by the service)."""

from __future__ import annotations

import pytest
from django.db.models import ProtectedError, RestrictedError
from django.urls import reverse

from eom.missions.models import Location, Mission
from eom.observation import services
from eom.observation.models import QAFlag, Submission, SubmissionRevision
from tests.observation.scene import send, set_up


@pytest.fixture
def report(mission, tree, observer, other_team):
    set_up(mission, tree, observer, other_team)
    submission, _created = send(observer, mission, answers={
        "registered": 100, "voted": 40, "secrecy": "yes", "assessment": "bad",
    })
    return submission


def test_deleting_a_location_with_reports_is_refused(report, tree):
    with pytest.raises(ProtectedError):
        tree["01001"].delete()

    assert Location.objects.filter(pk=tree["01001"].pk).exists()
    assert Submission.objects.filter(location=tree["01001"]).count() == 1


def test_deleting_a_location_in_the_admin_names_the_reports(client, administrator, report, tree):
    client.force_login(administrator)
    url = reverse("admin:missions_location_delete", args=[tree["01001"].pk])

    page = client.get(url)
    posted = client.post(url, {"post": "yes"})

    assert page.status_code == posted.status_code == 200
    text = page.content.decode()
    assert "Cannot delete location" in text
    assert "<li>Submissions: 1</li>" in text
    assert Submission.objects.filter(pk=report.pk).exists()


def test_deleting_the_mission_is_refused_while_it_holds_reports(report, mission):
    with pytest.raises(ProtectedError):
        mission.delete()

    assert Mission.objects.filter(pk=mission.pk).exists()
    assert Submission.objects.count() == 1


def test_a_report_cannot_be_hard_deleted_with_its_revisions_and_flags(report, core_member):
    services.edit_submission(
        actor=core_member, channel="page", submission=report, reason="count corrected",
        answers={"registered": 100, "voted": 41, "secrecy": "yes", "assessment": "bad"},
    )

    with pytest.raises(RestrictedError):
        Submission.objects.filter(pk=report.pk).delete()

    assert SubmissionRevision.objects.filter(submission=report).count() == 1
    assert QAFlag.objects.filter(submission=report).count() == 1


def test_the_soft_delete_of_a_report_still_works(report, core_member):
    services.delete_submission(
        actor=core_member, channel="page", submission=report, reason="sent twice"
    )

    assert Submission.objects.get(pk=report.pk).is_deleted
