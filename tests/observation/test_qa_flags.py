"""QA rules run at ingestion and again when rules change; every flag shows what raised it."""

import pytest

from eom.observation import services
from eom.observation.models import QAFlag
from tests.factories import make_form, qa_rule, question
from tests.observation.scene import send, set_up


@pytest.fixture
def form(mission, tree, observer, other_team):
    return set_up(mission, tree, observer, other_team)


def test_flag_names_the_values_that_raised_it(mission, form, observer, tree):
    # 01001 has 101 registered voters on its list.
    submission, _ = send(observer, mission, answers={
        "registered": 150, "voted": 120, "secrecy": "yes", "assessment": "very_bad",
    })
    flags = {f.rule: (f.severity, f.values) for f in submission.flags.all()}
    assert flags == {
        "negative": ("medium", {"assessment": "very_bad"}),
        "over_list": ("high", {"location.n_registered": 101, "voted": 120}),
    }
    assert submission.n_flags == 2
    assert submission.flags.get(rule="over_list").text == "More voters than on the station's list."


def test_clean_submission_raises_no_flag(mission, form, observer):
    submission, _ = send(observer, mission)
    assert (submission.n_flags, submission.flags.count()) == (0, 0)


def test_new_rules_run_again_over_stored_submissions(mission, form, observer):
    submission, _ = send(observer, mission)
    definition = form.current_version.definition
    make_form(mission, "voting", "voting", definition["sections"][0]["questions"],
              qa=[qa_rule("low_turnout", "${voted} < 50", "low")], version="2")
    assert services.rerun_qa(form) == 1
    submission.refresh_from_db()
    assert [f.rule for f in submission.flags.all()] == ["low_turnout"]
    assert submission.n_flags == 1


def test_edit_recomputes_flags(mission, form, observer):
    submission, _ = send(observer, mission, answers={"registered": 100, "secrecy": "yes",
                                                     "assessment": "bad"})
    assert submission.n_flags == 1
    services.edit_submission(actor=observer, channel="page", submission=submission,
                             answers={"registered": 100, "secrecy": "yes", "assessment": "good"})
    assert QAFlag.objects.filter(submission=submission).count() == 0


def test_rule_without_answers_raises_nothing(mission, tree, observer, other_team):
    set_up(mission, tree, observer, other_team)
    form = make_form(mission, "counting", "counting", [
        question("in_boxes"), question("valid"), question("invalid"),
    ], qa=[qa_rule("sum", "${valid} + ${invalid} != ${in_boxes}")])
    submission, _ = send(observer, mission, answers={}, form_id=form.form_id)
    assert submission.n_flags == 0  # NaN != NaN: no numbers, no arithmetic failure
    submission, _ = send(observer, mission, answers={"in_boxes": 10, "valid": 8, "invalid": 1},
                         form_id=form.form_id)
    assert submission.flags.get().values == {"in_boxes": 10, "invalid": 1, "valid": 8}
