"""Checking a submission's answers against its form definition, the same for every channel.

`clean_answers(definition, raw, location=…)` walks the questions in order, keeps only those that
are relevant (skip logic), converts each answer to its type, and checks `required` and
`constraint`. It returns the stored answers and the errors per question; QA rules are then run
by `qa_flags` over the stored answers and the polling station's attributes.

The observer's phone makes the same checks, with the same messages, before sending:
`static/eom/answers.js` is this module in JavaScript (it gets the messages, translated, and the
limits from `rendering.logic`), and a browser test runs generated answers to the shipped
checklists through both. So each answer's written form is stated here, once:
- spaces around an answer are ignored (Python's `str.strip`: Unicode white space and the
  separators U+001C–U+001F); an answer of spaces only is no answer;
- integer: `[+-]digits` after taking out spaces and no-break spaces (`1 000`), ASCII digits, at
  most 20 characters and at most 2**63 - 1 either way;
- decimal: `[+-]digits[.digits]` or `[+-].digits`, then an optional exponent (`e-3`), with a
  comma allowed for the point; ASCII digits; finite;
- select_one: one of the choice names; select_multiple: names separated by spaces (or a list),
  each a choice, at most EOM_MAX_SELECTED_CHOICES, stored in the form's order;
- date `YYYY-MM-DD` (a day of the calendar, years 1 to 9999); time `HH:MM[:SS[.ffffff]]` with an
  optional offset `Z` or `±HH:MM`; datetime a date, `T` or a space, a time. They are stored in
  ISO form (`10:30` as `10:30:00`), and expressions see them so;
- geopoint: latitude and longitude, then altitude and accuracy if given, numbers written as
  for decimals without the comma, the position on the globe;
- text: no NUL character, no lone surrogate, at most EOM_MAX_TEXT_ANSWER_CHARS code points;
  barcode, hidden, the phone's metadata (deviceid, username, phonenumber, …) and the names of
  files (file, audio, video, audit) are texts; start and end are datetimes, today a date;
- acknowledge: "OK" (also ok, yes, true, 1), stored as "OK";
- range: a number as for decimals (stored as a whole number when it is one), between the
  `start` and `end` of its parameters (default 1 and 10);
- rank: choice names separated by spaces (or a list), each once, in the observer's order;
- geotrace, geoshape: positions (as geopoint) separated by ";", at least two;
- calculate: never taken from the sender; the server evaluates its calculation with the same
  expression tree the phone uses and stores the value as text (a calculation that uses
  now(), today(), once(), uuid() or random() keeps the phone's value when one is sent);
- a select with a choice_filter: the answer must be among the choices the filter keeps;
- the metadata and calculations are not asked on the web page.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext as _

from eom.missions.validators import MAX_ID, count_problem, limit, text_problem
from eom.xlsform.expressions import (
    ALL,
    COLUMN,
    DATA,
    INSTANCES,
    POSITION,
    UNSTABLE,
    ExpressionError,
    choice_label_key,
    compile_node,
    from_json,
    functions_called,
    names,
    parse,
    to_string,
    truthy,
)
from eom.xlsform.reader import VALUE_TYPES
from eom.xlsform.xform import LOOP

from .models import localised

NO_ANSWER_TYPES = {"note", "xml-external", "csv-external"}
_ACKNOWLEDGED = {"ok", "yes", "true", "1"}
_INTEGER = re.compile(r"[+-]?[0-9]+")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_CLOCK = r"(?:[01][0-9]|2[0-3]):[0-5][0-9]"
_TIME = rf"{_CLOCK}(?::[0-5][0-9](?:\.[0-9]{{1,6}})?)?(?:Z|[+-]{_CLOCK})?"
_MOMENTS = {
    "date": (re.compile(_DATE), dt.date),
    "time": (re.compile(_TIME), dt.time),
    "datetime": (re.compile(f"{_DATE}[T ]{_TIME}"), dt.datetime),
}


@lru_cache(maxsize=4096)
def _tree(text: str):
    return parse(text)


@lru_cache(maxsize=4096)
def _function(text: str):
    return compile_node(_tree(text))


@lru_cache(maxsize=4096)
def _reads(text: str) -> tuple[str, ...]:
    """The answers an expression reads, sorted."""
    return tuple(sorted(names(_tree(text))))


def _value(text: str | None, env: Mapping[str, Any], current: Any = None, now=None) -> Any:
    if not text:
        return None
    return _function(text)(env, current=current, now=now)


def _holds(text: str | None, env, current=None, now=None, empty: bool = True) -> bool:
    """Whether an expression holds; an empty expression counts as `empty`."""
    if not text:
        return empty
    return truthy(_value(text, env, current, now))


def questions(definition: Mapping) -> Iterator[tuple[dict, dict]]:
    """(section, question) pairs in form order."""
    for section in definition.get("sections", []):
        for question in section.get("questions", []):
            yield section, question


def place_env(location, team=None) -> dict[str, Any]:
    """What a form's expressions may read of the place the report is about and of the team it
    is sent for (`reader.PLACE_NAMES`); a team not known reads as empty."""
    env: dict[str, Any] = {"team.code": team.code if team else "",
                           "team.kind": team.kind if team else ""}
    if location is not None:
        env.update({
            "location.n_registered": "" if location.n_registered is None
            else location.n_registered,
            "location.level": location.level,
            "location.kind": location.kind,
            "location.code": location.code,
        })
    return env


def env_value(question: Mapping, value: Any) -> Any:
    """How a stored answer appears inside expressions (select_multiple and rank as 'a b c')."""
    if value is None:
        return ""
    if question["type"] in ("select_multiple", "rank"):
        return " ".join(value)
    return value


def value_type(question: Mapping) -> str:
    """How a question's answer is written and stored (`reader.VALUE_TYPES`)."""
    kind: str = question["type"]
    return VALUE_TYPES.get(kind, kind)


@dataclass
class Checked:
    answers: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)


SHOWN_CHARS = 40  # of a refused value, quoted back in the reason


def _shown(raw: Any) -> str:
    """The value as quoted back in a reason: its start only, and valid text."""
    text = raw if isinstance(raw, str) else str(raw)
    text = text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"
    return text if text_problem(text) is None else text.encode("unicode_escape").decode("ascii")


def _scalar(raw: Any) -> bool:
    return isinstance(raw, str | int | float)


def _convert(question: Mapping, raw: Any) -> Any:
    """The answer in its stored type; raises ValueError with the reason."""
    kind = value_type(question)
    if kind == "select_multiple":
        return _choices(question, raw)
    if kind == "rank":
        return _ranked(question, raw)
    if not _scalar(raw):
        raise ValueError(_("one value is expected, not a list or an object"))
    if kind == "integer":
        if isinstance(raw, bool) or not isinstance(raw, int | str):
            raise ValueError(_("a whole number is expected"))
        text = str(raw).strip().replace(" ", "").replace("\u00a0", "")
        if not _INTEGER.fullmatch(text) or len(text) > 20 or abs(int(text)) > MAX_ID:
            raise ValueError(_("“%(value)s” is not a whole number") % {"value": _shown(raw)})
        return int(text)
    if kind == "decimal":
        text = str(raw).strip().replace(",", ".")
        number = float(text) if _NUMBER.fullmatch(text) else math.nan
        if not math.isfinite(number):
            raise ValueError(_("“%(value)s” is not a number") % {"value": _shown(raw)})
        return number
    if kind == "select_one":
        value = str(raw).strip()
        if value not in {choice["name"] for choice in question.get("choices", [])}:
            raise ValueError(_("“%(value)s” is not one of the choices") % {"value": _shown(raw)})
        return value
    if kind in _MOMENTS:
        pattern, parser = _MOMENTS[kind]
        text = str(raw).strip()
        try:
            if not pattern.fullmatch(text):
                raise ValueError(text)
            return parser.fromisoformat(text.replace("Z", "+00:00")).isoformat()
        except ValueError:
            raise ValueError(_("“%(value)s” is not a valid %(kind)s") % {
                "value": _shown(raw), "kind": kind}) from None
    if kind == "geopoint":
        return _position(raw)
    if kind == "geotrace":
        return _trace(raw)
    if kind == "acknowledge":
        if str(raw).strip().lower() not in _ACKNOWLEDGED:
            raise ValueError(_("“%(value)s” is not OK") % {"value": _shown(raw)})
        return "OK"
    if kind == "range":
        return _in_range(question, raw)
    text = str(raw)
    problem = text_problem(text, max_chars=limit("EOM_MAX_TEXT_ANSWER_CHARS"))
    if problem:
        raise ValueError(_("the text %(problem)s") % {"problem": problem})
    return text


def _chosen(question: Mapping, raw: Any) -> list[str]:
    """The choice names of a select_multiple or rank answer, each a choice, at most the limit."""
    if isinstance(raw, str):
        values = raw.split()
    elif isinstance(raw, list | tuple) and all(_scalar(v) for v in raw):
        values = [str(v).strip() for v in raw]
    else:
        raise ValueError(_("a list of choices is expected"))
    problem = count_problem(len(values), limit("EOM_MAX_SELECTED_CHOICES"))
    if problem:
        raise ValueError(problem)
    names = {choice["name"] for choice in question.get("choices", [])}
    unknown = [v for v in values if v not in names]
    if unknown:
        raise ValueError(_("not among the choices: %(values)s") % {
            "values": ", ".join(_shown(v) for v in unknown[:10])})
    return values


def _choices(question: Mapping, raw: Any) -> list[str]:
    """A select_multiple answer: the chosen names in the form's order."""
    values = _chosen(question, raw)
    return [name for name in (c["name"] for c in question["choices"]) if name in values]


def _ranked(question: Mapping, raw: Any) -> list[str]:
    """A rank answer: the choice names in the observer's order, each once."""
    values = _chosen(question, raw)
    if len(set(values)) != len(values):
        raise ValueError(_("a choice is ranked twice"))
    return values


def _parameters(question: Mapping) -> dict[str, str]:
    text = str(question.get("parameters") or "")
    return {key.strip().lower(): value.strip() for key, _sep, value in
            (part.partition("=") for part in text.replace(",", " ").split())}


def _in_range(question: Mapping, raw: Any) -> int | float:
    """A range answer: a number between the parameters' start and end (default 1 and 10)."""
    text = str(raw).strip().replace(",", ".")
    number = float(text) if _NUMBER.fullmatch(text) else math.nan
    if not math.isfinite(number):
        raise ValueError(_("“%(value)s” is not a number") % {"value": _shown(raw)})
    params = _parameters(question)
    try:
        start, end = float(params.get("start", 1)), float(params.get("end", 10))
    except ValueError:
        start, end = 1.0, 10.0
    if not min(start, end) <= number <= max(start, end):
        raise ValueError(_("%(value)s is outside %(start)s to %(end)s") % {
            "value": _shown(raw), "start": params.get("start", "1"),
            "end": params.get("end", "10")})
    return int(number) if number.is_integer() and abs(number) <= MAX_ID else number


def _trace(raw: Any) -> str:
    """A geotrace or geoshape: positions separated by ";", at least two."""
    if not _scalar(raw):
        raise ValueError(_("one value is expected, not a list or an object"))
    points = [part.strip() for part in str(raw).split(";") if part.strip()]
    if len(points) < 2 or len(points) > 10_000:
        raise ValueError(_("a line or shape is positions separated by “;”, at least two"))
    return ";".join(_position(point) for point in points)


def _position(raw: Any) -> str:
    """A geopoint: latitude, longitude, then altitude and accuracy if given, all numbers."""
    parts = str(raw).split()
    try:
        if not all(_NUMBER.fullmatch(part) for part in parts):
            raise ValueError(raw)
        numbers = [float(part) for part in parts]
        lat, lon = numbers[0], numbers[1]
    except (IndexError, ValueError):
        raise ValueError(_("a position is “latitude longitude”")) from None
    if len(numbers) > 4 or not all(math.isfinite(n) for n in numbers):
        raise ValueError(_("a position is “latitude longitude”, then altitude and accuracy"))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(_("the position is outside the globe"))
    return " ".join(parts)


def _is_empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str | list | tuple) and len(raw) == 0) or (
        isinstance(raw, str) and not raw.strip()
    )


def clean_answers(
    definition: Mapping, raw: Mapping[str, Any], *, location=None, team=None, now=None
) -> Checked:
    """Check `raw` answers against the form; see the module docstring. Never raises for input."""
    checked = Checked()
    problem = count_problem(len(raw), limit("EOM_MAX_ANSWERS"))
    if problem:
        checked.error("answers", problem)
        return checked
    known = {q["name"]: q for _s, q in questions(definition)}
    for name in raw:
        if name not in known:
            shown = _shown(name)
            checked.error(shown, _("this form has no question “%(name)s”") % {"name": shown})
    env: dict[str, Any] = place_env(location, team)
    for _s, question in questions(definition):
        for each in walk(question):
            env[each["name"]] = ""
    if uses_choice_names(definition):
        env.update(choice_labels(definition))
    env.update(pulled_data(definition))
    run = _Run(checked, now, limit("EOM_MAX_REPEAT_TOTAL"))
    for section, question in questions(definition):
        try:
            relevant = _holds(section.get("relevant"), env, now=now)
        except ExpressionError:
            relevant = True
        if relevant:
            value = run.question(question, raw.get(question["name"]), env, "")
            if value is not None:
                checked.answers[question["name"]] = value
    return checked


def walk(question: Mapping) -> Iterator[dict]:
    """The question, then (for a repeat) every question inside it, in form order."""
    yield question  # type: ignore[misc]
    for child in question.get("children") or ():
        yield from walk(child)


def all_questions(definition: Mapping) -> Iterator[dict]:
    """Every question of the form, those inside repeats too, in form order."""
    for _section, question in questions(definition):
        yield from walk(question)


def repeat_names(definition: Mapping) -> frozenset[str]:
    """The names of the form's repeats, nested ones too, and of its loops (`LOOP + name`), as
    `parse_instance` reads them."""
    return frozenset(q["name"] for q in all_questions(definition) if q["type"] == "repeat") | {
        LOOP + name for name in definition.get("loops") or ()}


def repeat_paths(definition: Mapping) -> dict[str, tuple[str, ...]]:
    """The repeats around each question inside one, outermost first ({"n": ("visits",)})."""
    paths: dict[str, tuple[str, ...]] = {}

    def visit(question: Mapping, around: tuple[str, ...]) -> None:
        if around:
            paths[question["name"]] = around
        for child in question.get("children") or ():
            visit(child, (*around, question["name"]))

    for _section, question in questions(definition):
        visit(question, ())
    return paths


_INSTANCE_STEP = re.compile(r"([\w.\-]+)\[([0-9]{1,6})\]")


def question_at(definition: Mapping, path: str) -> tuple[list[tuple[dict, int]], dict] | None:
    """The repeats (with the instance's number) a question's path goes through, and the
    question: `photo` is ([], photo), `visits[2]/rooms[1]/plan` is ([(visits, 2), (rooms, 1)],
    plan). None when the form has no such question there."""
    *steps, last = path.split("/")
    level: list[dict] = [q for _s, q in questions(definition)]
    through: list[tuple[dict, int]] = []
    for step in steps:
        match = _INSTANCE_STEP.fullmatch(step)
        repeat = next((q for q in level if match and q["name"] == match[1]
                       and q["type"] == "repeat"), None)
        if match is None or repeat is None or int(match[2]) < 1:
            return None
        through.append((repeat, int(match[2])))
        level = list(repeat.get("children") or [])
    question = next((q for q in level if q["name"] == last), None)
    return None if question is None else (through, question)


def instance_held(answers: Mapping[str, Any], through: list[tuple[dict, int]]) -> bool:
    """Whether the answers hold the repeat instance `question_at` went through."""
    place: Any = answers
    for repeat, number in through:
        instances = place.get(repeat["name"]) if isinstance(place, Mapping) else None
        if not isinstance(instances, list) or number > len(instances):
            return False
        place = instances[number - 1]
    return True


@dataclass
class _Run:
    """One report's check: where errors go, the clock, and the repeat instances still allowed."""

    checked: Checked
    now: Any
    instances_left: int

    def question(self, question: Mapping, value: Any, env: dict[str, Any], path: str) -> Any:
        """The stored answer of one question (None: none), checked in `env` (the answers before
        it, in its repeat instance's context); errors are named `path` + its name."""
        name = question["name"]
        label = path + name
        now = self.now
        try:
            relevant = _holds(question.get("relevant"), env, now=now)
        except ExpressionError:
            relevant = True
        if not relevant or value_type(question) in NO_ANSWER_TYPES:
            return None
        if question["type"] == "repeat":
            return self.repeat(question, value, env, label)
        if question["type"] == "calculate":
            value = _calculated(question, env, value, now)
            if value is not None:
                env[name] = value
            return value
        if _is_empty(value):
            required = question.get("required")
            if required is True or (isinstance(required, str) and _holds(required, env, now=now)):
                self.checked.error(
                    label,
                    localised(question.get("required_message")) or _("An answer is required."))
            return None
        try:
            value = _convert(question, value)
        except ValueError as exc:
            self.checked.error(label, str(exc))
            return None
        if question.get("choice_filter_json") and not _kept_by_filter(question, value, env, now):
            self.checked.error(label, _("“%(value)s” is not one of the choices offered") % {
                "value": _shown(" ".join(value) if isinstance(value, list) else value)})
            return None
        if not _holds(question.get("constraint"), env, current=env_value(question, value), now=now):
            self.checked.error(
                label,
                localised(question.get("constraint_message")) or _("This answer is not allowed."),
            )
            return None
        env[name] = env_value(question, value)
        return value

    def repeat(self, question: Mapping, value: Any, env: dict[str, Any], label: str
               ) -> list[dict[str, Any]] | None:
        """A repeat's instances, each checked as its own little form: `${q}` is the same
        instance's q, position(..) its number. After it, `env` holds each question's values
        over the instances (node-sets: count(), sum(), indexed-repeat() read them)."""
        children = question.get("children") or []
        if _is_empty(value):
            value = []
        if not isinstance(value, list | tuple) or not all(isinstance(v, Mapping) for v in value):
            self.checked.error(label, _("a repeat is a list of instances, each a set of answers"))
            return None
        problem = count_problem(len(value), limit("EOM_MAX_REPEAT_INSTANCES"))
        if problem is None and len(value) > self.instances_left:
            problem = _("more repeat instances in the report than %(limit)s") % {
                "limit": limit("EOM_MAX_REPEAT_TOTAL")}
        if problem:
            self.checked.error(label, problem)
            return None
        self.instances_left -= len(value)
        wanted = _repeat_count(question, env, self.now)
        if wanted is not None and len(value) > wanted:
            self.checked.error(label, _("%(count)s instances, but the form asks for %(wanted)s") % {
                "count": len(value), "wanted": wanted})
            return None
        known = {c["name"] for c in children}
        stored: list[dict[str, Any]] = []
        seen: dict[str, list[Any]] = {each["name"]: [] for c in children for each in walk(c)}
        counts = _inner_repeats(children)
        for position, answers in enumerate(value, start=1):
            path = f"{label}[{position}]/"
            problem = count_problem(len(answers), limit("EOM_MAX_ANSWERS"))
            if problem:
                self.checked.error(path.rstrip("/"), problem)
                continue
            for name in answers:
                if name not in known:
                    shown = _shown(name)
                    self.checked.error(path + shown, _("this form has no question “%(name)s”") % {
                        "name": shown})
            inner = dict(env)
            inner[POSITION] = position
            for child in children:
                for each in walk(child):
                    inner[each["name"]] = ""
            instance: dict[str, Any] = {}
            for child in children:
                answer = self.question(child, answers.get(child["name"]), inner, path)
                if answer is not None:
                    instance[child["name"]] = answer
            for name in seen:
                seen[name].extend(_set(inner.get(name, "")))
            _count_instances(counts, children, inner)
            stored.append(instance)
        for name, values in seen.items():
            env[name] = env[ALL + name] = tuple(values)
        for name, numbers in counts.items():
            env[INSTANCES + name] = tuple(numbers)
        env[question["name"]] = tuple("" for _i in stored)
        return stored or None


def _inner_repeats(children: list[Mapping]) -> dict[str, list[int]]:
    """The repeats inside a repeat's instances, each with how many instances it has in each
    instance of the repeat around it (what the five-argument indexed-repeat() reads)."""
    return {each["name"]: [] for c in children for each in walk(c) if each["type"] == "repeat"}


def _count_instances(counts: dict[str, list[int]], children: list[Mapping],
                     inner: Mapping[str, Any]) -> None:
    """After one instance: the instances of each repeat directly inside it, and the counts of
    those deeper (already per instance of their own outer repeat)."""
    direct = {c["name"] for c in children}
    for name, numbers in counts.items():
        if name in direct:
            given = inner.get(name)
            numbers.append(len(given) if isinstance(given, tuple) else 0)
        else:
            numbers.extend(inner.get(INSTANCES + name, ()))


def _set(value: Any) -> tuple[Any, ...]:
    return value if isinstance(value, tuple) else (value,)


def _repeat_count(question: Mapping, env: Mapping[str, Any], now) -> int | None:
    """How many instances a repeat's repeat_count asks for (None: as many as the observer
    adds, or a count that is not a number)."""
    text = question.get("repeat_count")
    if not text:
        return None
    try:
        number = _value(text, env, now=now)
    except ExpressionError:
        return None
    try:
        count = int(float(to_string(number)))
    except (ValueError, OverflowError):
        return None
    return max(count, 0)


def _calculated(question: Mapping, env: Mapping[str, Any], sent: Any, now) -> str | None:
    """A calculate question's value as stored (text), from its calculation; None when it is
    empty. A calculation that uses now(), today(), once(), uuid() or random() keeps the
    phone's value when one is sent (its own value would differ)."""
    tree = question.get("calculation_json")
    if tree is None:
        return None
    node = _tree_of_json(repr(tree), tree)
    unstable = bool(functions_called(node) & UNSTABLE)
    if unstable and _scalar(sent) and str(sent).strip():
        text = str(sent).strip()
        problem = text_problem(text, max_chars=limit("EOM_MAX_TEXT_ANSWER_CHARS"))
        return None if problem else text
    try:
        value = compile_node(node)(env, now=now)
    except ExpressionError:
        return None
    text = to_string(value)
    return text[:limit("EOM_MAX_TEXT_ANSWER_CHARS")] or None


_JSON_TREES: dict[str, Any] = {}


def _tree_of_json(key: str, tree: Any):
    node = _JSON_TREES.get(key)
    if node is None:
        if len(_JSON_TREES) > 4096:
            _JSON_TREES.clear()
        node = _JSON_TREES[key] = from_json(tree)
    return node


def _kept_by_filter(question: Mapping, value: Any, env: Mapping[str, Any], now) -> bool:
    """Whether every chosen choice is one the question's choice_filter keeps."""
    node = _tree_of_json(repr(question["choice_filter_json"]), question["choice_filter_json"])
    run = compile_node(node)
    by_name = {c["name"]: c for c in question.get("choices", [])}
    for name in value if isinstance(value, list) else [value]:
        choice = by_name.get(name, {})
        columns = {COLUMN + key: _label_text(key, text, env)
                   for key, text in (choice.get("columns") or {}).items()}
        columns[COLUMN + "name"] = name
        if not truthy(run({**env, **columns}, now=now)):
            return False
    return True


_REFERENCE = re.compile(r"\$\{([^}]*)\}")


def _label_text(column: str, text: str, env: Mapping[str, Any]) -> str:
    """A choice's column as a choice_filter reads it: a label (`label::English`) with the
    answers it names (`${name1}`) put in, as the phone shows it; any other column as written."""
    if column != "label" and not column.startswith("label:") or "${" not in text:
        return text
    return _REFERENCE.sub(lambda match: to_string(env.get(match[1], "")), text)


def uses_choice_names(definition: Mapping) -> bool:
    return any("jr:choice-name" in str(q.get(column) or "")
               for _s, q in questions(definition)
               for column in ("calculation", "relevant", "constraint", "required"))


def choice_labels(definition: Mapping) -> dict[str, str]:
    """What jr:choice-name reads: each choice's label in the reader's language."""
    return {choice_label_key(q["name"], c["name"]): localised(c.get("label"), c["name"])
            for _s, q in questions(definition) for c in q.get("choices") or ()}


def pulled_data(definition: Mapping) -> dict[str, tuple[dict[str, str], ...]]:
    """What pulldata() reads: the rows of each attached CSV it names (`DATA` + file)."""
    return {DATA + name: tuple(rows) for name, rows in (definition.get("data") or {}).items()}


def answers_env(definition: Mapping, answers: Mapping[str, Any], location=None,
                team=None) -> dict:
    """The stored answers as expressions see them; a repeat's questions as node-sets (every
    instance's value, for count(), sum(), max() …)."""
    env: dict[str, Any] = {**place_env(location, team), **pulled_data(definition)}
    for _section, question in questions(definition):
        _put(env, question, answers.get(question["name"]))
    return env


def _put(env: dict[str, Any], question: Mapping, value: Any) -> None:
    if question["type"] != "repeat":
        env[question["name"]] = env_value(question, value)
        return
    instances = [i for i in value if isinstance(i, Mapping)] if isinstance(value, list) else []
    children = list(question.get("children") or [])
    sets: dict[str, list[Any]] = {each["name"]: [] for c in children for each in walk(c)}
    counts = _inner_repeats(children)
    for instance in instances:
        inner: dict[str, Any] = {}
        for child in children:
            _put(inner, child, instance.get(child["name"]))
        for name in sets:
            sets[name].extend(_set(inner.get(name, "")))
        _count_instances(counts, children, inner)
    for name, values in sets.items():
        env[name] = env[ALL + name] = tuple(values)
    for name, numbers in counts.items():
        env[INSTANCES + name] = tuple(numbers)
    env[question["name"]] = tuple("" for _i in instances)


@dataclass(frozen=True)
class RaisedFlag:
    rule: str
    severity: str
    message: dict
    expression: str
    values: dict


def qa_flags(definition: Mapping, answers: Mapping[str, Any], location=None,
             team=None) -> list[RaisedFlag]:
    """The QA rules that hold for these answers, each with the values it read. A rule is only
    tried when every answer it reads was given: a missing figure is not an arithmetic error."""
    env = answers_env(definition, answers, location, team)
    raised = []
    for rule in definition.get("qa", []):
        text = rule["expression"]
        read = {name: env.get(name, "") for name in _reads(text)}
        if any(value == "" for value in read.values()) or not _holds(text, env, empty=False):
            continue
        raised.append(RaisedFlag(rule["name"], rule["severity"], rule.get("message", {}), text, read))
    return raised

