"""Ties: settled by the law's rule when it has one, otherwise an explicit Tie value."""

from __future__ import annotations

import random

import pytest

from eom.electoral import (
    DivisorMethod,
    ElectoralError,
    LargestRemainder,
    Plurality,
    Tie,
    TieBreak,
)

# Hare, 2 seats, quota 50: C has a full quota; A and B tie on remainder 1/2 for the last seat.
EQUAL_REMAINDERS = {"A": 25, "B": 25, "C": 50}


def test_remainder_tie_the_law_does_not_settle_is_a_tie_value():
    result = LargestRemainder("hare").allocate(EQUAL_REMAINDERS, 2)
    assert result.seats == {"A": 0, "B": 0, "C": 1}
    assert result.tie == Tie(
        parties=("A", "B"),
        n_seats=1,
        reason="A, B tied at 0.5000 for 1 remainder seat; no tie rule of the law settles it",
        value=result.tie.value,
    )
    assert sum(result.seats.values()) + result.tie.n_seats == 2


def test_remainder_tie_goes_to_the_list_registered_earlier():
    evaluator = LargestRemainder("hare", TieBreak(("earlier_registration",)))
    result = evaluator.allocate(EQUAL_REMAINDERS, 2, registration_order=["C", "B", "A"])
    assert result.seats == {"A": 0, "B": 1, "C": 1}
    assert result.tie is None
    assert "earlier registration (B before A)" in result.awards[-1].note


def test_earlier_registration_without_an_order_stays_a_tie_and_says_why():
    evaluator = LargestRemainder("hare", TieBreak(("earlier_registration",)))
    result = evaluator.allocate(EQUAL_REMAINDERS, 2)
    assert result.tie is not None
    assert "no registration order was given" in result.tie.reason


def test_remainder_tie_goes_to_more_votes():
    # Hare, 3 seats, quota 50: A 1.5, B 0.5, C 1.0 -> equal remainders 1/2, A has more votes.
    evaluator = LargestRemainder("hare", TieBreak(("more_votes",)))
    result = evaluator.allocate({"A": 75, "B": 25, "C": 50}, 3)
    assert result.seats == {"A": 2, "B": 0, "C": 1}


def test_dhondt_tie_for_the_last_seat_is_a_tie_value():
    # A 100, B 50: quotients A 100, 50; B 50 -> seat 2 tied at 50.
    result = DivisorMethod("dhondt").allocate({"A": 100, "B": 50}, 2)
    assert result.seats == {"A": 1, "B": 0}
    assert result.tie.parties == ("A", "B")
    assert result.tie.n_seats == 1


def test_tied_parties_all_get_a_seat_when_enough_seats_remain():
    result = DivisorMethod("dhondt").allocate({"A": 100, "B": 50}, 3)
    assert result.seats == {"A": 2, "B": 1}
    assert result.tie is None


def test_modified_sainte_lague_exact_tie_between_seventh_divisor_and_first():
    # A 100000/7 == D 20000/1.4 exactly: the 8th seat is in dispute.
    votes = {"A": 100_000, "B": 80_000, "C": 30_000, "D": 20_000}
    result = DivisorMethod("modified-sainte-lague").allocate(votes, 8)
    assert result.tie.parties == ("A", "D")
    assert sum(result.seats.values()) == 7


def test_lot_uses_the_recorded_seed_and_is_repeatable():
    evaluator = LargestRemainder("hare", TieBreak(("lot",), seed=2023))
    first = evaluator.allocate(EQUAL_REMAINDERS, 2)
    again = evaluator.allocate(EQUAL_REMAINDERS, 2)
    drawn = sorted(["A", "B"])
    random.Random(2023).shuffle(drawn)
    assert first.seats == again.seats
    assert first.seats[drawn[0]] == 1
    assert first.tie is None
    assert "random.Random(2023)" in first.awards[-1].note


def test_lot_without_a_seed_is_not_drawn():
    evaluator = LargestRemainder("hare", TieBreak(("lot",)))
    result = evaluator.allocate(EQUAL_REMAINDERS, 2)
    assert "no lot seed was given" in result.tie.reason


def test_rules_apply_in_order_more_votes_then_registration():
    # Plurality, 2 seats: B and C tie on 40 votes; more votes cannot split them; C was
    # registered earlier.
    evaluator = Plurality(TieBreak(("more_votes", "earlier_registration")))
    result = evaluator.allocate({"A": 50, "B": 40, "C": 40}, 2, registration_order=["C", "B"])
    assert result.seats == {"A": 1, "B": 0, "C": 1}


def test_removal_tie_takes_the_seat_from_the_list_registered_later():
    # Imperiali, 2 seats, A 50 B 50: quota 25, 4 full quotas for 2 seats: each loses one.
    # With 1 seat and 3 equal parties: quota 150/3 = 50 -> 3 full quotas, 2 taken back.
    evaluator = LargestRemainder("imperiali", TieBreak(("earlier_registration",)))
    result = evaluator.allocate({"A": 50, "B": 50, "C": 50}, 1, registration_order=["B", "A", "C"])
    assert result.seats == {"A": 0, "B": 1, "C": 0}


def test_lot_must_be_the_last_rule():
    with pytest.raises(ElectoralError):
        TieBreak(("lot", "more_votes"), seed=1)


def test_unknown_tie_rule_is_an_error_naming_it():
    with pytest.raises(ElectoralError) as error:
        TieBreak(("coin",))
    assert "'coin'" in str(error.value)


def test_tie_to_dict_names_parties_and_seats():
    result = DivisorMethod("dhondt").allocate({"A": 100, "B": 100}, 1)
    assert result.to_dict()["tie"]["parties"] == ["A", "B"]
    assert result.to_dict()["tie"]["n_seats"] == 1
