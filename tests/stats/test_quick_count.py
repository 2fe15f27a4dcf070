"""Quick count: ratio estimator, stratified combined ratio, margins, lead, convergence, and the
reproducible sample of polling stations assigned to teams."""

from __future__ import annotations

import math

import numpy as np
import pytest

from eom.stats import (
    allocate_proportional,
    assign_to_teams,
    convergence,
    draw_stratified_sample,
    quick_count,
)
from eom.stats.coverage import synthetic_results

VOTES = {"A": [60, 30, 50, 40], "B": [30, 50, 40, 40], "C": [10, 20, 10, 20]}
COUNTED = [100, 100, 100, 100]


def test_ratio_estimate_is_total_votes_over_total_counted():
    result = quick_count(VOTES, COUNTED)
    assert [p.name for p in result.parties] == ["A", "B", "C"]
    assert result.share_of("A").share == pytest.approx(180 / 400)
    assert result.share_of("C").share == pytest.approx(60 / 400)


def test_margin_is_the_linearised_ratio_standard_error_times_t():
    result = quick_count(VOTES, COUNTED)
    e = np.array([60, 30, 50, 40]) - 0.45 * 100
    se = math.sqrt(e.var(ddof=1) / 4) / 100
    a = result.share_of("A")
    assert a.standard_error == pytest.approx(se)
    # four stations: Student's t with 3 degrees of freedom, not the normal 1.96 / 2.58
    assert a.degrees_of_freedom == 3
    assert a.margin95 == pytest.approx(3.182446 * se, rel=1e-6)
    assert a.margin99 == pytest.approx(5.840909 * se, rel=1e-6)


def test_margin_of_a_large_sample_is_close_to_the_normal_one():
    data = synthetic_results(n_stations=1500)
    votes = {p: data[p][:400] for p in ("A", "B", "C")}
    a = quick_count(votes, data["counted"][:400]).share_of("A")
    assert a.margin95 == pytest.approx(1.965927 * a.standard_error, rel=1e-6)


def test_finite_population_correction_shrinks_the_margin():
    wide = quick_count(VOTES, COUNTED).share_of("A")
    narrow = quick_count(VOTES, COUNTED, population_size=8).share_of("A")
    assert narrow.standard_error == pytest.approx(wide.standard_error * math.sqrt(0.5))


def test_every_station_reported_means_no_margin():
    result = quick_count(VOTES, COUNTED, population_size=4)
    assert result.share_of("A").margin95 == 0.0


def test_denominator_defaults_to_the_sum_of_party_votes():
    result = quick_count({"A": [3, 1], "B": [1, 3]})
    assert result.share_of("A").share == 0.5


def test_stratified_estimate_weights_each_stratum_by_its_stations():
    votes = {"A": [80, 80, 20, 20], "B": [20, 20, 80, 80]}
    result = quick_count(votes, [100] * 4, strata=["x", "x", "y", "y"],
                         stratum_sizes={"x": 300, "y": 100})
    assert result.share_of("A").share == pytest.approx(0.75 * 0.8 + 0.25 * 0.2)
    assert result.design == "stratified"


def test_lead_and_decided_flag_for_a_clear_winner():
    data = synthetic_results(n_stations=1500)
    idx = np.arange(0, 1500, 3)
    votes = {p: data[p][idx] for p in ("A", "B", "C")}
    result = quick_count(votes, data["counted"][idx], population_size=1500)
    first, second = result.parties[0], result.parties[1]
    assert result.lead.share == pytest.approx(first.share - second.share)
    assert result.lead.margin99 < result.lead.share
    assert result.decided is True


def test_a_tie_is_not_decided():
    result = quick_count({"A": [50, 40, 60], "B": [50, 60, 40]}, [100, 100, 100])
    assert result.lead.share == pytest.approx(0.0)
    assert result.decided is False


def test_turnout_is_estimated_from_registered_and_ballots():
    result = quick_count(VOTES, COUNTED, n_registered=[200, 200, 200, 200],
                         n_ballots=[100, 100, 100, 100])
    assert result.turnout.share == 0.5
    assert result.turnout.margin95 == 0.0


def test_more_votes_than_counted_ballots_names_the_station():
    with pytest.raises(ValueError, match="station 2"):
        quick_count({"A": [10, 90], "B": [10, 20]}, [100, 100])


def test_stratum_without_size_is_refused():
    with pytest.raises(ValueError, match="'z'"):
        quick_count({"A": [1]}, [2], strata=["z"], stratum_sizes={"x": 3})


def test_convergence_reports_estimates_after_each_step():
    data = synthetic_results(n_stations=2000)
    votes = {p: data[p][:600] for p in ("A", "B", "C")}
    steps = convergence(votes, data["counted"][:600], population_size=2000)
    assert [s.n_reports for s in steps] == [10, 20, 50, 100, 200, 500, 600]
    assert steps[-1].margins95["A"] < steps[0].margins95["A"]
    final = quick_count(votes, data["counted"][:600], population_size=2000)
    assert steps[-1].shares["A"] == pytest.approx(final.share_of("A").share)


def test_convergence_rejects_a_step_beyond_the_reports():
    with pytest.raises(ValueError, match="outside 1..4"):
        convergence(VOTES, COUNTED, steps=[5])


def test_proportional_allocation_uses_largest_remainder():
    # quotas 10·(5, 3, 2)/10 = 5, 3, 2 exactly; 7·(5,3,2)/10 = 3.5, 2.1, 1.4 -> 4, 2, 1
    assert allocate_proportional({"a": 5, "b": 3, "c": 2}, 7) == {"a": 4, "b": 2, "c": 1}


def test_allocation_tie_goes_to_the_larger_stratum():
    assert allocate_proportional({"a": 1, "b": 3}, 2) == {"a": 0, "b": 2}
    assert allocate_proportional({"a": 2, "b": 2}, 1) == {"a": 1, "b": 0}


def test_allocation_cannot_exceed_the_population():
    with pytest.raises(ValueError, match="cannot draw 11 stations from 10"):
        allocate_proportional({"a": 4, "b": 6}, 11)


def test_stratified_sample_is_reproducible_from_its_seed():
    ids = [f"PS{i:04d}" for i in range(1000)]
    strata = [f"R{i % 7}" for i in range(1000)]
    one = draw_stratified_sample(ids, strata, 100, seed=42)
    two = draw_stratified_sample(ids, strata, 100, seed=42)
    other = draw_stratified_sample(ids, strata, 100, seed=43)
    assert one == two
    assert one.station_ids != other.station_ids
    assert len(set(one.station_ids)) == 100
    assert sum(one.allocation.values()) == 100


def test_sample_respects_the_allocation_in_each_stratum():
    ids = list(range(60))
    strata = ["north"] * 10 + ["south"] * 50
    sample = draw_stratified_sample(ids, strata, 12, seed=1)
    assert sample.allocation == {"north": 2, "south": 10}
    assert sample.strata.count("north") == 2
    assert all(i < 10 for i, h in zip(sample.station_ids, sample.strata, strict=True)
               if h == "north")


def test_teams_get_near_equal_runs_of_the_sample():
    sample = draw_stratified_sample(list(range(50)), ["x"] * 20 + ["y"] * 30, 10, seed=3)
    teams = assign_to_teams(sample, ["T1", "T2", "T3"])
    assert [len(v) for v in teams.values()] == [4, 3, 3]
    assert sum(teams.values(), ()) == sample.station_ids


def test_duplicate_station_ids_are_refused():
    with pytest.raises(ValueError, match="unique"):
        draw_stratified_sample(["a", "a"], ["x", "x"], 1, seed=0)
