"""A workbook eom cannot use is refused with every problem, each naming sheet, row and column."""

from __future__ import annotations

import pytest

from eom.xlsform.reader import QUESTION_TYPES, Problem, XLSFormError, read_xlsform

SURVEY = ("type", "name", "label", "relevant", "constraint", "required")
CHOICES = [("list_name", "name", "label"), ("yes_no", "yes", "Yes"), ("yes_no", "no", "No")]
QA = ("name", "expression", "severity", "message")
SUPPORTED_TYPES = ", ".join(QUESTION_TYPES)


def problems(path_or_bytes, filename: str = "form.xlsx") -> list[Problem]:
    with pytest.raises(XLSFormError) as caught:
        read_xlsform(path_or_bytes, filename)
    return caught.value.problems


def test_survey_sheet_missing(xlsform):
    path = xlsform(None, choices=CHOICES)

    assert problems(path) == [Problem("survey", None, None, 'the workbook has no "survey" sheet')]


def test_choices_sheet_missing_when_a_select_exists(xlsform):
    path = xlsform([SURVEY, ("integer", "a", "A"), ("select_one yes_no", "b", "B")])

    assert problems(path) == [
        Problem(
            "choices", None, None,
            'the workbook has no "choices" sheet; the select on survey row 3 needs one',
        )
    ]


def test_choices_sheet_missing_without_selects_is_accepted(xlsform):
    path = xlsform([SURVEY, ("integer", "a", "A")])

    assert [q.name for q in read_xlsform(path).questions()] == ["a"]


def test_question_type_unknown(xlsform):
    path = xlsform([SURVEY, ("integer", "a", "A"), ("integr", "b", "B")])

    assert problems(path) == [
        Problem(
            "survey", 3, "type", f'unknown question type "integr"; use one of {SUPPORTED_TYPES}'
        )
    ]


def test_question_type_of_pyxform_in_another_spelling_is_read(xlsform):
    path = xlsform([SURVEY, ("add audio prompt", "a", "A"), ("q geotrace", "b", "B"),
                    ("get device id", "c", "")])

    assert [q.type for q in read_xlsform(path).questions()] == ["file", "geotrace", "deviceid"]


def test_question_name_duplicate(xlsform):
    path = xlsform([SURVEY, ("integer", "a", "A"), ("text", "b", "B"), ("integer", "a", "A2")])

    assert problems(path) == [Problem("survey", 4, "name", 'name "a" is already used on row 2')]


def test_question_name_same_as_group(xlsform):
    path = xlsform([SURVEY, ("begin group", "a", "A"), ("integer", "a", "A"), ("end group",)])

    assert problems(path) == [Problem("survey", 3, "name", 'name "a" is already used on row 2')]


def test_select_list_missing_from_choices(xlsform):
    path = xlsform([SURVEY, ("select_one yes_no", "a", "A"), ("select_multiple kinds", "b", "B")],
                   choices=CHOICES)

    assert problems(path) == [
        Problem("survey", 3, "type", 'choice list "kinds" is not on the choices sheet')
    ]


def test_choice_name_duplicate_in_a_list(xlsform):
    choices = [*CHOICES, ("other", "yes", "Yes elsewhere is fine"), ("yes_no", "yes", "Yes again")]
    path = xlsform([SURVEY, ("select_one yes_no", "a", "A")], choices=choices)

    assert problems(path) == [
        Problem("choices", 5, "name", 'choice "yes" is already in list "yes_no" (row 2)')
    ]


def test_repeat_not_closed(xlsform):
    path = xlsform([SURVEY, ("begin repeat", "visits", "Visits"), ("integer", "a", "A")])

    assert problems(path) == [
        Problem("survey", 2, "type", 'repeat "visits" has no "end repeat" row')]


def test_group_not_closed(xlsform):
    path = xlsform([SURVEY, ("begin group", "g", "G"), ("integer", "a", "A")])

    assert problems(path) == [Problem("survey", 2, "type", 'group "g" has no "end group" row')]


def test_constraint_function_unsupported(xlsform):
    path = xlsform([SURVEY, ("text", "a", "A", "", "digest('s', 'SHA1', .)")])

    [problem] = problems(path)

    assert (problem.sheet, problem.row, problem.column) == ("survey", 2, "constraint")
    assert problem.message.startswith('function "digest" is not supported (supported: selected,')
    assert problem.message.endswith("at character 0")


def test_relevant_syntax_error(xlsform):
    path = xlsform([SURVEY, ("integer", "a", "A"), ("integer", "b", "B", "${a} >")])

    assert problems(path) == [
        Problem("survey", 3, "relevant", "unexpected end of expression at character 6")
    ]


def test_required_expression_invalid(xlsform):
    path = xlsform([SURVEY, ("integer", "a", "A"), ("integer", "b", "B", "", "", "${a} > > 1")])

    [problem] = problems(path)

    assert (problem.sheet, problem.row, problem.column) == ("survey", 3, "required")


def test_relevant_references_unknown_question(xlsform):
    path = xlsform([SURVEY, ("integer", "a", "A"), ("integer", "b", "B", "${c} > 1")])

    assert problems(path) == [
        Problem("survey", 3, "relevant", '"${c}" is not a question of this form')
    ]


def test_relevant_may_read_the_station_but_not_an_unknown_attribute_of_it(xlsform):
    path = xlsform([SURVEY, ("integer", "a", "A", "${location.n_registered} > 1"),
                    ("integer", "b", "B", "${team.leader} = 'x'")])

    assert problems(path) == [
        Problem(
            "survey", 3, "relevant", '"${team.leader}" is not known; a form can use '
            "${location.code}, ${location.kind}, ${location.level}, ${location.n_registered}, "
            "${team.code}, ${team.kind}"
        )
    ]


def test_relevant_uses_the_answer_itself(xlsform):
    path = xlsform([SURVEY, ("integer", "a", "A", ". > 1")])

    assert problems(path) == [
        Problem("survey", 2, "relevant", '"." (the answer itself) can only be used in a constraint')
    ]


def test_group_relevant_references_unknown_question(xlsform):
    path = xlsform([SURVEY, ("begin group", "g", "G", "${x} = 'yes'"), ("integer", "a", "A"),
                    ("end group",)])

    assert problems(path) == [
        Problem("survey", 2, "relevant", '"${x}" is not a question of this form')
    ]


def test_qa_name_duplicate(xlsform):
    qa = [QA, ("big", "${a} > 10", "low", "Big"), ("big", "${a} > 20", "high", "Bigger")]
    path = xlsform([SURVEY, ("integer", "a", "A")], qa=qa)

    assert problems(path) == [Problem("qa", 3, "name", 'rule "big" is already defined on row 2')]


def test_qa_severity_unknown(xlsform):
    qa = [QA, ("big", "${a} > 10", "urgent", "Big")]
    path = xlsform([SURVEY, ("integer", "a", "A")], qa=qa)

    assert problems(path) == [
        Problem("qa", 2, "severity", 'severity "urgent" is unknown; use one of low, medium, high')
    ]


def test_qa_expression_invalid(xlsform):
    qa = [QA, ("big", "${a} >> 10", "low", "Big")]
    path = xlsform([SURVEY, ("integer", "a", "A")], qa=qa)

    [problem] = problems(path)

    assert (problem.sheet, problem.row, problem.column) == ("qa", 2, "expression")


def test_qa_references_unknown_question(xlsform):
    qa = [QA, ("over", "${a} > ${b}", "high", "Over")]
    path = xlsform([SURVEY, ("integer", "a", "A")], qa=qa)

    assert problems(path) == [
        Problem("qa", 2, "expression", '"${b}" is not a question of this form')
    ]


def test_qa_references_unknown_location_value(xlsform):
    qa = [QA, ("over", "${a} > ${location.n_voters}", "high", "Over")]
    path = xlsform([SURVEY, ("integer", "a", "A")], qa=qa)

    assert problems(path) == [
        Problem(
            "qa", 2, "expression",
            '"${location.n_voters}" is not known; a form can use ${location.code}, '
            "${location.kind}, ${location.level}, ${location.n_registered}, ${team.code}, "
            "${team.kind}",
        )
    ]


def test_settings_form_id_missing_is_taken_from_the_file_name(xlsform):
    path = xlsform([SURVEY, ("integer", "a", "A")], name="Rally form (v2).xlsx",
                   settings=[("version", "stage"), ("2023031901", "voting")])

    definition = read_xlsform(path)

    assert (definition.form_id, definition.notes) == ("Rally_form__v2_", [
        'the settings give no form_id; it is "Rally_form__v2_", from the file name, as pyxform '
        "takes it"])


def test_settings_form_id_with_spaces_is_written_with_underscores_and_said(xlsform):
    path = xlsform([SURVEY, ("integer", "a", "A")],
                   settings=[("form_id", "version", "stage"), ("Rally  form 2", "1", "voting")])

    definition = read_xlsform(path)

    assert (definition.form_id, definition.notes) == ("Rally_form_2", [
        'form_id "Rally  form 2" has spaces; it is "Rally_form_2", with "_" for them, in web '
        "addresses and in the XForm ODK Collect gets"])


def test_settings_form_id_with_other_signs_than_spaces_is_refused(xlsform):
    path = xlsform([SURVEY, ("integer", "a", "A")],
                   settings=[("form_id", "version", "stage"), ("rally form/2", "1", "voting")])

    assert problems(path) == [Problem(
        "settings", 2, "form_id",
        'form_id "rally form/2" may only have letters, digits, "-" and "_" (at most 64)')]


def test_settings_version_missing_is_left_to_the_upload(xlsform):
    path = xlsform([SURVEY, ("integer", "a", "A")],
                   settings=[("form_id", "stage"), ("v", "voting")])

    definition = read_xlsform(path)

    assert (definition.version, definition.notes) == ("", [
        "the settings give no version; the time of the upload is the version, as ODK Central "
        "does"])


def test_settings_stage_unknown(xlsform):
    path = xlsform([SURVEY, ("integer", "a", "A")],
                   settings=[("form_id", "version", "stage"), ("v", "1", "exit poll")])

    assert problems(path) == [
        Problem(
            "settings", 2, "stage",
            'stage "exit poll" is unknown; use one of opening, voting, counting, tabulation, '
            "incident, or leave it empty for a general form",
        )
    ]


def test_settings_sheet_missing_gives_a_general_form_named_after_the_file(xlsform):
    path = xlsform([SURVEY, ("integer", "a", "A")], name="lto_weekly.xlsx", settings=None)

    definition = read_xlsform(path)

    assert (definition.form_id, definition.version, definition.stage, len(definition.notes)) \
        == ("lto_weekly", "", "", 3)


def test_file_empty():
    assert problems(b"", "voting.xlsx") == [Problem("", None, None, '"voting.xlsx" is empty')]


def test_file_not_xlsx(xlsform):
    path = xlsform([SURVEY, ("integer", "a", "A")], name="voting.ods")

    assert problems(path) == [
        Problem(
            "", None, None,
            '"voting.ods" is not an .xlsx file; save the form as "Excel Workbook (.xlsx)"',
        )
    ]


def test_old_excel_file_that_is_no_workbook_is_refused_naming_it():
    [problem] = problems(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "voting.xls")

    assert problem.message.startswith('"voting.xls" is not an Excel workbook (')


def test_file_not_a_workbook():
    assert problems(b"type,name,label\ninteger,a,A\n", "voting.xlsx") == [
        Problem("", None, None, '"voting.xlsx" is not an Excel workbook (File is not a zip file)')
    ]


def test_pyxform_problem_gets_its_row(xlsform):
    path = xlsform([SURVEY, ("integer", "a", "A"), ("integer", "2b", "B")])

    [problem] = problems(path)

    assert (problem.sheet, problem.row, problem.column) == ("survey", 3, "name")
    assert problem.message.startswith(
        "From pyxform, the XLSForm converter: On the 'survey' sheet, the 'name' value is invalid.")


def test_pyxform_problem_named_element_gets_its_row(xlsform):
    path = xlsform([SURVEY, ("integer", "a", "A"), ("integer", "b", "")])

    assert problems(path) == [
        Problem("survey", 3, "label",
                "From pyxform, the XLSForm converter: The survey element named 'b' has no label or "
                "hint.")
    ]


def test_problems_all_collected_in_sheet_order(xlsform):
    survey = [
        SURVEY,
        ("integer", "a", "A", "", ". >= 0"),
        ("integer", "a", "A again"),
        ("select_one colours", "c", "C"),
        ("begin repeat", "r", "R"),
        ("integer", "d", "D", "${zz} = 1"),
        ("end repeat",),
    ]
    qa = [QA, ("big", "${a} > 10", "severe", "Big")]
    path = xlsform(survey, choices=CHOICES, settings=[("form_id",), ("v",)], qa=qa)

    assert [(p.sheet, p.row, p.column) for p in problems(path)] == [
        ("survey", 3, "name"),
        ("survey", 4, "type"),
        ("survey", 6, "relevant"),
        ("qa", 2, "severity"),
    ]


def test_error_text_names_sheet_row_and_column(xlsform):
    path = xlsform([SURVEY, ("integer", "a", "A"), ("integer", "a", "A2")])

    with pytest.raises(XLSFormError) as caught:
        read_xlsform(path)

    assert str(caught.value) == (
        "the form has 1 problem:\n"
        '- survey sheet, row 3, column "name": name "a" is already used on row 2'
    )


def test_reconcile_marks_facts_and_refuses_anything_but_yes_or_no(xlsform):
    header = ("type", "name", "label", "reconcile")
    path = xlsform([header, ("integer", "n_valid", "Valid", "yes"), ("integer", "n", "N", "")])
    assert [(q.name, q.reconcile) for q in read_xlsform(path).questions()] == [
        ("n_valid", True), ("n", False)]
    path = xlsform([header, ("integer", "n_valid", "Valid", "perhaps"),
                    ("note", "intro", "Read this", "yes")])
    assert problems(path) == [
        Problem("survey", 2, "reconcile", 'reconcile "perhaps" is not yes or no'),
        Problem("survey", 3, "reconcile",
                'a note has no answer to reconcile; leave "reconcile" empty on this row'),
    ]


def test_loop_over_a_list_not_on_the_choices_sheet_is_refused(xlsform):
    path = xlsform([SURVEY, ("begin loop over parties", "votes", ""),
                    ("integer", "n", "Votes for %(label)s"), ("end loop", "", "")],
                   choices=CHOICES)

    assert problems(path) == [Problem(
        "survey", 2, "type",
        'choice list "parties" is not on the choices sheet')]


def test_loop_holding_a_group_is_refused_at_the_group(xlsform):
    path = xlsform([SURVEY, ("begin loop over yes_no", "each", ""),
                    ("begin group", "g", "G"), ("integer", "n", "N"), ("end group", "", ""),
                    ("end loop", "", "")], choices=CHOICES)

    assert problems(path) == [Problem(
        "survey", 3, "type", "eom reads questions inside a loop, not groups, repeats or loops")]


def test_loop_asks_its_questions_once_per_choice_with_the_choice_label(xlsform):
    path = xlsform([SURVEY, ("begin loop over yes_no", "each", ""),
                    ("integer", "n", "How many said %(label)s?"), ("end loop", "", "")],
                   choices=CHOICES)

    definition = read_xlsform(path)

    assert definition.loops == ["each"]
    assert [(q.name, q.label) for q in definition.sections[-1].questions] == [
        ("each.yes.n", {"en": "How many said Yes?"}), ("each.no.n", {"en": "How many said No?"})]


def test_pulldata_reads_only_the_columns_it_names_from_the_attached_file(xlsform):
    path = xlsform([("type", "name", "label", "calculation"),
                    ("text", "code", "Station", ""),
                    ("calculate", "n", "", "pulldata('stations', 'n_registered', 'code', ${code})")])
    media = {"stations.csv": b"code,name,n_registered\n01001,School 1,1200\n01002,School 2,800\n"}

    definition = read_xlsform(path, media=media)

    assert (definition.media, definition.data) == (["stations.csv"], {"stations": [
        {"code": "01001", "n_registered": "1200"}, {"code": "01002", "n_registered": "800"}]})


def test_pulldata_with_a_column_the_file_lacks_or_a_file_not_quoted_is_refused(xlsform):
    path = xlsform([("type", "name", "label", "calculation"),
                    ("text", "code", "Station", ""),
                    ("calculate", "n", "", "pulldata('stations', 'voters', 'code', ${code})"),
                    ("calculate", "m", "", "pulldata(${code}, 'n', 'code', ${code})")])
    media = {"stations.csv": b"code,n_registered\n01001,1200\n"}

    with pytest.raises(XLSFormError) as refused:
        read_xlsform(path, media=media)

    assert refused.value.problems == [
        Problem("survey", 3, "calculation",
                '"stations.csv" has no column "voters", which pulldata() reads'),
        Problem("survey", 4, "calculation",
                "pulldata() names its file in quotes first: pulldata('fruits', …) reads "
                "fruits.csv"),
    ]


def test_pulldata_from_a_file_of_more_rows_than_the_limit_is_refused(xlsform):
    path = xlsform([("type", "name", "label", "calculation"),
                    ("calculate", "n", "", "pulldata('big', 'n', 'code', '1')")])
    rows = "".join(f"{i},{i}\n" for i in range(50_001))

    with pytest.raises(XLSFormError) as refused:
        read_xlsform(path, media={"big.csv": f"code,n\n{rows}".encode()})

    assert refused.value.problems == [
        Problem("survey", 2, "calculation", '"big.csv" has more than 50,000 rows')]


def test_a_name_eom_adds_for_odk_collect_is_refused_naming_the_row(xlsform):
    path = xlsform([SURVEY, ("text", "eom_location", "Where"),
                    ("integer", "eom_team_code", "Team"), ("integer", "a", "A")])

    assert problems(path) == [
        Problem("survey", row, "name", f'name "{name}" is one eom adds to the form it gives '
                "ODK Collect; rename the question")
        for row, name in ((2, "eom_location"), (3, "eom_team_code"))
    ]
