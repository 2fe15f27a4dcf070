"""A report's structured questions, from either kind of template (`ReportTemplate`): the
template's own short list (checked by `validators.answers_problems`), or a general form of the
mission, answered as a checklist is: the same widgets (`observation.rendering.form_view`), the
same checks on the server (`observation.answers.clean_answers`) and in the browser
(`answers.js`), the answers stored converted, with the form version they were checked against.

- `check(report, answers)`: the answers to keep, the form version (None for a template's own
  questions) and the problems by `answers.<name>`;
- `rows(report)`: (question, answer) in words, in the reader's language, for the report's page,
  the roll-up and the API.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from eom.missions.languages import reader_language
from eom.observation import rendering
from eom.observation.answers import clean_answers
from eom.observation.models import FormVersion

from . import validators
from .models import Report, ReportTemplate


def question_label(question: dict) -> str:
    """A template's own question's label in the reader's language (`label_ru`, `label_kk`),
    else English."""
    language = reader_language()
    return question.get(f"label_{language}") or question.get("label") or question["name"]


def form_version_of(template: ReportTemplate | None) -> FormVersion | None:
    """The version of the template's form that new answers are checked against."""
    if template is None or template.form_id is None:
        return None
    return template.form.current_version


def check(report: Report, answers: dict[str, Any]
          ) -> tuple[dict[str, Any], FormVersion | None, dict[str, str]]:
    """`answers` checked against the questions of the report's period's template: (the answers
    to store, the form version answered or None, {`answers.<name>`: reason})."""
    template = report.period.template
    if template is None or template.form_id is None:
        questions = template.questions if template else []
        kept = {k: v for k, v in answers.items() if v not in (None, "")}
        return kept, None, validators.answers_problems(questions, answers)
    version = form_version_of(template)
    if version is None:
        return {}, None, {"answers": _("the template's form has no version loaded")}
    checked = clean_answers(version.definition, answers, location=report.region,
                            team=report.team)
    errors = {("answers" if name == "answers" else f"answers.{name}"): " ".join(reasons)
              for name, reasons in checked.errors.items()}
    return checked.answers, version, errors


def definition_of(report: Report) -> dict | None:
    """The form definition the report's answers are read with: the version they were checked
    against, else the template form's current one; None for a template's own questions."""
    if report.form_version_id is not None:
        return report.form_version.definition
    version = form_version_of(report.period.template)
    return version.definition if version else None


def rows(report: Report) -> list[tuple[str, str]]:
    """(question, answer in words) for every question the report's template asks (a form's:
    every answered question, in the form's order), in the reader's language."""
    definition = definition_of(report)
    if definition is not None:
        return [(question, answer) for _section, question, answer
                in rendering.answer_rows(definition, report.answers, report.region, report.team)]
    template = report.period.template
    words = {"yes": _("yes"), "no": _("no")}
    return [(question_label(q), str(words.get(value, value)) if value not in (None, "") else "")
            for q in (template.questions if template else [])
            for value in [report.answers.get(q["name"])]]


def sections_view(definition: dict, answers: dict[str, Any], errors: dict[str, str],
                  region=None, team=None) -> list:
    """The form's sections as the checklist template shows them, with `answers` and the
    service's refusals (`answers.<name>`) at their questions."""
    by_question = {key.removeprefix("answers."): [reason] for key, reason in errors.items()}
    return rendering.form_view(definition, answers, by_question, region, team)
