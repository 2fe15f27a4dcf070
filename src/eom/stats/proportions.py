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
- ``SIMPLE_RANDOM`` — p = y/n; v = (1 − n/N)·p(1 − p)/n, the factor (1 − n/N) only when the
  population size N is given (finite-population correction). Without N, n_eff = n and the
  interval is the ordinary Wilson interval.
- ``STRATIFIED`` — p = Σ W_h p_h with W_h = N_h/N; v = Σ W_h² (1 − n_h/N_h) p_h(1 − p_h)/(n_h − 1)
  (Cochran 5.3). Without stratum sizes the sample shares n_h/n stand in for W_h (proportional
  allocation assumed) and no finite-population correction is made. A stratum named in the
  sizes with no station observed is refused (its share is unknown, not zero). A stratum with
  one station is collapsed with its neighbour for the variance (see :mod:`._strata`; Cochran
  §5A.12), and the result names the collapsed strata.
- ``CLUSTERED`` — stations visited by the same team or in the same district are clusters
  (first stage: k of K clusters drawn at random; second stage: m_i of the M_i stations of
  cluster i). Without the M_i, the ratio p = Σ y_i / Σ m_i with the with-replacement variance
  v = Σ (y_i − p m_i)² / (k (k − 1) m̄²) (Cochran 6.13 without its correction: applying
  1 − k/K to it is right only when every station of a sampled cluster is observed, and
  understates the variance otherwise). With ``cluster_sizes`` (M_i) the two-stage ratio
  estimator p = Σ M_i ȳ_i / Σ M_i and its variance (Lohr 2010, §5.3; Cochran 1977, ch. 11)
      v = [(1 − k/K) s_r²/k + 1/(k K) · Σ M_i² (1 − m_i/M_i) s_i²/m_i] / M̄²,
  s_r² = Σ (M_i ȳ_i − p M_i)²/(k − 1), s_i² the within-cluster variance of the answers and M̄
  the mean M_i of the sampled clusters; without K the first term alone, with no correction.
  A cluster of one observed station out of several takes the mean s_i² of the others.
- ``WEIGHTED`` — p = Σ w y / Σ w; v = n/(n − 1) Σ w_i² (y_i − p)² / (Σ w)² (linearisation,
  with-replacement approximation).

Interval: Wilson's score interval (E. B. Wilson, JASA 1927) computed with the design's
effective sample size n_eff = p(1 − p)/v (Kish), which reduces to the plain Wilson interval
under simple random sampling without correction and behaves well near 0 % and 100 %.
Stratified and clustered designs estimate their variance from few units, so their interval uses
Student's t quantile with the design's degrees of freedom in place of z (k − 1 for k clusters,
n minus the number of strata for strata; Korn & Graubard, *Survey Methodology* 24, 1998,
193–201), given as ``degrees_of_freedom``. When p is 0 or 1 the design variance is 0 and the
observed n is used. When every station of the population was observed (n = N) the interval is
the point itself. When the variance cannot be estimated (one cluster; a single station) the
interval is None and the explanation says why.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ._special import t_for
from ._strata import plan_strata, stratified_variance
from ._types import Sizes


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
    stratified; ``n_clusters_population`` (K, clusters in the population) and ``cluster_sizes``
    (cluster → M_i, stations in each sampled cluster) for clustered. All optional.
    """

    kind: DesignKind = DesignKind.CONVENIENCE
    population_size: int | None = None
    stratum_sizes: Sizes | None = None
    n_clusters_population: int | None = None
    cluster_sizes: Sizes | None = None

    @classmethod
    def convenience(cls) -> Design:
        return cls(DesignKind.CONVENIENCE)

    @classmethod
    def simple_random(cls, population_size: int | None = None) -> Design:
        return cls(DesignKind.SIMPLE_RANDOM, population_size=population_size)

    @classmethod
    def stratified(cls, stratum_sizes: Sizes | None = None) -> Design:
        return cls(DesignKind.STRATIFIED, stratum_sizes=stratum_sizes)

    @classmethod
    def clustered(cls, n_clusters_population: int | None = None,
                  cluster_sizes: Sizes | None = None) -> Design:
        """Clusters (teams, districts) drawn first, stations within them second; see the
        module docstring. Without ``cluster_sizes`` no finite-population correction is made."""
        return cls(DesignKind.CLUSTERED, n_clusters_population=n_clusters_population,
                   cluster_sizes=cluster_sizes)

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
    """``share`` in [0, 1]; ``interval`` None when the design gives no population inference or
    its variance cannot be estimated. ``degrees_of_freedom`` None: the normal quantile was used.
    ``strata_collapsed``: groups of strata pooled for the variance (one-station strata)."""

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
    degrees_of_freedom: int | None = None
    strata_collapsed: tuple[tuple[Hashable, ...], ...] = ()


def wilson_interval(n_yes: float, n: float, confidence: float = 0.95,
                    degrees_of_freedom: float | None = None) -> tuple[float, float]:
    """Wilson score interval for n_yes successes in n trials (n may be an effective size).
    With ``degrees_of_freedom`` Student's t quantile replaces the normal one."""
    if n <= 0:
        return (0.0, 1.0)
    z = t_for(confidence, degrees_of_freedom)
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
    z = t_for(confidence, None)
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


@dataclass(frozen=True)
class _DesignVariance:
    share: float
    variance: float
    degrees_of_freedom: int | None = None
    estimable: bool = True
    collapsed: tuple[tuple[Hashable, ...], ...] = ()
    note: str = ""


def _variance(y: np.ndarray, design: Design, strata: Sequence[Hashable] | None,
              clusters: Sequence[Hashable] | None,
              weights: Sequence[float] | None) -> _DesignVariance:
    """The share and its design variance (see the module docstring)."""
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
        return _DesignVariance(p, fpc * p * (1 - p) / n)
    if kind is DesignKind.STRATIFIED:
        return _stratified(y, design, strata)
    if kind is DesignKind.CLUSTERED:
        return _clustered(y, design, clusters)
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
        return _DesignVariance(p, v, estimable=n > 1)
    raise ValueError(f"unknown design {kind!r}")


def _stratified(y: np.ndarray, design: Design,
                strata: Sequence[Hashable] | None) -> _DesignVariance:
    n = y.size
    labels = _labels(strata, n, "strata")
    present = set(labels.tolist())
    sizes = design.stratum_sizes
    if sizes is not None:
        unknown = sorted((h for h in present if h not in sizes), key=str)
        if unknown:
            raise ValueError(f"stratum_sizes has no size for stratum {unknown[0]!r}")
        missing = [h for h in sizes if h not in present and sizes[h] > 0]
        if missing:
            named = ", ".join(f"{h!r} ({sizes[h]:,} stations)" for h in missing)
            raise ValueError(
                f"no station observed in stratum {named}: its share is unknown, not zero; "
                "observe it, or leave it out of stratum_sizes to estimate for the other "
                "strata only"
            )
        names = [h for h in sizes if h in present]
        total = float(sum(sizes.values()))
    else:
        names = sorted(present, key=str)
    index = {h: i for i, h in enumerate(names)}
    stratum = np.array([index[h] for h in labels.tolist()], dtype=np.int64)
    n_h = np.bincount(stratum, minlength=len(names))
    yes_h = np.bincount(stratum, weights=y, minlength=len(names))
    if sizes is not None:
        big = np.array([int(sizes[h]) for h in names], dtype=np.int64)
        for h, nh, bh in zip(names, n_h.tolist(), big.tolist(), strict=True):
            if bh < nh:
                raise ValueError(f"stratum {h!r}: size {bh} smaller than sample {nh}")
        w_h = big / total
    else:
        big = None
        w_h = n_h / n
    p = float((w_h * yes_h / n_h).sum())
    plan = plan_strata(names, n_h.tolist(), None if big is None else big.tolist())
    z = (w_h / n_h)[stratum] * y
    v = stratified_variance(plan, z, stratum)
    note = ""
    if plan.collapsed:
        groups = "; ".join(" + ".join(map(str, g)) for g in plan.collapsed)
        note = (f"Strata with one station were collapsed with a neighbour for the variance "
                f"({groups}): the interval is conservative.")
    if not plan.estimable:
        note = "One station outside the fully observed strata: no variance can be estimated."
    return _DesignVariance(p, v, plan.degrees_of_freedom, plan.estimable, plan.collapsed, note)


def _clustered(y: np.ndarray, design: Design,
               clusters: Sequence[Hashable] | None) -> _DesignVariance:
    n = y.size
    labels = _labels(clusters, n, "clusters")
    keys, inverse = np.unique(labels, return_inverse=True)
    yc = np.bincount(inverse, weights=y).astype(np.float64)
    mc = np.bincount(inverse).astype(np.float64)
    k = yc.size
    big_k = design.n_clusters_population
    if big_k is not None and big_k < k:
        raise ValueError(f"n_clusters_population {big_k} is smaller than the {k} clusters observed")
    df = k - 1 if k > 1 else None
    sizes = design.cluster_sizes
    if sizes is None:
        p = float(yc.sum() / mc.sum())
        if k < 2:
            return _DesignVariance(p, 0.0, None, False, note="One cluster: no variance.")
        v = float(((yc - p * mc) ** 2).sum()) / (k * (k - 1) * mc.mean() ** 2)
        note = (f"No finite-population correction: the stations in each cluster "
                f"(cluster_sizes) are not given, so the interval is conservative, the more so "
                f"as more of the {big_k:,} clusters were drawn ({k:,} here)." if big_k else "")
        return _DesignVariance(p, v, df, note=note)
    cluster_labels = keys.tolist()
    absent = [c for c in cluster_labels if c not in sizes]
    if absent:
        raise ValueError(f"cluster_sizes has no size for cluster {absent[0]!r}")
    big_m = np.array([int(sizes[c]) for c in cluster_labels], dtype=np.float64)
    over = np.flatnonzero(big_m < mc)
    if over.size:
        c = cluster_labels[int(over[0])]
        raise ValueError(f"cluster {c!r}: {int(mc[over[0]])} stations observed but cluster_sizes "
                         f"gives {int(big_m[over[0]])}")
    ybar = yc / mc
    p = float((big_m * ybar).sum() / big_m.sum())
    if k < 2:
        return _DesignVariance(p, 0.0, None, False, note="One cluster: no variance.")
    s_r2 = float(((big_m * ybar - p * big_m) ** 2).sum()) / (k - 1)
    f1 = k / big_k if big_k else 0.0
    v = (1.0 - f1) * s_r2 / k
    if big_k:
        several = mc > 1
        s_i2 = np.zeros(k)
        s_i2[several] = mc[several] / (mc[several] - 1) * ybar[several] * (1 - ybar[several])
        pooled = float(s_i2[several].mean()) if several.any() else p * (1 - p)
        s_i2[~several] = pooled
        v += float((big_m**2 * (1 - mc / big_m) * s_i2 / mc).sum()) / (k * big_k)
    return _DesignVariance(p, v / big_m.mean() ** 2, df)


def _labels(values: Sequence[Hashable] | None, n: int, name: str) -> np.ndarray:
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
    dv = _variance(y, design, strata, clusters, weights)
    p, v = dv.share, dv.variance
    if design.kind is DesignKind.CONVENIENCE:
        return ProportionEstimate(
            n, n_yes, p, "observed", design.kind, None, None, None, observed,
            explanation=(
                f"{100 * p:.1f} % of the {n:,} polling stations observed ({n_yes:,}). The "
                "stations were not chosen at random, so this describes the stations observed, "
                "not all polling stations."
            ),
        )
    design_name = design.kind.value.replace("_", " ")
    note = f" {dv.note}" if dv.note else ""
    if not dv.estimable:
        return ProportionEstimate(
            n, n_yes, p, "population", design.kind, None, None, None, observed,
            explanation=(
                f"{100 * p:.1f} % of polling stations, estimated from {n:,} stations chosen by "
                f"a {design_name} random design; no interval: its variance cannot be "
                f"estimated from this sample.{note}"
            ),
            strata_collapsed=dv.collapsed,
        )
    se = math.sqrt(v)
    census = (
        design.kind is DesignKind.SIMPLE_RANDOM and design.population_size == n
    ) or (
        design.kind is DesignKind.STRATIFIED
        and design.stratum_sizes is not None
        and sum(design.stratum_sizes.values()) == n
    )
    df = dv.degrees_of_freedom
    if census:
        lo = hi = p  # every station observed: no sampling error
        n_eff = float(n)
        df = None
    else:
        n_eff = p * (1 - p) / v if v > 0 else float(n)
        lo, hi = wilson_interval(p * n_eff, n_eff, confidence, df)
    label = f"{100 * confidence:.0f} % interval, {design_name} design"
    if df is not None:
        label += f", t with {df} degrees of freedom"
    return ProportionEstimate(
        n, n_yes, p, "population", design.kind, se, n_eff, Interval(lo, hi, confidence, label),
        observed,
        explanation=(
            f"{100 * p:.1f} % of polling stations ({100 * lo:.1f}–{100 * hi:.1f} %, "
            f"{100 * confidence:.0f} % confidence), estimated from {n:,} stations chosen by a "
            f"{design_name} random design.{note}"
        ),
        degrees_of_freedom=df,
        strata_collapsed=dv.collapsed,
    )
