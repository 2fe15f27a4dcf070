"""Process analysis: every figure, counted from the choice codes in numpy, equals a plain count of
the stored answers — over two form versions, at every level, with answers that are no longer
choices, a question whose type changed and a select_one too wide for one byte."""

import datetime as dt
import random
import uuid

import pytest

from eom.observation.models import Submission
from eom.reporting.analysis import analyse
from eom.stats import wilson_interval
from eom.xlsform import coding
from tests.factories import make_form, question

WIDE = tuple(f"w{k}" for k in range(300))  # codes of two bytes


def version_one(mission):
    return make_form(mission, "voting", "voting", [
        question("secrecy", "select_one", choices=("yes", "no")),
        question("problems", "select_multiple", choices=("queue", "crowding", "pressure")),
        question("assessment", "select_one", choices=("very_good", "good", "bad", "very_bad")),
        question("staff", "select_one", choices=("enough", "short")),
        question("region_size", "select_one", choices=WIDE),
    ], version="1")


def version_two(mission):
    return make_form(mission, "voting", "voting", [
        question("secrecy", "select_one", choices=("no", "yes", "partly")),
        question("problems", "select_multiple",
                 choices=("pressure", "queue", *(f"p{k}" for k in range(8)))),
        question("assessment", "select_one", choices=("good", "bad")),
        question("staff", "select_multiple", choices=("enough", "short")),
        question("region_size", "select_one", choices=WIDE[::-1]),
    ], version="2")


def random_answers(definition: dict, pick: random.Random) -> dict:
    answers = {}
    for asked in definition["sections"][0]["questions"]:
        names = [c["name"] for c in asked["choices"]]
        if pick.random() < 0.2:
            continue  # not answered
        if asked["type"] == "select_one":
            answers[asked["name"]] = pick.choice(names) if pick.random() > 0.1 else "gone"
        else:
            answers[asked["name"]] = [n for n in names if pick.random() < 0.4]
    return answers


@pytest.fixture
def reports(mission, tree):
    pick = random.Random(19)
    places = [tree[code] for code in ("KZ", "R2", "D1", "01001", "01002", "02001", "02002")]
    made = []
    for make in (version_one, version_two):
        form = make(mission)
        definition = form.current_version.definition
        for _ in range(150):
            answers = random_answers(definition, pick)
            made.append(Submission(
                uuid=uuid.uuid4(), mission=mission, form=form, form_version=form.current_version,
                location=pick.choice(places), channel="api", answers=answers,
                observed_at=dt.datetime(2023, 3, 19, 12, tzinfo=dt.UTC),
                choice_codes=coding.encode(definition, answers)))
    Submission.objects.bulk_create(made)
    return form


def plain_count(form, rows, asked: dict) -> tuple[int, dict[str, int]]:
    """Reports that answered `asked` (a current-version question) and those per choice, read
    from the stored answers of reports whose own version has the question with the same type."""
    n, chosen = 0, {c["name"]: 0 for c in asked["choices"]}
    for submission in rows:
        own = {q["name"]: q for q in submission.form_version.definition["sections"][0][
            "questions"]}
        if own.get(asked["name"], {}).get("type") != asked["type"]:
            continue
        given = submission.answers.get(asked["name"])
        if given in (None, "", []):
            continue
        if asked["type"] == "select_multiple":
            n += 1
            for name in given:
                if name in chosen:
                    chosen[name] += 1
        else:
            n += 1
            own_choices = [c["name"] for c in own[asked["name"]]["choices"]]
            if given in own_choices and given in chosen:
                chosen[given] += 1
    return n, chosen


@pytest.mark.parametrize("level", ["region", "district", "polling_station"])
def test_every_figure_equals_a_count_of_the_stored_answers(reports, tree, level):
    result = analyse(reports, Submission.objects.all(), level=level)
    rows = list(Submission.objects.select_related("form_version", "location"))
    assert result.n_reports == 300
    for asked in reports.current_version.definition["sections"][0]["questions"]:
        figures = result.question(asked["name"])
        n, chosen = plain_count(reports, rows, asked)
        assert (figures.n, {f.name: f.n_yes for f in figures.figures}) == (n, chosen)
        for f in figures.figures:
            assert (f.share, f.lower, f.upper) == (
                (f.n_yes / n, *wilson_interval(f.n_yes, n)) if n else (0.0, 0.0, 0.0))
        areas = [loc for loc in tree.values() if loc.level == level]
        expected = []
        for area in areas:
            inside = [s for s in rows if s.location.path.startswith(area.path)]
            n_area, chosen_area = plain_count(reports, inside, asked)
            if n_area:
                expected.append((area.code, n_area, chosen_area))
        assert [(row.location.code, row.n, {f.name: f.n_yes for f in row.figures})
                for row in figures.areas] == expected
        assert sum(n_area for _code, n_area, _c in expected) < n  # reports above the level
