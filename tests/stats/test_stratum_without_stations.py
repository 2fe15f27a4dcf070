"""A stratum named in the design with no station observed has an unknown share, not zero: the
stratified share refuses it and names it (the quick count names it in ``strata_missing``)."""

from __future__ import annotations

import pytest

from eom.stats import Design, estimate_proportion, quick_count


def test_stratum_with_no_station_observed_is_refused_by_name():
    # before: 0.5 (0.33-0.67) "estimated from 30 stations", B counted as all "no"
    with pytest.raises(ValueError, match=r"no station observed in stratum 'B' \(500 stations\)"):
        estimate_proportion([1] * 30, Design.stratified({"A": 500, "B": 500}), strata=["A"] * 30)


def test_every_missing_stratum_is_named():
    design = Design.stratified({"A": 500, "B": 300, "C": 200})
    with pytest.raises(ValueError, match=r"'B' \(300 stations\), 'C' \(200 stations\)"):
        estimate_proportion([1, 0, 1], design, strata=["A"] * 3)


def test_leaving_the_unobserved_stratum_out_estimates_the_others():
    result = estimate_proportion([1] * 3 + [0] * 27, Design.stratified({"A": 500}),
                                 strata=["A"] * 30)
    assert result.share == pytest.approx(0.1)


def test_a_stratum_of_no_stations_needs_no_observation():
    result = estimate_proportion([1, 0], Design.stratified({"A": 10, "B": 0}), strata=["A", "A"])
    assert result.share == 0.5


def test_quick_count_names_the_strata_without_a_report():
    result = quick_count({"X": [60, 40], "Y": [40, 60]}, [100, 100], strata=["A", "A"],
                         stratum_sizes={"A": 50, "B": 50})
    assert result.strata_missing == ("B",)
    assert "no report yet from strata: B" in result.explanation
