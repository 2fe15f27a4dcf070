"""The published figures of the Russian State Duma election of 4 December 2011, reproduced from
the per-station file (shared/data/ru/duma2011.csv.zip; figures from shared/data/README.md):
turnout 60.21 %, United Russia 49.31 % of valid + invalid ballots, integer-percentage excess
of about 1,003 stations (Kobak, Shpilkin & Pshenichnikov 2016), null sd about 115."""

from __future__ import annotations

import pytest

from eom.stats import (
    fingerprint,
    headline,
    integer_percentages,
    shpilkin_estimate,
    turnout_slope,
)


@pytest.fixture(scope="module")
def arrays(duma2011):
    return (duma2011.n_registered, duma2011.n_ballots, duma2011.n_leader, duma2011.n_counted)


@pytest.fixture(scope="module")
def integer_result(arrays):
    return integer_percentages(*arrays, n_draws=1000, seed=20111204)


def test_file_holds_every_polling_station_and_registered_voter(duma2011):
    assert duma2011.n_stations == 95225
    assert int(duma2011.n_registered.sum()) == 109_229_337
    assert duma2011.leader_column == '6. Всероссийская политическая партия "ЕДИНАЯ РОССИЯ"'


def test_turnout_is_60_21_percent(arrays):
    assert abs(headline(*arrays).turnout_percent - 60.21) < 0.01


def test_united_russia_has_49_31_percent_of_valid_and_invalid_ballots(arrays):
    assert abs(headline(*arrays).leader_percent - 49.31) < 0.01


def test_integer_percentage_excess_over_the_exact_null_is_about_1003(integer_result):
    assert integer_result.stations_kept == 86718
    assert integer_result.observed == 17803
    assert abs(integer_result.excess - 1003) <= 40


def test_integer_percentage_excess_over_the_monte_carlo_null_is_about_1003(integer_result):
    assert integer_result.mc_draws == 1000
    assert abs(integer_result.mc_excess - 1003) <= 40


def test_null_standard_deviation_is_about_115(integer_result):
    assert abs(integer_result.null_sd - 115) < 10
    assert abs(integer_result.mc_null_sd - 115) < 15


def test_fingerprint_smears_towards_full_turnout_and_full_support(arrays):
    result = fingerprint(*arrays)
    assert result.stations_used == 91082
    # thousands of stations above 90 % turnout and 90 % for the leader
    assert int(result.counts[90:, 90:].sum()) > 5000


def test_fingerprint_corner_leaves_out_the_26_stations_at_exactly_90_percent(arrays):
    result = fingerprint(*arrays)
    # the cells from 90 % up hold 5,437 stations; 26 of them are at exactly 90.00 %
    assert int(result.counts[90:, 90:].sum()) == 5437
    assert result.stations_in_top_right == 5411


def test_shpilkin_estimate_finds_millions_of_anomalous_votes(arrays):
    result = shpilkin_estimate(*arrays)
    assert 10_000_000 < result.anomalous_votes < 20_000_000
    assert result.clean_leader_percent < 40


def test_leader_gains_more_than_one_vote_per_extra_voter(arrays):
    result = turnout_slope(*arrays)
    assert result.leader_slope > 1
    assert result.others_slope < 0
