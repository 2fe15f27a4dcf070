"""A report template that takes its structured questions from a general form of the mission
(an XLSForm loaded without a stage): the team answers them on the report's page with the
checklists' widgets and checks, the answers are stored (converted) with the form version, and
shown on the report's page, in the roll-up and in the API; a template that cannot work is
refused naming the field."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from eom.lto import services
from eom.lto.models import Report
from eom.missions.models import AuditEntry
from eom.observation.models import Form
from eom.observation.services import load_form
from tests.factories import make_api_token
from tests.lto.factories import local, make_template, weekly_data
from tests.missions.adminforms import admin_form_data
from tests.observation.conftest import write_xlsform

SURVEY = [
    ("type", "name", "label", "label::Russian (ru)", "constraint", "constraint_message",
     "required"),
    ("integer", "n_rallies", "Rallies observed", "Митингов", ". <= 50", "At most 50 rallies",
     "yes"),
    ("select_one access", "access", "Access to the commission", "Доступ к комиссии", "", "",
     ""),
    ("select_multiple issue", "issues", "Issues seen", "Замечено", "", "", ""),
]
CHOICES = [
    ("list_name", "name", "label", "label::Russian (ru)"),
    ("access", "full", "Full", "Полный"),
    ("access", "limited", "Limited", "Ограниченный"),
    ("issue", "pressure", "Pressure on voters", "Давление на избирателей"),
    ("issue", "posters", "Posters torn down", "Сорванные плакаты"),
]


def general_form(mission, tmp_path, survey=SURVEY, form_id="lto_weekly", stage=""):
    path = write_xlsform(tmp_path / f"{form_id}.xlsx", survey, choices=CHOICES,
                         settings=[("form_id", "version"), (form_id, "1")])
    load_form(actor=None, channel="page", mission=mission, source=path.read_bytes(),
              filename=path.name, stage=stage)
    return Form.objects.get(mission=mission, form_id=form_id)


@pytest.fixture
def formed(scene, tmp_path):
    """The scene's period answers a template that names a general form."""
    form = general_form(scene.mission, tmp_path)
    template = services.create_template(actor=None, channel="page", mission=scene.mission,
                                        name="Weekly report (form)", form=form)
    scene.period.template = template
    scene.period.save()
    return form


def _start(scene):
    return (reverse("lto:report_create")
            + f"?team={scene.own_team.pk}&period={scene.period.pk}&kind=weekly")


def _body(**answers):
    return {"text_campaign_environment": "Calm.", **answers}


def test_the_report_page_asks_the_forms_questions_with_the_checklist_widgets(
        scene, formed, client):
    client.force_login(scene.lto)
    page = client.get(_start(scene)).content.decode()
    assert 'data-eom-checklist' in page and 'id="form-logic"' in page
    assert 'type="radio" name="access" value="limited"' in page
    assert 'type="checkbox" name="issues" value="posters"' in page
    assert 'name="answer_n_meetings"' not in page  # the template's own list is not asked


def test_an_answer_the_form_refuses_is_shown_at_its_question_and_nothing_saved(
        scene, formed, client):
    client.force_login(scene.lto)
    answer = client.post(_start(scene), _body(n_rallies="51", access="full"))
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "At most 50 rallies" in page
    assert 'value="51"' in page  # the answer given is kept on the form
    assert not Report.objects.exists()
    answer = client.post(_start(scene), _body(access="nowhere"))
    assert "An answer is required." in answer.content.decode()
    assert not Report.objects.exists()


def test_answers_are_stored_converted_with_the_form_version_and_shown(scene, formed, client):
    client.force_login(scene.lto)
    answer = client.post(_start(scene), _body(n_rallies="4", access="limited",
                                              issues=["pressure", "posters"]))
    assert answer.status_code == 302, answer.content.decode()[:3000]
    report = Report.objects.get()
    assert report.answers == {"n_rallies": 4, "access": "limited",
                              "issues": ["pressure", "posters"]}
    assert report.form_version == formed.current_version
    client.cookies["django_language"] = "ru"
    page = client.get(reverse("lto:report", args=[report.pk])).content.decode()
    assert "<dt>Доступ к комиссии</dt><dd>Ограниченный</dd>" in page
    assert "<dd>Давление на избирателей, Сорванные плакаты</dd>" in page
    edit = client.get(reverse("lto:report_edit", args=[report.pk])).content.decode()
    assert 'name="access" value="limited" checked' in edit


def test_the_rollup_and_the_api_show_the_answers(scene, formed, client):
    report = services.create_report(
        actor=scene.lto, channel="page", team=scene.own_team, period=scene.period,
        data=services.ReportData(answers={"n_rallies": "2", "access": "full"},
                                 sections=weekly_data(campaign_environment="Calm.").sections))
    services.submit_report(actor=scene.lto, channel="page", report=report,
                           now=local(2023, 2, 20, 9))
    client.force_login(scene.core)
    page = client.get(reverse("lto:rollup")).content.decode()
    assert "<dt>Rallies observed</dt><dd>2</dd>" in page
    headers = {"Authorization": f"Bearer {make_api_token(scene.core)}"}
    shown = client.get(f"/api/lto/reports/{report.pk}", headers=headers).json()
    assert shown["answers"] == {"n_rallies": 2, "access": "full"}
    assert shown["form_version"] == "1"
    assert shown["answers_in_words"] == [["Rallies observed", "2"],
                                         ["Access to the commission", "Full"]]
    [period] = client.get("/api/lto/periods", headers=headers).json()
    assert (period["form"], period["questions"]) == ("lto_weekly", [])


def test_the_api_refuses_an_answer_the_form_refuses_naming_it(scene, formed, client):
    headers = {"Authorization": f"Bearer {make_api_token(scene.lto)}"}
    answer = client.post("/api/lto/reports", {
        "team": "LTO-1", "period": 1, "answers": {"n_rallies": 99, "access": "full"}},
        content_type="application/json", headers=headers)
    assert answer.status_code == 422, answer.content
    assert [(e["loc"], e["msg"]) for e in answer.json()["detail"]] == [
        (["body", "payload", "answers", "n_rallies"], "At most 50 rallies")]
    assert not Report.objects.exists()


def test_a_template_with_its_own_questions_still_asks_them(scene, client):
    client.force_login(scene.lto)
    page = client.get(_start(scene)).content.decode()
    assert 'name="answer_n_meetings"' in page and "data-eom-checklist" not in page


@pytest.mark.parametrize("case, reason", [
    ("staged", "observes a stage of election day"),
    ("both", "not both"),
    ("reserved", "Questions named as fields of the report form: title."),
])
def test_a_template_that_cannot_work_is_refused_naming_the_form(
        scene, tmp_path, case, reason):
    if case == "staged":
        form = general_form(scene.mission, tmp_path, form_id="rally", stage="incident")
    elif case == "reserved":
        form = general_form(scene.mission, tmp_path, form_id="named", survey=[
            ("type", "name", "label"), ("text", "title", "Title")])
    else:
        form = general_form(scene.mission, tmp_path)
    template = make_template(scene.mission, questions=[
        {"name": "n", "type": "integer", "label": "N"}] if case == "both" else [])
    template.form = form
    with pytest.raises(ValidationError) as refused:
        template.full_clean()
    assert "form" in refused.value.message_dict
    assert any(reason in message for message in refused.value.message_dict["form"])


def test_the_admin_chooses_a_general_form_of_the_mission_for_a_template(
        scene, tmp_path, client):
    form = general_form(scene.mission, tmp_path)
    staged = general_form(scene.mission, tmp_path, form_id="rally", stage="incident")
    url = reverse("admin:lto_reporttemplate_change", args=[scene.template.pk])
    client.force_login(scene.administrator)
    page = client.get(url).content.decode()
    assert f'<option value="{form.pk}">' in page and f'<option value="{staged.pk}">' not in page
    refused = client.post(url, admin_form_data(client, url, questions="[]", form=staged.pk))
    assert refused.status_code == 200 and "form" in refused.context["adminform"].form.errors
    answer = client.post(url, admin_form_data(client, url, questions="[]", form=form.pk))
    assert answer.status_code == 302, answer.content.decode()[:2000]
    scene.template.refresh_from_db()
    assert (scene.template.form, scene.template.questions) == (form, [])
    entry = AuditEntry.objects.filter(model="lto.reporttemplate").latest("pk")
    assert entry.changes["form"] == [None, form.pk]
