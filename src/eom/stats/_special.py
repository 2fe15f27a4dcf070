"""Small numerical helpers that would otherwise need scipy.

Inputs are plain floats or numpy arrays; outputs are floats or numpy arrays. Formulas follow
Press et al., *Numerical Recipes* (3rd ed., 2007), §6.2 (incomplete gamma function) and §6.4
(incomplete beta function, continued fraction by the modified Lentz method), and the standard
library's ``statistics.NormalDist`` for normal quantiles. Student's t distribution function is
1 − ½·I_x(ν/2, ½) with x = ν/(ν + t²) for t ≥ 0 (Abramowitz & Stegun, *Handbook of
Mathematical Functions*, 1964, §26.7); its quantile is found by bisection.
"""

from __future__ import annotations

import math
from functools import lru_cache
from statistics import NormalDist

import numpy as np


def z_for(confidence: float) -> float:
    """Two-sided normal quantile: ``z_for(0.95)`` is 1.959963985 (inputs in (0, 1))."""
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must lie strictly between 0 and 1, got {confidence!r}")
    return NormalDist().inv_cdf(0.5 + confidence / 2.0)


def t_for(confidence: float, degrees_of_freedom: float | None) -> float:
    """Two-sided Student t quantile: ``t_for(0.95, 11)`` is 2.2010; ``None`` (or infinite)
    degrees of freedom give the normal quantile :func:`z_for`. Accurate to about 1e-10."""
    if degrees_of_freedom is None or math.isinf(degrees_of_freedom):
        return z_for(confidence)
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must lie strictly between 0 and 1, got {confidence!r}")
    if not degrees_of_freedom > 0:
        raise ValueError(f"degrees of freedom must be positive, got {degrees_of_freedom!r}")
    return _t_quantile(float(confidence), float(degrees_of_freedom))


@lru_cache(maxsize=4096)
def _t_quantile(confidence: float, df: float) -> float:
    tail = (1.0 - confidence) / 2.0  # wanted P(T > t)
    lo, hi = 0.0, max(1.0, z_for(confidence))
    while t_sf(hi, df) > tail:
        lo, hi = hi, 2.0 * hi
    for _ in range(200):
        mid = (lo + hi) / 2.0
        if t_sf(mid, df) > tail:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-12 * hi:
            break
    return (lo + hi) / 2.0


def t_sf(t: float, df: float) -> float:
    """Upper tail P(T > t) of Student's t with ``df`` degrees of freedom."""
    if df <= 0:
        raise ValueError(f"degrees of freedom must be positive, got {df!r}")
    half = 0.5 * betainc(df / 2.0, 0.5, df / (df + t * t))
    return half if t >= 0 else 1.0 - half


def betainc(a: float, b: float, x: float) -> float:
    """Regularised incomplete beta function I_x(a, b) for a, b > 0 and 0 <= x <= 1."""
    if not 0.0 <= x <= 1.0:
        raise ValueError(f"x must lie in [0, 1], got {x!r}")
    if x in (0.0, 1.0):
        return x
    log_front = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                 + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_fraction(b, a, 1.0 - x) / b


def _beta_fraction(a: float, b: float, x: float) -> float:
    """Continued fraction for the incomplete beta function (Numerical Recipes §6.4)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    d = tiny if abs(d) < tiny else d
    d = 1.0 / d
    h = d
    for m in range(1, 10_000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = tiny if abs(d) < tiny else d
        c = 1.0 + aa / c
        c = tiny if abs(c) < tiny else c
        d = 1.0 / d
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = tiny if abs(d) < tiny else d
        c = 1.0 + aa / c
        c = tiny if abs(c) < tiny else c
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return h


def chi2_sf(statistic: float, dof: int) -> float:
    """Upper tail P(X >= statistic) of a chi-squared variable with ``dof`` degrees of freedom.

    Computed as the regularised upper incomplete gamma function Q(dof/2, statistic/2): a series
    for x < a + 1 and a continued fraction (modified Lentz) otherwise.
    """
    if dof <= 0:
        raise ValueError(f"dof must be positive, got {dof}")
    if statistic <= 0.0:
        return 1.0
    a = dof / 2.0
    x = statistic / 2.0
    log_prefix = -x + a * math.log(x) - math.lgamma(a)
    if x < a + 1.0:
        term = 1.0 / a
        total = term
        ap = a
        for _ in range(10_000):
            ap += 1.0
            term *= x / ap
            total += term
            if abs(term) < abs(total) * 1e-15:
                break
        return max(0.0, 1.0 - total * math.exp(log_prefix))
    tiny = 1e-300
    b = x + 1.0 - a
    c = 1.0 / tiny
    d = 1.0 / b
    h = d
    for i in range(1, 10_000):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return min(1.0, math.exp(log_prefix) * h)


def log_factorials(n_max: int) -> np.ndarray:
    """Array ``lf`` with ``lf[k] = log(k!)`` for k = 0..n_max (float64)."""
    return np.array([math.lgamma(k + 1.0) for k in range(n_max + 1)], dtype=np.float64)
