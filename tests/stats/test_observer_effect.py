"""The observer effect (eom.stats.observer_effect): official results at observed and unobserved
stations compared within strata — a planted effect is found, its absence is not, strata with
one side empty are dropped and named, a side of one station is handled conservatively, and bad
input names its field."""

from __future__ import annotations

import math

import numpy as np
import pytest

from eom.stats.observer_effect import Z95, cross, observer_effect, size_bands

N_STATIONS = 4000
PLANTED = -0.08  # the leader's share at observed stations, in ratio points
PLANTED_TURNOUT = -0.05


def population(seed: int, *, leader_effect: float = 0.0, turnout_effect: float = 0.0):
    """A country of 10 regions; teams go mostly to the regions where the leader is weakest and
    turnout lowest (regions 0–2: 30 % of stations observed; the others 3 %), so the plain
    difference between observed and unobserved stations is far from zero even with no effect.
    Observed stations lose `leader_effect` of the leader's share and `turnout_effect` of
    turnout (binomial draws: the station-level means move by exactly that much)."""
    rng = np.random.default_rng(seed)
    region = rng.integers(0, 10, N_STATIONS)
    observed = rng.random(N_STATIONS) < np.where(region < 3, 0.30, 0.03)
    registered = rng.integers(200, 3000, N_STATIONS)
    turnout = 0.45 + 0.03 * region + turnout_effect * observed
    ballots = rng.binomial(registered, turnout)
    counted = ballots - rng.binomial(ballots, 0.02)
    leader = rng.binomial(counted, 0.40 + 0.04 * region + leader_effect * observed)
    strata = [f"R{r}" for r in region]
    return observed.astype(int), strata, registered, ballots, leader, counted


def plain_difference(values, observed):
    observed = np.asarray(observed, dtype=bool)
    return values[observed].mean() - values[~observed].mean()


def test_a_planted_effect_is_found_and_its_interval_contains_it():
    observed, strata, reg, bal, lead, cnt = population(
        11, leader_effect=PLANTED, turnout_effect=PLANTED_TURNOUT)
    result = observer_effect(observed, strata, reg, bal, lead, cnt)
    for measure, planted in ((result.leader_share, PLANTED), (result.turnout, PLANTED_TURNOUT)):
        low, high = measure.interval
        assert measure.found
        assert high < 0
        assert low <= planted <= high
        assert measure.difference == pytest.approx(planted, abs=0.01)
        assert measure.strata_dropped == ()
        assert len(measure.strata_used) == 10
    assert result.n_observed + result.n_unobserved == N_STATIONS
    assert "which excludes zero." in result.explanation


def test_no_effect_is_not_found_although_teams_went_where_the_leader_is_weak():
    observed, strata, reg, bal, lead, cnt = population(13)
    # without strata the observed stations look 10 points worse for the leader
    assert plain_difference(lead / cnt, observed) < -0.08
    result = observer_effect(observed, strata, reg, bal, lead, cnt)
    for measure in result.measures:
        low, high = measure.interval
        assert not measure.found
        assert low < 0 < high
    assert "which includes zero." in result.explanation


@pytest.mark.parametrize("planted", [0.0, 1.0])
def test_the_95_percent_interval_holds_the_true_difference_in_most_of_20_populations(planted):
    """20 populations (bench/bench_observer_effect.py runs thousands): at a 95 % level, 17 or
    more of 20 intervals hold the truth (fewer has a binomial probability under 2 %); with the
    effect planted, every one of them excludes zero."""
    truth = (planted * PLANTED_TURNOUT, planted * PLANTED)
    held, found = [0, 0], [0, 0]
    for seed in range(20):
        result = observer_effect(*population(seed, leader_effect=truth[1],
                                             turnout_effect=truth[0]))
        for i, measure in enumerate(result.measures):
            held[i] += measure.interval[0] <= truth[i] <= measure.interval[1]
            found[i] += measure.found
    assert min(held) >= 17
    if planted:
        assert found == [20, 20]


def test_the_figures_follow_the_post_stratified_formula_on_a_small_case():
    # stratum A: observed turnouts 0.5, 0.7; unobserved 0.6, 0.8, 1.0
    # stratum B: observed 0.4, 0.6, 0.8; unobserved 0.5, 0.7
    observed = [1, 1, 0, 0, 0, 1, 1, 1, 0, 0]
    strata = ["A"] * 5 + ["B"] * 5
    reg = [100] * 10
    bal = [50, 70, 60, 80, 100, 40, 60, 80, 50, 70]
    result = observer_effect(observed, strata, reg, bal, [10] * 10, [20] * 10)
    t = result.turnout
    w_a, w_b = 2 / 5, 3 / 5
    d = w_a * (0.6 - 0.8) + w_b * (0.6 - 0.6)
    v = w_a**2 * (0.02 / 2 + 0.04 / 3) + w_b**2 * (0.04 / 3 + 0.02 / 2)
    assert t.difference == pytest.approx(d)
    assert t.standard_error == pytest.approx(math.sqrt(v))
    assert t.interval == pytest.approx((d - Z95 * math.sqrt(v), d + Z95 * math.sqrt(v)))
    # the observed mean is the plain mean of the observed stations; the unobserved one is
    # re-weighted to their strata
    assert t.mean_observed == pytest.approx(np.mean([0.5, 0.7, 0.4, 0.6, 0.8]))
    assert t.mean_unobserved == pytest.approx(w_a * 0.8 + w_b * 0.6)
    assert (t.n_observed, t.n_unobserved) == (5, 5)
    assert [(s.label, s.weight) for s in t.strata] == [("A", pytest.approx(w_a)),
                                                       ("B", pytest.approx(w_b))]
    # every station's share is 0.5: no difference, and no spread
    assert result.leader_share.difference == 0.0
    assert result.leader_share.interval == (0.0, 0.0)
    assert not result.leader_share.found


def test_strata_with_stations_on_one_side_only_are_dropped_and_named():
    observed = [1, 0, 1, 0, 1, 1, 0, 0]
    strata = ["A", "A", "A", "A", "only-observed", "only-observed", "only-unobserved",
              "only-unobserved"]
    reg = [100] * 8
    bal = [50, 60, 55, 65, 90, 95, 10, 20]
    result = observer_effect(observed, strata, reg, bal, [5] * 8, bal)
    t = result.turnout
    assert t.strata_used == ("A",)
    assert t.strata_dropped == ("only-observed", "only-unobserved")
    assert (t.n_dropped_observed, t.n_dropped_unobserved) == (2, 2)
    assert (t.n_observed, t.n_unobserved) == (2, 2)
    assert t.difference == pytest.approx(0.525 - 0.625)
    assert "2 strata with stations on one side only were left out: only-observed, " \
           "only-unobserved." in result.explanation


def test_a_side_of_one_station_takes_the_widest_spread_seen_in_any_stratum():
    # stratum A: one observed station (0.9) against 0.5, 0.7; stratum B: 0.2, 0.6 against
    # 0.3, 0.5, 0.7 — the widest sample variance is B's observed side: 0.08
    observed = [1, 0, 0, 1, 1, 0, 0, 0]
    strata = ["A", "A", "A", "B", "B", "B", "B", "B"]
    bal = [90, 50, 70, 20, 60, 30, 50, 70]
    result = observer_effect(observed, strata, [100] * 8, bal, [1] * 8, [2] * 8)
    t = result.turnout
    assert t.strata_single == ("A",)
    w_a, w_b = 1 / 3, 2 / 3
    v = w_a**2 * (0.08 / 1 + 0.02 / 2) + w_b**2 * (0.08 / 2 + 0.04 / 3)
    assert t.standard_error == pytest.approx(math.sqrt(v))
    assert "1 strata have one station on a side" in result.explanation


def test_without_any_side_of_two_stations_there_is_no_interval():
    result = observer_effect([1, 0], ["A", "A"], [100, 100], [50, 60], [1, 1], [2, 2])
    assert result.turnout.difference == pytest.approx(-0.1)
    assert result.turnout.standard_error is None and result.turnout.interval is None
    assert not result.turnout.found
    assert "no interval" in result.explanation


def test_stations_without_registered_voters_or_ballots_leave_only_that_measure():
    result = observer_effect([1, 1, 0, 0], ["A"] * 4, [0, 100, 100, 100], [0, 50, 50, 50],
                             [0, 10, 10, 10], [0, 20, 20, 20])
    assert result.turnout.n_observed == 1
    assert result.leader_share.n_observed == 1
    assert result.n_observed == 2


def test_the_caveats_say_whether_the_stations_were_drawn_at_random():
    args = ([1, 0, 1, 0], ["A"] * 4, [100] * 4, [50, 60, 55, 65], [5] * 4, [50, 60, 55, 65])
    chosen = observer_effect(*args)
    drawn = observer_effect(*args, randomised=True)
    assert chosen.caveats[0].startswith("The teams were not sent to stations at random")
    assert drawn.caveats[0].startswith("The stations observed were drawn at random")
    assert any("not proof of fraud" in c for c in chosen.caveats)
    assert chosen.as_dict()["turnout"]["found"] is True  # -10 points, se 3.5


@pytest.mark.parametrize(("change", "message"), [
    ({"observed": [1, 2, 0]}, "observed: station 2 has 2, not 0 or 1"),
    ({"observed": [0, 0, 0]}, "observed: no station is marked observed (1)"),
    ({"observed": [1, 1, 1]}, "observed: every station is marked observed"),
    ({"strata": ["A", "A"]}, "strata: 2 labels for 3 polling stations"),
    ({"n_registered": [100, -1, 100]}, "n_registered: station 2 has -1, a negative count"),
    ({"n_ballots": [50, 50]}, "n_ballots: 2 values for 3 polling stations"),
    ({"n_leader": [10, 10.5, 10]}, "n_leader: counts must be whole numbers"),
    ({"n_leader": [10, 61, 10]}, "n_leader: station 2 gives the leader 61 votes of 60"),
])
def test_bad_input_names_the_field_and_the_reason(change, message):
    args = {"observed": [1, 0, 1], "strata": ["A"] * 3, "n_registered": [100] * 3,
            "n_ballots": [60] * 3, "n_leader": [10] * 3, "n_counted": [60] * 3}
    args.update(change)
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        observer_effect(**args)


def test_size_bands_split_stations_by_quartiles_of_registered_voters():
    bands, edges = size_bands(list(range(100, 900, 100)))  # 100 … 800
    assert edges == (100, 200, 400, 600, 800)
    assert bands.tolist() == [0, 1, 1, 2, 2, 3, 3, 3]
    # one size everywhere: a single band
    bands, edges = size_bands([500] * 5)
    assert bands.tolist() == [0] * 5 and edges == (500,)
    assert cross(["R1", "R2"], [0, 3]) == ["R1 · 0", "R2 · 3"]
