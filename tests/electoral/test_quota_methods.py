"""Quota methods with largest remainder, hand computed from the definitions.

Votes A 100,000, B 80,000, C 30,000, D 20,000; total 230,000; 8 seats.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from eom.electoral import LargestRemainder
from eom.electoral.core import ElectoralError

VOTES = {"A": 100_000, "B": 80_000, "C": 30_000, "D": 20_000}


def test_hare_textbook_eight_seats():
    # quota 230000/8 = 28750. A 3.478 B 2.783 C 1.043 D 0.696 -> 3+2+1+0 = 6 full quotas;
    # the 2 left go to the largest remainders B (.783) and D (.696).
    result = LargestRemainder("hare").allocate(VOTES, 8)
    assert result.quota == Fraction(28_750)
    assert result.seats == {"A": 3, "B": 3, "C": 1, "D": 1}
    assert [(a.seat, a.party) for a in result.awards] == [(7, "B"), (8, "D")]
    rows = {row.party: row for row in result.rows}
    assert rows["B"].full_quotas == 2
    assert rows["B"].remainder == Fraction(80_000, 28_750) - 2


def test_droop_quota_is_whole_votes_over_seats_plus_one_plus_one():
    # quota floor(230000/9)+1 = 25556. A 3.913 B 3.130 C 1.174 D 0.783 -> 7 full quotas;
    # the last seat goes to A (.913 > D .783).
    result = LargestRemainder("droop").allocate(VOTES, 8)
    assert result.quota == Fraction(25_556)
    assert result.seats == {"A": 4, "B": 3, "C": 1, "D": 0}


def test_hagenbach_bischoff_quota_is_exact_votes_over_seats_plus_one():
    # quota 230000/9 = 25555.56: same ranking as Droop here.
    result = LargestRemainder("hagenbach-bischoff").allocate(VOTES, 8)
    assert result.quota == Fraction(230_000, 9)
    assert result.seats == {"A": 4, "B": 3, "C": 1, "D": 0}


def test_imperiali_quota_fills_every_seat_with_full_quotas():
    # quota 230000/10 = 23000. A 4.348 B 3.478 C 1.304 D 0.870 -> 4+3+1 = 8 full quotas.
    result = LargestRemainder("imperiali").allocate(VOTES, 8)
    assert result.quota == Fraction(23_000)
    assert result.seats == {"A": 4, "B": 3, "C": 1, "D": 0}
    assert result.awards == ()


def test_imperiali_over_allocation_takes_seats_back_from_smallest_remainder():
    # A 60 B 30 C 10, 3 seats: quota 100/5 = 20. A 3 (rem 0), B 1 (rem .5), C 0 (rem .5):
    # 4 full quotas for 3 seats; A has the smallest remainder among parties with seats.
    result = LargestRemainder("imperiali").allocate({"A": 60, "B": 30, "C": 10}, 3)
    assert result.seats == {"A": 2, "B": 1, "C": 0}
    assert [(a.party, a.basis) for a in result.awards] == [("A", "removed")]
    assert any("over-allocates" in note for note in result.notes)


def test_imperiali_over_allocation_by_two_with_one_party():
    # One party: votes/quota = seats + 2 exactly, so 2 seats are taken back from it.
    result = LargestRemainder("imperiali").allocate({"Solo": 500}, 3)
    assert result.seats == {"Solo": 3}
    assert [a.basis for a in result.awards] == ["removed", "removed"]


def test_hare_one_party_only():
    assert LargestRemainder("hare").allocate({"Solo": 7}, 5).seats == {"Solo": 5}


def test_hare_more_seats_than_parties():
    # A 500 B 300 C 200, 13 seats: quota 1000/13; A 6.5 B 3.9 C 2.6 -> 6+3+2 = 11;
    # remainders B .9, C .6, A .5 -> B and C.
    result = LargestRemainder("hare").allocate({"A": 500, "B": 300, "C": 200}, 13)
    assert result.seats == {"A": 6, "B": 4, "C": 3}


def test_droop_with_more_leftover_seats_than_parties_gives_one_each_per_round():
    # 3 votes, 10 seats: Droop quota floor(3/11)+1 = 1, so 3 full quotas and 7 seats left
    # for 2 parties with votes: each round gives each party one seat.
    result = LargestRemainder("droop").allocate({"A": 2, "B": 1, "C": 0}, 10)
    assert result.tie is not None
    assert result.seats["C"] == 0
    assert result.seats["A"] + result.seats["B"] + result.tie.n_seats == 10


def test_zero_votes_everywhere_is_a_tie_not_a_division_by_zero():
    result = LargestRemainder("hare").allocate({"A": 0, "B": 0, "C": 0}, 2)
    assert result.seats == {"A": 0, "B": 0, "C": 0}
    assert result.tie is not None
    assert result.tie.n_seats == 2


def test_party_with_zero_votes_gets_no_remainder_seat():
    result = LargestRemainder("hare").allocate({"A": 5, "B": 0}, 3)
    assert result.seats == {"A": 3, "B": 0}


def test_against_all_is_not_in_the_quota():
    result = LargestRemainder("hare").allocate({"A": 60, "B": 40, "against_all": 100}, 10)
    assert result.quota == Fraction(10)
    assert result.seats == {"A": 6, "B": 4}


def test_unknown_quota_is_an_error_naming_it():
    with pytest.raises(ElectoralError) as error:
        LargestRemainder("hare2")
    assert "'hare2'" in str(error.value)


def test_float_votes_are_refused():
    with pytest.raises(ElectoralError) as error:
        LargestRemainder("hare").allocate({"A": 1.5}, 1)  # type: ignore[dict-item]
    assert "must be an integer" in str(error.value)
