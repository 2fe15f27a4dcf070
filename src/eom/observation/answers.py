"""Checking a submission's answers against its form definition, the same for every channel.

`clean_answers(definition, raw, location=…)` walks the questions in order, keeps only those that
are relevant (skip logic), converts each answer to its type, and checks `required` and
`constraint`. It returns the stored answers and the errors per question; QA rules are then run
by `qa_flags` over the stored answers and the polling station's attributes.
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

from .expressions import ExpressionError, compile_node, names, parse, truthy
from .models import localised

NO_ANSWER_TYPES = {"note"}
_INTEGER = re.compile(r"^[+-]?\d+$")


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


def location_env(location) -> dict[str, Any]:
    """The polling station's attributes that QA rules and expressions may use."""
    if location is None:
        return {}
    return {
        "location.n_registered": location.n_registered,
        "location.level": location.level,
        "location.kind": location.kind,
        "location.code": location.code,
    }


def env_value(question: Mapping, value: Any) -> Any:
    """How a stored answer appears inside expressions (select_multiple as 'a b c')."""
    if value is None:
        return ""
    if question["type"] == "select_multiple":
        return " ".join(value)
    return value


@dataclass
class Checked:
    answers: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)


def _convert(question: Mapping, raw: Any) -> Any:
    """The answer in its stored type; raises ValueError with the reason."""
    kind = question["type"]
    if kind == "integer":
        if isinstance(raw, bool) or not isinstance(raw, int | str):
            raise ValueError(_("a whole number is expected"))
        text = str(raw).strip().replace(" ", "").replace("\u00a0", "")
        if not _INTEGER.match(text):
            raise ValueError(_("“%(value)s” is not a whole number") % {"value": raw})
        return int(text)
    if kind == "decimal":
        try:
            number = float(str(raw).strip().replace(",", "."))
        except ValueError:
            raise ValueError(_("“%(value)s” is not a number") % {"value": raw}) from None
        if not math.isfinite(number):
            raise ValueError(_("“%(value)s” is not a number") % {"value": raw})
        return number
    names = {choice["name"] for choice in question.get("choices", [])}
    if kind == "select_one":
        value = str(raw).strip()
        if value not in names:
            raise ValueError(_("“%(value)s” is not one of the choices") % {"value": raw})
        return value
    if kind == "select_multiple":
        values = raw.split() if isinstance(raw, str) else [str(v).strip() for v in raw]
        unknown = [v for v in values if v not in names]
        if unknown:
            raise ValueError(
                _("not among the choices: %(values)s") % {"values": ", ".join(unknown)}
            )
        return [name for name in (c["name"] for c in question["choices"]) if name in values]
    if kind in {"date", "time", "datetime"}:
        parser = {"date": dt.date, "time": dt.time, "datetime": dt.datetime}[kind]
        try:
            return parser.fromisoformat(str(raw).strip()).isoformat()
        except ValueError:
            raise ValueError(_("“%(value)s” is not a valid %(kind)s") % {
                "value": raw, "kind": kind}) from None
    if kind == "geopoint":
        parts = str(raw).split()
        try:
            lat, lon = float(parts[0]), float(parts[1])
        except (IndexError, ValueError):
            raise ValueError(_("a position is “latitude longitude”")) from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError(_("the position is outside the globe"))
        return " ".join(parts[:4])
    return str(raw)


def _is_empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str | list | tuple) and len(raw) == 0) or (
        isinstance(raw, str) and not raw.strip()
    )


def clean_answers(
    definition: Mapping, raw: Mapping[str, Any], *, location=None, now=None
) -> Checked:
    """Check `raw` answers against the form; see the module docstring. Never raises for input."""
    checked = Checked()
    known = {q["name"]: q for _s, q in questions(definition)}
    for name in raw:
        if name not in known:
            checked.error(name, _("this form has no question “%(name)s”") % {"name": name})
    env: dict[str, Any] = location_env(location)
    for name in known:
        env[name] = ""
    for section, question in questions(definition):
        name = question["name"]
        try:
            relevant = _holds(section.get("relevant"), env, now=now) and _holds(
                question.get("relevant"), env, now=now
            )
        except ExpressionError:
            relevant = True
        if not relevant or question["type"] in NO_ANSWER_TYPES:
            continue
        value = raw.get(name)
        if _is_empty(value):
            required = question.get("required")
            if required is True or (isinstance(required, str) and _holds(required, env, now=now)):
                checked.error(
                    name, localised(question.get("required_message")) or _("An answer is required.")
                )
            continue
        try:
            value = _convert(question, value)
        except ValueError as exc:
            checked.error(name, str(exc))
            continue
        if not _holds(question.get("constraint"), env, current=env_value(question, value), now=now):
            checked.error(
                name,
                localised(question.get("constraint_message")) or _("This answer is not allowed."),
            )
            continue
        checked.answers[name] = value
        env[name] = env_value(question, value)
    return checked


def answers_env(definition: Mapping, answers: Mapping[str, Any], location=None) -> dict:
    env: dict[str, Any] = location_env(location)
    for _section, question in questions(definition):
        env[question["name"]] = env_value(question, answers.get(question["name"]))
    return env


@dataclass(frozen=True)
class RaisedFlag:
    rule: str
    severity: str
    message: dict
    expression: str
    values: dict


def qa_flags(definition: Mapping, answers: Mapping[str, Any], location=None) -> list[RaisedFlag]:
    """The QA rules that hold for these answers, each with the values it read. A rule is only
    tried when every answer it reads was given: a missing figure is not an arithmetic error."""
    env = answers_env(definition, answers, location)
    raised = []
    for rule in definition.get("qa", []):
        text = rule["expression"]
        read = {name: env.get(name, "") for name in _reads(text)}
        if any(value == "" for value in read.values()) or not _holds(text, env, empty=False):
            continue
        raised.append(RaisedFlag(rule["name"], rule["severity"], rule.get("message", {}), text, read))
    return raised

