"""Checks of what LTO reports take, shared by the forms, the API and the services.

Each `…_problem(s)` function returns the reasons a value is refused, as {field: reason} (the
field written as the API names it: `answers.n_meetings`, `sections.2.text`), empty when it is
accepted. Limits: a section or passage holds at most EOM_MAX_LTO_SECTION_CHARS characters, a
short text answer 500, a number answer 0 to 1,000,000, at most 20 tags of 50 characters.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.utils.translation import gettext as _

from eom.missions.validators import text_problem

from .models import QuestionType

MAX_SHORT_TEXT = 500
MAX_NUMBER = 1_000_000
MAX_TAGS = 20
MAX_TAG_CHARS = 50
MAX_QUESTIONS = 50
NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def max_section_chars() -> int:
    return settings.EOM_MAX_LTO_SECTION_CHARS


def template_problems(questions) -> list[str]:
    """What is wrong with a template's list of questions (each {"name", "type", "label", …})."""
    if not isinstance(questions, list):
        return [_("The questions must be a list.")]
    if len(questions) > MAX_QUESTIONS:
        return [_("At most %(n)d questions.") % {"n": MAX_QUESTIONS}]
    problems, seen = [], set()
    for number, item in enumerate(questions, start=1):
        if not isinstance(item, dict):
            problems.append(_("Question %(n)d is not an object.") % {"n": number})
            continue
        name = item.get("name")
        if not isinstance(name, str) or not NAME.match(name):
            problems.append(_("Question %(n)d: the name must be lower-case letters, digits and "
                              "underscores, starting with a letter.") % {"n": number})
        elif name in seen:
            problems.append(_("Question %(n)d: the name %(name)s is used twice.")
                            % {"n": number, "name": name})
        seen.add(name)
        if item.get("type") not in QuestionType.values:
            problems.append(_("Question %(n)d: the type must be one of %(types)s.")
                            % {"n": number, "types": ", ".join(QuestionType.values)})
        if not isinstance(item.get("label"), str) or not item.get("label", "").strip():
            problems.append(_("Question %(n)d needs a label.") % {"n": number})
    return problems


def answer_problem(question: dict, value) -> str | None:
    """Why `value` is no answer to `question`, or None (an empty answer is allowed)."""
    if value is None or value == "":
        return None
    kind = question.get("type")
    if kind == QuestionType.INTEGER:
        if isinstance(value, bool) or not isinstance(value, int):
            return _("must be a whole number")
        if not 0 <= value <= MAX_NUMBER:
            return _("must lie between 0 and %(max)d") % {"max": MAX_NUMBER}
        return None
    if kind == QuestionType.YES_NO:
        return None if value in {"yes", "no"} else _("must be yes or no")
    if not isinstance(value, str):
        return _("must be a text")
    return text_problem(value, max_chars=MAX_SHORT_TEXT)


# The report form's own fields: a form's question may not take one of these names.
RESERVED = re.compile(r"^(title|heading|csrfmiddlewaretoken|(text|tags|passage)_\w+)$")


def template_form_problems(template) -> list[str]:
    """What is wrong with a template's form of structured questions: it must be a general form
    (no stage) of the template's mission with a version, the template's own questions empty,
    and none of its questions named as a field of the report form."""
    form = template.form
    if form is None:
        return []
    problems = []
    if form.mission_id != template.mission_id:
        problems.append(_("The form is not of this mission."))
    if form.stage:
        problems.append(_("The form observes a stage of election day; choose a general form "
                          "(loaded without a stage)."))
    if template.questions:
        problems.append(_("A template takes its questions from a form or lists them, not "
                          "both."))
    version = form.current_version
    if version is None:
        problems.append(_("The form has no version loaded."))
    else:
        from eom.observation.answers import questions

        taken = sorted(q["name"] for _s, q in questions(version.definition)
                       if RESERVED.match(q["name"]))
        if taken:
            problems.append(_("Questions named as fields of the report form: %(names)s.") % {
                "names": ", ".join(taken)})
    return problems


def answers_problems(questions: list[dict], answers: dict) -> dict[str, str]:
    """The answers' problems against the template's questions, by `answers.<name>`."""
    known = {q["name"]: q for q in questions if isinstance(q, dict) and "name" in q}
    problems = {}
    for name, value in answers.items():
        if name not in known:
            problems[f"answers.{name}"] = _("is no question of this report's template")
            continue
        problem = answer_problem(known[name], value)
        if problem:
            problems[f"answers.{name}"] = problem
    return problems


def section_text_problem(value: str) -> str | None:
    return text_problem(value, max_chars=max_section_chars())


def parse_tags(value: str) -> list[str]:
    """Tags from words separated by commas: trimmed, lower case, without repeats, in order."""
    tags: list[str] = []
    for raw in value.split(","):
        tag = " ".join(raw.split()).lower()
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def tags_problem(tags: list[str]) -> str | None:
    if len(tags) > MAX_TAGS:
        return _("at most %(n)d tags") % {"n": MAX_TAGS}
    for tag in tags:
        if len(tag) > MAX_TAG_CHARS:
            return _("a tag holds at most %(n)d characters") % {"n": MAX_TAG_CHARS}
        problem = text_problem(tag)
        if problem:
            return problem
    return None
