"""Divisor methods against textbook cases computed by hand from the definitions.

Votes A 100,000, B 80,000, C 30,000, D 20,000 (the usual textbook example). The quotient
tables are written out in the comments so each expected value can be checked by hand.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from eom.electoral import DivisorMethod, ElectoralError

VOTES = {"A": 100_000, "B": 80_000, "C": 30_000, "D": 20_000}


def test_dhondt_textbook_eight_seats():
    # /1: A 100000 B 80000 C 30000 D 20000; /2: A 50000 B 40000; /3: A 33333 B 26667;
    # /4: A 25000. The 8 largest: A100000 B80000 A50000 B40000 A33333 C30000 B26667 A25000.
    result = DivisorMethod("dhondt").allocate(VOTES, 8)
    assert result.seats == {"A": 4, "B": 3, "C": 1, "D": 0}
    assert [a.party for a in result.awards] == ["A", "B", "A", "B", "A", "C", "B", "A"]
    assert result.awards[-1].value == Fraction(25_000)
    assert result.awards[-1].divisor == "4"


def test_sainte_lague_textbook_eight_seats():
    # /1: A100000 B80000 C30000 D20000; /3: A33333 B26667 C10000; /5: A20000 B16000.
    # 8 largest: 100000 80000 33333 30000 26667 20000(A) 20000(D) 16000(B).
    result = DivisorMethod("sainte-lague").allocate(VOTES, 8)
    assert result.seats == {"A": 3, "B": 3, "C": 1, "D": 1}


def test_modified_sainte_lague_first_divisor_is_one_point_four():
    # /1.4: A71429 B57143 C21429 D14286; /3: A33333 B26667; /5: A20000 B16000; /7: A14286.
    # 7 largest: 71429 57143 33333 26667 21429 20000 16000 -> D gets nothing.
    result = DivisorMethod("modified-sainte-lague").allocate(VOTES, 7)
    assert result.seats == {"A": 3, "B": 3, "C": 1, "D": 0}
    assert result.awards[0].divisor == "1.4"
    assert result.awards[0].value == Fraction(500_000, 7)


def test_danish_divisors_one_four_seven():
    # /1: A100000 B80000 C30000 D20000; /4: A25000 B20000 C7500; /7: A14286 B11429.
    # 8 largest: 100000 80000 30000 25000 20000(B) 20000(D) 14286 11429.
    result = DivisorMethod("danish").allocate(VOTES, 8)
    assert result.seats == {"A": 3, "B": 3, "C": 1, "D": 1}
    assert [a.divisor for a in result.awards if a.party == "A"] == ["1", "4", "7"]


def test_imperiali_divisors_two_three_four():
    # /2: A50000 B40000 C15000 D10000; /3: A33333 B26667; /4: A25000 B20000; /5: A20000;
    # /6: A16667. 8 largest: 50000 40000 33333 26667 25000 20000(A) 20000(B) 16667.
    result = DivisorMethod("imperiali-divisor").allocate(VOTES, 8)
    assert result.seats == {"A": 5, "B": 3, "C": 0, "D": 0}


def test_adams_gives_every_party_with_votes_a_first_seat():
    # First seats (divisor 0): A B C D. Then /1: A100000 B80000 C30000 D20000; /2: A50000
    # B40000; /3: A33333. 6 more seats: 100000 80000 50000 40000 33333 30000(C).
    result = DivisorMethod("adams").allocate(VOTES, 10)
    assert result.seats == {"A": 4, "B": 3, "C": 2, "D": 1}
    assert [a.basis for a in result.awards[:4]] == ["first seat"] * 4


def test_huntington_hill_compares_squared_quotients_exactly():
    # First seats A B C D. Then v/√2: A70711 B56569 C21213; v/√6: A40825 B32660;
    # v/√12: A28868 B23094; v/√20: A22361. 6 more: 70711 56569 40825 32660 28868 23094.
    result = DivisorMethod("huntington-hill").allocate(VOTES, 10)
    assert result.seats == {"A": 4, "B": 4, "C": 1, "D": 1}
    assert result.awards[4].value == Fraction(100_000**2, 2)
    assert result.awards[4].divisor == "√2"


def test_huntington_hill_with_fewer_seats_than_parties_is_an_error_naming_why():
    with pytest.raises(ElectoralError) as error:
        DivisorMethod("huntington-hill").allocate(VOTES, 3)
    assert "4 parties have votes but there are only 3 seats" in str(error.value)


def test_adams_with_fewer_seats_than_parties_is_an_error():
    with pytest.raises(ElectoralError) as error:
        DivisorMethod("adams").allocate(VOTES, 2)
    assert "first seat" in str(error.value)


def test_adams_party_with_no_votes_gets_no_first_seat():
    result = DivisorMethod("adams").allocate({"A": 10, "B": 0}, 1)
    assert result.seats == {"A": 1, "B": 0}


@pytest.mark.parametrize(
    "method",
    [
        "dhondt",
        "sainte-lague",
        "modified-sainte-lague",
        "danish",
        "imperiali-divisor",
        "adams",
        "huntington-hill",
    ],
)
def test_one_party_only_gets_every_seat(method):
    assert DivisorMethod(method).allocate({"Solo": 12_345}, 7).seats == {"Solo": 7}


@pytest.mark.parametrize("method", ["dhondt", "sainte-lague", "adams", "huntington-hill"])
def test_more_seats_than_parties_fills_every_seat(method):
    result = DivisorMethod(method).allocate({"A": 600, "B": 300, "C": 100}, 20)
    assert sum(result.seats.values()) == 20
    assert result.tie is None


def test_dhondt_more_seats_than_parties_hand_computed():
    # A 600 B 300 C 100, 10 seats: D'Hondt is proportional here: 6, 3, 1.
    assert DivisorMethod("dhondt").allocate({"A": 600, "B": 300, "C": 100}, 10).seats == {
        "A": 6,
        "B": 3,
        "C": 1,
    }


def test_zero_votes_everywhere_is_a_tie_for_every_seat():
    result = DivisorMethod("dhondt").allocate({"A": 0, "B": 0}, 3)
    assert result.seats == {"A": 0, "B": 0}
    assert result.tie is not None
    assert result.tie.parties == ("A", "B")
    assert result.tie.n_seats == 3


def test_zero_seats_gives_zero_to_everyone():
    assert DivisorMethod("adams").allocate(VOTES, 0).seats == {"A": 0, "B": 0, "C": 0, "D": 0}


def test_against_all_never_receives_a_seat_in_a_divisor_method():
    result = DivisorMethod("dhondt").allocate({"A": 10, "against_all": 1_000}, 3)
    assert result.seats == {"A": 3}


def test_unknown_divisor_method_is_an_error_naming_it():
    with pytest.raises(ElectoralError) as error:
        DivisorMethod("__class__")
    assert "'__class__'" in str(error.value)


def test_dhondt_thousand_seats_fifty_parties_sums_exactly():
    votes = {f"P{i:02d}": 1_000 + 997 * i for i in range(50)}
    result = DivisorMethod("dhondt").allocate(votes, 1_000)
    assert sum(result.seats.values()) == 1_000
    assert len(result.awards) == 1_000
