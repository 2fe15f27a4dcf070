"""Second-digit Benford test (Mebane): digits, expected frequencies, χ², bootstrap interval."""

from __future__ import annotations

import numpy as np
import pytest

from eom.stats import benford_second_digit
from eom.stats._special import chi2_sf
from eom.stats.forensics import BENFORD_SECOND, second_digits


def test_second_digit_of_each_count():
    assert second_digits([5, 10, 47, 123, 9081, 100000]).tolist() == [0, 7, 2, 0, 0]


def test_benford_second_digit_frequencies_sum_to_one_and_start_near_twelve_percent():
    assert BENFORD_SECOND.sum() == pytest.approx(1.0)
    assert round(float(BENFORD_SECOND[0]), 4) == 0.1197
    assert round(float(BENFORD_SECOND[9]), 4) == 0.0850


def test_expected_mean_second_digit_is_4_187():
    assert round(benford_second_digit([10, 20]).expected_mean, 3) == 4.187


@pytest.mark.parametrize(("statistic", "dof", "p"),
                         [(16.919, 9, 0.05), (21.666, 9, 0.01), (3.841, 1, 0.05), (0.0, 9, 1.0)])
def test_chi_squared_tail_matches_tables(statistic, dof, p):
    assert chi2_sf(statistic, dof) == pytest.approx(p, abs=2e-4)


def test_benford_distributed_counts_pass():
    rng = np.random.default_rng(1)
    counts = np.floor(10 ** rng.uniform(1, 5, 20000)).astype(np.int64)
    result = benford_second_digit(counts, seed=2)
    assert result.p_value > 0.001
    lo, hi = result.mean_interval
    assert lo <= result.expected_mean <= hi


def test_uniform_second_digits_fail():
    rng = np.random.default_rng(3)
    counts = rng.integers(10, 100, 20000)
    result = benford_second_digit(counts, seed=4)
    assert result.p_value < 1e-6
    assert result.mean_interval[0] > result.expected_mean


def test_counts_under_ten_are_dropped():
    result = benford_second_digit([1, 2, 3, 15, 27])
    assert result.n_counts == 2
    assert sum(result.observed) == 2


def test_bootstrap_interval_is_reproducible_from_its_seed():
    counts = np.arange(10, 2000)
    assert benford_second_digit(counts, seed=9).mean_interval == \
        benford_second_digit(counts, seed=9).mean_interval


def test_result_warns_that_honest_counts_need_not_follow_benford():
    result = benford_second_digit(np.arange(10, 500))
    assert any("need not follow" in c for c in result.caveats)
