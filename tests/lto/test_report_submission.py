"""A team drafts, saves and submits its weekly report; submitted on time or late, by how long."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from eom.lto import services
from eom.lto.models import ReportStatus
from tests.lto.factories import local, weekly_data, write_report


def test_a_report_submitted_before_the_deadline_is_on_time(scene):
    report = write_report(scene, submit_at=local(2023, 2, 20, 17, 59))
    assert report.status == ReportStatus.SUBMITTED
    assert report.lateness is None


def test_a_report_submitted_exactly_at_the_deadline_is_on_time(scene):
    report = write_report(scene, submit_at=local(2023, 2, 20, 18, 0))
    assert report.lateness is None


def test_a_report_submitted_after_the_deadline_is_late_by_the_difference(scene):
    report = write_report(scene, submit_at=local(2023, 2, 21, 21, 30))
    assert report.lateness == dt.timedelta(days=1, hours=3, minutes=30)


def test_a_draft_keeps_its_answers_and_sections_until_submitted(scene):
    report = write_report(scene)
    assert report.status == ReportStatus.DRAFT
    assert report.answers == {"n_meetings": 4, "campaign_visible": "yes"}
    assert [(s.heading, s.text) for s in report.sections.all()] == [
        ("campaign_environment", "Rallies of two parties in the centre.")]


def test_a_submitted_report_is_read_only_for_the_team(scene):
    report = write_report(scene, submit_at=local(2023, 2, 20, 12))
    with pytest.raises(PermissionDenied):
        services.update_report(actor=scene.lto_mate, channel="page", report=report,
                               data=weekly_data(media="Changed after the fact"))
    with pytest.raises(PermissionDenied):
        services.submit_report(actor=scene.lto, channel="page", report=report)


def test_either_member_of_the_team_may_write_and_submit(scene):
    report = write_report(scene)
    services.update_report(actor=scene.lto_mate, channel="api", report=report,
                           data=weekly_data(media="Local TV covered one party only."))
    report = services.submit_report(actor=scene.lto_mate, channel="api", report=report,
                                    now=local(2023, 2, 20, 9))
    assert [s.heading for s in report.sections.all()] == ["media"]
    assert report.status == ReportStatus.SUBMITTED


def test_a_team_writes_one_weekly_report_per_period(scene):
    write_report(scene)
    with pytest.raises(services.ReportRejected) as refused:
        write_report(scene)
    assert list(refused.value.errors) == ["period"]


def test_a_flash_report_needs_a_title_and_may_come_any_time(scene):
    with pytest.raises(services.ReportRejected) as refused:
        write_report(scene, kind="flash", data=services.ReportData(sections=[
            services.SectionData("security", "Clashes outside the akimat.")]))
    assert list(refused.value.errors) == ["title"]
    write_report(scene)
    flash = write_report(scene, kind="flash", submit_at=local(2023, 2, 25, 23), data=(
        services.ReportData(title="Clashes in the centre", sections=[
            services.SectionData("security", "Clashes outside the akimat.")])))
    assert flash.lateness is None


def test_unknown_answers_and_headings_are_refused_naming_the_field(scene):
    data = services.ReportData(answers={"n_meetings": -1, "colour": "red"}, sections=[
        services.SectionData("weather", "Sunny"), services.SectionData("media", "x" * 20_001)])
    with pytest.raises(services.ReportRejected) as refused:
        write_report(scene, data=data)
    assert sorted(refused.value.errors) == [
        "answers.colour", "answers.n_meetings", "sections.0.heading", "sections.1.text"]
