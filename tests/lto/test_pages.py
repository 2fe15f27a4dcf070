"""The LTO pages: a team writes and submits through them, the core team reviews, and each
reader sees what its scope allows."""

import pytest
from django.urls import reverse

from eom.lto.models import Report, ReportStatus
from eom.lto.services import ReportData, SectionData
from tests.lto.factories import local, write_report


def _client(client, user):
    client.force_login(user)
    return client


def _form(scene, **extra):
    body = {"answer_n_meetings": "3", "answer_campaign_visible": "yes",
            "text_campaign_environment": "Кампания идёт спокойно.",
            "tags_campaign_environment": "rallies, Women",
            "passage_security": "SOURCE-NAME asked not to be named"}
    body.update(extra)
    return body


def _start(scene, kind="weekly"):
    return (reverse("lto:report_create")
            + f"?team={scene.own_team.pk}&period={scene.period.pk}&kind={kind}")


def test_a_team_member_writes_saves_and_submits_through_the_pages(scene, client):
    client = _client(client, scene.lto)
    assert client.get(_start(scene)).status_code == 200
    answer = client.post(_start(scene), _form(scene))
    report = Report.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse("lto:report",
                                                                       args=[report.pk])
    assert report.answers == {"n_meetings": 3, "campaign_visible": "yes"}
    assert report.sections.get().tags == ",rallies,women,"
    page = client.get(reverse("lto:report", args=[report.pk])).content.decode()
    assert "Кампания идёт спокойно." in page
    assert "SOURCE-NAME" in page  # the team reads its own passage
    edit = client.get(reverse("lto:report_edit", args=[report.pk])).content.decode()
    assert "SOURCE-NAME asked not to be named" in edit
    client.post(reverse("lto:report_submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert client.get(reverse("lto:report_edit", args=[report.pk])).status_code == 403


def test_emptying_a_passage_on_the_form_removes_it(scene, client):
    client = _client(client, scene.lto)
    client.post(_start(scene), _form(scene))
    report = Report.objects.get()
    client.post(reverse("lto:report_edit", args=[report.pk]), _form(scene, passage_security=""))
    assert not report.passages.exists()


def test_a_submitted_passage_is_read_by_its_team_and_the_core_team_only(scene, client):
    report = write_report(scene, submit_at=local(2023, 2, 20), data=ReportData(
        sections=[SectionData("security", "Calm week.")],
        passages={"security": "SECRET-WORDS of a frightened source"}))
    url = reverse("lto:report", args=[report.pk])
    for who in ("core", "lto", "lto_mate"):
        page = _client(client, getattr(scene, who)).get(url).content.decode()
        assert "SECRET-WORDS" in page, who
    for who in ("analyst", "administrator", "coordinator"):
        page = _client(client, getattr(scene, who)).get(url).content.decode()
        assert "Calm week." in page and "SECRET-WORDS" not in page, who
    assert _client(client, scene.other_lto).get(url).status_code == 404


def test_an_oversize_section_is_refused_on_the_form_naming_it(scene, client, settings):
    settings.EOM_MAX_LTO_SECTION_CHARS = 10
    client = _client(client, scene.lto)
    answer = client.post(_start(scene), _form(scene, text_media="x" * 11))
    assert answer.status_code == 200
    assert "at most 10" in answer.content.decode()
    assert not Report.objects.exists()


@pytest.mark.parametrize("who,status", [("other_lto", 404), ("observer", 403),
                                        ("analyst", 404), ("coordinator", 404)])
def test_a_draft_is_not_found_outside_its_team(scene, client, who, status):
    report = write_report(scene)
    answer = _client(client, getattr(scene, who)).get(reverse("lto:report", args=[report.pk]))
    assert answer.status_code == status


def test_another_team_cannot_edit_or_submit_a_report(scene, client):
    report = write_report(scene)
    client = _client(client, scene.other_lto)
    assert client.post(reverse("lto:report_edit", args=[report.pk]),
                       _form(scene)).status_code == 404
    assert client.post(reverse("lto:report_submit", args=[report.pk])).status_code == 404
    bad_start = (reverse("lto:report_create")
                 + f"?team={scene.own_team.pk}&period={scene.period.pk}&kind=weekly")
    assert "Select a valid choice" in client.get(bad_start).content.decode()
    assert client.post(bad_start, _form(scene)).status_code == 200
    assert Report.objects.count() == 1


def test_the_core_team_asks_for_follow_up_on_the_page(scene, client):
    report = write_report(scene, submit_at=local(2023, 2, 21, 20))
    client = _client(client, scene.core)
    page = client.get(reverse("lto:reports")).content.decode()
    assert "late by 1 day 2 hours" in page
    client.post(reverse("lto:report_review", args=[report.pk]),
                {"kind": "follow_up", "text": "Which parties?"})
    report.refresh_from_db()
    assert report.status == ReportStatus.FOLLOW_UP
    assert "Which parties?" in client.get(reverse("lto:report", args=[report.pk])).content.decode()


def test_the_rollup_page_shows_confidential_passages_to_the_core_team_and_its_team(scene,
                                                                                   client):
    write_report(scene, submit_at=local(2023, 2, 20), data=ReportData(
        sections=[SectionData("security", "Calm week.")],
        passages={"security": "SECRET-WORDS of a frightened source"}))
    url = reverse("lto:rollup") + "?heading=security"
    for who in ("core", "lto"):
        page = _client(client, getattr(scene, who)).get(url).content.decode()
        assert "Calm week." in page and "SECRET-WORDS" in page, who
    other = _client(client, scene.other_lto).get(url).content.decode()
    assert "Calm week." not in other and "SECRET-WORDS" not in other
    for who in ("analyst", "administrator", "coordinator"):
        page = _client(client, getattr(scene, who)).get(url).content.decode()
        assert "Calm week." in page and "SECRET-WORDS" not in page, who


def test_flash_reports_head_the_index(scene, client):
    write_report(scene, kind="flash", submit_at=local(2023, 2, 18, 7), data=ReportData(
        title="Clashes outside the akimat", sections=[SectionData("security", "Two hurt.")]))
    page = _client(client, scene.core).get(reverse("lto:reports")).content.decode()
    assert page.index("Clashes outside the akimat") < page.index("Week 1")


def test_the_menu_has_the_item_for_readers_only(scene, client):
    assert "LTO reports" in _client(client, scene.lto).get(reverse("lto:reports")).content.decode()
    page = _client(client, scene.observer).get(reverse("missions:overview")).content.decode()
    assert reverse("lto:reports") not in page


def test_the_questions_read_in_the_readers_language(scene, client):
    scene.template.questions[0]["label_ru"] = "Встреч за неделю"
    scene.template.save()
    report = write_report(scene, submit_at=local(2023, 2, 20))
    client = _client(client, scene.core)
    client.cookies["django_language"] = "ru"
    assert "Встреч за неделю" in client.get(reverse("lto:report", args=[report.pk])).content.decode()
