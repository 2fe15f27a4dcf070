"""Cluster samples: districts drawn first, a few stations in each second. The variance has a
between-district and a within-district term (Lohr 2010, §5.3); without the stations per
district no finite-population correction is made; the interval uses t with k − 1 degrees of
freedom."""

from __future__ import annotations

import math

import pytest

from eom.stats import Design, estimate_proportion, wilson_interval
from eom.stats.coverage import cluster_share

# district a: 2 of 4 stations observed, b: 3 of 6, c: 2 of 5; 10 districts in the population
ANSWERS = [1, 0] + [1, 1, 0] + [0, 0]
DISTRICTS = ["a"] * 2 + ["b"] * 3 + ["c"] * 2
SIZES = {"a": 4, "b": 6, "c": 5}


def test_two_stage_estimate_weights_each_district_by_its_stations():
    result = estimate_proportion(ANSWERS, Design.clustered(10, SIZES), clusters=DISTRICTS)
    assert result.share == pytest.approx((4 * 0.5 + 6 * 2 / 3 + 5 * 0) / 15)


def test_two_stage_variance_adds_the_within_district_term():
    result = estimate_proportion(ANSWERS, Design.clustered(10, SIZES), clusters=DISTRICTS)
    p, k, big_k, m_bar = 0.4, 3, 10, 5.0
    s_r2 = ((2 - 4 * p) ** 2 + (4 - 6 * p) ** 2 + (0 - 5 * p) ** 2) / (k - 1)
    s_i2 = [2 / 1 * 0.5 * 0.5, 3 / 2 * (2 / 3) * (1 / 3), 0.0]
    within = (4**2 * (1 - 2 / 4) * s_i2[0] / 2 + 6**2 * (1 - 3 / 6) * s_i2[1] / 3
              + 5**2 * (1 - 2 / 5) * s_i2[2] / 2) / (k * big_k)
    v = ((1 - k / big_k) * s_r2 / k + within) / m_bar**2
    assert result.standard_error == pytest.approx(math.sqrt(v))


def test_two_stage_interval_covers_95_percent_with_150_of_223_districts_and_8_stations():
    # the old estimator put the correction 1 - 150/223 on the whole variance: 83 % coverage
    result = cluster_share(300, k=150, m=8)
    assert 0.90 <= result.rate <= 0.99, f"coverage {result.rate:.3f}"


def test_number_of_districts_alone_makes_no_finite_population_correction():
    teams = ["t1", "t1", "t2", "t2", "t3", "t3"]
    answers = [1, 1, 0, 0, 0, 1]
    plain = estimate_proportion(answers, Design.clustered(), clusters=teams)
    with_k = estimate_proportion(answers, Design.clustered(4), clusters=teams)
    assert with_k.standard_error == plain.standard_error
    assert "No finite-population correction" in with_k.explanation


def test_districts_observed_in_full_keep_the_finite_population_correction():
    teams = ["t1", "t1", "t2", "t2", "t3", "t3"]
    answers = [1, 1, 0, 0, 0, 1]
    plain = estimate_proportion(answers, Design.clustered(), clusters=teams)
    one_stage = estimate_proportion(answers, Design.clustered(4, {"t1": 2, "t2": 2, "t3": 2}),
                                    clusters=teams)
    assert one_stage.standard_error == pytest.approx(plain.standard_error * math.sqrt(1 - 3 / 4))


def test_clustered_interval_uses_t_with_clusters_minus_one_degrees_of_freedom():
    teams = [f"t{i // 8}" for i in range(96)]
    answers = [1 if (i % 8) < (i // 8) % 5 else 0 for i in range(96)]
    result = estimate_proportion(answers, Design.clustered(), clusters=teams)
    assert result.degrees_of_freedom == 11
    n_eff = result.effective_n
    lo, hi = wilson_interval(result.share * n_eff, n_eff, 0.95, degrees_of_freedom=11)
    assert (result.interval.lower, result.interval.upper) == (lo, hi)
    assert lo < wilson_interval(result.share * n_eff, n_eff, 0.95)[0]
    assert "t with 11 degrees of freedom" in result.interval.label


def test_a_single_cluster_gives_no_interval():
    result = estimate_proportion([1, 0, 1], Design.clustered(), clusters=["t1"] * 3)
    assert result.interval is None
    assert "cannot be estimated" in result.explanation


def test_cluster_without_a_size_is_named():
    with pytest.raises(ValueError, match="no size for cluster 'c'"):
        estimate_proportion(ANSWERS, Design.clustered(10, {"a": 4, "b": 6}), clusters=DISTRICTS)


def test_cluster_with_more_stations_observed_than_it_has_is_refused():
    with pytest.raises(ValueError, match="cluster 'b': 3 stations observed"):
        estimate_proportion(ANSWERS, Design.clustered(10, {"a": 4, "b": 2, "c": 5}),
                            clusters=DISTRICTS)


def test_fewer_clusters_in_the_population_than_observed_is_refused():
    with pytest.raises(ValueError, match="n_clusters_population 2"):
        estimate_proportion(ANSWERS, Design.clustered(2, SIZES), clusters=DISTRICTS)
