"""Edge cases not covered elsewhere, mostly run through real law files.

Already covered and not repeated here: a party exactly at the threshold with a bare
`Threshold` (test_threshold.py), remainder and D'Hondt ties at the last seat
(test_ties.py), zero votes for Hare and the divisor methods, Droop with more leftover
seats than parties (test_quota_methods.py, test_divisor_methods.py), district ties in
`allocate_districts` and in a compensatory system (test_mixed_systems.py).
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from eom.electoral import (
    DivisorMethod,
    ElectoralError,
    LargestRemainder,
    Plurality,
    load_law,
)

# --- a party exactly at the threshold, under a law whose base includes against all ---


def test_kz_2023_list_exactly_at_five_percent_of_ballots_incl_against_all_passes():
    # Base 1,000 with against all: Edge has exactly 50 = 5 %. Hare over 950 for 69 seats:
    # Big 58.105, Mid 7.263, Edge 3.632 -> 58 + 7 + 3, the remainder seat goes to Edge.
    votes = {"Big": 800, "Mid": 100, "Edge": 50, "against_all": 50}
    result = load_law("kz-mazhilis-2023").allocate(votes)
    rows = {row.party: row for row in result.threshold.rows}
    assert rows["Edge"].share == Fraction(1, 20)
    assert rows["Edge"].passed is True
    assert result.seats == {"Big": 58, "Mid": 7, "Edge": 4}


def test_kz_2023_list_one_vote_short_of_five_percent_fails():
    votes = {"Big": 800, "Mid": 100, "Edge": 49, "against_all": 51}
    result = load_law("kz-mazhilis-2023").allocate(votes)
    assert result.threshold.passed == ("Big", "Mid")
    assert result.seats["Edge"] == 0


# --- ties at the last seat ---


def test_sainte_lague_tie_at_the_last_seat_is_a_tie_value():
    # A 300, B 100: seat 1 to A (300); seat 2: A 300/3 = 100 = B 100/1.
    result = DivisorMethod("sainte-lague").allocate({"A": 300, "B": 100}, 2)
    assert result.seats == {"A": 1, "B": 0}
    assert result.tie.parties == ("A", "B")
    assert result.tie.n_seats == 1
    assert result.tie.value == 100


def test_huntington_hill_exact_tie_at_the_last_seat_is_a_tie_value():
    # Equal populations: one first seat each, then 100²/2 for both for the 3rd seat.
    result = DivisorMethod("huntington-hill").allocate({"A": 100, "B": 100}, 3)
    assert result.seats == {"A": 1, "B": 1}
    assert result.tie.parties == ("A", "B")
    assert result.tie.n_seats == 1


# --- one list passing ---


def test_kz_2023_only_one_list_passing_takes_every_list_seat():
    votes = {"Dominant": 930, "Second": 40, "Third": 30}
    result = load_law("kz-mazhilis-2023").allocate(votes)
    assert result.threshold.passed == ("Dominant",)
    assert result.seats == {"Dominant": 69, "Second": 0, "Third": 0}
    assert result.tie is None


def test_kz_2021_law_admits_the_runner_up_when_only_one_list_passes():
    votes = {"Dominant": 930, "Second": 40, "Third": 30}
    result = load_law("kz-mazhilis-2021").allocate(votes)
    assert result.threshold.passed == ("Dominant", "Second")
    assert sum(result.seats.values()) == 98
    assert result.seats["Second"] > 0
    assert result.seats["Third"] == 0


# --- zero votes ---


def test_zero_votes_under_a_law_with_a_threshold_is_an_error_saying_so():
    with pytest.raises(ElectoralError) as error:
        load_law("kz-mazhilis-2023").allocate({"A": 0, "B": 0, "against_all": 0})
    assert "no list reached the threshold" in str(error.value)


def test_zero_votes_under_huntington_hill_is_a_tie_for_every_seat():
    result = DivisorMethod("huntington-hill").allocate({"A": 0, "B": 0}, 3)
    assert result.seats == {"A": 0, "B": 0}
    assert result.tie.n_seats == 3


def test_district_with_no_votes_at_all_is_a_tie():
    result = Plurality().allocate({"A": 0, "B": 0})
    assert result.seats == {"A": 0, "B": 0}
    assert result.tie.parties == ("A", "B")


# --- more remainder seats than parties ---


def test_droop_more_leftover_seats_than_parties_settles_in_whole_rounds():
    # 3 votes, 7 seats: quota ⌊3/8⌋ + 1 = 1; full quotas A 2, B 1; 4 seats left for 2
    # parties: two rounds of one seat each, no tie.
    result = LargestRemainder("droop").allocate({"A": 2, "B": 1}, 7)
    assert result.seats == {"A": 4, "B": 3}
    assert result.tie is None
    assert [a.party for a in result.awards] == ["A", "B", "A", "B"]


# --- a district tie in a parallel system ---


def test_kz_2023_district_tie_is_reported_and_the_list_seats_stand():
    # Hare for 69 list seats: 41.4, 17.25, 10.35 -> 41 + 17 + 10; the last seat to Amanat.
    votes = {"Amanat": 600, "Auyl": 250, "OSDP": 150}
    districts = {f"district {i}": {"Amanat": 10, "OSDP": 5} for i in range(1, 29)}
    districts["district 29"] = {"Amanat": 7, "OSDP": 7, "against_all": 1}
    result = load_law("kz-mazhilis-2023").allocate_mixed(votes, districts)
    assert result.tie.parties == ("Amanat", "OSDP")
    assert result.district_seats == {"Amanat": 28, "OSDP": 0}
    assert result.list_seats == {"Amanat": 42, "Auyl": 17, "OSDP": 10}
    assert result.n_allocated == 97
