"""The election-day simulator sends through the real HTTP API, and a rerun stores nothing new."""

import pytest

from eom.demo import kz2023
from eom.demo.simulator import (
    BAD_REGION,
    observer_tokens,
    plan_day,
    send,
    simulate_election_day,
)
from eom.missions.models import Mission
from eom.observation.models import Submission
from eom.observation.queries import conflicts


@pytest.fixture
def demo(transactional_db):
    kz2023.load()
    return Mission.objects.get(code=kz2023.MISSION_CODE)


def test_simulated_day_is_stored_once_and_a_rerun_adds_nothing(demo):
    plan, first = simulate_election_day(demo, teams=4, seed=7)
    assert first.statuses[201] == len(plan.reports) == Submission.objects.count()
    assert first.statuses[200] == len(plan.replays)
    assert sum(first.statuses.values()) == first.sent
    _plan, second = simulate_election_day(demo, teams=4, seed=7)
    assert (second.stored, second.replayed) == (0, second.sent)
    assert Submission.objects.count() == len(plan.reports)


def test_plan_is_the_same_for_the_same_seed_and_differs_for_another(demo):
    first, again, other = (plan_day(demo, teams=6, seed=s) for s in (3, 3, 4))
    assert [r.key for r in first.reports] == [r.key for r in again.reports]
    assert [r.answers for r in first.reports] == [r.answers for r in again.reports]
    assert {r.key for r in first.reports}.isdisjoint({r.key for r in other.reports})


def test_plan_plants_the_patterns(demo):
    plan = plan_day(demo, teams=None, seed=20230319)
    voting = [r for r in plan.reports if r.form_id == "voting"]
    negative = [r for r in voting if r.answers["assessment"] in {"bad", "very_bad"}]
    in_bad_region = [r for r in negative if r.location.startswith("18")]
    assert len(voting) == 1201
    assert len(in_bad_region) > len(negative) / 3  # one region of twenty holds a third or more
    assert plan.arithmetic_failures > 0
    assert sum(r.late for r in plan.reports) > 0 and len(plan.replays) > 0
    assert BAD_REGION == "KZ-18"


def test_two_teams_disagree_at_one_counted_station(demo, live_server):
    plan = plan_day(demo, teams=None, seed=20230319)
    counts = [r for r in plan.reports if r.form_id == "counting"]
    places = [r.location for r in counts]
    shared = [r for r in counts if places.count(r.location) > 1]
    assert len(shared) == 2 and shared[0].observer != shared[1].observer
    outcome = send(shared, live_server.url, observer_tokens(demo, {r.observer for r in shared}, 1))
    assert outcome.stored == 2
    found = conflicts(demo, Submission.objects.filter(form__form_id="counting"))
    assert len({c.location.code for c in found}) == 1
    assert {c.question for c in found} >= {"n_amanat", "n_auyl"}
