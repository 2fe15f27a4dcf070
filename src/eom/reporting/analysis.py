"""Process analysis: how observers answered every choice question, with honest intervals.

The mission's stations are not drawn at random (the usual case for an international mission),
so every share is "of the reports observed", with a Wilson interval that describes only the
chance variation in those reports (eom.stats, convenience design) — never a population margin.

The figures are counted from the reports' choice codes (eom.observation.coding): one query pulls
(version, location, codes) of the filtered live reports, numpy decodes them into a matrix and
counts every choice of every question per area with `bincount`. A report counts for a question
when it answered it; for a choice when it chose it (select_one) or ticked it (select_multiple).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from django.db.models import QuerySet

from eom.missions.models import LEVEL_DEPTH, LEVEL_ORDER, Location, LocationLevel
from eom.observation import coding
from eom.observation.models import Form, FormVersion, Submission, localised
from eom.stats import wilson_interval

CHOICE_TYPES = set(coding.CHOICE_TYPES)


@dataclass
class ChoiceFigure:
    name: str
    label: str
    n_yes: int
    n: int
    share: float
    lower: float
    upper: float

    @property
    def percent(self) -> float:
        return 100 * self.share

    @property
    def lower_percent(self) -> float:
        return 100 * self.lower

    @property
    def upper_percent(self) -> float:
        return 100 * self.upper


@dataclass
class AreaRow:
    location: Location
    n: int
    figures: list[ChoiceFigure]


@dataclass
class QuestionAnalysis:
    name: str
    label: str
    type: str
    n: int
    figures: list[ChoiceFigure]
    areas: list[AreaRow]


@dataclass
class Analysis:
    """Every choice question of a form over the reports selected, in the whole `scope` and per
    area of `level` under it. `n_reports` counts the reports selected, whatever they answered."""

    scope: Location | None
    level: str
    n_reports: int
    questions: list[QuestionAnalysis]
    areas: list[Location] = field(default_factory=list)

    def question(self, name: str) -> QuestionAnalysis | None:
        return next((q for q in self.questions if q.name == name), None)


def choice_questions(form: Form) -> list[dict]:
    definition = form.current_version.definition if form.current_version else {"sections": []}
    return [
        q for s in definition["sections"] for q in s["questions"] if q["type"] in CHOICE_TYPES
    ]


def levels_below(scope: Location | None) -> list[str]:
    """The levels a breakdown under `scope` may use (all but the country for the whole tree)."""
    start = LEVEL_DEPTH[scope.level] + 1 if scope is not None else 1
    return LEVEL_ORDER[start:]


def figure(name: str, label: str, n_yes: int, n: int) -> ChoiceFigure:
    lower, upper = wilson_interval(n_yes, n) if n else (0.0, 0.0)
    return ChoiceFigure(name, label, n_yes, n, n_yes / n if n else 0.0, lower, upper)


def _area_index(mission_id: int, scope: Location | None, level: str,
                location_ids: np.ndarray) -> tuple[list[Location], np.ndarray]:
    """The areas of `level` under `scope` (in tree order) and, for each report's location, the
    position of its area (len(areas) when the location lies above that level): each location
    climbs its parents, all at once, up to the level."""
    under = {"path__startswith": scope.path} if scope is not None else {}
    areas = list(Location.objects.filter(mission_id=mission_id, level=level, **under))
    tree = list(Location.objects.filter(mission_id=mission_id, **under).order_by()
                .values_list("pk", "parent_id", "level"))
    if not tree or location_ids.size == 0:
        return areas, np.full(location_ids.size, len(areas), dtype=np.intp)
    size = max(max(pk for pk, _p, _l in tree), int(location_ids.max())) + 1
    parent = np.zeros(size, dtype=np.int64)
    depth = np.full(size, -1, dtype=np.int64)  # -1: outside the scope
    for pk, parent_pk, kind in tree:
        parent[pk], depth[pk] = parent_pk or 0, LEVEL_DEPTH[kind]
    target = LEVEL_DEPTH[level]
    at = location_ids.copy()
    for _ in range(len(LEVEL_ORDER)):
        climbing = depth[at] > target
        if not climbing.any():
            break
        at[climbing] = parent[at[climbing]]
    position = np.full(size, len(areas), dtype=np.intp)
    position[[area.pk for area in areas]] = np.arange(len(areas))
    return areas, np.where(depth[at] == target, position[at], len(areas))


def analyse(form: Form, submissions: QuerySet[Submission], *, scope: Location | None = None,
            level: str = LocationLevel.REGION) -> Analysis:
    """Counts, shares and Wilson intervals of every choice of every choice question of `form`'s
    current version over the live reports of `submissions` (already filtered: team, time, flag,
    sample, area), in the whole scope and per area of `level`.

    Reports of older versions count by question and choice name; a stored answer that is no
    longer a choice counts as answered but for no choice.
    """
    rows = list(
        submissions.filter(deleted_at__isnull=True, form=form).order_by()
        .values_list("form_version_id", "location_id", "choice_codes")
    )
    n_rows = len(rows)
    version_ids, location_ids, codes = zip(*rows, strict=True) if rows else ((), (), ())
    versions = np.array(version_ids, dtype=np.int64)
    areas, area_of = _area_index(form.mission_id, scope, level,
                                 np.array(location_ids, dtype=np.int64))
    n_areas = len(areas) + 1  # the last bucket: reports above the breakdown's level
    questions = choice_questions(form)
    answered = {q["name"]: np.zeros(n_areas, dtype=np.int64) for q in questions}
    chosen = {q["name"]: np.zeros((n_areas, len(q["choices"])), dtype=np.int64)
              for q in questions}
    for version_id in np.unique(versions).tolist():
        picked = np.flatnonzero(versions == version_id)
        definition = FormVersion.objects.values_list("definition", flat=True).get(pk=version_id)
        shape = coding.layout(definition)
        order = picked[np.argsort(area_of[picked], kind="stable")]
        matrix = coding.decode(shape, [codes[k] for k in order.tolist()])
        bounds = np.searchsorted(area_of[order], np.arange(n_areas + 1))
        _count(matrix, shape, area_of[order], bounds, questions, answered, chosen)
    return Analysis(
        scope=scope, level=level, n_reports=n_rows, areas=areas,
        questions=[_question(q, answered[q["name"]], chosen[q["name"]], areas)
                   for q in questions],
    )


def _count(matrix: np.ndarray, shape: coding.Layout, area_of: np.ndarray, bounds: np.ndarray,
           questions: list[dict], answered: dict, chosen: dict) -> None:
    """Adds one version's reports (sorted by area; `bounds` delimit the areas) to the counts."""
    n_areas = bounds.size - 1
    for question in questions:
        column = shape.column(question["name"])
        if column is None or column.type != question["type"]:
            continue
        if column.type == "select_one":
            codes = coding.select_one_codes(matrix, column).astype(np.intp)
            width = len(column.choices) + 2  # 0, the choices, and any other answer
            codes = np.minimum(codes, width - 1)
            table = np.bincount(area_of * width + codes, minlength=n_areas * width)
            table = table.reshape(n_areas, width)
            answered[question["name"]] += table[:, 1:].sum(axis=1)
        else:  # bit 0: answered; bit k + 1: choice k, summed per area over the sorted rows
            bits = np.unpackbits(matrix[:, column.offset:column.offset + column.width], axis=1,
                                 bitorder="little")
            running = np.zeros((bits.shape[0] + 1, bits.shape[1]), dtype=np.int64)
            np.cumsum(bits, axis=0, out=running[1:])
            table = running[bounds[1:]] - running[bounds[:-1]]
            answered[question["name"]] += table[:, 0]
        for k, choice in enumerate(question["choices"]):
            if choice["name"] in column.choices:
                chosen[question["name"]][:, k] += table[:, column.choices.index(choice["name"])
                                                        + 1]


def _question(question: dict, answered: np.ndarray, chosen: np.ndarray,
              areas: list[Location]) -> QuestionAnalysis:
    labels = [(c["name"], localised(c.get("label"), c["name"])) for c in question["choices"]]
    n = int(answered.sum())
    totals = chosen.sum(axis=0).tolist()
    rows = []
    per_area, per_choice = answered.tolist(), chosen.tolist()
    for k, area in enumerate(areas):
        if per_area[k]:
            rows.append(AreaRow(area, per_area[k], [
                figure(name, label, yes, per_area[k])
                for (name, label), yes in zip(labels, per_choice[k], strict=True)
            ]))
    return QuestionAnalysis(
        question["name"], localised(question.get("label"), question["name"]), question["type"],
        n, [figure(name, label, yes, n) for (name, label), yes in zip(labels, totals,
                                                                        strict=True)],
        rows,
    )


@dataclass
class Bar:
    """One choice's bar in an SVG chart, in the chart's units (the scale is `SCALE` wide)."""

    figure: ChoiceFigure
    y: float
    width: float
    lower: float
    upper: float


SCALE = 300
ROW = 30


def bars(figures: list[ChoiceFigure]) -> tuple[list[Bar], int]:
    """The bars of a chart of shares with their interval whiskers, and the chart's height."""
    rows = [
        Bar(f, 14 + k * ROW, round(f.share * SCALE, 1), round(f.lower * SCALE, 1),
            round(f.upper * SCALE, 1))
        for k, f in enumerate(figures)
    ]
    return rows, 14 + len(figures) * ROW
