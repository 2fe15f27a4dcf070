"""Variance of a stratified estimator, with strata of one station collapsed into their neighbours.

Both the stratified share of observed stations (:mod:`.proportions`) and the stratified quick
count (:mod:`.quick_count`) estimate a total as a sum over stations of z_i = w_i·u_i (the share's
weight W_h/n_h times the answer; the ratio estimator's N_h/n_h times the residual e = y − R x).
Within a stratum of n_h ≥ 2 stations drawn at random from N_h the variance is

    v_h = (1 − n_h/N_h) · n_h/(n_h − 1) · Σ_{i∈h} (z_i − z̄_h)²,

which is Cochran's (1977, eq. 5.8 and §6.11) N_h²(1 − f_h) s_h²/n_h written in the z_i.

A stratum with one station has no within-stratum variance to estimate from; leaving it out
(counting it as 0) understates the margin, badly when most strata have one station. The
recognised remedy is the **collapsed strata** estimator (Cochran 1977, §5A.12; Wolter,
*Introduction to Variance Estimation*, 2nd ed., 2007): the one-station stratum is put
together with a neighbouring stratum and the pair is treated as one stratum, with
v_g = (1 − n_g/N_g) · n_g/(n_g − 1) · Σ_{i∈g} (z_i − z̄_g)². The differences between the
collapsed strata then count as variance, so the estimate is conservative (too wide, never too
narrow on average). Neighbour means the next stratum in the order given (the order of
``stratum_sizes``; list neighbouring or similar regions next to each other); a one-station
stratum at the end joins the group before it.

A stratum where every station was observed (n_h = N_h) adds no variance and is never
collapsed. Degrees of freedom: stations − groups (Korn & Graubard, *Analysis of Health
Surveys*, 1999). With a single station outside the fully observed strata the variance
cannot be estimated at all (``estimable`` False); when every stratum was observed in full there
is no sampling error and no degrees of freedom (None).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class StrataPlan:
    """``group[h]`` is the variance group of stratum h (−1: fully observed, adds nothing)."""

    group: np.ndarray
    n_groups: int
    group_fpc: np.ndarray
    collapsed: tuple[tuple[Hashable, ...], ...]
    degrees_of_freedom: int | None
    estimable: bool
    every_stratum_one_station: bool


def plan_strata(names: Sequence[Hashable], n_h: Sequence[int],
                big_n_h: Sequence[int] | None) -> StrataPlan:
    """Group the strata for the variance; ``names`` in neighbour order, one ``n_h`` (stations
    observed) and ``big_n_h`` (stations in the stratum; None: unknown, no correction) each."""
    n_h = [int(v) for v in n_h]
    group = np.full(len(names), -1, dtype=np.int64)
    sampled = [i for i, nh in enumerate(n_h)
               if nh > 0 and (big_n_h is None or nh < int(big_n_h[i]))]
    groups: list[list[int]] = []
    pending: list[int] = []
    for i in sampled:
        pending.append(i)
        if sum(n_h[j] for j in pending) >= 2:
            groups.append(pending)
            pending = []
    if pending:
        if groups:
            groups[-1].extend(pending)
        else:
            groups.append(pending)
    fpc = np.ones(len(groups), dtype=np.float64)
    for g, members in enumerate(groups):
        group[members] = g
        if big_n_h is not None:
            fpc[g] = 1.0 - sum(n_h[j] for j in members) / sum(int(big_n_h[j]) for j in members)
    n_stations = sum(n_h[i] for i in sampled)
    df = n_stations - len(groups)
    return StrataPlan(
        group=group,
        n_groups=len(groups),
        group_fpc=fpc,
        collapsed=tuple(tuple(names[j] for j in members) for members in groups
                        if len(members) > 1),
        degrees_of_freedom=df if df > 0 else None,
        estimable=df > 0 or not sampled,
        every_stratum_one_station=bool(sampled) and all(n_h[i] == 1 for i in sampled),
    )


def stratified_variance(plan: StrataPlan, z: np.ndarray, stratum_index: np.ndarray) -> float:
    """Σ over groups of (1 − f_g)·n_g/(n_g − 1)·Σ (z_i − z̄_g)²; ``stratum_index`` per station."""
    g = plan.group[stratum_index]
    keep = g >= 0
    if not keep.any() or plan.n_groups == 0:
        return 0.0
    g, zk = g[keep], z[keep]
    counts = np.bincount(g, minlength=plan.n_groups).astype(np.float64)
    means = np.bincount(g, weights=zk, minlength=plan.n_groups) / np.maximum(counts, 1.0)
    squares = np.bincount(g, weights=(zk - means[g]) ** 2, minlength=plan.n_groups)
    factor = np.where(counts > 1, counts / np.maximum(counts - 1.0, 1.0), 0.0)
    return float((plan.group_fpc * factor * squares).sum())
