"""Edits keep revisions (who, when, channel, what); observers edit within the window; deletion
is soft and needs a reason."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from eom.observation import permissions, services
from eom.observation.models import Submission
from tests.observation.scene import send, set_up


@pytest.fixture
def form(mission, tree, observer, other_team):
    return set_up(mission, tree, observer, other_team)


def test_coordinator_edit_keeps_a_revision(mission, form, observer, coordinator):
    submission, _ = send(observer, mission)
    services.edit_submission(
        actor=coordinator, channel="page", submission=submission, reason="typo in the count",
        answers={"registered": 100, "voted": 45, "secrecy": "yes", "assessment": "good"},
    )
    revision = submission.revisions.get()
    assert (revision.number, revision.actor, revision.channel) == (1, coordinator, "page")
    assert revision.changes == {"voted": [40, 45]}
    assert revision.reason == "typo in the count"
    assert Submission.objects.get(pk=submission.pk).answers["voted"] == 45


def test_observer_edits_its_own_report_within_the_window_only(mission, form, observer):
    submission, _ = send(observer, mission)
    assert permissions.can_edit_submission(observer, submission)
    later = timezone.now() + dt.timedelta(minutes=mission.edit_window_minutes + 1)
    assert not permissions.can_edit_submission(observer, submission, now=later)


def test_other_team_cannot_edit(mission, form, observer, other_team):
    submission, _ = send(observer, mission)
    stranger = other_team.members.first()
    assert not permissions.can_edit_submission(stranger.user, submission)


def test_invalid_edit_changes_nothing(mission, form, observer, core_member):
    submission, _ = send(observer, mission)
    with pytest.raises(services.SubmissionRejected):
        services.edit_submission(actor=core_member, channel="page", submission=submission,
                                 answers={"registered": "x"})
    assert submission.revisions.count() == 0
    assert Submission.objects.get(pk=submission.pk).answers["registered"] == 100


def test_delete_is_soft_and_needs_a_reason(mission, form, observer, core_member):
    submission, _ = send(observer, mission)
    with pytest.raises(services.SubmissionRejected):
        services.delete_submission(actor=core_member, channel="page", submission=submission,
                                   reason=" ")
    services.delete_submission(actor=core_member, channel="page", submission=submission,
                               reason="sent for the wrong station")
    stored = Submission.objects.get(pk=submission.pk)
    assert stored.is_deleted and stored.delete_reason == "sent for the wrong station"
    assert Submission.objects.live().count() == 0


def test_deleted_submission_cannot_be_edited(mission, form, observer, core_member):
    submission, _ = send(observer, mission)
    services.delete_submission(actor=core_member, channel="page", submission=submission,
                               reason="duplicate")
    with pytest.raises(PermissionDenied):
        services.edit_submission(actor=core_member, channel="page", submission=submission,
                                 answers={"registered": 1, "secrecy": "yes"})
