"""Choice questions asked in each instance of a repeat, counted per instance and per report.

A repeat's answers are lists of instances (eom.observation.answers), outside the choice codes
the process analysis counts with numpy (eom.xlsform.coding codes the questions asked once). Here
they are counted exactly, in Python integers, from the reports' answers: for each choice
question inside a repeat (nested repeats too), how many instances answered it and how many
reports did in at least one instance; for each choice, the instances that chose it and the
reports where at least one instance did.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from eom.observation.answers import questions
from eom.observation.models import Form, Submission, localised
from eom.xlsform import coding

CHUNK = 2000


@dataclass
class RepeatChoice:
    name: str
    label: str
    n_instances: int = 0  # instances that chose it
    n_reports: int = 0  # reports where at least one instance chose it


@dataclass
class RepeatQuestion:
    name: str
    label: str
    repeat: str  # the repeat's label (the enclosing repeats' labels before it, "Visit › Room")
    type: str
    n_instances: int = 0  # instances that answered it
    n_reports: int = 0  # reports where at least one instance answered it
    choices: list[RepeatChoice] = field(default_factory=list)


def _inside(question: dict, repeat: str) -> Iterator[tuple[dict, str, tuple[str, ...]]]:
    """(choice question, label of its repeats, names of the repeats around it) of a repeat."""
    label = localised(question.get("label"), question["name"])
    label = f"{repeat} › {label}" if repeat else label
    for child in question.get("children") or []:
        if child["type"] == "repeat":
            yield from ((q, shown, (question["name"], *path))
                        for q, shown, path in _inside(child, label))
        elif child["type"] in coding.CHOICE_TYPES:
            yield child, label, (question["name"],)


def _values(answers: Any, path: tuple[str, ...], name: str) -> Iterator[Any]:
    """The answers of `name` in every instance the repeats of `path` lead to."""
    if not path:
        if isinstance(answers, dict) and name in answers:
            yield answers[name]
        return
    instances = answers.get(path[0]) if isinstance(answers, dict) else None
    for instance in instances if isinstance(instances, list) else []:
        yield from _values(instance, path[1:], name)


def repeat_counts(form: Form, submissions: QuerySet[Submission]) -> list[RepeatQuestion]:
    """The counts of every choice question inside a repeat of the form's current version, over
    the live reports of `submissions` of that form."""
    definition = form.current_version.definition if form.current_version else {}
    found = [(q, label, path) for _section, top in questions(definition)
             if top["type"] == "repeat" for q, label, path in _inside(top, "")]
    if not found:
        return []
    figures = [RepeatQuestion(q["name"], localised(q.get("label"), q["name"]), label, q["type"],
                              choices=[RepeatChoice(c["name"], localised(c.get("label"),
                                                                          c["name"]))
                                       for c in q.get("choices") or []])
               for q, label, _path in found]
    reports = submissions.filter(form=form, deleted_at__isnull=True)
    for answers in reports.values_list("answers", flat=True).iterator(chunk_size=CHUNK):
        for (question, _label, path), figure in zip(found, figures, strict=True):
            chosen_here: set[str] = set()
            answered = 0
            for value in _values(answers, path, question["name"]):
                names = value if isinstance(value, list) else [value]
                answered += 1
                for choice in figure.choices:
                    if choice.name in names:
                        choice.n_instances += 1
                        chosen_here.add(choice.name)
            figure.n_instances += answered
            figure.n_reports += answered > 0
            for choice in figure.choices:
                choice.n_reports += choice.name in chosen_here
    return figures
