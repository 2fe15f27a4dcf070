"""A stratum with one station has no within-stratum variance: it is collapsed with its
neighbour (collapsed strata, Cochran 1977 §5A.12), the result names the collapsed strata, and a
quick count never calls a result decided on a variance it could not estimate."""

from __future__ import annotations

import pytest

from eom.stats import Design, estimate_proportion, quick_count
from eom.stats.coverage import quick_count_kazakhstan, stratified_one_station_share

FOUR = {"X": [70, 65, 80, 75], "Y": [30, 35, 20, 25]}
SIZES = {"a": 100, "b": 100, "c": 100, "d": 100}


def test_four_strata_of_one_station_each_are_not_decided():
    # before: margin 0 and "decided"
    result = quick_count(FOUR, [100] * 4, strata=["a", "b", "c", "d"], stratum_sizes=SIZES)
    assert result.decided is False
    assert result.share_of("X").margin95 > 0
    assert result.strata_collapsed == (("a", "b"), ("c", "d"))
    assert "every stratum has one station" in result.explanation
    assert "collapsed with a neighbour" in result.explanation


def test_collapsed_pairs_give_the_variance_of_the_pair_as_one_stratum():
    result = quick_count(FOUR, [100] * 4, strata=["a", "b", "c", "d"], stratum_sizes=SIZES)
    r = 290 / 400
    z = [100 * (y - r * 100) for y in FOUR["X"]]  # N_h / n_h times the residual
    fpc = 1 - 2 / 200
    v = fpc * 2 * ((z[0] - z[1]) ** 2 / 2 + (z[2] - z[3]) ** 2 / 2) / (400 * 100) ** 2
    x = result.share_of("X")
    assert x.share == pytest.approx(r)
    assert x.standard_error == pytest.approx(v**0.5)
    assert x.degrees_of_freedom == 2


def test_one_station_stratum_joins_the_next_stratum_in_the_order_of_the_sizes():
    votes = {"X": [70, 60, 65, 50, 55], "Y": [30, 40, 35, 50, 45]}
    strata = ["north", "south", "south", "east", "east"]
    sizes = {"north": 50, "south": 80, "east": 90}
    result = quick_count(votes, [100] * 5, strata=strata, stratum_sizes=sizes)
    assert result.strata_collapsed == (("north", "south"),)
    assert result.share_of("X").degrees_of_freedom == 3


def test_fully_observed_stratum_of_one_station_is_not_collapsed():
    votes = {"X": [70, 60, 65], "Y": [30, 40, 35]}
    result = quick_count(votes, [100] * 3, strata=["a", "b", "b"],
                         stratum_sizes={"a": 1, "b": 10})
    assert result.strata_collapsed == ()


def test_a_single_station_has_no_margin_to_decide_on():
    result = quick_count({"X": [90], "Y": [10]}, [100])
    assert result.variance_estimable is False
    assert result.decided is False
    assert "cannot be estimated" in result.explanation


def test_quick_count_at_25_stations_over_20_regions_covers_95_percent():
    # before: one-station regions added no variance and the interval covered 63 %
    result = quick_count_kazakhstan(300, n=25)
    assert 0.90 <= result.rate <= 0.99, f"coverage {result.rate:.3f}"


def test_stratified_share_with_one_station_strata_names_them_and_has_a_variance():
    design = Design.stratified({"a": 100, "b": 100, "c": 100})
    result = estimate_proportion([1, 0, 0, 1], design, strata=["a", "b", "c", "c"])
    assert result.strata_collapsed == (("a", "b"),)
    # z_i = W_h / n_h * y_i: a 1/3, b 0; c alone (1/6, 0)
    v = (1 - 2 / 200) * 2 * (1 / 3 / 2) ** 2 * 2 + (1 - 2 / 100) * 2 * (1 / 12) ** 2 * 2
    assert result.standard_error == pytest.approx(v**0.5)
    assert "collapsed with a neighbour" in result.explanation


def test_stratified_share_with_one_station_strata_covers_95_percent():
    # before: 84 % over 2,000 samples
    result = stratified_one_station_share(300)
    assert 0.90 <= result.rate <= 0.995, f"coverage {result.rate:.3f}"
