"""The SMS report syntax: examples of every rule and of every refusal (no database)."""

from __future__ import annotations

from pathlib import Path

import pytest

from eom.xlsform.reader import read_xlsform
from eom.xlsform.sms_syntax import (
    ParsedSms,
    SmsError,
    SmsErrorKind,
    format_sms,
    parse,
    sms_form,
    sms_forms,
    tag_for,
)
from tests.factories import question

CHECKLISTS = Path(__file__).resolve().parents[2] / "src/eom/observation/checklists"
PARTIES = tuple(f"party_{i}" for i in range(1, 13))


def definition(form_id: str, questions: list[dict], stage: str = "voting", **extra) -> dict:
    return {"form_id": form_id, "title": form_id, "version": "1", "stage": stage,
            "sections": [{"name": "", "relevant": "", "questions": questions}], "qa": [], **extra}


VOTING = definition("voting", [
    question("registered", required=True, constraint=". >= 0") | {"min": 0},
    question("voted", constraint=". >= 0 and . <= 5000") | {"min": 0, "max": 5000},
    question("secrecy", "select_one", choices=("yes", "no"), required=True),
    question("problems", "select_multiple", choices=("queue", "crowding", "pressure")),
    question("parties", "select_multiple", choices=PARTIES),
    question("arrival", "time"),
    question("day", "date"),
    question("share", "decimal") | {"max": 100},
    question("photo", "image"),
    question("where", "text"),
    question("comments", "text"),
])
INCIDENT = definition("incident", [
    question("category", "select_one", choices=("stuffing", "carousel", "other"), required=True),
    question("description", "text", required=True),
], stage="incident")
FORMS = sms_forms([VOTING, INCIDENT])


def parsed(text: str) -> ParsedSms:
    result = parse(text, FORMS)
    assert isinstance(result, ParsedSms), result
    return result


def refused(text: str) -> SmsError:
    result = parse(text, FORMS)
    assert isinstance(result, SmsError), result
    return result


# --- forms --------------------------------------------------------------------------------------


def test_tags_follow_the_answerable_questions_in_order():
    form = FORMS["VT"]
    assert [(q.tag, q.name) for q in form.questions] == [
        ("AA", "registered"), ("AB", "voted"), ("AC", "secrecy"), ("AD", "problems"),
        ("AE", "parties"), ("AF", "arrival"), ("AG", "day"), ("AH", "share"), ("AI", "where"),
        ("AJ", "comments"),
    ]
    assert form.comment == "comments"


def test_tags_after_zz_get_three_letters():
    assert [tag_for(0), tag_for(25), tag_for(26), tag_for(675), tag_for(676)] == [
        "AA", "AZ", "BA", "ZZ", "AAA"]


def test_definition_keys_name_the_prefix_tags_comment_and_partial():
    form = sms_form(definition("turnout", [
        question("registered") | {"sms_tag": "rg"}, question("voted"),
        question("notes", "text"), question("comments", "text"),
    ], sms_prefix="tu", sms_comment="notes", sms_partial=True))
    assert form.prefix == "TU"
    assert [q.tag for q in form.questions] == ["RG", "AA", "AB", "AC"]
    assert (form.comment, form.partial) == ("notes", True)


def test_shipped_checklists_have_fixed_prefixes_and_other_forms_derive_theirs():
    definitions = [read_xlsform(path.read_bytes(), path.name).to_dict()
                   for path in sorted(CHECKLISTS.glob("*.xlsx"))]
    definitions.append(definition("observer_arrival", [question("n")]))
    definitions.append(definition("obstruction", [question("n")]))
    assert sorted(sms_forms(definitions)) == ["CT", "IN", "OB", "OP", "OS", "TB", "VT"]
    assert sms_forms(definitions)["IN"].comment == "description"


# --- accepted messages --------------------------------------------------------------------------


def test_a_full_message_is_read_into_answers():
    result = parsed("VT1234 AA1177 AB402 AC2 AD1,3 @queue outside")
    assert (result.form.form_id, result.observer, result.station) == ("voting", "1234", None)
    assert result.answers == {"registered": 1177, "voted": 402, "secrecy": "no",
                              "problems": ["queue", "pressure"], "comments": "queue outside"}


def test_case_spaces_and_separators_are_tolerated_in_values():
    assert parsed("vt p0001 aa 1 177 ab=402 ac: 1 ad 3;1 af 9.05").answers == {
        "registered": 1177, "voted": 402, "secrecy": "yes", "problems": ["queue", "pressure"],
        "arrival": "09:05"}
    assert parsed("VT P0001 AA1AB2AC1").answers == {"registered": 1, "voted": 2, "secrecy": "yes"}


def test_letters_inside_codes_are_never_rewritten():
    result = parsed("VT IOL010 0I0O18 AA1 AC1")
    assert (result.observer, result.station) == ("IOL010", "0I0O18")
    assert parsed("VTSTO001 AA1 AC1").observer == "STO001"
    assert parsed("vtsto001 AA1 AC1").observer == "sto001"


def test_the_station_is_a_word_beginning_with_a_digit_or_hash():
    assert parsed("VT P1 010018 AA1 AC1").station == "010018"
    assert parsed("VT P1 #PS-12 AA1 AC1").station == "PS-12"
    assert parsed("VT P1 AA1 AC1").station is None


def test_multiple_choices_above_nine_need_separators_and_run_together_below_ten():
    assert parsed("VT P1 AA1 AC1 AE1,12 10/11").answers["parties"] == [
        "party_1", "party_10", "party_11", "party_12"]
    assert parsed("VT P1 AA1 AC1 AE12").answers["parties"] == ["party_12"]
    assert parsed("VT P1 AA1 AC1 AD31").answers["problems"] == ["queue", "pressure"]
    assert parsed("VT P1 AA1 AC1 AD3 3 1").answers["problems"] == ["queue", "pressure"]


def test_times_dates_and_decimals():
    answers = parsed("VT P1 AA1 AC1 AF930 AG19.03.2023 AH12,5").answers
    assert (answers["arrival"], answers["day"], answers["share"]) == ("09:30", "2023-03-19", "12.5")
    answers = parsed("VT P1 AA1 AC1 AF 14:05 AG 2023-03-19 AH100").answers
    assert (answers["arrival"], answers["day"], answers["share"]) == ("14:05", "2023-03-19", "100")


def test_texts_go_to_the_comment_or_to_the_tagged_text_question():
    answers = parsed("VT P1 AA1 AC1 @AI: school gym @queue outside @ crowded").answers
    assert answers["where"] == "school gym"
    assert answers["comments"] == "queue outside; crowded"
    assert parsed("VT P1 AA1 AC1 @mail a@b.kz").answers["comments"] == "mail a@b.kz"
    assert parsed("VT P1 AA1 AC1 @XY: not a tag").answers["comments"] == "XY: not a tag"


def test_the_incident_marker_stands_for_the_incident_form():
    result = parsed("!P0001 AA1 @ballot box stuffed")
    assert result.form.form_id == "incident"
    assert result.answers == {"category": "stuffing", "description": "ballot box stuffed"}
    assert format_sms(result) == "IN P0001 AA1 @ballot box stuffed"
    assert parse(format_sms(result), FORMS) == result


def test_cyrillic_lookalikes_are_read_as_latin_in_tags_only():
    result = parsed("vt P001 АА5 ас1")
    assert result.answers == {"registered": 5, "secrecy": "yes"}
    # A Cyrillic Р in a code is not turned into a Latin P: the code is refused as written.
    assert refused("VT Р001 AA5 AC1").details == {"code": "Р001"}


def test_format_writes_the_canonical_message():
    result = parsed("vt p1 010018 ad 3,1 ac1 aa 12 ae12 10 @ a  b ")
    assert format_sms(result) == "VT p1 010018 AA12 AC1 AD1,3 AE10,12 @a b"


def test_a_partial_form_takes_a_message_without_its_required_answers():
    forms = sms_forms([definition("voting", VOTING["sections"][0]["questions"],
                                  sms_partial=True)])
    assert parse("VT P1 AB5", forms).answers == {"voted": 5}


# --- every refusal, named ----------------------------------------------------------------------


@pytest.mark.parametrize(("text", "kind", "details"), [
    ("   ", SmsErrorKind.EMPTY, {}),
    ("VT P1 " + "1" * 2000, SmsErrorKind.TOO_LONG, {"length": 2006, "maximum": 2000}),
    ("1234 AA1", SmsErrorKind.MISSING_FORM, {"known": ["IN", "VT"]}),
    ("XY1234 AA1", SmsErrorKind.UNKNOWN_FORM, {"form": "XY", "known": ["IN", "VT"]}),
    ("VT", SmsErrorKind.MISSING_CODE, {"form": "VT"}),
    ("VT P1* AA1", SmsErrorKind.BAD_CODE, {"code": "P1*"}),
    ("VT P1 #? AA1", SmsErrorKind.BAD_STATION, {"station": "?"}),
    ("VT P1 AA1 AC1 AB5%", SmsErrorKind.BAD_CHARACTER, {"character": "%"}),
    ("VT P1 AA1 AC1 AB5 Жа", SmsErrorKind.BAD_CHARACTER, {"character": "Ж"}),
    ("VT P1 #01 5 AA1 AC1", SmsErrorKind.STRAY_VALUE, {"value": "5"}),
    ("VT P1 AA1 AC1 ZZ4", SmsErrorKind.UNKNOWN_TAG, {"tag": "ZZ", "form": "VT"}),
    ("VT P1 AA1 AC1 queue", SmsErrorKind.UNKNOWN_TAG, {"tag": "QUEUE", "form": "VT"}),
    ("VT P1 AA1 AC1 AA2", SmsErrorKind.DUPLICATE_TAG, {"tag": "AA"}),
    ("VT P1 AA AC1", SmsErrorKind.MISSING_VALUE, {"tag": "AA"}),
    ("VT P1 AA1 AC1 AJ5", SmsErrorKind.TEXT_NEEDS_AT, {"tag": "AJ"}),
    ("VT P1 AA1,5 AC1", SmsErrorKind.NOT_A_NUMBER,
     {"tag": "AA", "value": "1,5", "kind": "integer"}),
    ("VT P1 AA1 AC1 AH1.2.3", SmsErrorKind.NOT_A_NUMBER,
     {"tag": "AH", "value": "1.2.3", "kind": "decimal"}),
    ("VT P1 AA-1 AC1", SmsErrorKind.BELOW_MINIMUM, {"tag": "AA", "value": -1, "minimum": 0}),
    ("VT P1 AA1 AB5001 AC1", SmsErrorKind.ABOVE_MAXIMUM,
     {"tag": "AB", "value": 5001, "maximum": 5000}),
    ("VT P1 AA1 AC3", SmsErrorKind.NOT_A_CHOICE, {"tag": "AC", "value": "3", "n_choices": 2}),
    ("VT P1 AA1 AC1 AE13", SmsErrorKind.NOT_A_CHOICE,
     {"tag": "AE", "value": "13", "n_choices": 12}),
    ("VT P1 AA1 AC1,2", SmsErrorKind.ONE_CHOICE_ONLY, {"tag": "AC", "value": "1,2"}),
    ("VT P1 AA1 AC1 AF2460", SmsErrorKind.BAD_TIME, {"tag": "AF", "value": "2460"}),
    ("VT P1 AA1 AC1 AG31.02.2023", SmsErrorKind.BAD_DATE, {"tag": "AG", "value": "31.02.2023"}),
    ("VT P1 AB5", SmsErrorKind.MISSING_ANSWERS, {"tags": ["AA", "AC"]}),
])
def test_each_refusal_names_its_reason(text, kind, details):
    error = refused(text)
    assert (error.kind, error.details) == (kind, details)


def test_no_incident_form_and_no_comment_question_are_refused():
    forms = sms_forms([definition("counting", [question("n", required=True)])])
    assert parse("!P1 AA1", forms).kind is SmsErrorKind.NO_INCIDENT_FORM
    assert parse("CT P1 AA1 @hello", forms) == SmsError(SmsErrorKind.NO_COMMENT, {"form": "CT"})


def test_every_refused_answer_is_reported_at_once():
    error = refused("VT P1 AA1 AB9999 AC7 ZZ1")
    assert [e.kind for e in error.all] == [
        SmsErrorKind.ABOVE_MAXIMUM, SmsErrorKind.NOT_A_CHOICE, SmsErrorKind.UNKNOWN_TAG]


def test_words_written_without_at_are_reported_once():
    error = refused("VT P1 AA1 AC1 AI school gym closed")
    assert [(e.kind, e.details.get("tag")) for e in error.all] == [
        (SmsErrorKind.TEXT_NEEDS_AT, "AI")]
    error = refused("VT P1 AA1 AC1 queue outside")
    assert [(e.kind, e.details.get("tag")) for e in error.all] == [
        (SmsErrorKind.UNKNOWN_TAG, "QUEUE")]
