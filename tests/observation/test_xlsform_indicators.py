"""A checklist's named indicators, declared on the workbook's `indicators` sheet: read with
their labels and expressions, refused with the sheet, row and column of each problem."""

from __future__ import annotations

from pathlib import Path

import pytest

import eom.observation
from eom.xlsform.reader import MAX_INDICATORS, Problem, XLSFormError, read_xlsform
from tests.factories import load_checklist

SURVEY = [("type", "name", "label"), ("select_one yes_no", "stuffing", "Stuffing?"),
          ("select_one grade", "assessment", "Assessment")]
CHOICES = [("list_name", "name", "label"), ("yes_no", "yes", "Yes"), ("yes_no", "no", "No"),
           ("grade", "good", "Good"), ("grade", "bad", "Bad")]
HEADER = ("name", "label::English (en)", "label::Russian (ru)", "label::Kazakh (kk)",
          "expression", "base")
CHECKLISTS = Path(eom.observation.__file__).parent / "checklists"


def read(xlsform, *rows, header=HEADER):
    return read_xlsform(xlsform(SURVEY, choices=CHOICES, indicators=[header, *rows]))


def problems(xlsform, *rows, header=HEADER) -> list[Problem]:
    with pytest.raises(XLSFormError) as caught:
        read(xlsform, *rows, header=header)
    return caught.value.problems


def test_indicators_are_read_with_their_labels_expressions_and_bases(xlsform):
    form = read(xlsform,
                ("negative", "Assessed negatively", "Негативная оценка", "Теріс баға",
                 "${assessment} = 'bad'", ""),
                ("stuffing_of_bad", "Stuffing where bad", "Вброс", "Заңсыз салу",
                 "${stuffing} = 'yes'", "${assessment} = 'bad'"))

    negative, stuffing = form.indicators
    assert (negative.name, negative.label) == (
        "negative", {"en": "Assessed negatively", "ru": "Негативная оценка", "kk": "Теріс баға"})
    assert (negative.expression, negative.base, negative.base_json) == (
        "${assessment} = 'bad'", "", None)
    assert negative.expression_json["op"] == "="
    assert (stuffing.base, stuffing.base_json["op"]) == ("${assessment} = 'bad'", "=")
    assert form.to_dict()["indicators"][1]["name"] == "stuffing_of_bad"


def test_an_indicator_naming_an_unknown_question_or_badly_written_is_refused(xlsform):
    found = problems(xlsform,
                     ("a", "A", "", "", "${stufing} = 'yes'", ""),
                     ("b", "B", "", "", "${stuffing} = ", ""),
                     ("c", "C", "", "", "${stuffing} = 'yes'", "${assesment} != ''"),
                     ("d", "D", "", "", "1 = 1", ""))

    assert [(p.sheet, p.row, p.column) for p in found] == [
        ("indicators", 2, "expression"), ("indicators", 3, "expression"),
        ("indicators", 4, "base"), ("indicators", 5, "expression")]
    assert found[0].message == '"${stufing}" is not a question of this form'
    assert found[2].message == '"${assesment}" is not a question of this form'
    assert found[3].message == "the expression reads no answer (name a question as ${name})"
    assert str(found[0]) == ('indicators sheet, row 2, column "expression": "${stufing}" is '
                             "not a question of this form")


def test_indicator_names_labels_and_expressions_are_required_and_bounded(xlsform):
    found = problems(xlsform,
                     ("", "A", "", "", "${stuffing} = 'yes'", ""),
                     ("neg", "", "", "", "${stuffing} = 'yes'", ""),
                     ("neg", "B", "", "", "", ""),
                     ("bad name!", "x" * 201, "", "", "${stuffing} = 'yes'", ""))

    assert [(p.row, p.column, p.message) for p in found] == [
        (2, "name", "the indicator has no name"),
        (3, "label", "the indicator has no label"),
        (4, "name", 'indicator "neg" is already defined on row 3'),
        (4, "expression", "the indicator has no expression"),
        (5, "name", 'name "bad name!" may only have letters, digits, "-" and "_" (at most 64)'),
        (5, "label::English (en)", "the label is longer than 200 characters"),
    ]


def test_an_indicators_sheet_without_its_columns_or_too_long_is_refused(xlsform):
    assert [(p.row, p.column) for p in problems(xlsform, ("neg",), header=("name",))] == [
        (1, "expression"), (1, "label"), (2, "label"), (2, "expression")]
    rows = [(f"i{k}", "I", "", "", "${stuffing} = 'yes'", "") for k in range(MAX_INDICATORS + 1)]
    assert problems(xlsform, *rows) == [
        Problem("indicators", MAX_INDICATORS + 2, None,
                f"a form has at most {MAX_INDICATORS} indicators")]


@pytest.mark.parametrize(("form_id", "names"), [
    ("opening", ["opening_negative", "opening_late", "opening_unauthorised"]),
    ("voting", ["voting_negative", "voting_unauthorised", "ballot_stuffing"]),
    ("counting", ["counting_negative"]),
    ("tabulation", ["tabulation_negative"]),
])
def test_the_shipped_checklists_declare_the_usual_indicators(form_id, names):
    form = read_xlsform(CHECKLISTS / f"{form_id}.xlsx")

    assert [i.name for i in form.indicators] == names
    assert all(set(i.label) == {"en", "ru", "kk"} for i in form.indicators)


@pytest.mark.django_db
def test_a_version_stored_before_indicators_existed_loads_again_unchanged(mission):
    version = load_checklist(mission, "incident")
    version.definition.pop("indicators")
    version.save()

    assert load_checklist(mission, "incident").pk == version.pk
