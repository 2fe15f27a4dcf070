"""95 % intervals cover the true value about 95 % of the time (checked by simulation).

Each check uses 400 simulated samples with a fixed seed; the acceptance band is the target
band 94–96 % widened by three binomial standard deviations of a 400-sample coverage rate
(sqrt(0.95 · 0.05 / 400) = 1.1 points), i.e. about 90.7–99.3 %. The full 2,000-sample run is
bench/bench_stats_coverage.py.
"""

from __future__ import annotations

from eom.stats import coverage

N_SAMPLES = 400


def acceptance_band(result: coverage.Coverage) -> tuple[float, float]:
    return (0.94 - 3 * result.binomial_sd, 0.96 + 3 * result.binomial_sd)


def assert_covers_about_95_percent(result: coverage.Coverage) -> None:
    lo, hi = acceptance_band(result)
    assert result.n_samples == N_SAMPLES
    assert lo <= result.rate <= hi, f"{result.name}: coverage {result.rate:.3f}"


def test_simple_random_share_interval_covers_95_percent():
    assert_covers_about_95_percent(coverage.simple_random_share(N_SAMPLES))


def test_stratified_share_interval_covers_95_percent():
    assert_covers_about_95_percent(coverage.stratified_share(N_SAMPLES))


def test_quick_count_margin_covers_95_percent_under_simple_random_sampling():
    assert_covers_about_95_percent(coverage.quick_count_share(N_SAMPLES))


def test_quick_count_margin_covers_95_percent_under_stratified_sampling():
    assert_covers_about_95_percent(coverage.quick_count_share(N_SAMPLES, stratified=True))


def test_acceptance_band_is_three_binomial_sd_around_the_target():
    result = coverage.Coverage("x", 400, 380, 0.5)
    lo, hi = acceptance_band(result)
    assert (round(lo, 4), round(hi, 4)) == (0.9073, 0.9927)


def test_one_stage_cluster_interval_covers_95_percent():
    assert_covers_about_95_percent(coverage.cluster_share(N_SAMPLES, k=30, m=None))


def test_interval_from_12_clusters_covers_95_percent_with_t_on_11_degrees_of_freedom():
    assert_covers_about_95_percent(
        coverage.cluster_share(N_SAMPLES, k=12, m=8, sizes_known=False, n_clusters_known=False)
    )


def test_quick_count_margin_covers_95_percent_at_60_stations_over_20_regions():
    assert_covers_about_95_percent(coverage.quick_count_kazakhstan(N_SAMPLES, n=60))
