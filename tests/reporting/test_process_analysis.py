"""Process analysis: shares of the reports observed, with Wilson intervals, by region."""

import pytest
from django.urls import reverse

from eom.observation.models import Form, Submission
from eom.reporting.analysis import analyse, choice_questions
from eom.stats import wilson_interval
from tests.observation.scene import send, set_up


@pytest.fixture
def reports(mission, tree, observer, other_team, core_member):
    set_up(mission, tree, observer, other_team)
    for assessment in ("good", "good", "bad"):
        send(observer, mission, answers={"registered": 100, "secrecy": "yes",
                                         "assessment": assessment})
    send(core_member, mission, location="02001",
         answers={"registered": 100, "secrecy": "no", "secrecy_details": "open booths",
                  "assessment": "very_bad"})
    return Form.objects.get(form_id="voting")


def test_shares_and_intervals_are_of_the_reports_observed(reports):
    question = next(q for q in choice_questions(reports) if q["name"] == "assessment")
    result = analyse(reports, question, Submission.objects.all())
    figures = {f.name: (f.n_yes, f.n) for f in result.figures}
    assert figures == {"very_good": (0, 4), "good": (2, 4), "bad": (1, 4), "very_bad": (1, 4)}
    good = next(f for f in result.figures if f.name == "good")
    assert (good.lower, good.upper) == pytest.approx(wilson_interval(2, 4))
    assert good.percent == 50.0
    assert "not drawn at random" in result.explanation


def test_breakdown_by_region(reports):
    question = next(q for q in choice_questions(reports) if q["name"] == "assessment")
    result = analyse(reports, question, Submission.objects.all())
    by_region = {row.location.code: {f.name: f.n_yes for f in row.figures} for row in result.areas}
    assert by_region["R1"]["good"] == 2 and by_region["R2"]["very_bad"] == 1
    assert [row.n for row in result.areas] == [3, 1]


def test_deleted_reports_leave_the_figures(reports, core_member):
    from eom.observation import services

    bad = Submission.objects.get(answers__assessment="very_bad")
    services.delete_submission(actor=core_member, channel="page", submission=bad, reason="test")
    question = next(q for q in choice_questions(reports) if q["name"] == "assessment")
    assert analyse(reports, question, Submission.objects.all()).n == 3


def test_analysis_page_shows_the_question_for_the_reader(client, reports, core_member, observer):
    client.force_login(core_member)
    page = client.get(reverse("reporting:analysis"), {"form": "voting", "question": "assessment"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "50.0 %" in text and "Of the 4 reports" in text
    client.force_login(observer)  # an observer's figures cover its own team's reports only
    assert "Of the 3 reports" in client.get(reverse("reporting:analysis")).content.decode()
