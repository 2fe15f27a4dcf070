"""Named indicators: one figure per combination of answers (count, base, share, Wilson
interval), over the reports the reader counts, in the analysis page and the API."""

import html

import pytest
from django.urls import reverse

from eom.observation import services
from eom.observation.models import Form, Submission
from eom.reporting.indicators import indicator_figures
from eom.stats import wilson_interval
from tests.factories import indicator
from tests.observation.scene import send, set_up

NEGATIVE = "${assessment} = 'bad' or ${assessment} = 'very_bad'"


@pytest.fixture
def reports(mission, tree, observer, other_team, core_member):
    form = set_up(mission, tree, observer, other_team)
    version = form.current_version
    version.definition["indicators"] = [
        indicator("negative", NEGATIVE, label="Voting assessed negatively"),
        indicator("pressure_in_secret", "selected(${problems}, 'pressure')",
                  base="${secrecy} = 'yes'"),
        indicator("crowded", "${voted} > 1000"),
    ]
    version.save()
    for assessment, problems in (("good", ["queue"]), ("good", ["queue", "pressure"]),
                                 ("bad", None), (None, None)):
        answers = {"registered": 100, "secrecy": "yes"}
        if assessment:
            answers["assessment"] = assessment
        if problems:
            answers["problems"] = problems
        send(observer, mission, answers=answers)
    send(core_member, mission, location="02001",
         answers={"registered": 100, "secrecy": "no", "secrecy_details": "open booths",
                  "assessment": "very_bad", "problems": ["pressure"]})
    deleted, _created = send(observer, mission, answers={"registered": 100, "secrecy": "yes",
                                                         "assessment": "very_bad"})
    services.delete_submission(actor=core_member, channel="page", submission=deleted,
                               reason="sent twice")
    return Form.objects.get(form_id="voting")


def figures(mission, user, **options) -> dict:
    return {f.key: f for f in indicator_figures(mission, user=user, **options)}


def test_an_indicator_counts_the_reports_of_its_base_where_its_expression_holds(
        reports, mission, core_member):
    negative, pressure, crowded = indicator_figures(mission, user=core_member)

    # base: the 4 live reports that answered the assessment (not the one without, nor the
    # deleted one); count: bad + very bad, as one figure
    assert (negative.key, negative.form_id, negative.unit) == ("negative", "voting", "reports")
    assert (negative.label, negative.count, negative.base, negative.share) == (
        "Voting assessed negatively", 2, 4, 0.5)
    assert (negative.low, negative.high) == wilson_interval(2, 4)
    assert (negative.formula, negative.base_formula) == (NEGATIVE, "${assessment} != ''")
    # a declared base: the 4 reports where secrecy was respected; pressure ticked in one
    assert (pressure.count, pressure.base, pressure.share) == (1, 4, 0.25)
    assert (pressure.low, pressure.high) == wilson_interval(1, 4)
    assert pressure.base_formula == "${secrecy} = 'yes'"
    # nobody answered the number of voters: an empty base has no share and no interval
    assert (crowded.count, crowded.base, crowded.share, crowded.low, crowded.high) == (
        0, 0, None, None, None)


def test_indicators_count_what_the_reader_may_count_under_the_area(reports, mission, observer,
                                                                  core_member, tree):
    own = figures(mission, observer)["negative"]  # an observer counts its own reports only
    assert (own.count, own.base) == (1, 3)
    east = figures(mission, core_member, area=tree["R2"])["negative"]
    assert (east.count, east.base, east.share) == (1, 1, 1.0)
    assert figures(mission, core_member, form_id="opening") == {}


def test_a_revised_report_counts_with_its_answers_as_they_stand(reports, mission, core_member):
    bad = Submission.objects.get(answers__assessment="bad", deleted_at__isnull=True)
    services.edit_submission(actor=core_member, channel="page", submission=bad,
                             answers={**bad.answers, "assessment": "good"}, reason="misread")

    negative = figures(mission, core_member)["negative"]
    assert (negative.count, negative.base) == (1, 4)


def test_the_analysis_page_shows_each_indicator_with_its_formula(client, reports, core_member):
    client.force_login(core_member)
    text = html.unescape(client.get(reverse("reporting:analysis"),
                                    {"form": "voting"}).content.decode())

    assert "Voting assessed negatively" in text and "2 / 4" in text
    low, high = wilson_interval(2, 4)
    assert f"{100 * low:.1f} – {100 * high:.1f} %" in text
    assert f"Condition: <code>{NEGATIVE}</code>" in text
    assert "Base: <code>${secrecy} = 'yes'</code>" in text
    in_r2 = html.unescape(client.get(reverse("reporting:analysis"),
                                     {"form": "voting", "location": "R2"}).content.decode())
    assert "1 / 1" in in_r2


def test_the_api_lists_the_indicators_of_an_area(client, reports, core_member):
    client.force_login(core_member)
    answer = client.get("/api/indicators", {"area": "R2", "form_id": "voting"})

    assert answer.status_code == 200
    negative = answer.json()[0]
    assert {k: negative[k] for k in ("key", "form_id", "unit", "count", "base", "share",
                                     "formula")} == {
        "key": "negative", "form_id": "voting", "unit": "reports", "count": 1, "base": 1,
        "share": 1.0, "formula": NEGATIVE}
    refused = client.get("/api/indicators", {"area": "NOWHERE"})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["query", "area"]
