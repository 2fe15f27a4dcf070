"""A report is created from a page (kind, name, title) with the sections of its kind, by those
who draft reports, and audited; a section's earlier versions open with their text and a line
diff against the current text, escaped."""

import pytest
from django.urls import reverse

from eom.missions.models import AuditEntry
from eom.publications import services
from eom.publications.models import Kind, Report
from eom.publications.services import HEADINGS

NEW = reverse("publications:new_report")


def test_the_core_team_creates_an_interim_report_with_its_sections(client, core_member,
                                                                   mission):
    client.force_login(core_member)
    answer = client.post(NEW, {"kind": "interim", "name": "interim-1",
                               "title": "Interim report 1"})
    report = Report.objects.get(mission=mission, name="interim-1")
    assert answer.status_code == 302 and answer["Location"] == reverse(
        "publications:report", args=["interim-1"])
    assert (report.kind, report.title, report.state) == ("interim", "Interim report 1", "draft")
    assert list(report.sections.values_list("heading", flat=True)) == list(
        HEADINGS[Kind.INTERIM])
    entry = AuditEntry.objects.get(model="publications.report", object_id=str(report.pk))
    assert (entry.action, entry.actor_username, entry.channel) == (
        "create", core_member.username, "page")


def test_a_final_report_has_the_recommendations(client, administrator, mission):
    client.force_login(administrator)
    client.post(NEW, {"kind": "final", "name": "final", "title": "Final report"})
    headings = list(Report.objects.get(name="final").sections.values_list("heading", flat=True))
    assert headings[-1] == "recommendations" and len(headings) == 18


@pytest.mark.parametrize("data, field", [
    ({"kind": "memo", "name": "x", "title": "T"}, "kind"),
    ({"kind": "interim", "name": "not a slug!", "title": "T"}, "name"),
    ({"kind": "interim", "name": "new", "title": "T"}, "name"),
    ({"kind": "interim", "name": "x", "title": "T" * 301}, "title"),
])
def test_a_bad_new_report_is_shown_again_naming_the_field(client, core_member, data, field):
    client.force_login(core_member)
    answer = client.post(NEW, data)
    assert answer.status_code == 200
    assert field in answer.context["form"].errors
    assert not Report.objects.exists()


def test_a_name_taken_is_refused(client, core_member, mission):
    services.create_report(actor=core_member, channel="page", mission=mission, name="taken",
                           kind="interim", title="First")
    client.force_login(core_member)
    answer = client.post(NEW, {"kind": "final", "name": "taken", "title": "Second"})
    assert answer.context["form"].errors["name"] == ["is taken by another report"]
    assert Report.objects.count() == 1


def test_analysts_observers_and_coordinators_create_no_report(client, analyst, observer,
                                                             coordinator):
    for user in (analyst, observer, coordinator):
        client.force_login(user)
        assert client.get(NEW).status_code == 403
        assert client.post(NEW, {"kind": "interim", "name": "x", "title": "T"}
                           ).status_code == 403
    assert not Report.objects.exists()


def test_the_reports_page_offers_new_report_only_to_writers(client, core_member, analyst):
    client.force_login(core_member)
    assert NEW in client.get(reverse("publications:reports")).content.decode()
    client.force_login(analyst)
    assert NEW not in client.get(reverse("publications:reports")).content.decode()


@pytest.fixture
def section(mission, core_member):
    report = services.create_report(actor=core_member, channel="page", mission=mission,
                                    name="statement", kind="interim", title="Statement")
    media = report.sections.get(heading="media")
    services.save_section(actor=core_member, channel="page", section=media,
                          text="State TV was biased.\nPrivate TV was balanced.",
                          text_ru="Госканалы были предвзяты.", text_kk="")
    services.save_section(actor=core_member, channel="page", section=media,
                          text="State TV was biased <b>strongly</b>.\nPrivate TV was balanced.",
                          text_ru="Госканалы были предвзяты.", text_kk="")
    return media


def test_an_earlier_version_opens_with_its_text_and_the_changes_since(client, section,
                                                                      analyst):
    client.force_login(analyst)
    answer = client.get(reverse("publications:section_version",
                                args=["statement", "media", 1]))
    page = answer.content.decode()
    assert answer.status_code == 200
    assert '<pre class="version" lang="en">State TV was biased.\nPrivate TV was balanced.</pre>' \
        in page
    lines = [(line.kind, line.text) for line in answer.context["compared"][0][2]]
    assert lines == [("removed", "State TV was biased."),
                     ("added", "State TV was biased <b>strongly</b>."),
                     ("same", "Private TV was balanced.")]
    assert "&lt;b&gt;strongly&lt;/b&gt;" in page and "<b>strongly</b>" not in page
    assert [kind for kind, _text in [(x.kind, x.text) for x in
                                     answer.context["compared"][1][2]]] == ["same"]


def test_the_editor_and_the_report_link_the_versions(client, section, core_member):
    client.force_login(core_member)
    link = reverse("publications:section_version", args=["statement", "media", 1])
    editor = client.get(reverse("publications:section_edit", args=["statement", "media"]))
    assert link in editor.content.decode()
    report = client.get(reverse("publications:report", args=["statement"])).content.decode()
    assert reverse("publications:section_version", args=["statement", "media", 2]) in report


def test_a_version_that_does_not_exist_is_404(client, section, core_member):
    client.force_login(core_member)
    assert client.get(reverse("publications:section_version",
                              args=["statement", "media", 9])).status_code == 404
