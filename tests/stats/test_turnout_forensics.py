"""Shpilkin's anomalous-vote estimate and the turnout slope: quiet on honest synthetic results,
loud when ballots for the leader are stuffed at some stations."""

from __future__ import annotations

import numpy as np
import pytest

from eom.stats import headline, shpilkin_estimate, turnout_slope


def honest(seed=0, n=4000):
    rng = np.random.default_rng(seed)
    registered = rng.integers(300, 2500, n)
    ballots = rng.binomial(registered, np.clip(rng.normal(0.5, 0.08, n), 0.05, 0.95))
    leader = rng.binomial(ballots, 0.4)
    return registered, ballots, leader


def stuffed(seed=0, n=4000, share=0.25):
    registered, ballots, leader = honest(seed, n)
    k = int(n * share)
    room = registered[:k] - ballots[:k]
    extra = (room * 0.6).astype(np.int64)
    return registered, ballots + np.r_[extra, np.zeros(n - k, np.int64)], leader + np.r_[
        extra, np.zeros(n - k, np.int64)], int(extra.sum())


def test_honest_results_have_few_anomalous_votes():
    registered, ballots, leader = honest()
    result = shpilkin_estimate(registered, ballots, leader)
    assert result.anomalous_votes < 0.02 * leader.sum()
    assert result.clean_leader_percent == pytest.approx(40, abs=1)


def test_stuffed_ballots_are_mostly_found():
    registered, ballots, leader, added = stuffed()
    result = shpilkin_estimate(registered, ballots, leader)
    assert 0.7 * added < result.anomalous_votes < 1.3 * added
    assert result.clean_leader_percent < headline(registered, ballots, leader).leader_percent


def test_honest_slope_equals_the_leader_share():
    registered, ballots, leader = honest(1)
    result = turnout_slope(registered, ballots, leader)
    assert result.leader_slope == pytest.approx(0.4, abs=0.02)
    assert result.others_slope == pytest.approx(0.6, abs=0.02)


def test_stuffing_pushes_the_slope_towards_one():
    registered, ballots, leader, _ = stuffed(2)
    result = turnout_slope(registered, ballots, leader)
    assert result.leader_slope > 0.8
    assert result.others_slope < 0.3


def test_headline_percentages_are_ratios_of_totals():
    result = headline([100, 300], [50, 150], [20, 100], [50, 150])
    assert (result.turnout_percent, result.leader_percent) == (50.0, 60.0)
    assert result.n_registered == 400
