"""Process analysis: every choice question's shares of the reports observed, with Wilson
intervals, in the whole tree and by any level under any area, counted from the choice codes."""

import pytest
from django.urls import reverse

from eom.observation.models import Form, Submission
from eom.reporting.analysis import analyse
from eom.stats import wilson_interval
from tests.observation.scene import send, set_up


@pytest.fixture
def reports(mission, tree, observer, other_team, core_member):
    set_up(mission, tree, observer, other_team)
    for assessment, problems in (("good", ["queue"]), ("good", ["queue", "pressure"]),
                                 ("bad", None)):
        answers = {"registered": 100, "secrecy": "yes", "assessment": assessment}
        if problems:
            answers["problems"] = problems
        send(observer, mission, answers=answers)
    send(core_member, mission, location="02001",
         answers={"registered": 100, "secrecy": "no", "secrecy_details": "open booths",
                  "assessment": "very_bad", "problems": ["pressure"]})
    return Form.objects.get(form_id="voting")


def counts(question) -> dict:
    return {f.name: (f.n_yes, f.n) for f in question.figures}


def test_every_choice_question_is_counted_over_the_reports_observed(reports):
    result = analyse(reports, Submission.objects.all())
    assert [q.name for q in result.questions] == ["secrecy", "problems", "assessment"]
    assert result.n_reports == 4
    assert counts(result.question("assessment")) == {
        "very_good": (0, 4), "good": (2, 4), "bad": (1, 4), "very_bad": (1, 4)}
    assert counts(result.question("secrecy")) == {"yes": (3, 4), "no": (1, 4)}
    # several answers allowed: each choice's share is of the reports that answered
    assert counts(result.question("problems")) == {
        "queue": (2, 3), "crowding": (0, 3), "pressure": (2, 3)}
    good = next(f for f in result.question("assessment").figures if f.name == "good")
    assert (good.lower, good.upper) == pytest.approx(wilson_interval(2, 4))
    assert good.percent == 50.0


def test_breakdown_by_region_and_by_district_under_a_region(reports, tree):
    result = analyse(reports, Submission.objects.all())
    assessment = result.question("assessment")
    by_region = {row.location.code: {f.name: f.n_yes for f in row.figures}
                 for row in assessment.areas}
    assert by_region["R1"]["good"] == 2 and by_region["R2"]["very_bad"] == 1
    assert [row.n for row in assessment.areas] == [3, 1]
    under = analyse(reports, Submission.objects.filter(location__path__startswith=tree["R2"].path),
                    scope=tree["R2"], level="district")
    assert [(row.location.code, row.n) for row in under.question("problems").areas] == [("D2", 1)]
    stations = analyse(reports, Submission.objects.all(), level="polling_station")
    assert [(row.location.code, row.n) for row in stations.question("secrecy").areas] == [
        ("01001", 3), ("02001", 1)]


def test_deleted_reports_leave_the_figures(reports, core_member):
    from eom.observation import services

    bad = Submission.objects.get(answers__assessment="very_bad")
    services.delete_submission(actor=core_member, channel="page", submission=bad, reason="test")
    assert analyse(reports, Submission.objects.all()).question("assessment").n == 3


def test_reports_of_an_older_version_count_by_choice_name(reports, mission, observer):
    from tests.factories import make_form, question

    make_form(mission, "voting", "voting", [
        question("registered", required=True),
        question("secrecy", "select_one", choices=("no", "yes", "partly"), required=True),
        question("assessment", "select_one", choices=("good", "bad")),
    ], version="2")
    reports.refresh_from_db()
    result = analyse(reports, Submission.objects.all())
    assert counts(result.question("secrecy")) == {"no": (1, 4), "yes": (3, 4), "partly": (0, 4)}
    # very_good and very_bad are no longer choices: answered, but for no choice shown
    assert counts(result.question("assessment")) == {"good": (2, 4), "bad": (1, 4)}


def test_analysis_page_shows_every_question_for_the_reader(client, reports, core_member,
                                                           observer):
    client.force_login(core_member)
    page = client.get(reverse("reporting:analysis"), {"form": "voting", "question": "assessment"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "4 reports match these filters" in text
    assert "4 reports answered" in text and "3 reports answered" in text
    assert "50.0 %" in text and "not drawn at random" in text
    assert text.count("<svg") == 3 + 2  # one chart per question, one per region
    client.force_login(observer)  # an observer's figures cover its own reports only
    assert "3 reports match" in client.get(reverse("reporting:analysis")).content.decode()


def test_analysis_page_drills_down_from_a_region_to_its_districts(client, reports, core_member):
    client.force_login(core_member)
    page = client.get(reverse("reporting:analysis"), {"location": "R1", "level": "district",
                                                      "question": "secrecy"})
    context = page.context
    assert context["level"] == "district" and context["levels"] == ["district",
                                                                    "polling_station"]
    assert [(row.location.code, row.n) for row, _chart in context["area_rows"]] == [("D1", 3)]
    assert "3 reports match these filters" in page.content.decode()


def test_a_level_that_is_not_below_the_area_falls_back_to_the_next_one(client, reports,
                                                                       core_member):
    client.force_login(core_member)
    page = client.get(reverse("reporting:analysis"), {"location": "D1", "level": "region"})
    assert page.context["level"] == "polling_station"


def test_unknown_filters_are_named_and_change_nothing(client, reports, core_member):
    client.force_login(core_member)
    page = client.get(reverse("reporting:analysis"), {"location": "NOWHERE"})
    assert page.status_code == 200 and page.context["result"] is None
    assert "Select a valid choice" in page.content.decode()


def test_analysis_page_links_the_quick_count_and_forensics_for_those_who_may_see_them(
        client, reports, core_member, observer):
    quick_count, forensics = reverse("reporting:quick_count"), reverse("results:forensics")
    client.force_login(core_member)
    text = client.get(reverse("reporting:analysis")).content.decode()
    assert f'<a href="{quick_count}">Quick count</a>' in text
    assert f'<a href="{forensics}">Election forensics</a>' in text
    client.force_login(observer)  # both pages would refuse an observer
    text = client.get(reverse("reporting:analysis")).content.decode()
    assert quick_count not in text and forensics not in text
