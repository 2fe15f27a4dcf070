"""Named indicators: the figures a statement quotes, each one combination of answers.

A checklist declares its indicators on the `indicators` sheet of its workbook (docs/forms.md):
a name, a label per language, an `expression` and, optionally, a `base`. "Voting assessed
negatively" is `${assessment} = 'bad' or ${assessment} = 'very_bad'`: one figure, with its own
count and interval, not two shares added by hand.

What is counted (the same as on the process analysis page, eom.reporting.analysis):
- the unit is the **report**: the live (not deleted) reports of the form among those given
  (the reader's reports, `observation.permissions.submissions_listed_to`, narrowed by area
  or the page's filters). Two teams' reports on one polling station are two reports; a revised
  report counts once, with its answers as they stand now;
- a report is in the **base** when the indicator's `base` holds for its answers; an indicator
  without a base has as base the reports that answered at least one question its expression
  reads (for `${assessment} = 'bad'`: the reports that answered the assessment, the base of the
  analysis page's shares);
- the **count** is the reports of the base where the expression holds;
- share = count / base, with Wilson's 95 % interval (`eom.stats.wilson_interval`); both None
  when the base is empty. The reports were not drawn at random: the interval describes the
  chance variation among the reports observed, not a margin for all polling stations.

Reports of an older version of the form are read by question name, as the analysis does; the
indicators are those of the form's current version. Expressions are evaluated with
`eom.observation.expressions` (the language of skip logic and QA rules), never `eval`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db.models import QuerySet

from eom.missions.models import Location, Mission
from eom.observation import expressions
from eom.observation.models import Form, Submission, localised
from eom.observation.permissions import submissions_listed_to
from eom.stats import wilson_interval

UNIT = "reports"


@dataclass(frozen=True)
class IndicatorFigure:
    key: str  # the indicator's name from the workbook
    label: str  # in the active language
    form_id: str
    count: int  # reports of the base where the expression holds
    base: int  # reports in the base
    share: float | None
    low: float | None  # Wilson 95 % interval
    high: float | None
    formula: str  # the expression, for tracing
    base_formula: str = ""  # the base's expression, or the answers that put a report in it
    unit: str = UNIT

    @property
    def percent(self) -> float | None:
        return None if self.share is None else 100 * self.share

    @property
    def low_percent(self) -> float | None:
        return None if self.low is None else 100 * self.low

    @property
    def high_percent(self) -> float | None:
        return None if self.high is None else 100 * self.high


@lru_cache(maxsize=1024)
def _compiled(text: str):
    """The expression as a function of the answers, and the names it reads."""
    node = expressions.parse(text)
    return expressions.compile_node(node), tuple(sorted(expressions.names(node)))


def _env(answers: Mapping[str, Any]) -> dict[str, Any]:
    """A report's answers as expressions read them (a select_multiple as 'a b c')."""
    return {name: " ".join(value) if isinstance(value, list) else value
            for name, value in answers.items()}


def _answered(value: Any) -> bool:
    return value not in (None, "", [])


def default_base(expression: str) -> str:
    """The base of an indicator declared without one, written as an expression: the reports
    that answered a question the expression reads."""
    _function, read = _compiled(expression)
    return " or ".join(f"${{{name}}} != ''" for name in read)


def form_indicator_figures(form: Form, submissions: QuerySet[Submission]) -> list[IndicatorFigure]:
    """The figures of the indicators of `form`'s current version over the live reports of that
    form among `submissions` (already scoped to the reader and filtered), in the workbook's
    order. One query; none when the form declares no indicator."""
    definition = form.current_version.definition if form.current_version else {}
    declared = definition.get("indicators") or []
    if not declared:
        return []
    rows = submissions.filter(deleted_at__isnull=True, form=form).order_by()
    envs = [_env(answers) for answers in rows.values_list("answers", flat=True)]
    figures = []
    for indicator in declared:
        holds, read = _compiled(indicator["expression"])
        if indicator.get("base"):
            in_base = _compiled(indicator["base"])[0]
            base = [env for env in envs if expressions.truthy(in_base(env))]
        else:
            base = [env for env in envs if any(_answered(env.get(name)) for name in read)]
        count = sum(1 for env in base if expressions.truthy(holds(env)))
        low, high = wilson_interval(count, len(base)) if base else (None, None)
        figures.append(IndicatorFigure(
            key=indicator["name"], label=localised(indicator.get("label"), indicator["name"]),
            form_id=form.form_id, count=count, base=len(base),
            share=count / len(base) if base else None, low=low, high=high,
            formula=indicator["expression"],
            base_formula=indicator.get("base") or default_base(indicator["expression"]),
        ))
    return figures


def indicator_figures(mission: Mission, *, user, area: Location | None = None,
                      form_id: str | None = None) -> list[IndicatorFigure]:
    """Every indicator of the mission's checklists (in the forms' order, then the workbook's),
    over the reports `user` may count (as on the analysis page), under `area` when given, of
    the form `form_id` only when given. One query per form that declares indicators."""
    if area is not None and area.mission_id != mission.pk:
        raise ValueError(f"{area.code} is not a place of mission {mission.code}")
    reports = submissions_listed_to(user, mission)
    if area is not None:
        reports = reports.filter(location__path__startswith=area.path)
    forms = Form.objects.filter(mission=mission, current_version__isnull=False)
    if form_id is not None:
        forms = forms.filter(form_id=form_id)
    return [figure for form in forms.select_related("current_version")
            for figure in form_indicator_figures(form, reports)]
