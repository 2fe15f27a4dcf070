"""Process analysis speed: eom's national table with region breakdown beside a pandas baseline.

For each database (SQLite in a throwaway file, PostgreSQL when it answers): a fresh schema, a
synthetic mission over a demo-like tree (20 regions → 200 districts → 10,000 polling stations),
a checklist of 50 choice questions (40 select_one with 4–6 choices, 10 select_multiple with 6)
and 60,000 submissions answering all of them (3 million answers), bulk-created with their
choice codes. Then, in the same run, warm, median of several runs:

- eom: `eom.reporting.analysis.analyse` — every question, every choice, in the whole tree and
  per region, with Wilson intervals (one query of codes, counted in numpy);
- baseline: the same rows' answers (JSON) and region loaded into a pandas DataFrame and grouped
  per question and region at every request, as Apollo does (counts only, no intervals).

Both count the same figures (checked). One line per figure; nothing is asserted about time.
Targets: eom under 150 ms and at least 5 × faster than the baseline.

    .venv/bin/python bench/bench_analysis.py

Environment: EOM_BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/bench; its public
schema is dropped and created again; PostgreSQL is skipped when it does not answer),
EOM_BENCH_DATABASES ("sqlite postgresql"), EOM_BENCH_SUBMISSIONS (60000), EOM_BENCH_RUNS (7).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import sys
import time
import uuid
from pathlib import Path

from phases import each_database, fresh_django

N_SUBMISSIONS = int(os.environ.get("EOM_BENCH_SUBMISSIONS", "60000"))
RUNS = int(os.environ.get("EOM_BENCH_RUNS", "7"))
REGIONS, DISTRICTS, STATIONS = 20, 10, 50  # districts per region, stations per district
N_ONE, N_MANY = 40, 10


def form_definition() -> dict:
    """50 choice questions in one section, as the XLSForm reader writes their essentials."""
    questions = []
    for k in range(N_ONE + N_MANY):
        many = k >= N_ONE
        n_choices = 6 if many else 4 + k % 3
        questions.append({
            "name": f"q{k:02d}", "type": "select_multiple" if many else "select_one",
            "label": {"en": f"Question {k + 1}"}, "relevant": "", "required": False,
            "choices": [{"name": f"c{j}", "label": {"en": f"Choice {j + 1}"}}
                        for j in range(n_choices)],
        })
    return {"form_id": "voting", "title": "Voting", "version": "1", "stage": "voting",
            "languages": ["en"], "qa": [],
            "sections": [{"name": "", "label": {}, "relevant": "", "questions": questions}]}


def synthetic_answers(definition: dict, n: int, seed: int = 1) -> list[dict]:
    import numpy as np

    rng = np.random.default_rng(seed)
    questions = definition["sections"][0]["questions"]
    columns = []
    for q in questions:
        names = [c["name"] for c in q["choices"]]
        if q["type"] == "select_one":
            weights = rng.dirichlet(np.ones(len(names)) * 2)
            picks = rng.choice(len(names), size=n, p=weights)
            columns.append([names[p] for p in picks.tolist()])
        else:
            ticks = rng.random((n, len(names))) < 0.3
            ticks[~ticks.any(axis=1), 0] = True
            columns.append([[names[j] for j in np.flatnonzero(row).tolist()] for row in ticks])
    return [
        {q["name"]: column[i] for q, column in zip(questions, columns, strict=True)}
        for i in range(n)
    ]


def build(vendor: str):
    """The mission, its tree, the form and the submissions; returns (mission, form)."""
    from eom.missions.models import Location, LocationLevel, Mission
    from eom.observation.models import Form, FormVersion, Submission
    from eom.xlsform import coding

    mission = Mission.objects.create(code="bench", name="Benchmark mission", country="KZ")

    def place(level, code, parent=None, save=True):
        made = Location(mission=mission, level=level, code=code, name_en=f"{level} {code}",
                        parent=parent, path=f"{parent.path if parent else ''}{code}/")
        if save:
            made.save()
        return made

    country = place(LocationLevel.COUNTRY, "KZ")
    stations = []
    for r in range(REGIONS):
        region = place(LocationLevel.REGION, f"R{r:02d}", country)
        for d in range(DISTRICTS):
            district = place(LocationLevel.DISTRICT, f"R{r:02d}D{d}", region)
            stations += [place(LocationLevel.POLLING_STATION, f"{r:02d}{d}{s:03d}", district,
                               save=False) for s in range(STATIONS)]
    stations = Location.objects.bulk_create(stations, batch_size=2000)
    if not stations[0].pk:
        stations = list(Location.objects.filter(mission=mission,
                                                level=LocationLevel.POLLING_STATION))
    definition = form_definition()
    form = Form.objects.create(mission=mission, form_id="voting", title="Voting", stage="voting")
    version = FormVersion.objects.create(form=form, version="1", definition=definition,
                                         source=b"", source_name="voting.xlsx")
    form.current_version = version
    form.save()
    shape = coding.layout(definition)
    when = dt.datetime(2023, 3, 19, 12, tzinfo=dt.UTC)
    answers = synthetic_answers(definition, N_SUBMISSIONS)
    batch = []
    for i, given in enumerate(answers):
        batch.append(Submission(
            uuid=uuid.UUID(int=i + 1), mission=mission, form=form, form_version=version,
            location=stations[(i * 7919) % len(stations)], observed_at=when, channel="api",
            answers=given, choice_codes=coding.encode(shape, given)))
        if len(batch) == 5000:
            Submission.objects.bulk_create(batch)
            batch = []
    Submission.objects.bulk_create(batch)
    return mission, form


def baseline(form, submissions) -> dict:
    """Apollo's way: the answers and the region in a DataFrame, grouped per question."""
    import pandas as pd

    rows = list(submissions.filter(deleted_at__isnull=True, form=form).order_by()
                .values_list("answers", "location__path"))
    frame = pd.DataFrame.from_records([answers for answers, _path in rows])
    frame["region"] = [path.split("/")[1] for _answers, path in rows]
    figures = {}
    for question in form.current_version.definition["sections"][0]["questions"]:
        name = question["name"]
        column = frame[["region", name]].dropna()
        answered = column.groupby("region")[name].size()
        if question["type"] == "select_multiple":
            column = column.explode(name)
        chosen = column.groupby("region")[name].value_counts().unstack(fill_value=0)
        figures[name] = (answered, chosen, chosen.sum(axis=0), int(answered.sum()))
    return figures


def timed(function, runs: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return times, result


def phase(vendor: str, data_dir: str) -> None:
    """Runs in its own process: Django is set up for one database."""
    fresh_django(vendor, data_dir)
    from django.core.management import call_command
    from django.db import connection

    from eom.observation.models import Submission
    from eom.reporting.analysis import analyse

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    mission, form = build(vendor)
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(f"{vendor}: set-up ({N_SUBMISSIONS:,} submissions × {N_ONE + N_MANY} answers, "
          f"{REGIONS * DISTRICTS * STATIONS:,} polling stations) "
          f"{time.perf_counter() - started:.1f} s", flush=True)
    submissions = Submission.objects.filter(mission=mission)

    def eom():
        return analyse(form, submissions, level="region")

    def pandas():
        return baseline(form, submissions)

    eom(), pandas()  # warm: connection, caches, imports
    eom_times, result = timed(eom, RUNS)
    pandas_times, figures = timed(pandas, RUNS)
    same = all(
        [f.n_yes for f in q.figures] == [int(figures[q.name][2].get(f.name, 0))
                                         for f in q.figures]
        and q.n == figures[q.name][3]
        and [row.n for row in q.areas] == [int(figures[q.name][0].get(row.location.code, 0))
                                           for row in q.areas]
        for q in result.questions
    )
    eom_ms, pandas_ms = statistics.median(eom_times) * 1000, statistics.median(pandas_times) * 1000
    cells = sum(len(q.figures) * (1 + len(q.areas)) for q in result.questions)
    print(f"{vendor}: eom national table + {len(result.areas)} regions "
          f"({len(result.questions)} questions, {cells:,} figures with intervals): "
          f"{eom_ms:.0f} ms median of {RUNS} (min {min(eom_times) * 1000:.0f}, "
          f"max {max(eom_times) * 1000:.0f}; target < 150 ms)")
    print(f"{vendor}: pandas baseline (load answers + region, group per question): "
          f"{pandas_ms:.0f} ms median of {RUNS} (min {min(pandas_times) * 1000:.0f}, "
          f"max {max(pandas_times) * 1000:.0f})")
    print(f"{vendor}: eom is {pandas_ms / eom_ms:.1f} × faster (target ≥ 5 ×); "
          f"same counts: {'yes' if same else 'NO'}", flush=True)
    if not same:
        sys.exit(1)


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--phase":
        return each_database(__file__, "analysis", phase)
    try:
        import pandas
    except ImportError:
        print("pandas is not installed: pip install -e '.[bench]'")
        return 1
    import numpy

    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, numpy {numpy.__version__}, "
          f"pandas {pandas.__version__}", flush=True)
    return each_database(__file__, "analysis", phase)


if __name__ == "__main__":
    try:
        import eom  # noqa: F401
    except ImportError:  # running from a checkout without installing
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    sys.exit(main())
