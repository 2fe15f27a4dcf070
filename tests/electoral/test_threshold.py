"""Thresholds: exact shares, "at least" vs "more than", the base, legal alternatives."""

from __future__ import annotations

from fractions import Fraction

import pytest

from eom.electoral import DivisorMethod, ElectoralError, LargestRemainder, Threshold

# 5 % of 1,000 is exactly 50 votes.
AT_THE_LINE = {"Big": 700, "Mid": 250, "Edge": 50}


def test_party_exactly_at_threshold_passes_under_at_least():
    result = Threshold(DivisorMethod("dhondt"), 5, rule="at_least").allocate(AT_THE_LINE, 20)
    rows = {row.party: row for row in result.threshold.rows}
    assert rows["Edge"].share == Fraction(1, 20)
    assert rows["Edge"].passed is True
    assert result.seats["Edge"] == 1


def test_party_exactly_at_threshold_fails_under_more_than():
    result = Threshold(DivisorMethod("dhondt"), 5, rule="more_than").allocate(AT_THE_LINE, 20)
    rows = {row.party: row for row in result.threshold.rows}
    assert rows["Edge"].passed is False
    assert result.seats["Edge"] == 0


def test_one_vote_below_threshold_fails_under_at_least():
    votes = {"Big": 701, "Mid": 250, "Edge": 49}
    result = Threshold(DivisorMethod("dhondt"), 5).allocate(votes, 20)
    assert result.threshold.passed == ("Big", "Mid")


def test_against_all_counts_in_the_base_and_never_gets_seats():
    # 5 % of 1,000 (with against all) = 50: Edge with 48 fails. Without against all the
    # base would be 900 and 48/900 = 5.33 % would pass.
    votes = {"Big": 552, "Mid": 300, "Edge": 48, "against_all": 100}
    result = Threshold(LargestRemainder("hare"), 5).allocate(votes, 10)
    assert result.threshold.base_votes == 1_000
    assert "Edge" not in result.threshold.passed
    assert "against_all" not in result.seats
    assert result.seats == {"Big": 6, "Mid": 4, "Edge": 0}


def test_party_votes_base_excludes_against_all():
    votes = {"Big": 552, "Mid": 300, "Edge": 48, "against_all": 100}
    result = Threshold(LargestRemainder("hare"), 5, base="party_votes").allocate(votes, 10)
    assert result.threshold.base_votes == 900
    assert "Edge" in result.threshold.passed


def test_quota_is_computed_over_qualifying_lists_only():
    votes = {"Big": 600, "Mid": 360, "Small": 40}
    result = Threshold(LargestRemainder("hare"), 5).allocate(votes, 12)
    assert result.quota == Fraction(960, 12)


def test_fractional_threshold_given_as_string_is_exact():
    # 2.5 % of 2,000 = 50.
    votes = {"Big": 1_950, "Edge": 50}
    result = Threshold(DivisorMethod("dhondt"), "2.5").allocate(votes, 40)
    assert result.threshold.share == Fraction(1, 40)
    assert "Edge" in result.threshold.passed


def test_float_threshold_is_refused_as_inexact():
    with pytest.raises(ElectoralError) as error:
        Threshold(DivisorMethod("dhondt"), 4.5)
    assert "floats are not exact" in str(error.value)


def test_district_seats_alternative_admits_a_party_below_threshold():
    votes = {"Big": 600, "Mid": 370, "Local": 30}
    evaluator = Threshold(DivisorMethod("sainte-lague"), 5, or_district_seats=3)
    result = evaluator.allocate(votes, 100, district_seats={"Local": 3})
    rows = {row.party: row for row in result.threshold.rows}
    assert rows["Local"].passed is True
    assert "won 3 district seats" in rows["Local"].reason
    assert result.seats["Local"] == 3


def test_district_seats_alternative_needs_enough_districts():
    votes = {"Big": 600, "Mid": 370, "Local": 30}
    evaluator = Threshold(DivisorMethod("sainte-lague"), 5, or_district_seats=3)
    result = evaluator.allocate(votes, 100, district_seats={"Local": 2})
    assert result.seats["Local"] == 0


def test_min_lists_admits_the_runner_up_when_only_one_list_passes():
    votes = {"Dominant": 930, "Second": 50, "Third": 20}
    result = Threshold(LargestRemainder("hare"), 7, min_lists=2).allocate(votes, 98)
    assert result.threshold.passed == ("Dominant", "Second")
    assert result.seats["Third"] == 0
    assert result.seats["Second"] > 0


def test_no_list_passing_is_an_error_saying_so():
    with pytest.raises(ElectoralError) as error:
        Threshold(DivisorMethod("dhondt"), 50).allocate({"A": 40, "B": 35, "C": 25}, 5)
    assert "no list reached the threshold" in str(error.value)


def test_unknown_threshold_rule_is_an_error_naming_it():
    with pytest.raises(ElectoralError) as error:
        Threshold(DivisorMethod("dhondt"), 5, rule="atleast")
    assert "'atleast'" in str(error.value)
