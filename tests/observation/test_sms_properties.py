"""Properties of the SMS parser, checked with generated messages (no database)."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from eom.observation.channels.sms_replies import LANGUAGES, TEXTS, reply_for
from eom.xlsform.sms_syntax import ParsedSms, SmsError, SmsErrorKind, format_sms, parse, sms_forms
from tests.observation.test_sms_parse import FORMS, INCIDENT, VOTING, definition

DETAILS = {
    SmsErrorKind.EMPTY: set(),
    SmsErrorKind.TOO_LONG: {"length", "maximum"},
    SmsErrorKind.MISSING_FORM: {"known"},
    SmsErrorKind.UNKNOWN_FORM: {"form", "known"},
    SmsErrorKind.NO_INCIDENT_FORM: set(),
    SmsErrorKind.MISSING_CODE: {"form"},
    SmsErrorKind.BAD_CODE: {"code"},
    SmsErrorKind.BAD_STATION: {"station"},
    SmsErrorKind.BAD_CHARACTER: {"character"},
    SmsErrorKind.STRAY_VALUE: {"value"},
    SmsErrorKind.UNKNOWN_TAG: {"tag", "form"},
    SmsErrorKind.DUPLICATE_TAG: {"tag"},
    SmsErrorKind.MISSING_VALUE: {"tag"},
    SmsErrorKind.TEXT_NEEDS_AT: {"tag"},
    SmsErrorKind.NO_COMMENT: {"form"},
    SmsErrorKind.NOT_A_NUMBER: {"tag", "value", "kind"},
    SmsErrorKind.BELOW_MINIMUM: {"tag", "value", "minimum"},
    SmsErrorKind.ABOVE_MAXIMUM: {"tag", "value", "maximum"},
    SmsErrorKind.NOT_A_CHOICE: {"tag", "value", "n_choices"},
    SmsErrorKind.ONE_CHOICE_ONLY: {"tag", "value"},
    SmsErrorKind.BAD_TIME: {"tag", "value"},
    SmsErrorKind.BAD_DATE: {"tag", "value"},
    SmsErrorKind.MISSING_ANSWERS: {"tags"},
}
PARTIAL_FORMS = sms_forms([definition("voting", VOTING["sections"][0]["questions"],
                                      sms_partial=True), INCIDENT])
WORDS = [
    "VT", "vt", "IN", "!", "XY", "P0001", "sto-01", "010018", "#PS12", "AA", "ab", "AC", "AD",
    "AE", "AF", "AG", "AH", "AI", "AJ", "ZZ", "АА", "Ж", "1", "12", "0", "-3", "1177", "3,5",
    "1;2", "10/12", "9:30", "0930", "19.03.2023", "2023-02-30", "12,5", "=", ":", ",", ".", "/",
    "@", "@AI:", "@ queue", "a@b", "%", "  ", "\n", "\t", "+", "1e5", "٣", "①", "ß",
]
soup = st.lists(st.sampled_from(WORDS), max_size=25).flatmap(
    lambda words: st.sampled_from(["", " "]).map(lambda glue: glue.join(words)))


def check(result, forms) -> None:
    assert isinstance(result, ParsedSms | SmsError)
    if isinstance(result, SmsError):
        for error in result.all:
            assert isinstance(error.kind, SmsErrorKind)
            assert set(error.details) == DETAILS[error.kind]
        for language in LANGUAGES:
            assert reply_for(result, language)
    else:
        assert parse(format_sms(result), forms) == result


@settings(max_examples=400)
@given(st.text(max_size=300))
@example("@")
@example("!")
@example("VT P1 @@x")
@example("VT P1 AA1 AC1 @AJ: AI: x")
def test_arbitrary_text_never_crashes_and_rejections_name_their_reason(text):
    check(parse(text, FORMS), FORMS)
    check(parse(text, PARTIAL_FORMS), PARTIAL_FORMS)


@settings(max_examples=400)
@given(soup)
def test_messages_made_of_the_syntax_words_never_crash(text):
    check(parse(text, FORMS), FORMS)
    check(parse(text, PARTIAL_FORMS), PARTIAL_FORMS)


space = st.sampled_from([" ", "  ", "", "=", ": ", " = "])
separator = st.sampled_from([",", ";", ".", "/", " ", ", "])
code = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,8}", fullmatch=True)
phrase = st.text(st.characters(codec="utf-8", exclude_characters="@"), min_size=1,
                 max_size=40).filter(str.strip)


@st.composite
def messages(draw) -> str:
    """A well-formed message written with the tolerated variations."""
    prefix = draw(st.sampled_from(["VT", "vt", "Vt"]))
    words = [prefix + draw(st.sampled_from(["", " "])) + draw(code)]
    if draw(st.booleans()):
        words.append(draw(st.sampled_from(["", "#"])) + draw(st.from_regex(r"[0-9]{3,6}",
                                                                              fullmatch=True)))
    values = {
        "AA": st.integers(0, 10**6).map(str), "AB": st.integers(0, 5000).map(str),
        "AC": st.sampled_from(["1", "2"]),
        "AD": st.lists(st.sampled_from("123"), min_size=1, max_size=4).flatmap(
            lambda items: separator.map(lambda sep: sep.join(items))),
        "AE": st.lists(st.integers(1, 12).map(str), min_size=1, max_size=6).flatmap(
            lambda items: separator.map(lambda sep: sep.join(items))),
        "AF": st.tuples(st.integers(0, 23), st.integers(0, 59), st.sampled_from(["", ":", "."]))
        .map(lambda t: f"{t[0]:02d}{t[2]}{t[1]:02d}"),
        "AG": st.dates().map(lambda d: d.isoformat() if d.year >= 1000 else "2023-03-19"),
        "AH": st.tuples(st.integers(0, 99), st.integers(0, 99)).map(lambda t: f"{t[0]},{t[1]}"),
    }
    chosen = draw(st.permutations(sorted(values)))[: draw(st.integers(2, len(values)))]
    chosen = sorted(set(chosen) | {"AA", "AC"}, key=lambda _t: draw(st.integers(0, 9)))
    for tag in chosen:
        written = tag if draw(st.booleans()) else tag.lower()
        words.append(written + draw(space) + draw(values[tag]))
    if draw(st.booleans()):
        words.append("@AI: " + draw(phrase))
    if draw(st.booleans()):
        words.append("@" + draw(phrase))
    return " ".join(words)


@settings(max_examples=300)
@given(messages())
def test_formatting_a_parsed_message_and_parsing_it_again_gives_the_same_record(text):
    result = parse(text, FORMS)
    assert isinstance(result, ParsedSms), (text, result)
    assert parse(format_sms(result), FORMS) == result


def test_every_error_kind_has_a_reply_in_every_language():
    keys = {kind.value for kind in SmsErrorKind} | {"not_a_decimal"}
    assert keys <= set(TEXTS)
    assert all(set(TEXTS[key]) == set(LANGUAGES) for key in TEXTS)
