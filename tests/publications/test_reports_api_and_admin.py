"""The reports in the JSON API (the list; one report with its sections and its figures, frozen
as published) with the pages' access rules, and in the admin read-only, scoped as the pages."""

import pytest
from django.urls import reverse

from eom.missions.models import Channel
from eom.publications import services
from eom.publications.models import Kind, Report
from tests.publications.scene import KEY, draft_statement, reports_with_an_indicator


@pytest.fixture
def reports(mission, tree, observer, other_team, core_member):
    reports_with_an_indicator(mission, tree, observer, other_team, core_member)
    draft = draft_statement(mission, core_member)
    published = services.create_report(actor=core_member, channel=Channel.PAGE,
                                       mission=mission, name="interim-1", kind=Kind.INTERIM,
                                       title="Interim report 1")
    services.save_section(actor=core_member, channel=Channel.PAGE,
                          section=published.sections.get(heading="campaign"),
                          text=f"Negative: [[figure:{KEY}]].", text_ru="", text_kk="")
    services.publish(actor=core_member, channel=Channel.PAGE, report=published)
    return draft, published


def test_the_list_gives_drafts_to_the_core_team_and_only_published_to_observers(
        client, reports, core_member, observer):
    client.force_login(core_member)
    assert [r["name"] for r in client.get("/api/publications").json()] == [
        "interim-1", "statement"]
    client.force_login(observer)
    listed = client.get("/api/publications").json()
    assert [(r["name"], r["state"]) for r in listed] == [("interim-1", "published")]


def test_a_published_report_gives_its_sections_and_frozen_figures(client, reports, observer):
    _draft, published = reports
    frozen = published.figures.get(key=KEY)
    client.force_login(observer)
    body = client.get("/api/publications/interim-1").json()
    campaign = next(s for s in body["sections"] if s["heading"] == "campaign")
    assert campaign["text"] == f"Negative: [[figure:{KEY}]]." and campaign["n_versions"] == 1
    assert [s["heading"] for s in body["sections"]][:2] == ["executive_summary", "background"]
    (figure,) = body["figures"]
    assert figure["frozen"] is True and figure["key"] == KEY
    assert (figure["value"]["count"], figure["value"]["base"]) == (2, 4)
    assert figure["fingerprint"] == frozen.fingerprint
    assert figure["code_version"] == frozen.code_version
    assert figure["text"]["en"].startswith("Voting assessed negatively in 50.0 % of 4 ")
    assert "50,0 %" in figure["text"]["ru"]


def test_a_draft_gives_live_figures_to_analysts_and_404_to_observers(client, reports, analyst,
                                                                     observer):
    client.force_login(analyst)
    body = client.get("/api/publications/statement").json()
    assert body["state"] == "draft"
    assert [(f["key"], f["frozen"], f["value"]["count"]) for f in body["figures"]] == [
        (KEY, False, 2)]
    client.force_login(observer)
    assert client.get("/api/publications/statement").status_code == 404
    assert client.get("/api/publications/no-such").status_code == 404


def test_outsiders_and_anonymous_callers_read_no_report(client, reports, outsider):
    assert client.get("/api/publications").status_code == 401
    client.force_login(outsider)
    assert client.get("/api/publications").status_code == 403
    assert client.get("/api/publications/interim-1").status_code == 403


def test_a_name_that_is_not_a_slug_is_refused_naming_it(client, reports, core_member):
    client.force_login(core_member)
    answer = client.get("/api/publications/" + "x" * 81)
    assert answer.status_code == 422
    assert "name" in answer.content.decode()


def test_the_admin_lists_reports_as_the_pages_do_and_changes_none(client, reports,
                                                                  administrator, coordinator):
    draft, published = reports
    client.force_login(administrator)
    answer = client.get(reverse("admin:publications_report_changelist"))
    assert {r.pk for r in answer.context["cl"].result_list} == {draft.pk, published.pk}
    assert client.get(reverse("admin:publications_report_change",
                              args=[published.pk])).status_code == 200
    assert client.post(reverse("admin:publications_report_change", args=[draft.pk]),
                       {"title": "Changed"}).status_code == 403
    assert client.post(reverse("admin:publications_report_delete", args=[draft.pk]),
                       {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:publications_report_add")).status_code == 403
    assert Report.objects.get(pk=draft.pk).title == "Statement of preliminary findings"
    sections = client.get(reverse("admin:publications_section_changelist"))
    assert sections.status_code == 200
    client.force_login(coordinator)
    answer = client.get(reverse("admin:publications_report_changelist"))
    assert {r.pk for r in answer.context["cl"].result_list} == {published.pk}
