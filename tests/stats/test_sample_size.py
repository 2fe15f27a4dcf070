"""Sample size from the quick-count handbook formula n = N z² p(1−p) / (N e² + z² p(1−p))."""

from __future__ import annotations

import pytest

from eom.stats import sample_size, stations_for_voters


def test_large_population_at_one_point_needs_about_9600():
    # 1.96² · 0.25 / 0.01² = 9,604 for an infinite population; N = 10 million trims it.
    assert sample_size(10_000_000, 0.01).n == 9595


def test_two_point_margin_needs_about_a_quarter_as_many():
    assert sample_size(10_000_000, 0.02).n == 2401


def test_small_population_is_corrected_towards_a_census():
    # N = 1,000 stations, ±3 points: 1000·3.8415·0.25 / (1000·0.0009 + 3.8415·0.25) = 516.2
    assert sample_size(1000, 0.03).n == 517


def test_ninety_nine_percent_confidence_needs_more():
    assert sample_size(10_000_000, 0.01, confidence=0.99).n == 16560


def test_a_lopsided_expected_share_needs_fewer():
    assert sample_size(10_000_000, 0.01, p=0.2).n == 6143


def test_a_share_of_zero_needs_no_sample():
    assert sample_size(500, 0.05, p=0.0).n == 0


def test_never_more_than_the_population():
    assert sample_size(10, 0.001).n == 10


def test_result_names_its_source():
    assert "Quick Count and Election Observation" in sample_size(1000, 0.03).source


def test_margin_outside_zero_and_one_is_refused():
    with pytest.raises(ValueError, match="margin"):
        sample_size(1000, 3)


def test_voters_are_turned_into_stations_rounding_up():
    assert stations_for_voters(9595, 500.0) == 20
