"""A form definition turned into what the checklist template shows, in the reader's language."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from eom.missions.validators import MAX_ID, limit
from eom.xlsform.expressions import UNSTABLE, ExpressionError, from_json, functions_called
from eom.xlsform.reader import FILE_TYPES, METADATA_TYPES
from eom.xlsform.wording import Message

from .answers import (
    answers_env,
    choice_labels,
    place_env,
    pulled_data,
    question_at,
    questions,
    uses_choice_names,
    value_type,
)
from .models import localised

# Not asked on the page: the phone's own records, and what the server works out.
NOT_ASKED = METADATA_TYPES | {"calculate", "hidden", "xml-external", "csv-external"}

INPUT_TYPES = {
    "integer": "number",
    "decimal": "number",
    "text": "text",
    "date": "date",
    "time": "time",
    "datetime": "datetime-local",
    "geopoint": "text",
    "range": "number",
    "barcode": "text",
}


@dataclass
class ChoiceView:
    name: str
    label: str
    checked: bool


@dataclass
class QuestionView:
    name: str
    type: str
    label: str
    hint: str
    required: bool
    input_type: str
    value: Any
    errors: list[str]
    choices: list[ChoiceView] = field(default_factory=list)
    min: int | None = None
    max: int | None = None
    appearance: str = ""
    read_only: bool = False
    instances: list[InstanceView] = field(default_factory=list)  # a repeat's
    can_add: bool = False  # a repeat with room for one more instance
    max_instances: int = 0  # a repeat's
    blank: InstanceView | None = None  # a repeat's instance with no answers, numbered 0, which
    # the page copies to add one without asking the server (its fields `visits[0]/n`)


@dataclass
class InstanceView:
    """One instance of a repeat: its number (from 1), its path (`visits[2]`, the prefix of its
    fields' names) and its questions."""

    number: int
    path: str
    questions: list[QuestionView]


@dataclass
class SectionView:
    name: str
    label: str
    questions: list[QuestionView]


def logic(definition: dict, location=None, team=None) -> dict:
    """What the browser needs to check answers as the server does (static/eom/answers.js, a
    copy of `answers.clean_answers`) while the form is filled: by section and question name the
    expression trees, types, choices and messages in the reader's language (a repeat's
    questions in its `children`); the limits; and the server's reasons, translated, with their
    `%(…)s` fields left for the browser to fill."""
    sections = {
        section.get("name", ""): section.get("relevant_json")
        for section in definition.get("sections", [])
    }
    items = {question["name"]: _item(question, section.get("name", ""))
             for section, question in questions(definition)}
    return {
        "sections": sections,
        "questions": items,
        "order": list(items),
        "env": {**place_env(location, team), **pulled_data(definition),
                **(choice_labels(definition) if uses_choice_names(definition) else {})},
        "limits": {
            "answers": limit("EOM_MAX_ANSWERS"),
            "selected": limit("EOM_MAX_SELECTED_CHOICES"),
            "text_chars": limit("EOM_MAX_TEXT_ANSWER_CHARS"),
            "whole_number": str(MAX_ID),
            "instances": limit("EOM_MAX_REPEAT_INSTANCES"),
            "repeat_total": limit("EOM_MAX_REPEAT_TOTAL"),
        },
        "messages": reasons(),
    }


def _item(question: dict, section: str) -> dict[str, Any]:
    """What the browser checks of one question; a repeat's questions are its `children`, in
    the same shape (`order` and `questions` by name), and its `repeat_count` tree."""
    required = question.get("required")
    item: dict[str, Any] = {
        "section": section,
        "type": question["type"],
        "relevant": question.get("relevant_json"),
        "constraint": question.get("constraint_json"),
        "message": localised(question.get("constraint_message")),
        "required": True if required is True else question.get("required_json"),
        "required_message": localised(question.get("required_message")),
        "choices": [choice["name"] for choice in question.get("choices", [])],
        "value_type": value_type(question),
    }
    if question.get("calculation_json"):
        item["calculation"] = question["calculation_json"]
        item["unstable"] = bool(_called_names(question) & UNSTABLE)
    if question.get("choice_filter_json"):
        item["choice_filter"] = question["choice_filter_json"]
        item["columns"] = {c["name"]: c.get("columns") or {}
                           for c in question.get("choices", [])}
    if question["type"] == "range":
        item["parameters"] = question.get("parameters") or ""
    if question["type"] == "repeat":
        children = {child["name"]: _item(child, section)
                    for child in question.get("children") or []}
        item["children"] = {"order": list(children), "questions": children}
        item["repeat_count"] = question.get("repeat_count_json") if question.get(
            "repeat_count") else None
    return item


def reasons() -> dict[str, str]:
    """The reasons `answers.clean_answers` gives, in the reader's language, by kind; `%(…)s` and
    `%(…)d` are filled in by the browser as by the server."""
    return {
        "constraint": gettext("This answer is not allowed."),
        "required": gettext("An answer is required."),
        "one_value": gettext("one value is expected, not a list or an object"),
        "whole_number_expected": gettext("a whole number is expected"),
        "whole_number": gettext("“%(value)s” is not a whole number"),
        "number": gettext("“%(value)s” is not a number"),
        "choice": gettext("“%(value)s” is not one of the choices"),
        "moment": gettext("“%(value)s” is not a valid %(kind)s"),
        "choices_expected": gettext("a list of choices is expected"),
        "too_many": gettext("%(n)d items; at most %(max)d are allowed"),
        "not_choices": gettext("not among the choices: %(values)s"),
        "position": gettext("a position is “latitude longitude”"),
        "position_parts": gettext(
            "a position is “latitude longitude”, then altitude and accuracy"),
        "position_globe": gettext("the position is outside the globe"),
        "text": gettext("the text %(problem)s"),
        "nul": gettext("contains a NUL character, which a text may not hold"),
        "surrogate": gettext("is not valid Unicode (it holds a lone surrogate such as \\ud800)"),
        "long": gettext("is %(n)d characters long; at most %(max)d are allowed"),
        "no_question": gettext("this form has no question “%(name)s”"),
        "not_a_number": gettext("This is not a number."),
        "not_ok": gettext("“%(value)s” is not OK"),
        "ranked_twice": gettext("a choice is ranked twice"),
        "outside": gettext("%(value)s is outside %(start)s to %(end)s"),
        "trace": gettext("a line or shape is positions separated by “;”, at least two"),
        "not_offered": gettext("“%(value)s” is not one of the choices offered"),
        "repeat_list": gettext("a repeat is a list of instances, each a set of answers"),
        "repeat_total": gettext("more repeat instances in the report than %(limit)s"),
        "repeat_count": gettext("%(count)s instances, but the form asks for %(wanted)s"),
    }


def _called_names(question: dict) -> set[str]:
    try:
        return functions_called(from_json(question["calculation_json"]))
    except ExpressionError:
        return set()


def form_view(
    definition: dict, answers: dict[str, Any], errors: dict[str, list[str]], location=None,
    team=None,
) -> list[SectionView]:
    """Sections and questions with labels, current values, errors and the expression trees the
    browser evaluates for skip logic and constraints. A repeat shows each instance of
    `answers[name]` (a list of dicts), its fields named `repeat[n]/question`. A `${name}` in a
    label or hint shows that answer (or the station's or team's value: `location`, `team`)."""
    sections: dict[str, SectionView] = {}
    env = answers_env(definition, answers, location, team)
    for section, question in questions(definition):
        if question["type"] in NOT_ASKED:
            continue
        key = section.get("name", "")
        if key not in sections:
            sections[key] = SectionView(key, localised(section.get("label")), [])
        sections[key].questions.append(_question_view(question, answers, errors, "", env))
    return list(sections.values())


_REFERENCE = re.compile(r"\$\{\s*([A-Za-z_][\w.\-]*)\s*\}")


def with_outputs(text: str, env: Mapping[str, Any]) -> str:
    """The text with each `${name}` as an `<output data-ref="name">` holding its value now,
    which the page's script keeps up to date as answers change (as ODK Collect fills the
    `<output>` pyxform writes); the rest escaped."""
    if "${" not in text:
        return text
    parts, end = [], 0
    for match in _REFERENCE.finditer(text):
        parts += [escape(text[end:match.start()]), format_html(
            '<output data-ref="{}">{}</output>', match[1], _value_shown(env, match[1]))]
        end = match.end()
    parts.append(escape(text[end:]))
    return mark_safe("".join(parts))  # noqa: S308 (every part escaped above)


def filled_in(text: str, env: Mapping[str, Any]) -> str:
    """The text with each `${name}` replaced by its value (a stored report's labels)."""
    if "${" not in text:
        return text
    return _REFERENCE.sub(lambda match: _value_shown(env, match[1]), text)


def _instance_env(env: Mapping[str, Any], instance: Mapping[str, Any]) -> dict[str, Any]:
    """What a label inside a repeat's instance reads: the instance's own answers over the
    report's (a repeat inside it left out)."""
    return {**env, **{k: v for k, v in instance.items() if not isinstance(v, list)}}


def _value_shown(env: Mapping[str, Any], name: str) -> str:
    value = env.get(name, "")
    return " ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)


def _question_view(question: dict, answers: dict[str, Any], errors: dict[str, list[str]],
                   prefix: str, env: Mapping[str, Any]) -> QuestionView:
    name = prefix + question["name"]
    value = answers.get(question["name"], question.get("default") or "")
    view = QuestionView(
        name=name,
        type=_shown_type(question),
        label=with_outputs(localised(question.get("label"), question["name"]), env),
        hint=with_outputs(localised(question.get("hint")), env),
        required=question.get("required") is True,
        input_type=INPUT_TYPES.get(question["type"], "text"),
        value=value,
        errors=errors.get(name, []),
        min=question.get("min"),
        max=question.get("max"),
        appearance=question.get("appearance") or "",
        read_only=bool(question.get("read_only")),
    )
    if question["type"] == "repeat":
        instances = value if isinstance(value, list) else []
        for number, instance in enumerate(instances, start=1):
            path = f"{name}[{number}]"
            shown = instance if isinstance(instance, dict) else {}
            inner = _instance_env(env, shown)
            view.instances.append(InstanceView(number, path, [
                _question_view(child, shown, errors, path + "/", inner)
                for child in question.get("children") or [] if child["type"] not in NOT_ASKED]))
        view.value = ""
        view.max_instances = limit("EOM_MAX_REPEAT_INSTANCES")
        view.can_add = len(instances) < view.max_instances
        path = f"{name}[0]"
        view.blank = InstanceView(0, path, [
            _question_view(child, {}, {}, path + "/", env)
            for child in question.get("children") or [] if child["type"] not in NOT_ASKED])
        return view
    selected = set(value if isinstance(value, list) else str(value).split())
    view.choices = [
        ChoiceView(c["name"], localised(c.get("label"), c["name"]), c["name"] in selected)
        for c in question.get("choices", [])
    ]
    return view


def _shown_type(question: dict) -> str:
    """The template's kind of field: a file for every type that takes one but a photo, a
    number for a range, the text box for a line, a shape, a code; selects as they are."""
    kind = question["type"]
    if kind in FILE_TYPES and kind != "image":
        return "file"
    if kind in ("geotrace", "geoshape", "barcode"):
        return "line"
    if kind == "rank":
        return "rank"
    return kind


def answers_from_post(definition: dict, post: QueryDict) -> dict[str, Any]:
    """The answers a browser sent; empty fields are left out, multi-selects are lists. A
    repeat's instances are the fields `repeat[1]`, `repeat[2]` … (each instance's marker) and
    their questions `repeat[n]/question`; at most one more than EOM_MAX_REPEAT_INSTANCES are
    read (the check then refuses them)."""
    answers: dict[str, Any] = {}
    for _section, question in questions(definition):
        _from_post(question, post, "", answers)
    return answers


def _from_post(question: dict, post: QueryDict, prefix: str, into: dict[str, Any]) -> None:
    name = question["name"]
    key = prefix + name
    if question["type"] == "repeat":
        instances: list[dict[str, Any]] = []
        while len(instances) <= limit("EOM_MAX_REPEAT_INSTANCES") \
                and f"{key}[{len(instances) + 1}]" in post:
            path = f"{key}[{len(instances) + 1}]/"
            instance: dict[str, Any] = {}
            for child in question.get("children") or []:
                _from_post(child, post, path, instance)
            instances.append(instance)
        if instances:
            into[name] = instances
        return
    if question["type"] in NOT_ASKED or question["type"] in FILE_TYPES:
        return
    if question["type"] == "select_multiple":
        values = [v for v in post.getlist(key) if v]
        if values:
            into[name] = values
    elif value_type(question) != "note":
        value = post.get(key, "").strip()
        if value:
            into[name] = value


def change_instances(answers: dict[str, Any], action: str) -> dict[str, Any]:
    """The answers with a repeat instance added (`add visits`, `add visits[1]/rooms`) or
    removed (`remove visits[2]`), as the page's buttons ask; anything else changes nothing."""
    verb, _sep, path = action.partition(" ")
    steps = re.findall(r"([\w.\-]+)(?:\[(\d+)\])?", path)
    if verb not in ("add", "remove") or not steps:
        return answers
    place: Any = answers
    for step, (name, index) in enumerate(steps):
        last = step == len(steps) - 1
        if not isinstance(place, dict):
            return answers
        instances = place.get(name)
        if last and verb == "add" and not index:
            instances = instances if isinstance(instances, list) else []
            if len(instances) < limit("EOM_MAX_REPEAT_INSTANCES"):
                place[name] = [*instances, {}]
            return answers
        if not isinstance(instances, list) or not index or not 1 <= int(index) <= len(instances):
            return answers
        if last:
            del instances[int(index) - 1]
            return answers
        place = instances[int(index) - 1]
    return answers


def answer_text(question: dict, value: Any) -> str:
    """An answer as the reader reads it: a choice's label in the reader's language (ticked
    choices joined by commas), anything else as given; a code no longer among the choices is
    shown as stored."""
    if value is None:
        return ""
    if question.get("type") == "repeat":
        return _repeat_text(question, value)
    labels = {c["name"]: localised(c.get("label"), c["name"]) for c in question.get("choices", [])}
    if isinstance(value, list):
        return ", ".join(labels.get(str(v), str(v)) for v in value)
    if question.get("type") == "select_multiple":
        return ", ".join(labels.get(v, v) for v in str(value).split())
    return labels.get(str(value), str(value))


def question_label(definition: dict, name: str) -> str:
    """A question's label in the reader's language; its name when the version has no such
    question."""
    for _section, question in questions(definition):
        if question["name"] == name:
            return localised(question.get("label"), name)
    return name


def attachment_label(definition: dict, path: str) -> str:
    """The question of a file sent with a report, in the reader's language; inside a repeat
    with its instance's number (`Visit 2 › Photo of the queue`); the path itself when the
    version has no such question."""
    found = question_at(definition, path)
    if found is None:
        return path
    through, question = found
    return "".join(f"{localised(repeat.get('label'), repeat['name'])} {number} › "
                   for repeat, number in through) + localised(question.get("label"),
                                                               question["name"])


def _repeat_text(question: dict, value: Any) -> str:
    """A repeat's instances in one line: `1) Voters: 3, Why: slow; 2) Voters: 5`."""
    if not isinstance(value, list):
        return str(value)
    children = {c["name"]: c for c in question.get("children") or []}
    parts = []
    for number, instance in enumerate(value, start=1):
        shown = instance.items() if isinstance(instance, dict) else ()
        parts.append(f"{number}) " + ", ".join(
            f"{localised(children.get(k, {}).get('label'), k)}: "
            f"{answer_text(children.get(k, {}), v)}" for k, v in shown))
    return "; ".join(parts)


def answer_rows(definition: dict, answers: dict[str, Any], location=None, team=None
                ) -> list[tuple[str, str, str]]:
    """(section label, question label, answer as text) for every answered question; each
    instance of a repeat numbered (`Visit 2 › Voters`); a `${name}` in a label filled in with
    the report's answer (or its station's or team's value)."""
    rows: list[tuple[str, str, str]] = []
    env = answers_env(definition, answers, location, team)
    for section, question in questions(definition):
        if question["name"] in answers:
            _rows(localised(section.get("label")), "", question, answers[question["name"]], rows,
                  env)
    return rows


def _rows(section: str, prefix: str, question: dict, value: Any,
          rows: list[tuple[str, str, str]], env: Mapping[str, Any]) -> None:
    label = prefix + filled_in(localised(question.get("label"), question["name"]), env)
    if question.get("type") != "repeat" or not isinstance(value, list):
        rows.append((section, label, answer_text(question, value)))
        return
    for number, instance in enumerate(value, start=1):
        if not isinstance(instance, dict):
            continue
        inner = _instance_env(env, instance)
        for child in question.get("children") or []:
            if child["name"] in instance:
                _rows(section, f"{label} {number} › ", child, instance[child["name"]], rows,
                      inner)


def _asked(definition: dict) -> dict[str, dict]:
    return {question["name"]: question for _section, question in questions(definition)}


def value_rows(definition: dict, values: dict[str, Any]) -> list[tuple[str, str]]:
    """A QA flag's `{name: value}` as (question label, answer as text); a name that is not a
    question of the form (`location.n_registered`) keeps its name."""
    asked = _asked(definition)
    return [(localised(asked.get(name, {}).get("label"), name),
             answer_text(asked.get(name, {}), value)) for name, value in values.items()]


def change_rows(definition: dict, changes: dict[str, list]) -> list[tuple[str, str, str]]:
    """A revision's `{name: [before, after]}` as (question label, before, after) in words."""
    asked = _asked(definition)
    return [(localised(asked.get(name, {}).get("label"), name),
             answer_text(asked.get(name, {}), before), answer_text(asked.get(name, {}), after))
            for name, (before, after) in changes.items()]


def load_notes(version: Any) -> list[str]:
    """What eom decided when it loaded `version` where the workbook said nothing (form_id from
    the file name, version from the upload time, no stage …), in the reader's language; the
    English notes of a version stored before they were kept for translation."""
    if version is None:
        return []
    stored = version.definition.get("note_messages")
    if stored is None:
        return [str(note) for note in version.definition.get("notes", [])]
    return [Message(note["template"], note.get("params") or {}).translated(gettext)
            for note in stored]
