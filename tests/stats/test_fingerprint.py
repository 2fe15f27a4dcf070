"""Election fingerprint (Klimek et al. 2012): 1-point turnout × leader-share histogram and SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest

from eom.stats import fingerprint, fingerprint_svg

SVG = "{http://www.w3.org/2000/svg}"


def test_each_station_lands_in_its_one_point_cell():
    # turnout 55.5 %, share 40 %; turnout 80 %, share 99.9 %
    result = fingerprint([1000, 1000], [555, 800], [222, 799], [555, 800])
    assert result.counts[40, 55] == 1
    assert result.counts[99, 80] == 1
    assert int(result.counts.sum()) == 2


def test_one_hundred_percent_goes_in_the_last_cell():
    result = fingerprint([200], [200], [200])
    assert result.counts[99, 99] == 1
    assert result.share_in_top_right == 1.0


def test_stations_under_100_voters_are_left_out():
    result = fingerprint([99, 100], [50, 50], [10, 10])
    assert result.stations_used == 1


def test_stations_without_ballots_are_left_out():
    result = fingerprint([500, 500], [0, 250], [0, 100])
    assert result.stations_used == 1


def test_svg_is_well_formed_with_one_rect_per_non_empty_cell():
    rng = np.random.default_rng(0)
    registered = rng.integers(100, 2000, 500)
    ballots = rng.binomial(registered, 0.6)
    leader = rng.binomial(ballots, 0.5)
    result = fingerprint(registered, ballots, leader)
    svg = fingerprint_svg(result, title="Test <election>")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    cells = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert len(cells) == int(np.count_nonzero(result.counts))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Test <election>" in texts
    assert "Turnout, % of registered voters" in texts
    assert "Leader's share, % of ballots counted" in texts


def test_svg_has_no_external_references():
    svg = fingerprint_svg(fingerprint([1000], [600], [300]))
    assert "href" not in svg
    assert "<script" not in svg


def test_svg_is_deterministic():
    result = fingerprint([1000, 500], [600, 400], [300, 100])
    assert fingerprint_svg(result) == fingerprint_svg(result)


def test_result_explains_and_warns_about_genuine_high_turnout_places():
    result = fingerprint([1000], [600], [300])
    assert "1 polling stations" in result.explanation or "1 polling station" in result.explanation
    assert any("rural" in c for c in result.caveats)


def test_corner_counts_only_stations_strictly_above_90_percent():
    # exactly 90 % turnout with 95 % share; 95 % turnout with exactly 90 %; both 90.1 %
    result = fingerprint([1000, 1000, 1000], [900, 950, 901], [855, 855, 812])
    assert result.counts[90:, 90:].sum() == 3  # the 90 % cell holds [90, 91)
    assert result.stations_in_top_right == 1
    assert result.share_in_top_right == pytest.approx(1 / 3)
