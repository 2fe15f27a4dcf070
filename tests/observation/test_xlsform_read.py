"""The mission's checklists, and any well-formed XLSForm, read into eom's form definition."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import eom.observation
from eom.xlsform import expressions
from eom.xlsform.reader import FormDefinition, XLSFormError, read_xlsform

CHECKLISTS = Path(eom.observation.__file__).parent / "checklists"
RESULTS = Path(eom.observation.__file__).parents[1] / "demo" / "data" / "kz2023" / "results.json"
FORMS = ("opening", "voting", "counting", "tabulation", "incident")
SURVEY = ("type", "name", "label", "relevant", "constraint", "required")
LANGUAGES = ["en", "kk", "ru"]


def checklist(form_id: str) -> FormDefinition:
    return read_xlsform(CHECKLISTS / f"{form_id}.xlsx")


def test_checklists_are_the_five_stages():
    assert sorted(p.stem for p in CHECKLISTS.glob("*.xlsx")) == sorted(FORMS)


@pytest.mark.parametrize("form_id", FORMS)
def test_checklist_reads_with_its_stage(form_id):
    form = checklist(form_id)

    assert (form.form_id, form.stage, form.version) == (form_id, form_id, "2023031901")
    assert form.languages == ["en", "ru", "kk"]


@pytest.mark.parametrize(
    ("form_id", "n_sections", "n_questions", "n_rules"),
    [
        ("opening", 3, 12, 2),
        ("voting", 6, 23, 2),
        ("counting", 5, 34, 5),
        ("tabulation", 3, 8, 1),
        ("incident", 1, 6, 1),
    ],
)
def test_checklist_counts(form_id, n_sections, n_questions, n_rules):
    form = checklist(form_id)

    assert (len(form.sections), len(form.questions()), len(form.qa)) == (
        n_sections, n_questions, n_rules,
    )


@pytest.mark.parametrize("form_id", FORMS)
def test_checklist_labels_in_three_languages(form_id):
    form = checklist(form_id)
    labels = [s.label for s in form.sections] + [q.label for q in form.questions()]
    labels += [c.label for q in form.questions() for c in q.choices]
    labels += [r.message for r in form.qa]

    missing = [text for text in labels if sorted(k for k, v in text.items() if v) != LANGUAGES]

    assert missing == []


def test_voting_assessment_choices_and_key():
    assessment = checklist("voting").question("assessment")

    assert assessment.type == "select_one"
    assert [(c.name, c.label["en"], c.label["ru"], c.label["kk"]) for c in assessment.choices] == [
        ("very_good", "Very good", "Очень хорошо", "Өте жақсы"),
        ("good", "Good", "Хорошо", "Жақсы"),
        ("bad", "Bad", "Плохо", "Нашар"),
        ("very_bad", "Very bad", "Очень плохо", "Өте нашар"),
    ]
    assert (assessment.key, assessment.required) == (True, True)


def test_opening_members_present_min_and_max():
    question = checklist("opening").question("n_members_present")

    assert (question.type, question.min, question.max) == ("integer", 0, 30)
    assert question.constraint_message["ru"] == "От 0 до 30"


def test_voting_voted_bounded_by_registered():
    question = checklist("voting").question("n_voted")

    assert question.constraint == ". >= 0 and . <= ${n_registered}"
    assert (question.min, question.max) == (None, None)
    assert expressions.names(expressions.from_json(question.constraint_json)) == {"n_registered"}


def test_voting_problem_details_only_when_a_problem_is_reported():
    sections = {s.name: s for s in checklist("voting").sections}
    details, stuffing = sections["problem_details"], sections["stuffing"]

    assert details.relevant.startswith("${secrecy_respected} = 'no' or ${group_voting} = 'yes'")
    assert stuffing.relevant == f"({details.relevant}) and (${{ballot_stuffing}} = 'yes')"
    assert stuffing.relevant_json == expressions.to_json(expressions.parse(stuffing.relevant))


def test_counting_parties_in_ballot_order_with_names():
    parties = json.loads(RESULTS.read_text())["party_list_results"]
    section = next(s for s in checklist("counting").sections if s.name == "party_list")
    votes = section.questions[7:15]

    assert [q.name for q in votes] == [
        "n_amanat", "n_auyl", "n_respublica", "n_ak_zhol", "n_peoples_party", "n_osdp",
        "n_baytaq", "n_against_all",
    ]
    assert [q.label["en"] for q in votes[:7]] == [f"Votes for {p['party']}" for p in parties]
    assert votes[1].label["kk"] == f"{parties[1]['name_local']}: берілген дауыстар саны"
    assert votes[4].label["ru"] == "Число голосов за: Народная партия Казахстана"


def test_counting_protocol_figures_are_key_counts_to_reconcile():
    form = checklist("counting")
    figures = [q for s in form.sections if s.name in ("party_list", "smd") for q in s.questions]

    assert len(figures) == 24
    assert {(q.type, q.key, q.reconcile, q.min, q.max, q.constraint) for q in figures} == {
        ("integer", True, True, 0, None, ". >= 0")
    }
    assessment = form.question("assessment")
    assert (assessment.key, assessment.reconcile) == (True, False)


def test_counting_qa_rules():
    rules = {r.name: r for r in checklist("counting").qa}

    assert {name: r.severity for name, r in rules.items()} == {
        "in_boxes_over_registered": "high",
        "valid_invalid_not_in_boxes": "high",
        "votes_not_valid": "high",
        "issued_over_received": "medium",
        "negative_assessment": "medium",
    }
    assert rules["valid_invalid_not_in_boxes"].expression == (
        "${n_valid} + ${n_invalid} != ${n_in_boxes}"
    )
    assert expressions.names(expressions.from_json(rules["votes_not_valid"].expression_json)) == {
        "n_amanat", "n_auyl", "n_respublica", "n_ak_zhol", "n_peoples_party", "n_osdp",
        "n_baytaq", "n_against_all", "n_valid",
    }


def test_counting_qa_rules_raised_by_a_protocol_that_does_not_add_up():
    form = checklist("counting")
    protocol = {
        "n_registered": 1500, "n_received": 1500, "n_issued": 800, "n_cancelled": 700,
        "n_in_boxes": 800, "n_invalid": 20, "n_valid": 780, "n_amanat": 420, "n_auyl": 85,
        "n_respublica": 67, "n_ak_zhol": 65, "n_peoples_party": 53, "n_osdp": 40,
        "n_baytaq": 20, "n_against_all": 30, "assessment": "good",
    }
    wrong = {**protocol, "n_in_boxes": 1600, "n_issued": 1501, "assessment": "very_bad"}

    def raised(answers):
        return [
            r.name for r in form.qa
            if expressions.truthy(
                expressions.evaluate(expressions.from_json(r.expression_json), answers)
            )
        ]

    assert raised(protocol) == []
    assert raised(wrong) == [
        "in_boxes_over_registered", "valid_invalid_not_in_boxes", "issued_over_received",
        "negative_assessment",
    ]


def test_incident_photo_optional_description_required():
    form = checklist("incident")

    assert (form.question("photo").type, form.question("photo").required) == ("image", False)
    assert form.question("description").required is True
    assert [c.name for c in form.question("category").choices] == [
        "ballot_stuffing", "carousel", "pressure", "vote_buying", "observer_obstruction",
        "violence", "procedural_error", "other",
    ]


@pytest.mark.parametrize(
    ("constraint", "bounds"),
    [
        (". >= 0 and . <= 30", (0, 30)),
        (". <= 30 and . >= 1", (1, 30)),
        (". >= -5", (-5, None)),
        (".<=9", (None, 9)),
        (". > 0", (None, None)),
        (". >= 0 and . <= ${a}", (None, None)),
        (". >= 0 or . <= 30", (None, None)),
    ],
)
def test_min_max_from_constraint(xlsform, constraint, bounds):
    path = xlsform([SURVEY, ("integer", "a", "A"), ("integer", "b", "B", "", constraint)])

    question = read_xlsform(path).question("b")

    assert (question.min, question.max) == bounds


def test_nested_groups_and_their_relevance(xlsform):
    survey = [
        SURVEY,
        ("integer", "a", "A"),
        ("begin group", "outer", "Outer", "${a} > 0"),
        ("integer", "b", "B"),
        ("begin group", "middle", "Middle"),
        ("begin group", "inner", "Inner", "${b} > 1 or ${a} = 5"),
        ("integer", "c", "C"),
        ("end group",),
        ("end group",),
        ("integer", "d", "D"),
        ("end group",),
        ("integer", "e", "E"),
    ]

    form = read_xlsform(xlsform(survey))

    assert [(s.name, s.relevant, [q.name for q in s.questions]) for s in form.sections] == [
        ("", "", ["a", "e"]),
        ("outer", "${a} > 0", ["b", "d"]),
        ("inner", "(${a} > 0) and (${b} > 1 or ${a} = 5)", ["c"]),
    ]
    assert form.sections[2].relevant_json == expressions.to_json(
        expressions.parse("(${a} > 0) and (${b} > 1 or ${a} = 5)")
    )


def test_qa_rule_may_use_the_location(xlsform):
    qa = [("name", "expression", "severity", "message", "message::Russian (ru)"),
          ("over", "${a} > ${location.n_registered}", "High", "Too many", "Слишком много")]

    [rule] = read_xlsform(xlsform([SURVEY, ("integer", "a", "A")], qa=qa)).qa

    assert (rule.name, rule.severity, rule.message) == (
        "over", "high", {"en": "Too many", "ru": "Слишком много"},
    )
    assert rule.expression_json == expressions.to_json(
        expressions.parse("${a} > ${location.n_registered}")
    )


def test_required_forms(xlsform):
    survey = [SURVEY, ("integer", "a", "A", "", "", "yes"), ("integer", "b", "B", "", "", "no"),
              ("integer", "c", "C", "", "", "true()"), ("integer", "d", "D", "", "", "${a} > 1")]

    form = read_xlsform(xlsform(survey))

    assert [q.required for q in form.questions()] == [True, False, True, "${a} > 1"]
    assert form.question("d").required_json == expressions.to_json(expressions.parse("${a} > 1"))


def test_plain_label_column_is_english(xlsform):
    survey = [("type", "name", "label", "label::Kazakh (kk)", "hint"),
              ("select_one yes_no", "a", "Open?", "Ашық па?", "Look")]
    choices = [("list_name", "name", "label"), ("yes_no", "yes", "Yes"), ("yes_no", "no", "No")]

    form = read_xlsform(xlsform(survey, choices=choices))
    question = form.question("a")

    assert form.languages == ["en", "kk"]
    assert (question.label, question.hint) == ({"en": "Open?", "kk": "Ашық па?"}, {"en": "Look"})
    assert [(c.name, c.label) for c in question.choices] == [
        ("yes", {"en": "Yes"}), ("no", {"en": "No"}),
    ]


def test_definition_round_trips_through_json():
    form = checklist("counting")

    again = FormDefinition.from_dict(json.loads(json.dumps(form.to_dict())))

    assert again == form


def test_bytes_and_file_objects_read_like_paths():
    path = CHECKLISTS / "tabulation.xlsx"

    with path.open("rb") as handle:
        from_file = read_xlsform(handle, "tabulation.xlsx")

    assert read_xlsform(path.read_bytes(), "tabulation.xlsx") == from_file == read_xlsform(path)


def test_sms_settings_and_tags_are_read(xlsform):
    definition = read_xlsform(xlsform(
        survey=[["type", "name", "label", "sms_tag"],
                ["integer", "n_voted", "Voted", "nv"], ["text", "notes", "Notes", ""]],
        settings=[["form_id", "version", "stage", "sms_prefix", "sms_partial", "sms_comment"],
                  ["voting", "1", "voting", "vx", "yes", "notes"]],
    ))
    assert (definition.sms_prefix, definition.sms_partial, definition.sms_comment) == (
        "VX", True, "notes",
    )
    assert definition.question("n_voted").sms_tag == "NV"


def test_sms_settings_that_name_nothing_are_refused(xlsform):
    with pytest.raises(XLSFormError) as error:
        read_xlsform(xlsform(
            survey=[["type", "name", "label", "sms_tag"], ["integer", "n", "N", "A1"]],
            settings=[["form_id", "version", "stage", "sms_comment"],
                      ["voting", "1", "voting", "nowhere"]],
        ))
    assert [(p.sheet, p.column) for p in error.value.problems] == [
        ("settings", "sms_comment"), ("survey", "sms_tag"),
    ]


def test_the_demo_checklists_come_in_the_order_of_the_day():
    assert sorted(FORMS, key=lambda form_id: checklist(form_id).order) == list(FORMS)


@pytest.mark.parametrize(("cell", "order"), [("25", 25), (25, 25), ("", None)])
def test_a_forms_order_is_read_from_the_settings(xlsform, cell, order):
    definition = read_xlsform(xlsform(
        survey=[["type", "name", "label"], ["integer", "n_voted", "Voted"]],
        settings=[["form_id", "version", "stage", "order"], ["voting", "1", "voting", cell]],
    ))
    assert definition.order == order


@pytest.mark.parametrize("cell", ["0", "10000", "2.5", "first", "٣"])
def test_an_order_that_is_no_whole_number_from_1_to_9999_is_refused(xlsform, cell):
    path = xlsform(survey=[["type", "name", "label"], ["integer", "n_voted", "Voted"]],
                   settings=[["form_id", "version", "stage", "order"],
                             ["voting", "1", "voting", cell]])
    with pytest.raises(XLSFormError) as caught:
        read_xlsform(path)
    assert [(p.sheet, p.row, p.column) for p in caught.value.problems] == [("settings", 2, "order")]
