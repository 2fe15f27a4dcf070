"""The demo's synthetic official results: exact national totals, planted failures, speed."""

from __future__ import annotations

import time

import pytest

from eom.demo import kz2023
from eom.demo import results as demo_results
from eom.missions.models import Mission
from eom.results.models import Protocol, PublishedTotal

# results.json (CEC, 27 March 2023)
NATIONAL = {"n_registered": 12_035_578, "n_valid": 6_366_441, "n_invalid": 155_419,
            "n_against_all": 248_291, "n_in_boxes": 6_521_860}
VOTES = {"AMANAT": 3_431_510, "AUYL": 693_938, "RESPUBLICA": 547_154, "AKZHOL": 535_139,
         "QHP": 432_920, "OSDP": 331_058, "BAYTAQ": 146_431}


def totals(protocols) -> tuple[dict, dict]:
    lines: dict[str, int] = {}
    votes: dict[str, int] = {}
    for p in protocols:
        for line in NATIONAL:
            lines[line] = lines.get(line, 0) + getattr(p, line)
        for code, value in p.votes.items():
            votes[code] = votes.get(code, 0) + value
    return lines, votes


@pytest.fixture
def demo(db):
    kz2023.load()
    mission = Mission.objects.get(code=kz2023.MISSION_CODE)
    if not Protocol.objects.filter(mission=mission).exists():  # until kz2023.load() calls it
        started = time.perf_counter()
        demo_results.load_official_results(mission)
        print(f"demo official results loaded in {time.perf_counter() - started:.1f} s")
    return mission


def test_demo_results_add_up_exactly_and_plant_failing_protocols(demo):
    official = Protocol.objects.filter(mission=demo, source="official")
    assert official.count() == 10_223
    assert totals(official) == (NATIONAL, VOTES)
    published = PublishedTotal.objects.get(location__level="country")
    assert (published.n_valid, published.n_against_all, published.votes) == (
        6_366_441, 248_291, VOTES)
    failing = official.filter(n_failed__gt=0)
    assert sorted(name for p in failing for name in p.failed) == [
        "ballots_accounted", "boxes_within_issued", "over_voting", "votes_sum", "votes_sum",
    ]


def test_demo_results_generation_is_exact_and_deterministic():
    stations = [(i, f"KZ/KZ-{1 + i % 20:02d}/D/{i}/", 400 + (i * 37) % 900) for i in range(500)]
    figures = {"n_in_boxes": 200_000, "n_invalid": 4_000, "n_against_all": 7_000,
               "votes": {"AMANAT": 120_000, "AUYL": 40_000, "OSDP": 29_000}}
    lines, votes = demo_results.generate(stations, figures)
    again = demo_results.generate(stations, figures)
    assert all((lines[k] == again[0][k]).all() for k in lines)
    assert {code: int(v.sum()) for code, v in votes.items()} == figures["votes"]
    assert int(lines["n_invalid"].sum()) == 4_000 and int(lines["n_against_all"].sum()) == 7_000
    assert (lines["n_valid"] == sum(votes.values()) + lines["n_against_all"]).all()
    assert (lines["n_in_boxes"] <= lines["n_registered"]).all()


def test_demo_results_plant_discrepancies_after_the_count(demo):
    from eom.demo.simulator import DayPlanner
    from eom.missions.models import Location
    from eom.observation.models import Form, Submission
    from eom.results import forensics
    from eom.results.queries import discrepancies
    from eom.results.services import party_list_contest

    planner = DayPlanner(demo, seed=1)
    form = Form.objects.get(mission=demo, form_id="counting")
    stations = Location.objects.filter(deployments__team__mission=demo,
                                       level="polling_station").distinct()
    stations = list(stations.order_by("code")[:6])
    for station in stations:
        Submission.objects.create(
            mission=demo, form=form, form_version=form.current_version, location=station,
            observed_at=planner.at(21), channel="api", answers=planner._protocol(station, False))
    shifted = demo_results.plant_discrepancies(demo)
    assert len(shifted) == 4
    contest = party_list_contest(demo)
    differing, unmatched = discrepancies(contest, Protocol.objects.all())
    assert [d.size for d in differing] == [60, 40, 25, 12]
    assert sorted(d.location.code for d in differing) == sorted(shifted)
    assert unmatched == []
    assert totals(Protocol.objects.filter(mission=demo, source="official")) == (NATIONAL, VOTES)
    # the forensics' Monte Carlo check is computed again on the figures as they now are
    analysis = forensics.analyse(forensics.official_protocols(contest))
    stored = forensics.stored_check(contest, None, analysis.leader, analysis.digest)
    assert stored.fresh and stored.check.trigger == "demo"
