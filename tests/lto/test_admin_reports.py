"""LTO reports in the admin: read-only, scoped as on the pages, and never showing a confidential
passage — not to an administrator, nor even to the core team (it reads them on the report's
page)."""

import pytest
from django.urls import reverse

from eom.lto.models import Report
from eom.lto.services import ReportData, SectionData
from tests.lto.factories import local, write_report

SECRET = "ADMIN-SECRET a source at the akimat"


def _submitted(scene, team=None):
    return write_report(scene, team, submit_at=local(2023, 2, 20), data=ReportData(
        sections=[SectionData("security", "Calm week in the region.")],
        passages={"security": SECRET}))


@pytest.mark.parametrize("who", ["administrator", "core", "analyst", "coordinator"])
def test_the_admin_shows_a_report_and_its_sections_but_never_its_passage(scene, client, who):
    report = _submitted(scene)
    client.force_login(getattr(scene, who))
    for view in ("changelist", "change", "history"):
        args = [] if view == "changelist" else [report.pk]
        answer = client.get(reverse(f"admin:lto_report_{view}", args=args))
        assert answer.status_code == 200, view
        assert SECRET not in answer.content.decode(), view
    change = client.get(reverse("admin:lto_report_change", args=[report.pk])).content.decode()
    assert "Calm week in the region." in change


def test_the_admin_changes_and_deletes_no_report(scene, client):
    report = _submitted(scene)
    client.force_login(scene.administrator)
    assert client.post(reverse("admin:lto_report_change", args=[report.pk]),
                       {"title": "Changed"}).status_code == 403
    assert client.post(reverse("admin:lto_report_delete", args=[report.pk]),
                       {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:lto_report_add")).status_code == 403
    assert Report.objects.get().title == ""


def test_the_admin_lists_the_reports_the_reader_sees_on_the_pages(scene, client):
    own = _submitted(scene)
    other = _submitted(scene, scene.other_team)
    draft = write_report(scene, kind="flash", data=ReportData(title="Draft flash"))
    lists = {}
    for who in ("administrator", "coordinator"):
        client.force_login(getattr(scene, who))
        answer = client.get(reverse("admin:lto_report_changelist"))
        lists[who] = {row.pk for row in answer.context["cl"].result_list}
    assert lists == {"administrator": {own.pk, other.pk}, "coordinator": {own.pk}}
    assert draft.pk not in lists["administrator"]
