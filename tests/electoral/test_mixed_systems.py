"""Plurality districts, parallel and compensatory (MMP) combinations."""

from __future__ import annotations

import pytest

from eom.electoral import (
    Compensatory,
    DivisorMethod,
    ElectoralError,
    LargestRemainder,
    Parallel,
    Plurality,
    Threshold,
    allocate_districts,
)


def test_plurality_most_votes_wins():
    result = Plurality().allocate({"A": 40, "B": 35, "C": 25})
    assert result.seats == {"A": 1, "B": 0, "C": 0}


def test_plurality_tie_without_rule_is_a_tie_value():
    result = Plurality().allocate({"A": 40, "B": 40, "C": 20})
    assert result.seats == {"A": 0, "B": 0, "C": 0}
    assert result.tie.parties == ("A", "B")


def test_plurality_against_all_never_wins_and_is_noted():
    result = Plurality().allocate({"A": 30, "B": 20, "against_all": 50})
    assert result.seats == {"A": 1, "B": 0}
    assert any("against all" in note for note in result.notes)


def test_districts_total_seats_per_label_and_report_ties():
    results = allocate_districts(
        {
            "1": {"A": 10, "B": 5},
            "2": {"A": 3, "B": 7},
            "3": {"A": 4, "B": 4},
        }
    )
    assert results.seats == {"A": 1, "B": 1}
    assert [name for name, _ in results.ties] == ["3"]


def test_parallel_adds_list_and_district_seats():
    system = Parallel(Threshold(LargestRemainder("hare"), 5))
    result = system.allocate(
        {"A": 500, "B": 300, "C": 200},
        10,
        district_votes={"d1": {"A": 9, "B": 1}, "d2": {"A": 9, "Ind. X": 10}},
    )
    assert result.list_seats == {"A": 5, "B": 3, "C": 2}
    assert result.district_seats == {"A": 1, "B": 0, "Ind. X": 1}
    assert result.seats == {"A": 6, "B": 3, "C": 2, "Ind. X": 1}
    assert result.n_seats == 12


# Compensatory case, hand computed: votes A 40, B 35, C 25; house of 10; A wins all 6
# districts. D'Hondt quotients: A 40 20 13.3 10 8 6.67; B 35 17.5 11.7 8.75 7 5.83;
# C 25 12.5 8.33 6.25. Entitlement for 10 seats: A 4 B 4 C 2, so A has 2 overhang seats.
MMP_VOTES = {"A": 40, "B": 35, "C": 25}
MMP_DISTRICTS = {f"d{i}": {"A": 10, "B": 5, "C": 1} for i in range(6)}


def test_compensatory_keeps_overhang_seats():
    system = Compensatory(DivisorMethod("dhondt"), overhang_rule="keep")
    result = system.allocate(MMP_VOTES, 10, district_votes=MMP_DISTRICTS)
    assert result.seats == {"A": 6, "B": 4, "C": 2}
    assert result.overhang == {"A": 2}
    assert result.list_seats == {"A": 0, "B": 4, "C": 2}
    assert sum(result.seats.values()) == 12


def test_compensatory_levels_until_no_overhang():
    # A's 6th quotient 40/6 = 6.67 is the 14th largest: the house grows to 14.
    system = Compensatory(DivisorMethod("dhondt"), overhang_rule="level")
    result = system.allocate(MMP_VOTES, 10, district_votes=MMP_DISTRICTS)
    assert result.seats == {"A": 6, "B": 5, "C": 3}
    assert result.n_levelling == 4
    assert result.overhang == {}


def test_compensatory_without_overhang_tops_up_to_entitlement():
    system = Compensatory(DivisorMethod("sainte-lague"))
    districts = {"d1": {"A": 5, "B": 1}, "d2": {"B": 5, "A": 1}, "d3": {"A": 5, "C": 1}}
    result = system.allocate({"A": 50, "B": 30, "C": 20}, 10, district_votes=districts)
    # Sainte-Laguë entitlement for 10: A 5, B 3, C 2.
    assert result.seats == {"A": 5, "B": 3, "C": 2}
    assert result.list_seats == {"A": 3, "B": 2, "C": 2}


def test_compensatory_independent_district_seat_is_taken_off_the_proportional_share():
    system = Compensatory(Threshold(DivisorMethod("sainte-lague"), 5))
    districts = {"d1": {"A": 5, "Ind": 9}, "d2": {"B": 5, "A": 1}}
    result = system.allocate({"A": 50, "B": 30, "C": 20}, 11, district_votes=districts)
    assert result.seats["Ind"] == 1
    assert sum(result.seats.values()) == 11
    assert any("independents" in note for note in result.notes)


def test_compensatory_levelling_cap_is_an_error():
    system = Compensatory(DivisorMethod("dhondt"), overhang_rule="level", max_seats=12)
    with pytest.raises(ElectoralError) as error:
        system.allocate(MMP_VOTES, 10, district_votes=MMP_DISTRICTS)
    assert "maximum of 12 seats" in str(error.value)


def test_compensatory_district_tie_stops_list_seats():
    system = Compensatory(DivisorMethod("dhondt"))
    result = system.allocate(MMP_VOTES, 10, district_votes={"d1": {"A": 3, "B": 3}})
    assert result.tie is not None
    assert result.list_allocation is None


def test_compensatory_levelling_with_a_quota_method_searches_seat_by_seat():
    # Hare, votes A 41 B 35 C 24, A wins 6 districts. A's seats by house size:
    # 10: 4.1 -> 4; 11: 4.51 -> 4; 12: 4.92 -> 5; 13: 5.33 -> 5;
    # 14: 5.74 -> 5 + remainder (B .90, A .74 take the 2 left) = 6: B 5, C 3.
    system = Compensatory(LargestRemainder("hare"), overhang_rule="level")
    result = system.allocate({"A": 41, "B": 35, "C": 24}, 10, district_votes=MMP_DISTRICTS)
    assert result.seats == {"A": 6, "B": 5, "C": 3}
    assert result.n_levelling == 4


def test_compensatory_levelling_stops_at_a_tie_and_reports_it():
    # Hare for 10 seats on A 40 B 35 C 25: B and C tie on remainder 1/2 for the last seat.
    system = Compensatory(LargestRemainder("hare"), overhang_rule="level")
    result = system.allocate(MMP_VOTES, 10, district_votes=MMP_DISTRICTS)
    assert result.tie.parties == ("B", "C")
