"""Student's t quantiles and the incomplete beta function, without scipy, against table values
(Abramowitz & Stegun 1964, table 26.10; any statistics textbook's t table)."""

from __future__ import annotations

import math

import pytest

from eom.stats._special import betainc, t_for, t_sf, z_for


@pytest.mark.parametrize(
    ("df", "t95", "t99"),
    [(1, 12.7062, 63.6567), (2, 4.3027, 9.9248), (3, 3.1824, 5.8409), (5, 2.5706, 4.0321),
     (10, 2.2281, 3.1693), (11, 2.2010, 3.1058), (30, 2.0423, 2.7500), (120, 1.9799, 2.6174)],
)
def test_t_quantile_matches_the_table_to_four_decimals(df, t95, t99):
    assert round(t_for(0.95, df), 4) == t95
    assert round(t_for(0.99, df), 4) == t99


def test_t_quantile_with_one_degree_of_freedom_is_the_cauchy_quantile():
    assert t_for(0.95, 1) == pytest.approx(math.tan(0.475 * math.pi), rel=1e-10)


def test_without_degrees_of_freedom_the_quantile_is_normal():
    assert t_for(0.95, None) == z_for(0.95)
    assert t_for(0.95, 1_000_000) == pytest.approx(z_for(0.95), abs=1e-5)


def test_t_tail_at_the_quantile_is_the_tail_asked_for():
    assert t_sf(t_for(0.90, 7), 7) == pytest.approx(0.05, abs=1e-12)
    assert t_sf(0.0, 4) == 0.5


def test_incomplete_beta_matches_closed_forms():
    # I_x(a, 1) = x^a and I_x(1, b) = 1 - (1 - x)^b
    assert betainc(2.5, 1.0, 0.3) == pytest.approx(0.3**2.5, rel=1e-12)
    assert betainc(1.0, 3.0, 0.2) == pytest.approx(1 - 0.8**3, rel=1e-12)
    assert (betainc(2.0, 3.0, 0.0), betainc(2.0, 3.0, 1.0)) == (0.0, 1.0)


def test_non_positive_degrees_of_freedom_are_refused():
    with pytest.raises(ValueError, match="degrees of freedom must be positive"):
        t_for(0.95, 0)
