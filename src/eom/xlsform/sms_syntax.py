"""The SMS report syntax: a pure parser and its inverse (no Django import).

A message is `[!]<FORM PREFIX><observer code> [station] <TAG><value> … [@comment]`, e.g.
`VT P0001 010018 AA0930 AB1015 AC1177 AD402 AE1 … @queue outside`. docs/channel-sms.md
describes it for the mission's staff; the rules, exactly:

- Upper and lower case are the same in prefixes and tags; Cyrillic letters that look like Latin
  ones (А В С Е Н К М О Р Т Х) are read as those Latin letters in prefixes and tags only.
  Observer and station codes are taken exactly as written: no letter in a code is rewritten.
- The message begins with the form's prefix (letters; `sms_prefix` of the definition, else OP,
  VT, CT, TB, IN for the shipped checklists, else the first two letters of the form id). The
  observer's code follows, glued to the prefix or after a space; a space ends it.
  `!` stands for the prefix of the incident form: `!P0001 …` is `IN P0001 …`.
- The next word is the polling station's (or commission's) code when it begins with a digit or
  with `#` (`#PS-12` for codes that begin with a letter). Without it, the station is left to the
  channel (the observer's only assignment).
- Then answers: a tag (letters) and its value (no letters). Tags are `sms_tag` of a question,
  else AA, AB, AC … over the questions SMS can answer (integer, decimal, select_one,
  select_multiple, time, date, text) in form order. Between a tag and its value may come
  spaces, `=` or `:`; answers may be glued (`AA2AB1`).
  - integer: digits, optionally signed; spaces inside are ignored (`AC1 177` is 1177);
  - decimal: digits with `.` or `,` as the decimal point;
  - select_one: the choice's position in the list, from 1;
  - select_multiple: positions separated by `,` `;` `.` `/` or spaces (`AC3,5`); when the list
    has at most 9 choices the digits may also run together (`AC35` is 3 and 5); with 10 or more
    a run of digits is one position (`AC12` is choice 12);
  - time: `HHMM`, `HMM`, `HH:MM` or `HH.MM`;
  - date: `YYYY-MM-DD`, `DD.MM.YYYY` or `DD/MM/YYYY`.
- Text follows `@` (at the start of the message or after a space) and runs to the next such
  `@`. `@words` is the form's comment (`sms_comment` of the definition, else the question named
  `comments`, else the first text question); `@TAG: words` answers the text question TAG. Several
  texts for one question are joined with "; ".
- A form whose definition sets `sms_partial` accepts reports in parts (the channel keeps them
  until the last answer arrives); otherwise every answer that is always required must be there.

`parse(text, forms)` returns a `ParsedSms` or an `SmsError` for any input and never raises;
`format_sms(parsed)` writes the canonical message, and `parse(format_sms(p), forms) == p`.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

SHIPPED_PREFIXES = {
    "opening": "OP", "voting": "VT", "counting": "CT", "tabulation": "TB", "incident": "IN",
}
SMS_TYPES = {"integer", "decimal", "select_one", "select_multiple", "time", "date", "text"}
INCIDENT_MARK = "!"
MAX_DIGITS = 15
MAX_LENGTH = 2000

# Cyrillic capitals that look like Latin ones (and their lower case), read as Latin in tags.
_LOOKALIKES = str.maketrans("АВСЕНКМОРТХавсенкмортх", "ABCEHKMOPTXABCEHKMOPTX")
_LETTER = "A-Za-zАВСЕНКМОРТХавсенкмортх"
_VALUE_CHARS = set("0123456789 ,;./:=+-")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_./-]*$")
_CHUNK = re.compile(rf"([{_LETTER}]+)([^{_LETTER}]*)")
_LEADING_LETTERS = re.compile(rf"^[{_LETTER}]+")
_ANY_LETTER = re.compile(rf"[{_LETTER}]")
_TEXT_START = re.compile(r"(?:^|(?<=\s))@")
_TAGGED_TEXT = re.compile(rf"^([{_LETTER}]+)\s*:\s*(.*)$", re.S)
_SEPARATORS = re.compile(r"[,;./\s]+")
_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_TIME = re.compile(r"^(\d{1,2})[:.]?(\d{2})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY_DATE = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")


# --- forms as SMS sees them -------------------------------------------------------------------


@dataclass(frozen=True)
class SmsQuestion:
    name: str
    tag: str
    type: str
    label: str = ""
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    always_required: bool = False


@dataclass(frozen=True)
class SmsForm:
    form_id: str
    prefix: str
    questions: tuple[SmsQuestion, ...]
    comment: str | None = None
    partial: bool = False
    incident: bool = False
    title: str = ""

    def by_tag(self, tag: str) -> SmsQuestion | None:
        return next((q for q in self.questions if q.tag == tag), None)

    def by_name(self, name: str) -> SmsQuestion | None:
        return next((q for q in self.questions if q.name == name), None)


def tag_for(index: int) -> str:
    """AA, AB, … AZ, BA, … ZZ, then AAA, …: the index-th derived tag (from 0)."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    if index < 26 * 26:
        return letters[index // 26] + letters[index % 26]
    index -= 26 * 26
    return letters[index // 676 % 26] + letters[index // 26 % 26] + letters[index % 26]


def _letters(text: str) -> str:
    return "".join(c for c in str(text).translate(_LOOKALIKES).upper() if "A" <= c <= "Z")


def _bound(value: Any) -> float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _label(question: Mapping[str, Any]) -> str:
    label = question.get("label") or {}
    if isinstance(label, Mapping):
        return str(label.get("en") or next(iter(label.values()), "") or "")
    return str(label)


def derived_prefix(form_id: str) -> str:
    """The form's prefix when its definition names none."""
    if form_id in SHIPPED_PREFIXES:
        return SHIPPED_PREFIXES[form_id]
    letters = _letters(form_id)
    return (letters + "XX")[:2]


def sms_form(definition: Mapping[str, Any], prefix: str | None = None) -> SmsForm:
    """The SMS view of a form definition (as stored in FormVersion.definition)."""
    form_id = str(definition.get("form_id", ""))
    entries = []
    for section in definition.get("sections", []):
        conditional_section = bool(section.get("relevant"))
        for question in section.get("questions", []):
            if question.get("type") in SMS_TYPES:
                entries.append((question, conditional_section))
    explicit = {_letters(q.get("sms_tag", "")) for q, _c in entries} - {""}
    used: set[str] = set()
    index = 0
    questions = []
    for question, conditional_section in entries:
        tag = _letters(question.get("sms_tag", ""))
        if not tag or tag in used:
            while tag_for(index) in explicit | used:
                index += 1
            tag = tag_for(index)
        used.add(tag)
        questions.append(SmsQuestion(
            name=question["name"], tag=tag, type=question["type"], label=_label(question),
            choices=tuple(c["name"] for c in question.get("choices", [])),
            minimum=_bound(question.get("min")), maximum=_bound(question.get("max")),
            always_required=question.get("required") is True and not conditional_section
            and not question.get("relevant"),
        ))
    texts = [q for q in questions if q.type == "text"]
    named = definition.get("sms_comment")
    comment = next((q.name for q in texts if q.name == named), None)
    comment = comment or next((q.name for q in texts if q.name == "comments"), None)
    comment = comment or (texts[0].name if texts else None)
    return SmsForm(
        form_id=form_id,
        prefix=prefix or _letters(definition.get("sms_prefix", "")) or derived_prefix(form_id),
        questions=tuple(questions), comment=comment,
        partial=definition.get("sms_partial") is True,
        incident=definition.get("stage") == "incident", title=str(definition.get("title", "")),
    )


def sms_forms(definitions: Iterable[Mapping[str, Any]]) -> dict[str, SmsForm]:
    """The forms by prefix. When two forms would share a prefix, the later one takes its first
    letter and the next free letter of its id (e.g. VO), deterministically in the given order."""
    forms: dict[str, SmsForm] = {}
    for definition in definitions:
        form = sms_form(definition)
        prefix = form.prefix
        if prefix in forms:
            letters = _letters(form.form_id) or "X"
            candidates = [letters[0] + c for c in letters[1:] + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]
            free = next((p for p in candidates if p not in forms), None)
            if free is None:
                continue
            prefix = free
            form = sms_form(definition, prefix=prefix)
        forms[prefix] = form
    return forms


# --- results ----------------------------------------------------------------------------------


class SmsErrorKind(enum.Enum):
    EMPTY = "empty"                          # nothing but spaces
    TOO_LONG = "too_long"                    # {length, maximum}
    MISSING_FORM = "missing_form"            # {known}: no prefix at the start
    UNKNOWN_FORM = "unknown_form"            # {form, known}
    NO_INCIDENT_FORM = "no_incident_form"    # `!` but the mission has no incident form
    MISSING_CODE = "missing_code"            # {form}
    BAD_CODE = "bad_code"                    # {code}: characters a code cannot hold
    BAD_STATION = "bad_station"              # {station}
    BAD_CHARACTER = "bad_character"          # {character}
    STRAY_VALUE = "stray_value"              # {value}: a value before any tag
    UNKNOWN_TAG = "unknown_tag"              # {tag, form}
    DUPLICATE_TAG = "duplicate_tag"          # {tag}
    MISSING_VALUE = "missing_value"          # {tag}
    TEXT_NEEDS_AT = "text_needs_at"          # {tag}: a text question outside `@TAG:`
    NO_COMMENT = "no_comment"                # {form}: `@words` but the form has no text question
    NOT_A_NUMBER = "not_a_number"            # {tag, value, kind: integer|decimal}
    BELOW_MINIMUM = "below_minimum"          # {tag, value, minimum}
    ABOVE_MAXIMUM = "above_maximum"          # {tag, value, maximum}
    NOT_A_CHOICE = "not_a_choice"            # {tag, value, n_choices}
    ONE_CHOICE_ONLY = "one_choice_only"      # {tag, value}
    BAD_TIME = "bad_time"                    # {tag, value}
    BAD_DATE = "bad_date"                    # {tag, value}
    MISSING_ANSWERS = "missing_answers"      # {tags}


@dataclass(frozen=True)
class SmsError:
    """Why a message was refused; `also` holds further answers refused in the same message."""

    kind: SmsErrorKind
    details: dict[str, Any] = field(default_factory=dict)
    also: tuple[SmsError, ...] = ()

    @property
    def all(self) -> tuple[SmsError, ...]:
        return (SmsError(self.kind, self.details), *self.also)


@dataclass(frozen=True)
class ParsedSms:
    form: SmsForm
    observer: str
    station: str | None
    answers: dict[str, Any]

    def tags(self) -> dict[str, Any]:
        """{tag: value} in form order."""
        return {q.tag: self.answers[q.name] for q in self.form.questions if q.name in self.answers}


class _Refused(Exception):
    def __init__(self, error_kind: SmsErrorKind, /, **details: Any) -> None:
        super().__init__(error_kind.value)
        self.error = SmsError(error_kind, details)


# --- parsing ----------------------------------------------------------------------------------


def parse(text: str, forms: Mapping[str, SmsForm]) -> ParsedSms | SmsError:
    """Read one message; see the module docstring. Never raises for any `text`."""
    try:
        return _parse(text, forms)
    except _Refused as refused:
        return refused.error


def _parse(text: str, forms: Mapping[str, SmsForm]) -> ParsedSms | SmsError:
    text = unicodedata.normalize("NFKC", str(text)).strip()
    if not text:
        raise _Refused(SmsErrorKind.EMPTY)
    if len(text) > MAX_LENGTH:
        raise _Refused(SmsErrorKind.TOO_LONG, length=len(text), maximum=MAX_LENGTH)
    parts = _TEXT_START.split(text, maxsplit=1)
    head, tail = parts[0].strip(), (parts[1] if len(parts) > 1 else "")
    form, words = _form_and_words(head, forms)
    if not words:
        raise _Refused(SmsErrorKind.MISSING_CODE, form=form.prefix)
    observer, words = words[0], words[1:]
    if not _CODE.match(observer):
        raise _Refused(SmsErrorKind.BAD_CODE, code=observer)
    station = None
    if words and (words[0][:1].isdigit() or words[0].startswith("#")):
        station, words = words[0].removeprefix("#"), words[1:]
        if not _CODE.match(station):
            raise _Refused(SmsErrorKind.BAD_STATION, station=station)
    answers: dict[str, Any] = {}
    errors = _read_answers(" ".join(words), form, answers)
    errors += _read_texts(tail, form, answers)
    if not errors and not form.partial:
        missing = [q.tag for q in form.questions if q.always_required and q.name not in answers]
        if missing:
            errors.append(SmsError(SmsErrorKind.MISSING_ANSWERS, {"tags": missing}))
    if errors:
        return SmsError(errors[0].kind, errors[0].details, tuple(errors[1:]))
    return ParsedSms(form=form, observer=observer, station=station, answers=answers)


def _form_and_words(head: str, forms: Mapping[str, SmsForm]) -> tuple[SmsForm, list[str]]:
    known = sorted(forms)
    if head.startswith(INCIDENT_MARK):
        incident = [forms[p] for p in known if forms[p].incident]
        if not incident:
            raise _Refused(SmsErrorKind.NO_INCIDENT_FORM)
        return incident[0], head[len(INCIDENT_MARK):].split()
    words = head.split()
    first = words[0] if words else ""
    match = _LEADING_LETTERS.match(first)
    if match is None:
        raise _Refused(SmsErrorKind.MISSING_FORM, known=known)
    letters = match.group().translate(_LOOKALIKES).upper()
    for prefix in sorted(forms, key=len, reverse=True):
        if letters.startswith(prefix):
            rest = first[len(prefix):]
            return forms[prefix], ([rest] if rest else []) + words[1:]
    raise _Refused(SmsErrorKind.UNKNOWN_FORM, form=letters[:2], known=known)


def _read_answers(body: str, form: SmsForm, answers: dict[str, Any]) -> list[SmsError]:
    for character in body:
        if character not in _VALUE_CHARS and not _ANY_LETTER.match(character):
            raise _Refused(SmsErrorKind.BAD_CHARACTER, character=character)
    first = _ANY_LETTER.search(body)
    stray = body[: first.start()] if first else body
    if stray.strip():
        raise _Refused(SmsErrorKind.STRAY_VALUE, value=stray.strip())
    errors: list[SmsError] = []
    words_follow = False  # after an unknown tag or a text tag, more unknown "tags" are words
    for letters, raw in _CHUNK.findall(body):
        tag = letters.translate(_LOOKALIKES).upper()
        question = form.by_tag(tag)
        if question is None:
            if not words_follow:
                errors.append(SmsError(SmsErrorKind.UNKNOWN_TAG,
                                       {"tag": tag, "form": form.prefix}))
            words_follow = True
            continue
        if question.type == "text":
            errors.append(SmsError(SmsErrorKind.TEXT_NEEDS_AT, {"tag": tag}))
            words_follow = True
            continue
        if question.name in answers:
            errors.append(SmsError(SmsErrorKind.DUPLICATE_TAG, {"tag": tag}))
            continue
        value = raw.strip().lstrip("=:").strip()
        if not value:
            errors.append(SmsError(SmsErrorKind.MISSING_VALUE, {"tag": tag}))
            continue
        try:
            answers[question.name] = _value(question, value)
        except _Refused as refused:
            errors.append(refused.error)
    return errors


def _value(question: SmsQuestion, value: str) -> Any:
    tag, kind = question.tag, question.type
    if kind in {"integer", "decimal"}:
        compact = re.sub(r"\s+", "", value)
        pattern = _INTEGER if kind == "integer" else _DECIMAL
        if not pattern.match(compact) or sum(c.isdigit() for c in compact) > MAX_DIGITS:
            raise _Refused(SmsErrorKind.NOT_A_NUMBER, tag=tag, value=value, kind=kind)
        if kind == "integer":
            number: Any = int(compact)
            stored: Any = number
        else:
            stored = compact.replace(",", ".").lstrip("+")
            number = float(stored)
        if question.minimum is not None and number < question.minimum:
            raise _Refused(SmsErrorKind.BELOW_MINIMUM, tag=tag, value=stored,
                           minimum=question.minimum)
        if question.maximum is not None and number > question.maximum:
            raise _Refused(SmsErrorKind.ABOVE_MAXIMUM, tag=tag, value=stored,
                           maximum=question.maximum)
        return stored
    if kind in {"select_one", "select_multiple"}:
        return _choices(question, value)
    if kind == "time":
        match = _TIME.match(re.sub(r"\s+", "", value))
        if match is None or int(match[1]) > 23 or int(match[2]) > 59:
            raise _Refused(SmsErrorKind.BAD_TIME, tag=tag, value=value)
        return f"{int(match[1]):02d}:{match[2]}"
    # date: the only other type that reaches here
    compact = re.sub(r"\s+", "", value)
    iso, dmy = _ISO_DATE.match(compact), _DMY_DATE.match(compact)
    try:
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3])).isoformat()
        if dmy:
            return dt.date(int(dmy[3]), int(dmy[2]), int(dmy[1])).isoformat()
    except ValueError:
        pass
    raise _Refused(SmsErrorKind.BAD_DATE, tag=tag, value=value)


def _choices(question: SmsQuestion, value: str) -> str | list[str]:
    tag, n = question.tag, len(question.choices)
    pieces = [p for p in _SEPARATORS.split(value) if p]
    if not pieces or any(not p.isdigit() for p in pieces):
        raise _Refused(SmsErrorKind.NOT_A_CHOICE, tag=tag, value=value, n_choices=n)
    if question.type == "select_one":
        if len(pieces) > 1:
            raise _Refused(SmsErrorKind.ONE_CHOICE_ONLY, tag=tag, value=value)
    elif n <= 9:
        pieces = [digit for piece in pieces for digit in piece]
    positions = []
    for piece in pieces:
        position = int(piece) if len(piece) <= MAX_DIGITS else 0
        if not 1 <= position <= n:
            raise _Refused(SmsErrorKind.NOT_A_CHOICE, tag=tag, value=piece, n_choices=n)
        positions.append(position)
    if question.type == "select_one":
        return question.choices[positions[0] - 1]
    return [question.choices[p - 1] for p in sorted(set(positions))]


def _read_texts(tail: str, form: SmsForm, answers: dict[str, Any]) -> list[SmsError]:
    if not tail:
        return []
    errors = []
    for segment in _TEXT_START.split(tail):
        segment = " ".join(segment.split())
        if not segment:
            continue
        name, text = form.comment, segment
        tagged = _TAGGED_TEXT.match(segment)
        if tagged:
            question = form.by_tag(tagged[1].translate(_LOOKALIKES).upper())
            if question is not None and question.type == "text":
                name, text = question.name, tagged[2].strip()
        if name is None:
            errors.append(SmsError(SmsErrorKind.NO_COMMENT, {"form": form.prefix}))
            continue
        if not text:
            continue
        answers[name] = f"{answers[name]}; {text}" if name in answers else text
    return errors


# --- writing ----------------------------------------------------------------------------------


def format_value(question: SmsQuestion, value: Any) -> str:
    """An answer as the message writes it (select answers as positions)."""
    if question.type == "select_one":
        return str(question.choices.index(value) + 1)
    if question.type == "select_multiple":
        return ",".join(str(question.choices.index(v) + 1) for v in value)
    if question.type == "time":
        return str(value)[:5].replace(":", "")
    return str(value)


def format_sms(parsed: ParsedSms) -> str:
    """The canonical message for a parsed report: `parse(format_sms(p), forms) == p`."""
    form = parsed.form
    words = [form.prefix, parsed.observer]
    if parsed.station is not None:
        station = parsed.station
        words.append(station if station[:1].isdigit() else f"#{station}")
    texts = []
    for question in form.questions:
        if question.name not in parsed.answers:
            continue
        value = parsed.answers[question.name]
        if question.type != "text":
            words.append(question.tag + format_value(question, value))
        elif question.name == form.comment and not _looks_tagged(form, value):
            texts.append(f"@{value}")
        else:
            texts.append(f"@{question.tag}: {value}")
    return " ".join(words + texts)


def _looks_tagged(form: SmsForm, text: str) -> bool:
    tagged = _TAGGED_TEXT.match(text)
    if tagged is None:
        return False
    question = form.by_tag(tagged[1].translate(_LOOKALIKES).upper())
    return question is not None and question.type == "text"


def summary(parsed: ParsedSms) -> str:
    """What was stored, for the reply: the canonical message without the observer code."""
    words = format_sms(parsed).split(" ")
    return " ".join([words[0], *words[2:]])


def tag_table(form: SmsForm) -> list[tuple[str, str, str, str]]:
    """(tag, question, type, how to answer) rows for the docs and the log page."""
    rows = []
    for q in form.questions:
        if q.type in {"select_one", "select_multiple"}:
            how = ", ".join(f"{i}={c}" for i, c in enumerate(q.choices, 1))
        elif q.type in {"integer", "decimal"}:
            low = "" if q.minimum is None else f"{q.minimum:g}"
            high = "" if q.maximum is None else f"{q.maximum:g}"
            how = (f"number {low}–{high}" if low and high else f"number ≥ {low}" if low
                   else f"number ≤ {high}" if high else "number")
        elif q.type == "text":
            how = "@text" if q.name == form.comment else f"@{q.tag}: text"
        else:
            how = {"time": "HHMM", "date": "YYYY-MM-DD"}[q.type]
        rows.append((q.tag, q.name, q.type, how))
    return rows
