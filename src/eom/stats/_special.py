"""Small numerical helpers that would otherwise need scipy.

Inputs are plain floats or numpy arrays; outputs are floats or numpy arrays. Formulas follow
Press et al., *Numerical Recipes* (3rd ed., 2007), §6.2 (incomplete gamma function), and the
standard library's ``statistics.NormalDist`` for normal quantiles.
"""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np


def z_for(confidence: float) -> float:
    """Two-sided normal quantile: ``z_for(0.95)`` is 1.959963985 (inputs in (0, 1))."""
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must lie strictly between 0 and 1, got {confidence!r}")
    return NormalDist().inv_cdf(0.5 + confidence / 2.0)


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
