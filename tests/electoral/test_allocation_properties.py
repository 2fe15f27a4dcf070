"""Properties that hold for every input (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from eom.electoral import SERIES, DivisorMethod, ElectoralError, LargestRemainder

DIVISORS = sorted(SERIES)
QUOTAS = ["hare", "droop", "hagenbach-bischoff", "imperiali"]
ALL = [("divisor", key) for key in DIVISORS] + [("quota", key) for key in QUOTAS]

votes_strategy = st.lists(st.integers(0, 1_000_000), min_size=1, max_size=8).map(
    lambda counts: {f"P{i}": n for i, n in enumerate(counts)}
)


def _evaluator(kind: str, key: str):
    return DivisorMethod(key) if kind == "divisor" else LargestRemainder(key)


def _allocate(kind, key, votes, n_seats):
    try:
        return _evaluator(kind, key).allocate(votes, n_seats)
    except ElectoralError as error:
        # Only Huntington-Hill and Adams refuse, and only with fewer seats than parties.
        positive = sum(1 for n in votes.values() if n > 0)
        assert key in ("huntington-hill", "adams")
        assert n_seats < positive, str(error)
        return None


@settings(max_examples=300, deadline=None)
@given(method=st.sampled_from(ALL), votes=votes_strategy, n_seats=st.integers(0, 60))
def test_seats_sum_to_n_seats_unless_tied_and_are_never_negative(method, votes, n_seats):
    result = _allocate(*method, votes, n_seats)
    if result is None:
        return
    assert all(seats >= 0 for seats in result.seats.values())
    assert set(result.seats) == set(votes)
    disputed = 0 if result.tie is None else result.tie.n_seats
    assert sum(result.seats.values()) + disputed == n_seats


@settings(max_examples=300, deadline=None)
@given(method=st.sampled_from(ALL), votes=votes_strategy, n_seats=st.integers(1, 60))
def test_party_with_zero_votes_gets_zero_seats_when_another_has_votes(method, votes, n_seats):
    if not any(votes.values()):
        return
    result = _allocate(*method, votes, n_seats)
    if result is None:
        return
    assert all(result.seats[p] == 0 for p, n in votes.items() if n == 0)


@settings(max_examples=300, deadline=None)
@given(key=st.sampled_from(DIVISORS), votes=votes_strategy, n_seats=st.integers(1, 40))
def test_divisor_methods_are_house_monotone(key, votes, n_seats):
    smaller = _allocate("divisor", key, votes, n_seats)
    larger = _allocate("divisor", key, votes, n_seats + 1)
    if smaller is None or larger is None or smaller.tie or larger.tie:
        return
    assert all(larger.seats[p] >= smaller.seats[p] for p in votes)


@settings(max_examples=300, deadline=None)
@given(
    key=st.sampled_from(DIVISORS),
    votes=votes_strategy,
    n_seats=st.integers(1, 40),
    extra=st.integers(1, 100_000),
    data=st.data(),
)
def test_divisor_methods_are_vote_monotone(key, votes, n_seats, extra, data):
    party = data.draw(st.sampled_from(sorted(votes)))
    before = _allocate("divisor", key, votes, n_seats)
    after = _allocate("divisor", key, {**votes, party: votes[party] + extra}, n_seats)
    if before is None or after is None or before.tie or after.tie:
        return
    assert after.seats[party] >= before.seats[party]


@settings(max_examples=200, deadline=None)
@given(method=st.sampled_from(ALL), votes=votes_strategy, n_seats=st.integers(1, 30))
def test_explanation_is_json_ready_and_exact(method, votes, n_seats):
    import json

    result = _allocate(*method, votes, n_seats)
    if result is None:
        return
    payload = json.loads(json.dumps(result.to_dict()))
    assert payload["seats"] == result.seats
