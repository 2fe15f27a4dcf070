"""Sections are drafted by their author, versioned, commented, translated and reviewed; a figure
key eom does not know is refused naming the field; a published report no longer changes; drafts
are not shown to coordinators and observers."""

import pytest
from django.urls import reverse

from eom.missions.models import AuditEntry, Channel
from eom.publications import services
from eom.publications.models import Heading, Kind, Report, Translation
from tests.publications.scene import KEY, draft_statement, reports_with_an_indicator


@pytest.fixture
def report(mission, tree, observer, other_team, core_member):
    reports_with_an_indicator(mission, tree, observer, other_team, core_member)
    return draft_statement(mission, core_member)


def test_a_report_has_a_section_per_usual_heading_of_its_kind(mission, core_member):
    final = services.create_report(actor=core_member, channel=Channel.PAGE, mission=mission,
                                   name="final", kind=Kind.FINAL, title="Final report")
    interim = services.create_report(actor=core_member, channel=Channel.PAGE, mission=mission,
                                     name="interim-1", kind=Kind.INTERIM, title="Interim 1")
    assert [s.heading for s in final.sections.all()] == list(Heading.values)
    assert [s.heading for s in interim.sections.all()][-1] == "observers"
    assert "recommendations" not in {s.heading for s in interim.sections.all()}


def test_each_save_keeps_a_version_and_an_audit_entry(report, core_member):
    voting = report.sections.get(heading="voting")
    services.save_section(actor=core_member, channel=Channel.PAGE, section=voting,
                          text="Second draft.", text_ru="", text_kk="")
    assert list(voting.versions.values_list("number", "text")) == [
        (2, "Second draft."), (1, f"Voting was calm. [[figure:{KEY}]].")]
    entry = AuditEntry.objects.filter(model="publications.section",
                                      object_id=str(voting.pk)).first()
    assert entry.changes["text"] == [f"Voting was calm. [[figure:{KEY}]].", "Second draft."]


def test_changing_the_english_text_makes_a_finished_translation_outdated(report, core_member):
    voting = report.sections.get(heading="voting")
    services.save_section(actor=core_member, channel=Channel.PAGE, section=voting,
                          text=voting.text, text_ru=voting.text_ru, text_kk="",
                          translation_ru=Translation.DONE)
    voting = services.save_section(actor=core_member, channel=Channel.PAGE, section=voting,
                                   text="Changed.", text_ru=voting.text_ru, text_kk="")
    assert (voting.translation_ru, voting.translation_kk) == ("outdated", "missing")


def test_an_unknown_figure_is_refused_naming_the_field(report, core_member):
    voting = report.sections.get(heading="voting")
    with pytest.raises(services.ReportRejected) as refused:
        services.save_section(actor=core_member, channel=Channel.PAGE, section=voting,
                              text="ok", text_ru="[[figure:indicator:voting.nothing]]",
                              text_kk="x" * 50_001)
    assert set(refused.value.errors) == {"text_ru", "text_kk"}
    assert "indicator:voting.nothing" in refused.value.errors["text_ru"]


def test_the_editor_saves_and_redraws_errors_without_a_500(client, report, core_member):
    client.force_login(core_member)
    url = reverse("publications:section_edit", args=["statement", "voting"])
    data = {"text": "[[figure:seats:nowhere]]", "text_ru": "", "text_kk": "",
            "translation_ru": "missing", "translation_kk": "missing", "review": "drafting"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "seats:nowhere" in response.content.decode()
    response = client.post(url, {**data, "text": f"Calm. [[figure:{KEY}]]",
                                 "review": "in_review"})
    assert response.status_code == 302
    assert report.sections.get(heading="voting").review == "in_review"


def test_the_preview_shows_the_current_value_of_a_figure(client, report, core_member):
    client.force_login(core_member)
    response = client.post(reverse("publications:preview", args=["statement", "voting"]),
                           {"text": f"Now: [[figure:{KEY}]]", "text_ru": "", "text_kk": ""})
    assert "in 50.0 % of 4 reports observed" in response.content.decode()


def test_a_comment_is_kept_on_its_section(client, report, analyst):
    client.force_login(analyst)
    response = client.post(reverse("publications:comment", args=["statement", "voting"]),
                           {"text": "Say which regions."})
    assert response.status_code == 302
    assert list(report.sections.get(heading="voting").comments.values_list("text", flat=True)
                ) == ["Say which regions."]


def test_a_published_report_no_longer_changes(report, core_member, client):
    services.publish(actor=core_member, channel=Channel.PAGE, report=report)
    with pytest.raises(services.ReportRejected):
        services.save_section(actor=core_member, channel=Channel.PAGE,
                              section=report.sections.get(heading="voting"), text="x",
                              text_ru="", text_kk="")
    client.force_login(core_member)
    assert client.get(reverse("publications:section_edit",
                              args=["statement", "voting"])).status_code == 403


def test_drafts_are_hidden_from_observers_and_coordinators_until_published(
        client, report, core_member, observer, coordinator):
    url = reverse("publications:report", args=["statement"])
    for user in (observer, coordinator):
        client.force_login(user)
        assert client.get(url).status_code == 404
    services.publish(actor=core_member, channel=Channel.PAGE, report=report)
    client.force_login(observer)
    assert client.get(url).status_code == 200
    assert Report.objects.get(name="statement").state == "published"
