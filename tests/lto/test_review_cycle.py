"""The core team comments on, asks for follow-up on, and accepts a submitted report."""

import pytest
from django.core.exceptions import PermissionDenied

from eom.lto import services
from eom.lto.models import ReportStatus
from tests.lto.factories import local, weekly_data, write_report


def test_follow_up_sends_the_report_back_to_the_team_then_it_is_accepted(scene):
    report = write_report(scene, submit_at=local(2023, 2, 20, 10))
    services.review_report(actor=scene.core, channel="page", report=report, kind="comment",
                           text="Thank you; clear.")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    services.review_report(actor=scene.core, channel="page", report=report, kind="follow_up",
                           text="Name the parties whose rallies were dispersed.")
    report.refresh_from_db()
    assert report.status == ReportStatus.FOLLOW_UP
    services.update_report(actor=scene.lto, channel="page", report=report, data=weekly_data(
        campaign_environment="Rallies of parties A and B; the police dispersed B's."))
    services.submit_report(actor=scene.lto, channel="page", report=report,
                           now=local(2023, 2, 21, 9))
    services.review_report(actor=scene.core, channel="page", report=report, kind="accepted")
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    assert [n.kind for n in report.notes.all()] == ["comment", "follow_up", "accepted"]
    with pytest.raises(PermissionDenied):
        services.update_report(actor=scene.lto, channel="page", report=report,
                               data=weekly_data(media="too late"))


@pytest.mark.parametrize("who", ["lto", "analyst", "administrator", "coordinator"])
def test_only_the_core_team_reviews(scene, who):
    report = write_report(scene, submit_at=local(2023, 2, 20, 10))
    with pytest.raises(PermissionDenied):
        services.review_report(actor=getattr(scene, who), channel="page", report=report,
                               kind="accepted")


def test_a_draft_cannot_be_reviewed_and_follow_up_needs_words(scene):
    report = write_report(scene)
    with pytest.raises(services.ReportRejected) as refused:
        services.review_report(actor=scene.core, channel="page", report=report,
                               kind="accepted")
    assert list(refused.value.errors) == ["kind"]
    services.submit_report(actor=scene.lto, channel="page", report=report)
    with pytest.raises(services.ReportRejected) as refused:
        services.review_report(actor=scene.core, channel="page", report=report,
                               kind="follow_up", text="  ")
    assert list(refused.value.errors) == ["text"]
