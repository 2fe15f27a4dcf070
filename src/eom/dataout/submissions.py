"""The evidence as tables: the submissions wide (one row per report, one column per question)
and long (one row per answer), their QA flags and their revisions.

Answers are written as codes (the choice names the checklist defines, a select_multiple's
ticked names separated by spaces, as XLSForm writes them) or as labels in a chosen language
(English where the checklist has no label in it). Numbers stay numbers. Which reports: those a
query gives (the caller scopes and filters them: the pages use the submissions list's own
queryset and filters).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from eom.observation.answers import questions
from eom.observation.models import Form, QAFlag, Submission, SubmissionRevision, localised
from eom.observation.rendering import answer_text

SHAPES = ("wide", "long", "flags", "revisions")
LANGUAGES = ("en", "ru", "kk")
CHUNK = 2000
MAX_CHANGES_CHARS = 2000


class ExportRefused(ValueError):
    """The export cannot be made as asked: `field` names what to change."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass
class Choices:
    """How answers are written: `labels` (in `language`) or codes."""

    labels: bool = False
    language: str = "en"


COMMON = ("uuid", "form", "form_version", "location", "location_name", "team", "observer",
          "observed_at", "received_at", "channel", "n_flags", "qa_flags", "n_revisions",
          "last_revised_at", "deleted_at")


def _moment(value) -> str:
    return timezone.localtime(value).isoformat() if value else ""


def _answer(question: dict | None, value: Any, choices: Choices) -> Any:
    if value is None:
        return None
    if question is not None and question.get("type") in ("select_one", "select_multiple"):
        if choices.labels:
            return answer_text(question, value)
        return " ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float | str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _annotated(reports: QuerySet[Submission]) -> QuerySet[Submission]:
    return (reports.select_related("form", "form_version", "location", "team")
            .annotate(n_revisions=Count("revisions"), last_revised_at=Max("revisions__at"))
            .order_by("observed_at", "pk"))


def _flags_of(batch: list[Submission]) -> dict[int, str]:
    ids = [s.pk for s in batch if s.n_flags]
    found: dict[int, list[str]] = {}
    for flag in QAFlag.objects.filter(submission_id__in=ids).order_by("submission_id", "rule"):
        found.setdefault(flag.submission_id, []).append(f"{flag.rule} ({flag.severity})")
    return {pk: "; ".join(items) for pk, items in found.items()}


def _common(s: Submission, flags: dict[int, str]) -> list[Any]:
    return [str(s.uuid), s.form.form_id, s.form_version.version, s.location.code,
            s.location.name, s.team.code if s.team_id else "", s.observer_id or "",
            _moment(s.observed_at), _moment(s.received_at), s.channel, s.n_flags,
            flags.get(s.pk, ""), s.n_revisions, _moment(s.last_revised_at),
            _moment(s.deleted_at)]


def _batches(reports: QuerySet[Submission]) -> Iterator[list[Submission]]:
    batch: list[Submission] = []
    for report in _annotated(reports).iterator(chunk_size=CHUNK):
        batch.append(report)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def id_batches(reports: QuerySet[Submission], **having) -> Iterator[list[int]]:
    """The reports' ids in the order they are exported (observed, then id), CHUNK at a time:
    what the flags, revisions and photos are read by. (A subquery of the reports would carry
    the answer filter's SQL, which names the reports' own table, into another table's query.)"""
    batch: list[int] = []
    found = (reports.filter(**having).order_by("observed_at", "pk")
             .values_list("pk", flat=True).distinct())
    for pk in found.iterator(chunk_size=CHUNK):
        batch.append(pk)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def question_columns(form: Form, reports: QuerySet[Submission]) -> list[dict]:
    """The questions of the form's versions the reports use, in the current version's order,
    then those only older versions asked (a question's newest definition wins)."""
    versions = {v.pk: v for v in form.versions.all()}
    used = set(reports.values_list("form_version", flat=True).distinct())
    ordered = sorted((versions[pk] for pk in used if pk in versions),
                     key=lambda v: (v.pk != form.current_version_id, -v.uploaded_at.timestamp()))
    if not ordered and form.current_version_id in versions:
        ordered = [versions[form.current_version_id]]
    seen: dict[str, dict] = {}
    for version in ordered:
        for _section, question in questions(version.definition):
            if question.get("type") in ("note", "begin_group", "end_group"):
                continue
            seen.setdefault(question["name"], question)
    return list(seen.values())


def wide(reports: QuerySet[Submission], form: Form | None, choices: Choices,
         instances: bool = True) -> tuple[list[str], Iterator[list[Any]]]:
    """One row per report of one form: the report's columns, then one per question; a
    question inside a repeat has a column per instance, `visits[1]/n`, `visits[2]/n` … (as many
    as the reports' largest number of instances; nested: `visits[1]/rooms[2]/booths`). Without
    `instances` (the OData feed, whose columns must not depend on the page read) a repeat is one
    column holding its instances as JSON."""
    if form is None:
        raise ExportRefused("form", _("choose a form: the wide table has a column per question "
                                      "of one form."))
    reports = reports.filter(form=form)
    asked = question_columns(form, reports)
    counts: dict[str, int] = {}
    if instances and any(q.get("type") == "repeat" for q in asked):
        repeats = [q for q in asked if q.get("type") == "repeat"]
        for answers in reports.values_list("answers", flat=True).iterator(chunk_size=CHUNK):
            for q in repeats:
                _count(q, answers.get(q["name"]), "", counts)
    columns = [column for q in asked for column in _columns(q, "", (), counts)] if instances \
        else [(q["name"], q, ((q["name"], 0),)) for q in asked]
    header = [*COMMON, *(name for name, _q, _steps in columns)]

    def rows() -> Iterator[list[Any]]:
        with translation.override(choices.language):
            for batch in _batches(reports):
                flags = _flags_of(batch)
                for s in batch:
                    yield [*_common(s, flags),
                           *(_answer(q, _at(s.answers, steps), choices)
                             for _name, q, steps in columns)]

    return header, rows()


_Step = tuple[str, int]  # a question's name, and an instance's number (0: not a repeat)


def _count(question: dict, value: Any, prefix: str, counts: dict[str, int]) -> None:
    """The largest number of instances of each repeat (by path, `visits[1]/rooms`)."""
    if question.get("type") != "repeat" or not isinstance(value, list):
        return
    path = prefix + question["name"]
    counts[path] = max(counts.get(path, 0), len(value))
    for number, instance in enumerate(value, start=1):
        if isinstance(instance, dict):
            for child in question.get("children") or []:
                _count(child, instance.get(child["name"]), f"{path}[{number}]/", counts)


def _columns(question: dict, prefix: str, steps: tuple[_Step, ...], counts: dict[str, int]
             ) -> list[tuple[str, dict, tuple[_Step, ...]]]:
    """(column name, question, where its answer is) of a question, per instance in a repeat."""
    name = prefix + question["name"]
    if question.get("type") != "repeat":
        return [(name, question, (*steps, (question["name"], 0)))]
    return [column for number in range(1, counts.get(name, 0) + 1)
            for child in question.get("children") or [] if child.get("type") != "note"
            for column in _columns(child, f"{name}[{number}]/",
                                   (*steps, (question["name"], number)), counts)]


def _at(answers: Any, steps: tuple[_Step, ...]) -> Any:
    """The answer the steps lead to in a report's answers; None where there is none."""
    for name, number in steps:
        if not isinstance(answers, dict):
            return None
        answers = answers.get(name)
        if number:
            if not isinstance(answers, list) or len(answers) < number:
                return None
            answers = answers[number - 1]
    return answers


def long(reports: QuerySet[Submission], choices: Choices
         ) -> tuple[list[str], Iterator[list[Any]]]:
    """One row per answer: the report's columns, the repeat and instance number of an answer
    inside a repeat (`visits`, 2; nested `visits[2]/rooms`, 1; empty outside repeats), the
    question, its label and the answer."""
    header = [*COMMON, "repeat", "instance", "question", "question_label", "answer"]

    def rows() -> Iterator[list[Any]]:
        with translation.override(choices.language):
            for batch in _batches(reports):
                flags = _flags_of(batch)
                for s in batch:
                    common = _common(s, flags)
                    for _section, q in questions(s.form_version.definition):
                        if q["name"] in s.answers:
                            yield from _long_rows(common, q, s.answers[q["name"]], "", None,
                                                  choices)

    return header, rows()


def answer_count(answers: dict[str, Any]) -> int:
    """The rows of a report in the long table: one per answer, those of every instance."""
    return sum(
        sum(answer_count(i) for i in value)
        if isinstance(value, list) and value and all(isinstance(i, dict) for i in value) else 1
        for value in answers.values())


def _long_rows(common: list[Any], question: dict, value: Any, repeat: str,
               instance: int | None, choices: Choices) -> Iterator[list[Any]]:
    if question.get("type") != "repeat" or not isinstance(value, list):
        yield [*common, repeat, instance, question["name"],
               localised(question.get("label"), question["name"]),
               _answer(question, value, choices)]
        return
    path = (repeat + f"[{instance}]/" if repeat else "") + question["name"]
    for number, answers in enumerate(value, start=1):
        if isinstance(answers, dict):
            for child in question.get("children") or []:
                if child["name"] in answers:
                    yield from _long_rows(common, child, answers[child["name"]], path, number,
                                          choices)


def flags(reports: QuerySet[Submission], choices: Choices
          ) -> tuple[list[str], Iterator[list[Any]]]:
    """One row per QA flag raised: the report, the rule, its severity, its message (in the
    chosen language) and the values that raised it."""
    header = ["uuid", "form", "location", "team", "observed_at", "rule", "severity", "message",
              "values"]

    def found() -> Iterator[QAFlag]:
        for ids in id_batches(reports, n_flags__gt=0):
            yield from (QAFlag.objects.filter(submission_id__in=ids)
                        .select_related("submission__form", "submission__location",
                                        "submission__team")
                        .order_by("submission__observed_at", "submission_id", "rule"))

    def rows() -> Iterator[list[Any]]:
        with translation.override(choices.language):
            for flag in found():
                s = flag.submission
                yield [str(s.uuid), s.form.form_id, s.location.code,
                       s.team.code if s.team_id else "", _moment(s.observed_at), flag.rule,
                       flag.severity, flag.text,
                       json.dumps(flag.values, ensure_ascii=False, sort_keys=True)]

    return header, rows()


def revisions(reports: QuerySet[Submission], choices: Choices
              ) -> tuple[list[str], Iterator[list[Any]]]:
    """One row per revision of a report: its number, when, through which channel, why, and
    the changes ({question: [old, new]}, cut at 2,000 characters)."""
    header = ["uuid", "form", "location", "revision", "at", "channel", "reason", "changes"]

    def found() -> Iterator[SubmissionRevision]:
        for ids in id_batches(reports, revisions__isnull=False):
            yield from (SubmissionRevision.objects.filter(submission_id__in=ids)
                        .select_related("submission__form", "submission__location")
                        .order_by("submission__observed_at", "submission_id", "number"))

    def rows() -> Iterator[list[Any]]:
        for revision in found():
            s = revision.submission
            changes = json.dumps(revision.changes, ensure_ascii=False, sort_keys=True,
                                 default=str)
            yield [str(s.uuid), s.form.form_id, s.location.code, revision.number,
                   _moment(revision.at), revision.channel, revision.reason,
                   changes[:MAX_CHANGES_CHARS]]

    return header, rows()


def table(shape: str, reports: QuerySet[Submission], form: Form | None, choices: Choices
          ) -> tuple[list[str], Iterator[list[Any]]]:
    """The table of `shape` (wide, long, flags, revisions) of the reports."""
    if shape not in SHAPES:
        raise ExportRefused("shape", _("use wide, long, flags or revisions."))
    if choices.language not in LANGUAGES:
        raise ExportRefused("lang", _("use en, ru or kk."))
    if shape == "wide":
        return wide(reports, form, choices)
    return {"long": long, "flags": flags, "revisions": revisions}[shape](reports, choices)
