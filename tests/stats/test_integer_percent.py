"""Integer-percentage test (Kobak, Shpilkin & Pshenichnikov 2016): definition, filters, exact
null model and its agreement with the Monte Carlo null."""

from __future__ import annotations

import math

import numpy as np
import pytest

from eom.stats import integer_percentages, is_integer_percent
from eom.stats.integer_percent import integer_probability, kept_stations


def test_whole_percent_is_integer():
    assert is_integer_percent([700, 1], [1000, 100]).tolist() == [True, True]


def test_exactly_five_hundredths_of_a_point_away_counts_as_integer():
    # 1205/10000 = 12.05 %, 1206/10000 = 12.06 %
    assert is_integer_percent([1205, 1195, 1206], [10000] * 3).tolist() == [True, True, False]


def test_non_round_value_is_not_integer():
    assert is_integer_percent([123], [1000]).tolist() == [False]


def test_filters_keep_only_large_stations_below_99_percent():
    registered = [100, 99, 200, 200, 200, 200]
    ballots = [50, 50, 198, 199, 0, 100]
    leader = [10, 10, 10, 10, 0, 99]
    kept = kept_stations(registered, ballots, leader, ballots)
    # 99 voters: out; turnout 99 %: in; 99.5 %: out; no ballots: out; leader 99 %: in
    assert kept.tolist() == [True, False, True, False, False, True]


def binomial_integer_probability(n: int, p: float) -> float:
    """Every k of 0..n, one by one, in logs (math.comb overflows a float past n ≈ 1,000)."""

    def pmf(k: int) -> float:
        if p in (0.0, 1.0):
            return float(k == round(n * p))
        return math.exp(math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
                        + k * math.log(p) + (n - k) * math.log(1 - p))

    return sum(pmf(k) for k in range(n + 1) if 20 * min(100 * k % n, n - 100 * k % n) <= n)


@pytest.mark.parametrize(("n", "p"), [(100, 0.3), (137, 0.55), (1000, 0.62), (250, 0.0),
                                      (1, 0.5), (999, 0.5), (2500, 0.61), (4321, 0.97),
                                      (14781, 0.4), (1999, 1.0), (3001, 0.011)])
def test_exact_integer_probability_matches_the_binomial_sum(n, p):
    got = integer_probability(np.array([n]), np.array([p]))[0]
    assert got == pytest.approx(binomial_integer_probability(n, p), abs=1e-12)


def test_integer_probabilities_of_many_stations_at_once_equal_each_alone():
    rng = np.random.default_rng(5)
    n = rng.integers(1, 5000, 300)
    p = rng.uniform(0, 1, 300)
    together = integer_probability(n, p, chunk=64)
    alone = [integer_probability(n[i:i + 1], p[i:i + 1])[0] for i in range(300)]
    assert together == pytest.approx(alone, abs=1e-15)


def honest_election(seed: int, n_stations: int = 3000):
    rng = np.random.default_rng(seed)
    registered = rng.integers(100, 3000, n_stations)
    ballots = rng.binomial(registered, rng.uniform(0.4, 0.8, n_stations))
    leader = rng.binomial(ballots, rng.uniform(0.3, 0.6, n_stations))
    return registered, ballots, leader


def test_honest_counts_show_no_excess():
    registered, ballots, leader = honest_election(1)
    result = integer_percentages(registered, ballots, leader, n_draws=200, seed=7)
    assert abs(result.z_score) < 4
    assert result.stations_kept == 3000


def test_exact_null_agrees_with_monte_carlo():
    registered, ballots, leader = honest_election(2)
    result = integer_percentages(registered, ballots, leader, n_draws=400, seed=3)
    # Monte Carlo mean has standard error null_sd / sqrt(400)
    assert abs(result.mc_null_mean - result.null_mean) < 4 * result.null_sd / 20
    assert result.mc_null_sd == pytest.approx(result.null_sd, rel=0.15)


def test_planted_round_turnouts_are_detected():
    registered, ballots, leader = honest_election(3)
    registered, ballots = registered.copy(), ballots.copy()
    registered[:300] = 1000
    ballots[:300] = 700  # exactly 70 % turnout at 300 stations
    leader[:300] = np.minimum(leader[:300], 699)
    result = integer_percentages(registered, ballots, leader, n_draws=0)
    assert is_integer_percent(ballots[:300], registered[:300]).all()
    assert result.excess > 150
    assert result.z_score > 8


def test_monte_carlo_is_reproducible_from_its_seed():
    registered, ballots, leader = honest_election(4, 500)
    one = integer_percentages(registered, ballots, leader, n_draws=50, seed=11)
    two = integer_percentages(registered, ballots, leader, n_draws=50, seed=11)
    assert one.mc_null_mean == two.mc_null_mean


def test_no_draws_gives_the_exact_null_only():
    registered, ballots, leader = honest_election(5, 200)
    result = integer_percentages(registered, ballots, leader, n_draws=0)
    assert (result.mc_null_mean, result.mc_excess) == (None, None)
    assert result.excess == pytest.approx(result.observed - result.null_mean)


def test_result_explains_itself_and_states_caveats():
    registered, ballots, leader = honest_election(6, 200)
    result = integer_percentages(registered, ballots, leader, n_draws=0)
    assert "whole" in result.explanation
    assert any("Small stations" in c for c in result.caveats)


def test_unequal_arrays_are_refused():
    with pytest.raises(ValueError, match="equal length"):
        integer_percentages([100, 200], [50], [10])
