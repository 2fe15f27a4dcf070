"""Choice answers kept as fixed-width codes: they decode to the answers stored, for every kind
of choice question, and stay current when a report is stored, edited or migrated."""

import importlib

import numpy as np
import pytest
from django.apps import apps
from hypothesis import given
from hypothesis import strategies as st

from eom.observation import services
from eom.observation.models import Submission
from eom.xlsform import coding
from tests.factories import question
from tests.observation.scene import send, set_up


def definition(*questions) -> dict:
    return {"sections": [{"name": "", "questions": list(questions)}]}


def names(n: int) -> tuple[str, ...]:
    return tuple(f"c{k}" for k in range(n))


@st.composite
def forms_and_answers(draw):
    """A definition of choice questions of any size (up to past one byte's 254 choices) and one
    report's answers to it, some questions left unanswered."""
    questions, answers = [], {}
    for k in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(coding.CHOICE_TYPES))
        n = draw(st.sampled_from([1, 2, 7, 8, 9, 254, 255, 300]))
        choices = names(n)
        questions.append(question(f"q{k}", kind, choices=choices))
        if draw(st.booleans()):
            continue
        if kind == "select_one":
            answers[f"q{k}"] = draw(st.sampled_from(choices))
        else:
            picked = draw(st.sets(st.sampled_from(choices), min_size=1, max_size=10))
            answers[f"q{k}"] = [c for c in choices if c in picked]
    return definition(*questions), answers


@given(forms_and_answers())
def test_codes_decode_to_the_answers_for_every_choice_type(case):
    form, answers = case
    shape = coding.layout(form)
    blob = coding.encode(form, answers)
    assert len(blob) == shape.width
    assert coding.decode_answers(shape, blob) == answers


@given(st.data())
def test_many_reports_decode_into_one_matrix_row_by_row(data):
    form = definition(question("a", "select_one", choices=names(300)),
                      question("b", "select_multiple", choices=names(9)))
    rows = data.draw(st.lists(st.fixed_dictionaries({}, optional={
        "a": st.sampled_from(names(300)),
        "b": st.sets(st.sampled_from(names(9)), min_size=1).map(sorted),
    }), max_size=20))
    shape = coding.layout(form)
    matrix = coding.decode(shape, [coding.encode(form, r) for r in rows])
    assert matrix.shape == (len(rows), shape.width) == (len(rows), 2 + 2)
    a, b = shape.columns
    assert coding.answered(matrix, a).tolist() == ["a" in r for r in rows]
    assert coding.select_one_codes(matrix, a).tolist() == [
        int(r["a"][1:]) + 1 if "a" in r else 0 for r in rows]
    for k in range(9):
        assert coding.ticked(matrix, b, k).tolist() == [f"c{k}" in r.get("b", []) for r in rows]


def test_widths_grow_with_the_number_of_choices():
    form = definition(question("one_254", "select_one", choices=names(254)),
                      question("one_255", "select_one", choices=names(255)),
                      question("one_65535", "select_one", choices=names(65535)),
                      question("many_7", "select_multiple", choices=names(7)),
                      question("many_8", "select_multiple", choices=names(8)),
                      question("count", "integer"))
    shape = coding.layout(form)
    assert [(c.name, c.offset, c.width) for c in shape.columns] == [
        ("one_254", 0, 1), ("one_255", 1, 2), ("one_65535", 3, 4), ("many_7", 7, 1),
        ("many_8", 8, 2)]
    assert shape.width == 10


def test_unanswered_and_irrelevant_questions_are_zero():
    form = definition(question("a", "select_one", choices=("yes", "no")),
                      question("b", "select_multiple", choices=("x", "y")))
    assert coding.encode(form, {}) == b"\x00\x00"
    assert coding.encode(form, {"a": None, "b": []}) == b"\x00\x00"
    assert coding.encode(form, {"a": "no", "b": ["y"]}) == bytes([2, 0b101])


def test_an_answer_no_longer_a_choice_counts_as_answered_but_as_no_choice():
    form = definition(question("a", "select_one", choices=("yes", "no")),
                      question("b", "select_multiple", choices=("x", "y")))
    blob = coding.encode(form, {"a": "maybe", "b": ["gone", "x"]})
    assert blob == bytes([255, 0b011])
    shape = coding.layout(form)
    assert coding.decode_answers(shape, blob) == {"a": None, "b": ["x"]}
    matrix = coding.decode(shape, [blob])
    assert coding.answered(matrix, shape.columns[0]).tolist() == [True]
    assert [coding.ticked(matrix, shape.columns[0], k)[0] for k in range(2)] == [False, False]


def test_bytes_of_another_layout_are_refused_naming_the_report():
    form = definition(question("a", "select_one", choices=("yes", "no")))
    with pytest.raises(ValueError, match="report 1: 0 bytes of choice codes, the layout has 1"):
        coding.decode(coding.layout(form), [b"\x01", b""])


def test_a_form_without_choice_questions_codes_to_no_bytes():
    form = definition(question("n", "integer"))
    assert coding.encode(form, {"n": 3}) == b""
    assert coding.decode(coding.layout(form), [b"", b""]).shape == (2, 0)


# --- stored reports ----------------------------------------------------------------------------


@pytest.fixture
def form(mission, tree, observer, other_team):
    return set_up(mission, tree, observer, other_team)


def stored_codes(submission) -> dict:
    row = Submission.objects.get(pk=submission.pk)
    shape = coding.layout(row.form_version.definition)
    return coding.decode_answers(shape, bytes(row.choice_codes))


def test_ingestion_stores_the_codes_of_the_answers(mission, form, observer):
    submission, _ = send(observer, mission, answers={
        "registered": 100, "secrecy": "no", "secrecy_details": "open booths",
        "problems": ["queue", "pressure"], "assessment": "bad"})
    assert stored_codes(submission) == {"secrecy": "no", "problems": ["queue", "pressure"],
                                        "assessment": "bad"}


def test_an_edit_rewrites_the_codes(mission, form, observer, coordinator):
    submission, _ = send(observer, mission)
    services.edit_submission(
        actor=coordinator, channel="page", submission=submission, reason="wrong station",
        answers={"registered": 100, "secrecy": "no", "secrecy_details": "x",
                 "problems": ["crowding"]},
    )
    assert stored_codes(submission) == {"secrecy": "no", "problems": ["crowding"]}


def test_the_migration_codes_reports_stored_before_it(mission, form, observer):
    first, _ = send(observer, mission, answers={"registered": 100, "secrecy": "yes",
                                                "assessment": "very_good"})
    second, _ = send(observer, mission, answers={"registered": 90, "secrecy": "yes",
                                                 "problems": ["queue"]})
    Submission.objects.update(choice_codes=b"")
    migration = importlib.import_module("eom.observation.migrations.0003_submission_choice_codes")
    migration.fill_choice_codes(apps, None)
    assert stored_codes(first) == {"secrecy": "yes", "assessment": "very_good"}
    assert stored_codes(second) == {"secrecy": "yes", "problems": ["queue"]}
    assert np.array_equal(
        np.frombuffer(bytes(Submission.objects.get(pk=first.pk).choice_codes), np.uint8),
        [1, 0, 1])
