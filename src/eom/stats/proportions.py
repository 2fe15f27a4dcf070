"""Shares of observed polling stations ("voting was assessed negatively in 7 % of 1,040 polling
stations observed") with intervals that respect how the stations were chosen.

Inputs: one answer per observed station (0/1 or bool) and a :class:`Design` saying how the
stations were chosen, plus the labels the design needs (stratum, cluster) or weights.
Output: :class:`ProportionEstimate`.

Designs (formulas from W. G. Cochran, *Sampling Techniques*, 3rd ed., 1977; S. Lohr,
*Sampling: Design and Analysis*, 2nd ed., 2010):

- ``CONVENIENCE`` — stations were not drawn at random (the usual case for international
  missions: teams go where they can). The share describes *the polling stations observed* only:
  ``scope = "observed"`` and ``interval is None``. We still give ``observed_wilson``, a Wilson
  interval labelled as measuring only the chance variation among these stations' answers — it
  is not a margin of error for the country and must not be quoted as one.
- ``SIMPLE_RANDOM`` — p = y/n; v = (1 − n/N)·p(1 − p)/(n − 1), the factor (1 − n/N) only when
  the population size N is given (finite-population correction).
- ``STRATIFIED`` — p = Σ W_h p_h with W_h = N_h/N; v = Σ W_h² (1 − n_h/N_h) p_h(1 − p_h)/(n_h − 1)
  (Cochran 5.3). Without stratum sizes the sample shares n_h/n stand in for W_h (proportional
  allocation assumed) and no finite-population correction is made.
- ``CLUSTERED`` — stations visited by the same team or in the same area are clusters; ratio
  estimator p = Σ y_c / Σ m_c with between-cluster variance
  v = (1 − k/K)/(k (k − 1) m̄²) Σ (y_c − p m_c)² (Cochran 6.13), k clusters of mean size m̄, K
  clusters in the population if known.
- ``WEIGHTED`` — p = Σ w y / Σ w; v = n/(n − 1) Σ w_i² (y_i − p)² / (Σ w)² (linearisation,
  with-replacement approximation).

Interval: Wilson's score interval (E. B. Wilson, JASA 1927) computed with the design's
effective sample size n_eff = p(1 − p)/v (Kish), which reduces to the plain Wilson interval
under simple random sampling without correction and behaves well near 0 % and 100 %.
When p is 0 or 1 the design variance is 0 and the observed n is used. When every station of
the population was observed (n = N) the interval is the point itself.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ._special import z_for


class DesignKind(enum.Enum):
    CONVENIENCE = "convenience"
    SIMPLE_RANDOM = "simple_random"
    STRATIFIED = "stratified"
    CLUSTERED = "clustered"
    WEIGHTED = "weighted"


@dataclass(frozen=True)
class Design:
    """How the observed stations were chosen.

    ``population_size`` (N, stations) for simple random; ``stratum_sizes`` (stratum → N_h) for
    stratified; ``n_clusters_population`` (K) for clustered. All optional.
    """

    kind: DesignKind = DesignKind.CONVENIENCE
    population_size: int | None = None
    stratum_sizes: dict[Hashable, int] | None = None
    n_clusters_population: int | None = None

    @classmethod
    def convenience(cls) -> Design:
        return cls(DesignKind.CONVENIENCE)

    @classmethod
    def simple_random(cls, population_size: int | None = None) -> Design:
        return cls(DesignKind.SIMPLE_RANDOM, population_size=population_size)

    @classmethod
    def stratified(cls, stratum_sizes: dict[Hashable, int] | None = None) -> Design:
        return cls(DesignKind.STRATIFIED, stratum_sizes=stratum_sizes)

    @classmethod
    def clustered(cls, n_clusters_population: int | None = None) -> Design:
        return cls(DesignKind.CLUSTERED, n_clusters_population=n_clusters_population)

    @classmethod
    def weighted(cls) -> Design:
        return cls(DesignKind.WEIGHTED)


@dataclass(frozen=True)
class Interval:
    lower: float
    upper: float
    confidence: float
    label: str


@dataclass(frozen=True)
class ProportionEstimate:
    """``share`` in [0, 1]; ``interval`` None when the design gives no population inference."""

    n_observed: int
    n_yes: int
    share: float
    scope: str
    design: DesignKind
    standard_error: float | None
    effective_n: float | None
    interval: Interval | None
    observed_wilson: Interval
    explanation: str


def wilson_interval(n_yes: float, n: float, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for n_yes successes in n trials (n may be an effective size)."""
    if n <= 0:
        return (0.0, 1.0)
    z = z_for(confidence)
    p = n_yes / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    lower = 0.0 if n_yes <= 0 else max(0.0, centre - half)
    upper = 1.0 if n_yes >= n else min(1.0, centre + half)
    return (lower, upper)


def wilson_intervals(n_yes: ArrayLike, n: ArrayLike,
                     confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """:func:`wilson_interval` for many counts at once: arrays of lower and upper bounds, equal
    value for value to the scalar function (the same operations in the same order), including
    (0, 1) where n <= 0, a lower bound of 0 where n_yes <= 0 and an upper bound of 1 where
    n_yes >= n. `n_yes` and `n` broadcast against each other; integers or floats."""
    n_yes, n = np.broadcast_arrays(np.asarray(n_yes), np.asarray(n))
    z = z_for(confidence)
    empty = n <= 0
    size = np.where(empty, 1, n)
    p = n_yes / size
    denom = 1.0 + z * z / size
    centre = (p + z * z / (2 * size)) / denom
    with np.errstate(invalid="ignore"):  # nan where n_yes > n, where the scalar one raises
        half = z * np.sqrt(p * (1 - p) / size + z * z / (4 * size * size)) / denom
    lower = np.where(n_yes <= 0, 0.0, np.maximum(0.0, centre - half))
    upper = np.where(n_yes >= n, 1.0, np.minimum(1.0, centre + half))
    return np.where(empty, 0.0, lower), np.where(empty, 1.0, upper)


def _variance(y: np.ndarray, design: Design, strata, clusters, weights) -> tuple[float, float]:
    """Return (share, design variance) for the given design."""
    n = y.size
    kind = design.kind
    if kind in (DesignKind.SIMPLE_RANDOM, DesignKind.CONVENIENCE):
        p = float(y.mean())
        fpc = 1.0
        if kind is DesignKind.SIMPLE_RANDOM and design.population_size:
            if design.population_size < n:
                raise ValueError(
                    f"population_size {design.population_size} is smaller than the sample {n}"
                )
            fpc = 1.0 - n / design.population_size
        return p, (fpc * p * (1 - p) / (n - 1) if n > 1 else 0.0)
    if kind is DesignKind.STRATIFIED:
        labels = _labels(strata, n, "strata")
        names = sorted(set(labels), key=str)
        sizes = design.stratum_sizes
        if sizes is not None:
            missing = [h for h in names if h not in sizes]
            if missing:
                raise ValueError(f"stratum_sizes has no size for stratum {missing[0]!r}")
            total = float(sum(sizes.values()))
        p = v = 0.0
        for h in names:
            yh = y[labels == h]
            nh = yh.size
            ph = float(yh.mean())
            if sizes is not None:
                wh, fpc = sizes[h] / total, 1.0 - nh / sizes[h]
                if sizes[h] < nh:
                    raise ValueError(f"stratum {h!r}: size {sizes[h]} smaller than sample {nh}")
            else:
                wh, fpc = nh / n, 1.0
            p += wh * ph
            v += wh * wh * fpc * ph * (1 - ph) / (nh - 1) if nh > 1 else 0.0
        return p, v
    if kind is DesignKind.CLUSTERED:
        labels = _labels(clusters, n, "clusters")
        _, inverse = np.unique(labels, return_inverse=True)
        yc = np.bincount(inverse, weights=y).astype(np.float64)
        mc = np.bincount(inverse).astype(np.float64)
        k = yc.size
        p = float(yc.sum() / mc.sum())
        if k < 2:
            return p, 0.0
        fpc = 1.0 - k / design.n_clusters_population if design.n_clusters_population else 1.0
        v = fpc * float(((yc - p * mc) ** 2).sum()) / (k * (k - 1) * mc.mean() ** 2)
        return p, v
    if kind is DesignKind.WEIGHTED:
        if weights is None:
            raise ValueError("a weighted design needs weights")
        w = np.asarray(weights, dtype=np.float64)
        if w.shape != y.shape:
            raise ValueError(f"weights has {w.size} values for {n} answers")
        if np.any(w < 0) or w.sum() <= 0:
            raise ValueError("weights must be non-negative with a positive total")
        p = float((w * y).sum() / w.sum())
        v = n / (n - 1) * float(((w * (y - p)) ** 2).sum()) / w.sum() ** 2 if n > 1 else 0.0
        return p, v
    raise ValueError(f"unknown design {kind!r}")


def _labels(values, n: int, name: str) -> np.ndarray:
    if values is None:
        raise ValueError(f"this design needs {name} (one label per answer)")
    labels = np.asarray(list(values), dtype=object)
    if labels.size != n:
        raise ValueError(f"{name} has {labels.size} labels for {n} answers")
    return labels


def estimate_proportion(
    answers: Sequence[int] | Sequence[bool] | np.ndarray,
    design: Design | None = None,
    *,
    strata: Sequence[Hashable] | None = None,
    clusters: Sequence[Hashable] | None = None,
    weights: Sequence[float] | None = None,
    confidence: float = 0.95,
) -> ProportionEstimate:
    """Share of stations answering yes, with a design-based interval (see module docstring).

    Input: ``answers`` (0/1 or bool per observed station), ``design`` (default convenience),
    labels/weights the design needs. Output: :class:`ProportionEstimate`.
    """
    design = design or Design.convenience()
    y = np.asarray(answers)
    if y.dtype == bool:
        y = y.astype(np.int64)
    if y.ndim != 1 or y.size == 0:
        raise ValueError("answers must be a non-empty list of 0/1 values")
    if not np.isin(y, (0, 1)).all():
        bad = int(np.flatnonzero(~np.isin(y, (0, 1)))[0])
        raise ValueError(f"answer {bad + 1} is {y[bad].item()!r}; answers must be 0 or 1")
    y = y.astype(np.float64)
    n = int(y.size)
    n_yes = int(y.sum())
    lo, hi = wilson_interval(n_yes, n, confidence)
    observed = Interval(
        lo, hi, confidence,
        "Wilson interval for the observed stations only: chance variation in their answers, "
        "not a margin of error for all polling stations",
    )
    p, v = _variance(y, design, strata, clusters, weights)
    if design.kind is DesignKind.CONVENIENCE:
        return ProportionEstimate(
            n, n_yes, p, "observed", design.kind, None, None, None, observed,
            explanation=(
                f"{100 * p:.1f} % of the {n:,} polling stations observed ({n_yes:,}). The "
                "stations were not chosen at random, so this describes the stations observed, "
                "not all polling stations."
            ),
        )
    se = math.sqrt(v)
    census = (
        design.kind is DesignKind.SIMPLE_RANDOM and design.population_size == n
    ) or (
        design.kind is DesignKind.STRATIFIED
        and design.stratum_sizes is not None
        and sum(design.stratum_sizes.values()) == n
    )
    if census:
        lo = hi = p  # every station observed: no sampling error
        n_eff = float(n)
    else:
        n_eff = p * (1 - p) / v if v > 0 else float(n)
        lo, hi = wilson_interval(p * n_eff, n_eff, confidence)
    label = f"{100 * confidence:.0f} % interval, {design.kind.value.replace('_', ' ')} design"
    return ProportionEstimate(
        n, n_yes, p, "population", design.kind, se, n_eff, Interval(lo, hi, confidence, label),
        observed,
        explanation=(
            f"{100 * p:.1f} % of polling stations ({100 * lo:.1f}–{100 * hi:.1f} %, "
            f"{100 * confidence:.0f} % confidence), estimated from {n:,} stations chosen by a "
            f"{design.kind.value.replace('_', ' ')} random design."
        ),
    )
