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
- **restricted to a drawn sample** (`sample`), the unit is the sampled polling station (its
  first report received) and the share and interval are estimates for all polling stations under
  the design the data call for (`eom.reporting.design.decide_design`: stratified by the sample's
  strata, or clustered by team when a team reported from several sampled stations); every
  figure names its design and why.

Reports of an older version of the form are read by question name, as the analysis does; the
indicators are those of the form's current version. Expressions are evaluated with
`eom.xlsform.expressions` (the language of skip logic and QA rules), never `eval`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db.models import QuerySet

from eom.missions.models import Location, Mission, Sample, Team
from eom.observation.answers import place_env
from eom.observation.models import Form, Submission, localised
from eom.observation.permissions import submissions_listed_to
from eom.stats import wilson_interval
from eom.xlsform import expressions
from eom.xlsform.reader import PLACE_NAMES

from .design import OBSERVED, ChosenDesign, decide_design

UNIT = "reports"
SAMPLED_UNIT = "sampled stations"


@dataclass(frozen=True)
class IndicatorFigure:
    key: str  # the indicator's name from the workbook
    label: str  # in the active language
    form_id: str
    count: int  # reports of the base where the expression holds
    base: int  # reports in the base
    share: float | None
    low: float | None  # 95 % interval: Wilson's for the reports observed, or the design's
    high: float | None
    formula: str  # the expression, for tracing
    base_formula: str = ""  # the base's expression, or the answers that put a report in it
    unit: str = UNIT
    design: str = OBSERVED  # the design used (a DesignKind value) ...
    design_name: str = ""  # ... in words
    design_reason: str = ""  # why that design, in the reader's language
    design_requested: str | None = None  # a design the caller asked for, if any
    scope: str = "observed"  # "population" when the figure speaks of all polling stations

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
    """The expression as a function of the answers, and the answers it reads (not what it reads
    of the place and team, `PLACE_NAMES`, which every report has)."""
    node = expressions.parse(text)
    return (expressions.compile_node(node),
            tuple(sorted(expressions.names(node) - PLACE_NAMES)),
            bool(expressions.names(node) & PLACE_NAMES))


def _env(answers: Mapping[str, Any]) -> dict[str, Any]:
    """A report's answers as expressions read them (a select_multiple as 'a b c')."""
    return {name: " ".join(value) if isinstance(value, list) else value
            for name, value in answers.items()}


def _answered(value: Any) -> bool:
    return value not in (None, "", [])


def default_base(expression: str) -> str:
    """The base of an indicator declared without one, written as an expression: the reports
    that answered a question the expression reads."""
    _function, read, _place = _compiled(expression)
    return " or ".join(f"${{{name}}} != ''" for name in read)


def form_indicator_figures(form: Form, submissions: QuerySet[Submission], *,
                           sample: Sample | None = None,
                           design: str | None = None) -> list[IndicatorFigure]:
    """The figures of the indicators of `form`'s current version over the live reports of that
    form among `submissions` (already scoped to the reader and filtered, to `sample`'s stations
    when one is given), in the workbook's order. The design comes from the data
    (:func:`eom.reporting.design.decide_design`; `design` is what a caller asked for). Two
    queries; none when the form declares no indicator."""
    definition = form.current_version.definition if form.current_version else {}
    declared = definition.get("indicators") or []
    if not declared:
        return []
    rows = list(submissions.filter(deleted_at__isnull=True, form=form)
                .order_by("received_at", "pk").values_list("answers", "location_id", "team_id"))
    chosen = decide_design(sample, [(location, team) for _a, location, team in rows],
                           requested=design)
    envs = [_env(rows[k][0]) for k in chosen.units]
    if any(_compiled(text)[2] for indicator in declared
           for text in (indicator["expression"], indicator.get("base")) if text):
        places = _place_values([rows[k] for k in chosen.units])
        for env, k in zip(envs, chosen.units, strict=True):
            env.update(places(rows[k][1], rows[k][2]))
    return [_figure(form, indicator, envs, chosen) for indicator in declared]


def _place_values(rows: list[tuple]):
    """What the reports' expressions read of their place and team (`${location.kind}`,
    `${team.code}` …), by location and team id: two queries."""
    locations = Location.objects.only("n_registered", "level", "kind", "code").in_bulk(
        {location for _a, location, _t in rows})
    teams = Team.objects.only("code", "kind").in_bulk({team for _a, _l, team in rows if team})
    return lambda location, team: place_env(locations.get(location), teams.get(team))


def _figure(form: Form, indicator: dict, envs: list[dict], chosen: ChosenDesign
            ) -> IndicatorFigure:
    holds, read, _place = _compiled(indicator["expression"])
    if indicator.get("base"):
        in_base = _compiled(indicator["base"])[0]
        base = [k for k, env in enumerate(envs) if expressions.truthy(in_base(env))]
    else:
        base = [k for k, env in enumerate(envs) if any(_answered(env.get(n)) for n in read)]
    yes = [1 if expressions.truthy(holds(envs[k])) else 0 for k in base]
    count, share, low, high = sum(yes), None, None, None
    if base and chosen.population:
        estimate = chosen.estimate(base, yes)
        share, low, high = estimate.share, estimate.interval.lower, estimate.interval.upper
    elif base:
        share = count / len(base)
        low, high = wilson_interval(count, len(base))
    return IndicatorFigure(
        key=indicator["name"], label=localised(indicator.get("label"), indicator["name"]),
        form_id=form.form_id, count=count, base=len(base), share=share, low=low, high=high,
        formula=indicator["expression"],
        base_formula=indicator.get("base") or default_base(indicator["expression"]),
        unit=SAMPLED_UNIT if chosen.population else UNIT, design=chosen.kind,
        design_name=chosen.name, design_reason=chosen.reason,
        design_requested=chosen.requested,
        scope="population" if chosen.population else "observed",
    )


def indicator_figures(mission: Mission, *, user, area: Location | None = None,
                      form_id: str | None = None, sample: Sample | None = None,
                      design: str | None = None) -> list[IndicatorFigure]:
    """Every indicator of the mission's checklists (in the forms' order, then the workbook's),
    over the reports `user` may count (as on the analysis page), under `area` when given, of
    the form `form_id` only when given, from `sample`'s polling stations only when given (then
    estimated for all polling stations, see :func:`form_indicator_figures`; `design` is a
    design the caller asked for). Two queries per form that declares indicators."""
    if area is not None and area.mission_id != mission.pk:
        raise ValueError(f"{area.code} is not a place of mission {mission.code}")
    reports = submissions_listed_to(user, mission)
    if area is not None:
        reports = reports.filter(location__path__startswith=area.path)
    if sample is not None:
        if sample.mission_id != mission.pk:
            raise ValueError(f"{sample.name} is not a sample of mission {mission.code}")
        reports = reports.filter(location__in=sample.stations.values("location"))
    forms = Form.objects.filter(mission=mission, current_version__isnull=False)
    if form_id is not None:
        forms = forms.filter(form_id=form_id)
    return [figure for form in forms.select_related("current_version")
            for figure in form_indicator_figures(form, reports, sample=sample, design=design)]
