"""Planning a quick count in polling stations: the between-station variance of the ratio
estimator (from a previous election's results) or a stated design effect, never voters drawn one
by one."""

from __future__ import annotations

import numpy as np
import pytest

from eom.stats.columns import ResultsFileError
from eom.stats.sampling import (
    DEFAULT_DESIGN_EFFECT,
    allocate_proportional,
    read_planning_file,
    sample_size,
    stations_for_voters,
    stations_from_design_effect,
    stations_from_results,
)

from .conftest import LEADER


def uneven_population(seed: int = 11, n_stations: int = 5000, n_regions: int = 8):
    """Stations of 50–3,000 registered voters in regions whose turnout and leader's share
    differ, with a per-station spread of the share (a beta around the region's)."""
    rng = np.random.default_rng(seed)
    region = np.sort(rng.integers(0, n_regions, n_stations))
    registered = np.clip(np.round(rng.gamma(2.0, 600.0, n_stations)), 50, 3000).astype(np.int64)
    turnout = np.clip(rng.normal(0.55, 0.08, n_regions)[region]
                      + rng.normal(0, 0.07, n_stations), 0.1, 0.98)
    share = rng.beta(*(lambda mu: (mu * 60, (1 - mu) * 60))(
        np.clip(rng.normal(0.5, 0.06, n_regions), 0.2, 0.8)[region]))
    valid = rng.binomial(registered, turnout)
    return region, valid, rng.binomial(valid, share)


def achieved_margin(votes, valid, n, *, strata=None, draws=1000, seed=5) -> float:
    """1.96 × the spread of the ratio estimate over `draws` samples of n stations (simple
    random, or stratified with proportional allocation)."""
    rng = np.random.default_rng(seed)
    truth = votes.sum() / valid.sum()
    errors = []
    if strata is not None:
        members = {h: np.flatnonzero(strata == h) for h in np.unique(strata)}
        allocation = allocate_proportional({h: m.size for h, m in members.items()}, n)
    for _ in range(draws):
        if strata is None:
            idx = rng.choice(votes.size, n, replace=False)
        else:
            idx = np.concatenate([rng.choice(members[h], allocation[h], replace=False)
                                  for h in members])
            weights = {h: members[h].size / allocation[h] for h in members}
            w = np.array([weights[h] for h in strata[idx]])
            errors.append((w * votes[idx]).sum() / (w * valid[idx]).sum() - truth)
            continue
        errors.append(votes[idx].sum() / valid[idx].sum() - truth)
    return 1.96 * float(np.sqrt(np.mean(np.square(errors))))


def test_planned_stations_reach_the_margin_when_drawn():
    region, valid, votes = uneven_population()
    plan = stations_from_results(votes, valid, 0.02)
    reached = achieved_margin(votes, valid, plan.n_stations)
    assert plan.n_stations == 107
    assert 0.018 < reached < 0.022  # ±2 points asked, about ±2 points reached (0.0205)


def test_strata_plan_fewer_stations_and_still_reach_the_margin():
    region, valid, votes = uneven_population()
    plain = stations_from_results(votes, valid, 0.02)
    plan = stations_from_results(votes, valid, 0.02, strata=region)
    assert (plan.n_stations, plan.n_strata) == (76, 8)
    assert plan.n_stations < plain.n_stations
    assert 0.018 < achieved_margin(votes, valid, plan.n_stations, strata=region) < 0.022


def test_the_design_effect_is_far_above_one_for_stations_of_hundreds_of_voters():
    region, valid, votes = uneven_population()
    plan = stations_from_results(votes, valid, 0.02)
    voters = sample_size(int(valid.sum()), 0.02, p=plan.share).n
    assert round(plan.design_effect, 1) == 29.0
    assert plan.design_effect == pytest.approx(plan.n_voters / voters, rel=0.05)
    assert stations_for_voters(voters, float(valid.mean())) == 4  # the handbook's answer


def test_the_assumption_names_the_variance_the_file_and_the_strata():
    region, valid, votes = uneven_population()
    plan = stations_from_results(votes, valid, 0.01, strata=region, described_as="last.csv")
    assert "between-station variance" in plan.assumption
    assert "last.csv" in plan.assumption and "strata: 8" in plan.assumption
    assert f"design effect {plan.design_effect:.1f}" in plan.assumption


def test_kazakhstan_two_points_is_not_three_stations_but_about_a_hundred():
    # 12,035,578 registered voters in 10,223 stations (CEC, 19 March 2023): the handbook answer
    # was 2,401 voters, so 3 stations; with the stated design effect it is about a hundred.
    plan = stations_from_design_effect(10_223, 12_035_578 / 10_223, 0.02)
    assert plan.n_stations == 98
    assert plan.design_effect == DEFAULT_DESIGN_EFFECT
    assert "design effect 26 (the default" in plan.assumption
    assert stations_from_design_effect(10_223, 12_035_578 / 10_223, 0.01).n_stations == 379


def test_a_stated_design_effect_scales_the_stations():
    one = stations_from_design_effect(10_000, 1000, 0.02, design_effect=10, turnout=0.5)
    two = stations_from_design_effect(10_000, 1000, 0.02, design_effect=20, turnout=0.5)
    # n0 = 1.96² · 10 · 0.25 / (0.0004 · 500) = 48.02 → 47.8 after the correction → 48;
    # twice the design effect: 96.04 → 95.1 → 96
    assert (one.n_stations, two.n_stations) == (48, 96)
    assert "design effect 10 (stated)" in one.assumption


@pytest.mark.parametrize("margin", [0, -0.02, 1, 2])
def test_a_margin_outside_zero_and_one_is_refused(margin):
    with pytest.raises(ValueError, match="margin must be a fraction"):
        stations_from_design_effect(1000, 500, margin)
    with pytest.raises(ValueError, match="margin must be a fraction"):
        stations_from_results([10, 20], [30, 40], margin)


def test_more_votes_than_valid_ballots_is_refused_naming_the_station():
    with pytest.raises(ValueError, match="votes: station 2 has more votes"):
        stations_from_results([10, 50], [30, 40], 0.02)


def test_the_plan_is_read_from_the_duma_2011_file(duma2011_path):
    data = read_planning_file(duma2011_path, LEADER, preset="duma2011", by="region")
    plan = stations_from_results(data.votes, data.valid, 0.01, strata=data.strata)
    assert (data.votes.size, plan.n_strata) == (95_225, 84)
    # United Russia's share varied from station to station far more than in Kazakhstan: a
    # design effect of 138 with regions as strata, 1,919 stations for ±1 point
    assert (plan.n_stations, round(plan.design_effect)) == (1919, 138)


def test_a_file_without_the_valid_ballots_column_names_it(tmp_path):
    path = tmp_path / "last.csv"
    path.write_text("region,Amanat,registered\nA,10,100\nB,20,100\n", encoding="utf-8")
    with pytest.raises(ResultsFileError, match=r"valid ballots \(n_valid\)"):
        read_planning_file(path, "Amanat")


def test_a_missing_party_column_is_named(tmp_path):
    path = tmp_path / "last.csv"
    path.write_text("region,valid\nA,100\n", encoding="utf-8")
    with pytest.raises(ResultsFileError, match="'Amanat'"):
        read_planning_file(path, "Amanat")


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "last.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(ResultsFileError, match="empty"):
        read_planning_file(path, "Amanat")
