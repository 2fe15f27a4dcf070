"""Process analysis: how observers answered each question, with honest intervals.

The mission's stations are not drawn at random (the usual case for an international mission),
so every share is "of the reports observed", with a Wilson interval that describes only the
chance variation in those reports (eom.stats, convenience design) — never a population margin.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet

from eom.missions.models import Location, LocationLevel
from eom.observation.models import Form, Submission, localised
from eom.stats import estimate_proportion

CHOICE_TYPES = {"select_one", "select_multiple"}


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
    n: int
    figures: list[ChoiceFigure]
    areas: list[AreaRow]
    explanation: str


def choice_questions(form: Form) -> list[dict]:
    definition = form.current_version.definition if form.current_version else {"sections": []}
    return [
        q for s in definition["sections"] for q in s["questions"] if q["type"] in CHOICE_TYPES
    ]


def _figures(question: dict, answers: list) -> list[ChoiceFigure]:
    figures = []
    for choice in question["choices"]:
        hits = [1 if _chose(answer, choice["name"]) else 0 for answer in answers]
        if not hits:
            figures.append(ChoiceFigure(choice["name"], localised(choice.get("label"),
                                        choice["name"]), 0, 0, 0.0, 0.0, 0.0))
            continue
        estimate = estimate_proportion(hits)
        interval = estimate.observed_wilson
        figures.append(ChoiceFigure(
            choice["name"], localised(choice.get("label"), choice["name"]), estimate.n_yes,
            estimate.n_observed, estimate.share, interval.lower, interval.upper,
        ))
    return figures


def _chose(answer, name: str) -> bool:
    return name in answer if isinstance(answer, list) else answer == name


def analyse(form: Form, question: dict, submissions: QuerySet[Submission],
            level: str = LocationLevel.REGION) -> QuestionAnalysis:
    """Counts and shares of every choice of `question` over the live submissions of `form` that
    answered it, nationally and per location at `level`."""
    rows = (
        submissions.live().filter(form=form).order_by()
        .values_list("answers", "location__path")
    )
    answers, by_area = [], defaultdict(list)
    depth = [lvl.value for lvl in LocationLevel].index(level) + 1
    for stored, path in rows.iterator():
        if question["name"] not in stored:
            continue
        value = stored[question["name"]]
        answers.append(value)
        by_area["/".join(path.split("/")[:depth]) + "/"].append(value)
    locations = {
        loc.path: loc
        for loc in Location.objects.filter(mission=form.mission, path__in=list(by_area))
    }
    areas = [
        AreaRow(locations[path], len(values), _figures(question, values))
        for path, values in sorted(by_area.items())
        if path in locations
    ]
    n = len(answers)
    return QuestionAnalysis(
        question["name"], localised(question.get("label"), question["name"]), n,
        _figures(question, answers), areas,
        explanation=(
            f"Of the {n:,} reports that answered this question. The polling stations were not "
            "drawn at random, so the shares describe the reports observed, not all polling "
            "stations; the interval (Wilson, 95 %) shows only the chance variation among them."
        ),
    )
