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
given. Margins are z·√v at 95 % and 99 %. The lead is the difference between the first two
shares, with its variance from e = (y₁ − y₂) − (R₁ − R₂) x. The result is "statistically
decided" when the 99 % interval of the lead excludes zero. Source for the approach: Estok,
Nevitte & Cowan, *The Quick Count and Election Observation* (NDI, 2002), ch. 5.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ._special import z_for

Z95 = z_for(0.95)
Z99 = z_for(0.99)


@dataclass(frozen=True)
class RatioEstimate:
    """A share (0–1) with standard error and margins (half-widths) at 95 % and 99 %."""

    name: str
    share: float
    standard_error: float
    margin95: float
    margin99: float

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


def _strata_weights(n, strata, stratum_sizes, population_size):
    """Return (labels array, list of (mask, N_h, n_h)), and the strata with no report."""
    if strata is None:
        size = population_size if population_size else None
        if size is not None and size < n:
            raise ValueError(f"population_size {size} is smaller than the sample {n}")
        return [(np.ones(n, dtype=bool), size, n)], ()
    labels = np.asarray(list(strata), dtype=object)
    if labels.size != n:
        raise ValueError(f"strata has {labels.size} labels for {n} stations")
    present = sorted(set(labels.tolist()), key=str)
    if stratum_sizes is None:
        raise ValueError("a stratified quick count needs stratum_sizes (stations per stratum)")
    unknown = [h for h in present if h not in stratum_sizes]
    if unknown:
        raise ValueError(f"stratum {unknown[0]!r} has no size in stratum_sizes")
    groups = []
    for h in present:
        mask = labels == h
        nh = int(mask.sum())
        if stratum_sizes[h] < nh:
            raise ValueError(f"stratum {h!r}: {nh} stations sampled but only {stratum_sizes[h]}")
        groups.append((mask, int(stratum_sizes[h]), nh))
    missing = tuple(sorted((h for h in stratum_sizes if h not in set(present)), key=str))
    return groups, missing


def _ratio(y: np.ndarray, x: np.ndarray, groups) -> tuple[float, float]:
    """Combined ratio estimate Σ N_h ȳ_h / Σ N_h x̄_h and its linearised variance."""
    y_hat = x_hat = 0.0
    for mask, big_n, nh in groups:
        scale = big_n if big_n else nh
        y_hat += scale * y[mask].mean()
        x_hat += scale * x[mask].mean()
    if x_hat <= 0:
        return 0.0, 0.0
    r = y_hat / x_hat
    v = 0.0
    for mask, big_n, nh in groups:
        if nh < 2:
            continue
        scale = big_n if big_n else nh
        fpc = 1.0 - nh / big_n if big_n else 1.0
        e = y[mask] - r * x[mask]
        v += scale * scale * fpc * e.var(ddof=1) / nh
    return float(r), float(v / (x_hat * x_hat))


def _estimate(name, y, x, groups) -> RatioEstimate:
    r, v = _ratio(y, x, groups)
    se = math.sqrt(max(v, 0.0))
    return RatioEstimate(name, r, se, Z95 * se, Z99 * se)


def quick_count(
    votes: Mapping[str, Sequence[int]],
    n_counted: Sequence[int] | None = None,
    *,
    strata: Sequence[Hashable] | None = None,
    stratum_sizes: Mapping[Hashable, int] | None = None,
    population_size: int | None = None,
    n_registered: Sequence[int] | None = None,
    n_ballots: Sequence[int] | None = None,
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
        decided = lead.share - lead.margin99 > 0
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
    return QuickCountResult(
        n_stations=n,
        design=design,
        parties=tuple(parties),
        lead=lead,
        decided=decided,
        turnout=turnout,
        strata_missing=missing,
        explanation=f"Quick count from {n:,} sampled stations ({design} design). "
        + "; ".join(lines) + ".",
    )


def convergence(
    votes: Mapping[str, Sequence[int]],
    n_counted: Sequence[int] | None = None,
    *,
    steps: Sequence[int] | None = None,
    strata: Sequence[Hashable] | None = None,
    stratum_sizes: Mapping[Hashable, int] | None = None,
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
