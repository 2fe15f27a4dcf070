"""Quick count / parallel vote tabulation (PVT): vote shares from a random sample of polling
station protocols.

Inputs (one row per *sampled* station, in the order the reports arrived): ``votes`` — a mapping
party → integer array, ``n_counted`` — the denominator per station (valid ballots, or valid +
invalid; by default the sum of the parties' votes), optional ``strata`` labels with
``stratum_sizes`` (stratum → number of polling stations in the population) or
``population_size`` (stations, simple random sample), and optional ``n_registered`` and
``n_ballots`` for turnout. Output: :class:`QuickCountResult`.

Estimator: the combined ratio estimator (Cochran, *Sampling Techniques*, 1977, §6.11):
R = Σ_h N_h ȳ_h / Σ_h N_h x̄_h, with y the party's votes and x the denominator per station,
and variance by linearisation v(R) = X̂⁻² Σ_h N_h² (1 − n_h/N_h) s²_{e,h} / n_h, where
e = y − R x and X̂ = Σ_h N_h x̄_h. Without strata it is the simple ratio estimator
(each station a cluster of voters), with the finite-population correction 1 − n/N when N is
given. A stratum with one reported station has no s²_{e,h}: it is collapsed with its neighbour
in the order of ``stratum_sizes`` and the pair is treated as one stratum (collapsed strata,
Cochran 1977 §5A.12; Wolter 2007; see :mod:`._strata`), which is conservative; the result
names the collapsed strata (``strata_collapsed``).

Each station is a cluster of voters, so the margins are t·√v at 95 % and 99 % with Student's t
on n − H degrees of freedom (n stations in H variance groups; n − 1 without strata; Korn &
Graubard, *Analysis of Health Surveys*, 1999), which is z for large samples. The lead is
the difference between the first two shares, with its variance from
e = (y₁ − y₂) − (R₁ − R₂) x. The result is "statistically decided" when the 99 % interval of the
lead excludes zero — and never when the variance could not be estimated (a single reported
station) or rests only on collapsed one-station strata (every stratum has one station).
Strata with no report are left out and named (``strata_missing``). Source for the approach:
Estok, Nevitte & Cowan, *The Quick Count and Election Observation* (NDI, 2002), ch. 5.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ._special import t_for, z_for
from ._strata import StrataPlan, plan_strata, stratified_variance
from ._types import Counts, Sizes

Z95 = z_for(0.95)
Z99 = z_for(0.99)


@dataclass(frozen=True)
class RatioEstimate:
    """A share (0–1) with standard error and margins (half-widths) at 95 % and 99 %, from
    Student's t on ``degrees_of_freedom`` (None: the normal quantile, or no sampling error)."""

    name: str
    share: float
    standard_error: float
    margin95: float
    margin99: float
    degrees_of_freedom: int | None = None

    @property
    def interval95(self) -> tuple[float, float]:
        return (self.share - self.margin95, self.share + self.margin95)


@dataclass(frozen=True)
class QuickCountResult:
    """Estimates sorted by share (largest first); counts of stations are integers."""

    n_stations: int
    design: str
    parties: tuple[RatioEstimate, ...]
    lead: RatioEstimate | None
    decided: bool
    turnout: RatioEstimate | None
    strata_missing: tuple[Hashable, ...]
    explanation: str
    strata_collapsed: tuple[tuple[Hashable, ...], ...] = ()
    variance_estimable: bool = True
    # False when the margins cannot support a decision: no variance could be estimated, or it
    # rests only on collapsed one-station strata; `decided` is then False whatever the lead
    decision_possible: bool = True

    def share_of(self, name: str) -> RatioEstimate:
        for p in self.parties:
            if p.name == name:
                return p
        raise KeyError(name)


@dataclass(frozen=True)
class ConvergenceStep:
    """Estimates after the first ``n_reports`` reports."""

    n_reports: int
    shares: dict[str, float]
    margins95: dict[str, float]
    strata_missing: tuple[Hashable, ...] = ()


@dataclass(frozen=True)
class _Groups:
    """Stations per stratum, in the order of ``stratum_sizes``; ``big_n`` None: no sizes."""

    stratum: np.ndarray
    n_h: np.ndarray
    big_n: np.ndarray | None
    plan: StrataPlan


def _strata_weights(n: int, strata: Sequence[Hashable] | np.ndarray | None,
                    stratum_sizes: Sizes | None,
                    population_size: int | None) -> tuple[_Groups, tuple[Hashable, ...]]:
    """The stations' strata and the variance plan, and the strata with no report."""
    if strata is None:
        size = population_size if population_size else None
        if size is not None and size < n:
            raise ValueError(f"population_size {size} is smaller than the sample {n}")
        big = None if size is None else np.array([size], dtype=np.int64)
        plan = plan_strata(["all"], [n], None if big is None else big.tolist())
        return _Groups(np.zeros(n, dtype=np.int64), np.array([n]), big, plan), ()
    labels = np.asarray(list(strata), dtype=object)
    if labels.size != n:
        raise ValueError(f"strata has {labels.size} labels for {n} stations")
    present = set(labels.tolist())
    if stratum_sizes is None:
        raise ValueError("a stratified quick count needs stratum_sizes (stations per stratum)")
    unknown = sorted((h for h in present if h not in stratum_sizes), key=str)
    if unknown:
        raise ValueError(f"stratum {unknown[0]!r} has no size in stratum_sizes")
    names = [h for h in stratum_sizes if h in present]
    index = {h: i for i, h in enumerate(names)}
    stratum = np.array([index[h] for h in labels.tolist()], dtype=np.int64)
    n_h = np.bincount(stratum, minlength=len(names))
    big = np.array([int(stratum_sizes[h]) for h in names], dtype=np.int64)
    for h, nh, bh in zip(names, n_h.tolist(), big.tolist(), strict=True):
        if bh < nh:
            raise ValueError(f"stratum {h!r}: {nh} stations sampled but only {bh}")
    missing = tuple(sorted((h for h in stratum_sizes if h not in present), key=str))
    plan = plan_strata(names, n_h.tolist(), big.tolist())
    return _Groups(stratum, n_h, big, plan), missing


def _ratio(y: np.ndarray, x: np.ndarray, groups: _Groups) -> tuple[float, float]:
    """Combined ratio estimate Σ N_h ȳ_h / Σ N_h x̄_h and its linearised variance."""
    scale = (groups.n_h if groups.big_n is None else groups.big_n).astype(np.float64)
    weight = (scale / groups.n_h)[groups.stratum]
    y_hat = float((weight * y).sum())
    x_hat = float((weight * x).sum())
    if x_hat <= 0:
        return 0.0, 0.0
    r = y_hat / x_hat
    v = stratified_variance(groups.plan, weight * (y - r * x), groups.stratum)
    return float(r), float(v / (x_hat * x_hat))


def _estimate(name: str, y: np.ndarray, x: np.ndarray, groups: _Groups) -> RatioEstimate:
    r, v = _ratio(y, x, groups)
    se = math.sqrt(max(v, 0.0))
    df = groups.plan.degrees_of_freedom
    return RatioEstimate(name, r, se, t_for(0.95, df) * se, t_for(0.99, df) * se, df)


def quick_count(
    votes: Mapping[str, Counts],
    n_counted: Counts | None = None,
    *,
    strata: Sequence[Hashable] | np.ndarray | None = None,
    stratum_sizes: Sizes | None = None,
    population_size: int | None = None,
    n_registered: Counts | None = None,
    n_ballots: Counts | None = None,
) -> QuickCountResult:
    """Estimate each party's share, the lead of the first over the second and turnout.

    See the module docstring for inputs and formulas. Raises ValueError naming the bad input.
    """
    if not votes:
        raise ValueError("votes must name at least one party")
    names = list(votes)
    matrix = np.array([np.asarray(votes[p], dtype=np.int64) for p in names], dtype=np.int64)
    n = matrix.shape[1]
    if n == 0:
        raise ValueError("the sample has no reported stations")
    if np.any(matrix < 0):
        party, station = (int(i) for i in np.argwhere(matrix < 0)[0])
        raise ValueError(f"station {station + 1}: negative votes for {names[party]!r}")
    x = matrix.sum(axis=0) if n_counted is None else np.asarray(n_counted, dtype=np.int64)
    if x.shape != (n,):
        raise ValueError(f"n_counted has {x.size} values for {n} stations")
    over = np.flatnonzero(matrix.sum(axis=0) > x)
    if over.size:
        raise ValueError(f"station {over[0] + 1}: party votes add up to more than n_counted")
    groups, missing = _strata_weights(n, strata, stratum_sizes, population_size)
    xf = x.astype(np.float64)
    parties = sorted(
        (_estimate(p, matrix[i].astype(np.float64), xf, groups) for i, p in enumerate(names)),
        key=lambda e: -e.share,
    )
    lead = None
    decided = False
    if len(parties) >= 2:
        first, second = parties[0].name, parties[1].name
        diff = (matrix[names.index(first)] - matrix[names.index(second)]).astype(np.float64)
        lead = _estimate(f"{first} − {second}", diff, xf, groups)
        decided = (lead.share - lead.margin99 > 0 and groups.plan.estimable
                   and not groups.plan.every_stratum_one_station)
    turnout = None
    if n_registered is not None and n_ballots is not None:
        reg = np.asarray(n_registered, dtype=np.float64)
        bal = np.asarray(n_ballots, dtype=np.float64)
        if reg.shape != (n,) or bal.shape != (n,):
            raise ValueError("n_registered and n_ballots need one value per sampled station")
        turnout = _estimate("turnout", bal, reg, groups)
    design = "stratified" if strata is not None else "simple random"
    lines = [
        f"{p.name}: {100 * p.share:.2f} % ± {100 * p.margin95:.2f} (95 %)" for p in parties
    ]
    if lead is not None:
        verdict = "decided" if decided else "too close to call"
        lines.append(
            f"lead {100 * lead.share:.2f} points ± {100 * lead.margin99:.2f} (99 %): {verdict}"
        )
    if missing:
        lines.append(f"no report yet from strata: {', '.join(map(str, missing))}")
    plan = groups.plan
    if not plan.estimable:
        lines.append("the margins cannot be estimated from a single station outside the fully "
                     "reported strata (shown as 0): not a result to quote")
    elif plan.every_stratum_one_station:
        lines.append("every stratum has one station: the margins rest on pairs of strata "
                     "collapsed together and cannot support a decision")
    if plan.collapsed:
        pairs = "; ".join(" + ".join(map(str, g)) for g in plan.collapsed)
        lines.append(f"strata with one station collapsed with a neighbour for the margins "
                     f"(conservative): {pairs}")
    return QuickCountResult(
        n_stations=n,
        design=design,
        parties=tuple(parties),
        lead=lead,
        decided=decided,
        turnout=turnout,
        strata_missing=missing,
        strata_collapsed=plan.collapsed,
        variance_estimable=plan.estimable,
        decision_possible=plan.estimable and not plan.every_stratum_one_station,
        explanation=f"Quick count from {n:,} sampled stations ({design} design). "
        + "; ".join(lines) + ".",
    )


def convergence(
    votes: Mapping[str, Counts],
    n_counted: Counts | None = None,
    *,
    steps: Sequence[int] | None = None,
    strata: Sequence[Hashable] | np.ndarray | None = None,
    stratum_sizes: Sizes | None = None,
    population_size: int | None = None,
) -> list[ConvergenceStep]:
    """Estimates after the first k reports (in the given arrival order), k increasing.

    ``steps`` defaults to 10, 20, 50, 100, 200, 500, ... up to and including all reports.
    Strata with no report yet are left out of the estimate at that step (their stations are
    not represented), so early stratified steps can be biased: watch ``strata_missing``.
    """
    names = list(votes)
    n = len(np.asarray(votes[names[0]]))
    if steps is None:
        steps, base = [], 10
        while base < n:
            steps.extend(k for k in (base, 2 * base, 5 * base) if k < n)
            base *= 10
        steps.append(n)
    out = []
    for k in sorted(set(int(s) for s in steps)):
        if not 1 <= k <= n:
            raise ValueError(f"step {k} is outside 1..{n}")
        sub = {p: np.asarray(votes[p])[:k] for p in names}
        result = quick_count(
            sub,
            None if n_counted is None else np.asarray(n_counted)[:k],
            strata=None if strata is None else list(strata)[:k],
            stratum_sizes=stratum_sizes,
            population_size=population_size,
        )
        out.append(
            ConvergenceStep(
                k,
                {p.name: p.share for p in result.parties},
                {p.name: p.margin95 for p in result.parties},
                result.strata_missing,
            )
        )
    return out
