"""Shares of observed stations with intervals that respect how the stations were chosen."""

from __future__ import annotations

import math

import numpy as np
import pytest

from eom.stats import Design, DesignKind, estimate_proportion, wilson_interval


def test_wilson_interval_matches_the_textbook_value():
    # Newcombe (Stat. Med. 1998), table I: 81/263 -> 0.2553 to 0.3662
    lo, hi = wilson_interval(81, 263)
    assert (round(lo, 4), round(hi, 4)) == (0.2553, 0.3662)


def test_wilson_interval_for_zero_successes_starts_at_zero():
    lo, hi = wilson_interval(0, 10)
    assert lo == 0.0
    assert round(hi, 4) == 0.2775


def test_convenience_sample_speaks_of_the_observed_stations_and_gives_no_population_interval():
    result = estimate_proportion([1] * 7 + [0] * 93)
    assert result.scope == "observed"
    assert result.design is DesignKind.CONVENIENCE
    assert result.interval is None
    assert result.standard_error is None
    assert (result.n_observed, result.n_yes, result.share) == (100, 7, 0.07)
    assert "polling stations observed" in result.explanation
    assert "not a margin of error" in result.observed_wilson.label


def test_simple_random_sample_without_population_size_gives_the_wilson_interval():
    answers = [1] * 30 + [0] * 70
    result = estimate_proportion(answers, Design.simple_random())
    assert result.scope == "population"
    assert result.standard_error == pytest.approx(math.sqrt(0.3 * 0.7 / 100))
    # n_eff = p(1-p)/v = n exactly, so the interval is the ordinary Wilson interval of 30/100
    assert result.effective_n == pytest.approx(100)
    lo, hi = wilson_interval(30, 100)
    assert (result.interval.lower, result.interval.upper) == (pytest.approx(lo), pytest.approx(hi))
    assert (round(result.interval.lower, 4), round(result.interval.upper, 4)) == (0.2189, 0.3958)


def test_finite_population_correction_narrows_the_interval():
    answers = [1] * 30 + [0] * 70
    wide = estimate_proportion(answers, Design.simple_random())
    narrow = estimate_proportion(answers, Design.simple_random(population_size=200))
    assert narrow.standard_error == pytest.approx(wide.standard_error * math.sqrt(1 - 100 / 200))
    width = narrow.interval.upper - narrow.interval.lower
    assert width < wide.interval.upper - wide.interval.lower


def test_census_of_every_station_has_no_sampling_error():
    result = estimate_proportion([1, 0, 0, 0], Design.simple_random(population_size=4))
    assert (result.interval.lower, result.interval.upper) == (0.25, 0.25)


def test_population_smaller_than_sample_is_refused():
    with pytest.raises(ValueError, match="smaller than the sample"):
        estimate_proportion([1, 0, 1], Design.simple_random(population_size=2))


def test_stratified_estimate_weights_strata_by_population_size():
    answers = [1, 1, 0, 0] + [0, 0, 0, 1]
    strata = ["north"] * 4 + ["south"] * 4
    design = Design.stratified({"north": 100, "south": 300})
    result = estimate_proportion(answers, design, strata=strata)
    assert result.share == pytest.approx(0.25 * 0.5 + 0.75 * 0.25)
    v = 0.25**2 * (1 - 4 / 100) * 0.25 / 3 + 0.75**2 * (1 - 4 / 300) * 0.1875 / 3
    assert result.standard_error == pytest.approx(math.sqrt(v))


def test_stratified_design_without_sizes_uses_sample_shares():
    result = estimate_proportion([1, 0, 1, 1], Design.stratified(), strata=["a", "a", "b", "b"])
    assert result.share == pytest.approx(0.75)


def test_stratum_without_a_size_is_named_in_the_error():
    with pytest.raises(ValueError, match="'east'"):
        estimate_proportion([1, 0], Design.stratified({"north": 5}), strata=["north", "east"])


def test_clustered_estimate_uses_between_team_variance():
    answers = [1, 1, 0, 0, 0, 1]
    teams = ["t1", "t1", "t2", "t2", "t3", "t3"]
    result = estimate_proportion(answers, Design.clustered(), clusters=teams)
    assert result.share == pytest.approx(0.5)
    # cluster totals 2, 0, 1 of size 2: residuals 1, -1, 0
    assert result.standard_error == pytest.approx(math.sqrt(2 / (3 * 2 * 4)))


def test_clustering_widens_the_interval_when_teams_differ():
    rng = np.random.default_rng(5)
    teams = np.repeat(np.arange(20), 10)
    team_rate = rng.uniform(0.0, 0.6, 20)
    answers = (rng.random(200) < team_rate[teams]).astype(int)
    srs = estimate_proportion(answers, Design.simple_random())
    clustered = estimate_proportion(answers, Design.clustered(), clusters=teams.tolist())
    assert clustered.standard_error > srs.standard_error


def test_equal_weights_give_the_unweighted_share():
    answers = [1, 0, 0, 1, 1]
    result = estimate_proportion(answers, Design.weighted(), weights=[2.0] * 5)
    assert result.share == pytest.approx(0.6)
    assert result.standard_error == pytest.approx(math.sqrt(0.24 / 4))


def test_weights_shift_the_share():
    result = estimate_proportion([1, 0], Design.weighted(), weights=[3, 1])
    assert result.share == 0.75


def test_an_answer_other_than_zero_or_one_is_refused_with_its_position():
    with pytest.raises(ValueError, match="answer 3 is 2"):
        estimate_proportion([1, 0, 2])


def test_empty_answers_are_refused():
    with pytest.raises(ValueError, match="non-empty"):
        estimate_proportion([])


def test_missing_cluster_labels_are_refused():
    with pytest.raises(ValueError, match="needs clusters"):
        estimate_proportion([1, 0], Design.clustered())


def test_boolean_answers_are_accepted():
    result = estimate_proportion([True, False, False, False], Design.simple_random())
    assert (result.n_yes, result.share) == (1, 0.25)


def test_all_yes_still_gets_an_interval_below_one():
    result = estimate_proportion([1] * 50, Design.simple_random(population_size=1000))
    assert result.interval.upper == 1.0
    assert result.interval.lower < 1.0
