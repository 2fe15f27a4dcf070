"""Process analysis: how observers answered every choice question, with honest intervals.

The mission's stations are not drawn at random (the usual case for an international mission),
so every share is "of the reports observed", with a Wilson interval that describes only the
chance variation in those reports (eom.stats, convenience design) — never a population margin.

The figures are counted from the reports' choice codes (eom.xlsform.coding): one query pulls
(version, location, codes) of the filtered live reports straight from the driver, numpy decodes
them into a matrix and counts every question × choice × area of a form version in one
`bincount` (select_multiple bitmasks as 4-bit slots); the shares and Wilson intervals of all
figures are computed at once (`eom.stats.wilson_intervals`). A report counts for a question
when it answered it; for a choice when it chose it (select_one) or ticked it (select_multiple).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import accumulate
from operator import itemgetter

import numpy as np
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.utils.translation import gettext, gettext_lazy

from eom.missions.models import LEVEL_DEPTH, LEVEL_ORDER, Location, LocationLevel
from eom.observation.models import Form, FormVersion, Submission, localised
from eom.stats import wilson_intervals
from eom.xlsform import coding
from eom.xlsform.reader import METADATA_TYPES

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


# Why a question of each type has no counts here (the analysis counts choices); by type.
_UNCOUNTED_REASONS = (
    (("text", "barcode", "hidden"), gettext_lazy("free text")),
    (("integer", "decimal", "range"),
     gettext_lazy("a number: the analysis counts choices; an indicator can count it")),
    (("date", "time", "datetime"), gettext_lazy("a date or a time")),
    (("image", "file", "audio", "video"), gettext_lazy("a file")),
    (("geopoint", "geotrace", "geoshape"), gettext_lazy("a place on a map")),
    (("rank",), gettext_lazy("an order of choices")),
    (("acknowledge",), gettext_lazy("a confirmation: its one answer has no share to show")),
    (("calculate",), gettext_lazy("worked out from other answers, not asked")),
    (("note", "xml-external", "csv-external"), gettext_lazy("no answer: a text shown")),
    (tuple(METADATA_TYPES), gettext_lazy("recorded by the phone, not asked")),
)
UNCOUNTED_REASONS = {kind: reason for kinds, reason in _UNCOUNTED_REASONS for kind in kinds}


@dataclass(frozen=True)
class UncountedQuestion:
    """A question of the form that the analysis cannot count, and why."""

    name: str
    label: str
    type: str
    reason: str


def uncounted_questions(form: Form) -> list[UncountedQuestion]:
    """The form's questions that are not choices, in its order, each with the reason it has
    no counts here (in the reader's language)."""
    definition = form.current_version.definition if form.current_version else {"sections": []}
    return [
        UncountedQuestion(q["name"], localised(q.get("label"), q["name"]), q["type"],
                          str(UNCOUNTED_REASONS.get(q["type"], gettext("not a choice"))))
        for s in definition["sections"] for q in s["questions"] if q["type"] not in CHOICE_TYPES
    ]


def levels_below(scope: Location | None) -> list[str]:
    """The levels a breakdown under `scope` may use (all but the country for the whole tree)."""
    start = LEVEL_DEPTH[scope.level] + 1 if scope is not None else 1
    return LEVEL_ORDER[start:]


def _rows(query: QuerySet) -> list[tuple]:
    """The rows of a `values_list` query as the database driver gives them: the columns pulled
    here are integers, strings and bytes, which need none of the ORM's per-row conversions."""
    try:
        sql, params = query.query.get_compiler(using=query.db).as_sql()
    except EmptyResultSet:  # e.g. `.none()`
        return []
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _area_index(mission_id: int, scope: Location | None, level: str,
                location_ids: np.ndarray) -> tuple[list[Location], np.ndarray]:
    """The areas of `level` under `scope` (in tree order) and, for each report's location, the
    position of its area (len(areas) when the location lies above that level): each location
    climbs its parents, all at once, up to the level."""
    under = {"path__startswith": scope.path} if scope is not None else {}
    areas = list(Location.objects.filter(mission_id=mission_id, level=level, **under))
    tree = _rows(Location.objects.filter(mission_id=mission_id, **under).order_by()
                 .values_list("pk", "parent_id", "level"))
    if not tree or location_ids.size == 0:
        return areas, np.full(location_ids.size, len(areas), dtype=np.intp)
    pks = np.fromiter(map(itemgetter(0), tree), dtype=np.intp, count=len(tree))
    size = max(int(pks.max()), int(location_ids.max())) + 1
    parent = np.zeros(size, dtype=np.intp)
    parent[pks] = np.fromiter((p or 0 for _pk, p, _l in tree), dtype=np.intp, count=len(tree))
    depth = np.full(size, -1, dtype=np.intp)  # -1: outside the scope
    depth[pks] = np.fromiter(map(LEVEL_DEPTH.__getitem__, map(itemgetter(2), tree)),
                             dtype=np.intp, count=len(tree))
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
    rows = _rows(submissions.filter(deleted_at__isnull=True, form=form).order_by()
                 .values_list("form_version_id", "location_id", "choice_codes"))
    versions, location_ids = (np.fromiter(map(itemgetter(k), rows), dtype=np.intp,
                                          count=len(rows)) for k in (0, 1))
    codes = list(map(itemgetter(2), rows))
    areas, area_of = _area_index(form.mission_id, scope, level, location_ids)
    n_areas = len(areas) + 1  # the last bucket: reports above the breakdown's level
    questions = choice_questions(form)
    cells = _Cells(questions)
    table = np.zeros((n_areas, cells.size), dtype=np.int64)
    kept = np.unique(versions).tolist()
    for version_id in kept:
        definition = FormVersion.objects.values_list("definition", flat=True).get(pk=version_id)
        shape = coding.layout(definition)
        if len(kept) == 1:
            matrix, of = coding.decode(shape, codes), area_of
        else:
            picked = np.flatnonzero(versions == version_id)
            matrix = coding.decode(shape, [codes[k] for k in picked.tolist()])
            of = area_of[picked]
        _count(matrix, shape, of, cells, table)
    return Analysis(scope=scope, level=level, n_reports=len(rows), areas=areas,
                    questions=_questions(questions, cells, table, areas))


class _Cells:
    """Where each question's counts sit in a row of the count table: the reports that answered
    it, then those that chose each of its choices (in the current version's order)."""

    def __init__(self, questions: list[dict]) -> None:
        sizes = [1 + len(q["choices"]) for q in questions]
        self.questions = [(q["name"], q["type"], [c["name"] for c in q["choices"]], start)
                          for q, start in zip(questions, accumulate(sizes, initial=0),
                                              strict=False)]
        self.size = sum(sizes)
        # every choice's cell, and the cell of its question's answered count
        self.chosen = np.array([start + 1 + k for _n, _t, choices, start in self.questions
                                for k in range(len(choices))], dtype=np.intp)
        self.answered = np.array([start for _n, _t, choices, start in self.questions
                                  for _choice in choices], dtype=np.intp)

    def mapping(self, shape: coding.Layout, kind: str) -> list[tuple[coding.Column, int,
                                                                     list[tuple[int, int]]]]:
        """The version's columns of `kind` that hold a question of the current version (same
        type), each with its answered cell and (choice's position in the column, its cell)."""
        out = []
        for name, type_, choices, start in self.questions:
            column = shape.column(name)
            if column is None or column.type != type_ or type_ != kind:
                continue
            out.append((column, start, [(column.choices.index(choice), start + 1 + k)
                                        for k, choice in enumerate(choices)
                                        if choice in column.choices]))
        return out


# The bits of each 4-bit value: a select_multiple's bitmask is counted as 4-bit slots.
NIBBLE_BITS = (np.arange(16)[:, None] >> np.arange(4)) & 1
ROWS_PER_PASS = 8192  # reports counted per bincount, unless the areas' table is larger


def _count(matrix: np.ndarray, shape: coding.Layout, area_of: np.ndarray, cells: _Cells,
           table: np.ndarray) -> None:
    """Adds one version's reports to the count table (areas × cells) with a bincount over
    area × slot × value. A select_one is one slot (0 unanswered, k + 1 choice k, the last
    value any other answer); a select_multiple's bitmask is cut into slots of 4 bits, whose
    value counts give each bit's count (bit 0: answered, bit k + 1: choice k)."""
    n_areas = table.shape[0]
    ones, many = cells.mapping(shape, "select_one"), cells.mapping(shape, "select_multiple")
    nibbles = [(len(column.choices) + 1 + 3) // 4 for column, _s, _c in many]
    widths = np.array([len(column.choices) + 2 for column, _s, _c in ones]
                      + [16] * sum(nibbles), dtype=np.intp)
    if not widths.size:
        return
    base = np.concatenate(([0], np.cumsum(widths)[:-1]))
    size = int(widths.sum())  # the values of all slots, per area
    values = _slot_values(matrix, ones, many, nibbles, widths)
    values += base.astype(values.dtype)
    counts = np.zeros(n_areas * size, dtype=np.int64)
    step = max(ROWS_PER_PASS, n_areas * size // widths.size)  # the index ≥ the table it fills
    for first in range(0, area_of.size, step):
        index = (area_of[first:first + step] * size)[:, None] + values[first:first + step]
        counts += np.bincount(index.ravel(), minlength=n_areas * size)
    counts = counts.reshape(n_areas, size)
    if ones:
        one_base = base[:len(ones)].tolist()
        per_area = np.bincount(area_of, minlength=n_areas)
        table[:, [start for _c, start, _ch in ones]] += per_area[:, None] - counts[:, one_base]
        _add(table, counts, ones, one_base)
    if many:
        bits = (counts[:, int(base[len(ones)]):].reshape(n_areas, -1, 16) @ NIBBLE_BITS)
        bits = bits.reshape(n_areas, -1)  # every bit of every select_multiple, in order
        first_bit = np.concatenate(([0], 4 * np.cumsum(nibbles)[:-1])).tolist()
        table[:, [start for _c, start, _ch in many]] += bits[:, first_bit]
        _add(table, bits, many, first_bit)


def _slot_values(matrix: np.ndarray, ones: list, many: list, nibbles: list[int],
                 widths: np.ndarray) -> np.ndarray:
    """Each report's value in each slot (reports × slots): the select_one codes, capped at
    their slot's last value, then the 4-bit parts of the select_multiple bitmasks."""
    small = int(widths.sum()) <= np.iinfo(np.uint16).max
    values = np.empty((matrix.shape[0], widths.size), dtype=np.uint16 if small else np.intp)
    head = values[:, :len(ones)]
    head[...] = matrix[:, [column.offset for column, _s, _c in ones]]
    for j, (column, _start, _choices) in enumerate(ones):
        if column.width > 1:
            head[:, j] = coding.select_one_codes(matrix, column)
    np.minimum(head, (widths[:len(ones)] - 1).astype(values.dtype), out=head)
    halves = [(column.offset + i // 2, 4 * (i % 2))
              for (column, _s, _c), count in zip(many, nibbles, strict=True)
              for i in range(count)]
    if halves:
        at, shift = zip(*halves, strict=True)
        values[:, len(ones):] = (matrix[:, list(at)] >> np.array(shift, dtype=np.uint8)) & 15
    return values


def _add(table: np.ndarray, counts: np.ndarray, columns: list, first: list[int]) -> None:
    """Adds each choice's count (at `first` + 1 + its position in the column) to its cell."""
    source = [b + 1 + k for b, (_c, _s, choices) in zip(first, columns, strict=True)
              for k, _cell in choices]
    target = [cell for _c, _s, choices in columns for _k, cell in choices]
    table[:, target] += counts[:, source]


def _questions(questions: list[dict], cells: _Cells, table: np.ndarray,
               areas: list[Location]) -> list[QuestionAnalysis]:
    """The figures of every question, in the whole scope and per area that answered it; the
    shares and Wilson intervals of all cells are computed at once."""
    present = np.flatnonzero(table[:-1].any(axis=1)).tolist()  # the areas with reports
    counts = np.vstack([table.sum(axis=0), table[present]])  # the whole scope, then those
    n_yes, n = counts[:, cells.chosen], counts[:, cells.answered]
    answered = n > 0
    lower, upper = wilson_intervals(n_yes, n)
    share = np.divide(n_yes, n, out=np.zeros(n.shape), where=answered)
    values = [list(zip(*row, strict=True)) for row in zip(
        n_yes.tolist(), n.tolist(), share.tolist(), np.where(answered, lower, 0.0).tolist(),
        np.where(answered, upper, 0.0).tolist(), strict=True)]
    reports = counts[:, [start for *_q, start in cells.questions]].tolist()
    out, first = [], 0
    for j, question in enumerate(questions):
        labels = [(c["name"], localised(c.get("label"), c["name"])) for c in question["choices"]]
        figures = [
            [ChoiceFigure(name, label, *cell)
             for (name, label), cell in zip(labels, row[first:first + len(labels)], strict=True)]
            for row in values
        ]
        out.append(QuestionAnalysis(
            question["name"], localised(question.get("label"), question["name"]),
            question["type"], reports[0][j], figures[0],
            [AreaRow(areas[k], reports[row][j], figures[row])
             for row, k in enumerate(present, start=1) if reports[row][j]],
        ))
        first += len(labels)
    return out


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
