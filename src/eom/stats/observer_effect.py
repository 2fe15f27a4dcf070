"""The observer effect: official results at polling stations the mission observed against those
it did not, compared within strata.

Method after Enikolopov, Korovkin, Petrova, Sonin & Zakharov, "Field experiment estimate of
electoral fraud in Russian parliamentary elections", *PNAS* 110(2), 448–452 (2013): on
4 December 2011, observers were sent at random to 156 of Moscow's 3,164 polling stations;
from the difference between stations with and without them, the authors put United Russia's
true share at least 11 points below the official count (36 % instead of 47 %). The name is
S. D. Hyde's ("The observer effect in international politics: evidence from a natural
experiment", *World Politics* 60(1), 37–63, 2007, on Armenia 2003).

Inputs, one element per polling station: ``observed`` (0/1), ``strata`` (a label per station),
``n_registered``, ``n_ballots`` (ballots issued), ``n_leader`` (the leader's votes) and
``n_counted`` (valid + invalid ballots). Integer counts; ValueError naming the field otherwise.

Measures, **per station** (the paper's unit is the polling station, so every station counts
once, whatever its size): turnout y = n_ballots / n_registered (stations with no registered
voter left out of it) and the leader's share y = n_leader / n_counted (stations with no ballot
counted left out of it). Means are means of these station ratios, not ratios of sums.

Estimator (post-stratification; Cochran, *Sampling Techniques*, 3rd ed., 1977, ch. 5, §5.3
for the stratified mean and its variance; Imbens & Rubin, *Causal Inference for Statistics,
Social, and Biomedical Sciences*, 2015, ch. 9 for the stratified two-sample difference and
Neyman's conservative variance):

    d = Σ_h w_h (ȳ_obs,h − ȳ_un,h),        w_h = n_obs,h / Σ_k n_obs,k
    v(d) = Σ_h w_h² (s²_obs,h / n_obs,h + s²_un,h / n_un,h)
    95 % interval: d ± 1.96 √v(d)

Weights by **observed stations** (not by all stations of the stratum): the question is what
the figures were where the mission stood against what they were, in the same kind of place,
where it did not — the effect on the observed stations (the "average effect on the treated",
Imbens & Rubin 2015, ch. 17, subclassification with weights N_t(j)/N_t). So the observed mean
is the plain mean of the observed stations of the strata used, and the unobserved mean is the
unobserved stations' stratum means re-weighted to the observed stations' mix of strata;
``difference`` = observed mean − unobserved mean. Weights by all stations would estimate the
effect on every station of the country, leaning on strata where the mission saw a handful.

Strata:
- a stratum with no station on one side (of a measure) gives no comparison: it is **dropped**
  and named (``strata_dropped``);
- a side of **one** station has no sample variance: it is given the largest within-stratum
  variance of that measure found on any side of two or more stations (conservative: the widest
  spread seen), and the stratum is named (``strata_single``). If no side anywhere has two
  stations, there is no standard error and no interval.

The variance ignores the finite-population correction (conservative) and treats the weights as
fixed. The interval is the normal one; with few stations per stratum it is optimistic.
Stratum labels are strings; :func:`size_bands` gives size bands (registered voters in
quantiles) to cross with regions (:func:`cross`).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._special import z_for

Z95 = z_for(0.95)

MEASURES = ("turnout", "leader_share")


@dataclass(frozen=True)
class StratumComparison:
    """One stratum of a measure: stations and mean (a ratio, 0–1) on each side."""

    label: str
    n_observed: int
    n_unobserved: int
    mean_observed: float | None
    mean_unobserved: float | None
    weight: float  # 0 for a dropped stratum


@dataclass(frozen=True)
class MeasureEffect:
    """Observed against unobserved stations for one measure (ratios 0–1; the difference in
    ratio points: × 100 for percentage points)."""

    name: str  # "turnout" or "leader_share"
    n_observed: int  # stations of the strata used
    n_unobserved: int
    mean_observed: float | None
    mean_unobserved: float | None
    difference: float | None
    standard_error: float | None
    interval: tuple[float, float] | None
    strata_used: tuple[str, ...]
    strata_dropped: tuple[str, ...]  # no station on one side
    strata_single: tuple[str, ...]  # one station on a side: variance borrowed
    n_dropped_observed: int  # stations of the dropped strata, on each side
    n_dropped_unobserved: int
    strata: tuple[StratumComparison, ...]

    @property
    def found(self) -> bool:
        """True when the 95 % interval excludes zero."""
        return self.interval is not None and (self.interval[0] > 0 or self.interval[1] < 0)


@dataclass(frozen=True)
class ObserverEffect:
    n_stations: int
    n_observed: int
    n_unobserved: int
    randomised: bool
    turnout: MeasureEffect
    leader_share: MeasureEffect
    explanation: str
    caveats: tuple[str, ...]

    @property
    def measures(self) -> tuple[MeasureEffect, MeasureEffect]:
        return (self.turnout, self.leader_share)

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for name in MEASURES:
            out[name]["found"] = getattr(self, name).found
        return out


def _counts(name: str, values: ArrayLike, n: int | None) -> np.ndarray:
    array = np.asarray(values)
    if array.dtype == bool:
        array = array.astype(np.int64)
    if array.ndim != 1:
        raise ValueError(f"{name}: expected one value per polling station")
    if n is not None and array.size != n:
        raise ValueError(f"{name}: {array.size} values for {n} polling stations")
    if array.size and not np.issubdtype(array.dtype, np.integer):
        if not np.issubdtype(array.dtype, np.number) or not np.all(array == np.round(array)):
            raise ValueError(f"{name}: counts must be whole numbers")
    array = array.astype(np.int64)
    negative = np.flatnonzero(array < 0)
    if negative.size:
        raise ValueError(f"{name}: station {negative[0] + 1} has {array[negative[0]]}, "
                         "a negative count")
    return array


def size_bands(n_registered: ArrayLike, n_bands: int = 4) -> tuple[np.ndarray, tuple[int, ...]]:
    """Each station's size band (0 … n_bands − 1) by quantiles of its registered voters, and
    the band edges (n_bands + 1 integers: band b holds edges[b] ≤ n_registered < edges[b + 1],
    the last band including its upper edge). Equal edges (many stations of one size) merge
    bands, so fewer bands than asked may be used."""
    reg = _counts("n_registered", n_registered, None)
    if n_bands < 1:
        raise ValueError("n_bands: at least 1")
    if reg.size == 0:
        return np.zeros(0, dtype=np.int64), (0, 0)
    edges = np.unique(np.quantile(reg, np.linspace(0, 1, n_bands + 1),
                                  method="inverted_cdf").astype(np.int64))
    inner = edges[1:-1]
    bands = np.searchsorted(inner, reg, side="right")
    return bands.astype(np.int64), tuple(int(e) for e in edges)


def cross(*labels: Sequence[object]) -> list[str]:
    """Strata crossed: station i's label is its labels joined with " · "."""
    if not labels:
        raise ValueError("cross: at least one list of labels")
    n = len(labels[0])
    if any(len(part) != n for part in labels):
        raise ValueError("cross: the lists of labels must have equal length")
    return [" · ".join(str(part[i]) for part in labels) for i in range(n)]


def _measure(name: str, values: np.ndarray, keep: np.ndarray, observed: np.ndarray,
             strata: np.ndarray, labels: list[str]) -> MeasureEffect:
    rows = []  # (label, n1, n0, mean1, mean0, var1 | None, var0 | None)
    variances = []
    for h, label in enumerate(labels):
        here = keep & (strata == h)
        one, zero = values[here & observed], values[here & ~observed]
        var1 = float(one.var(ddof=1)) if one.size >= 2 else None
        var0 = float(zero.var(ddof=1)) if zero.size >= 2 else None
        variances += [v for v in (var1, var0) if v is not None]
        rows.append((label, one.size, zero.size, float(one.mean()) if one.size else None,
                     float(zero.mean()) if zero.size else None, var1, var0))
    used = [r for r in rows if r[1] and r[2]]
    dropped = [r for r in rows if (r[1] or r[2]) and not (r[1] and r[2])]
    n1 = sum(r[1] for r in used)
    widest = max(variances) if variances else None
    weights = {r[0]: r[1] / n1 for r in used} if n1 else {}
    single = tuple(r[0] for r in used if r[1] == 1 or r[2] == 1)
    mean1 = mean0 = diff = se = None
    interval = None
    if used:
        mean1 = sum(weights[r[0]] * r[3] for r in used)
        mean0 = sum(weights[r[0]] * r[4] for r in used)
        diff = mean1 - mean0
        if widest is not None:
            v = sum(weights[r[0]] ** 2 * ((widest if r[5] is None else r[5]) / r[1]
                                          + (widest if r[6] is None else r[6]) / r[2])
                    for r in used)
            se = float(np.sqrt(v))
            interval = (diff - Z95 * se, diff + Z95 * se)
    return MeasureEffect(
        name=name, n_observed=n1, n_unobserved=sum(r[2] for r in used),
        mean_observed=mean1, mean_unobserved=mean0, difference=diff, standard_error=se,
        interval=interval, strata_used=tuple(r[0] for r in used),
        strata_dropped=tuple(r[0] for r in dropped), strata_single=single,
        n_dropped_observed=sum(r[1] for r in dropped),
        n_dropped_unobserved=sum(r[2] for r in dropped),
        strata=tuple(StratumComparison(r[0], r[1], r[2], r[3], r[4], weights.get(r[0], 0.0))
                     for r in rows if r[1] or r[2]),
    )


CAVEAT_NOT_RANDOM = (
    "The teams were not sent to stations at random: where a mission goes depends on access, "
    "distance and the places it chose to watch, so the stations observed may differ from the "
    "others in ways the strata (region, size) do not capture. The difference need not be "
    "caused by the observers.")
CAVEAT_RANDOM = (
    "The stations observed were drawn at random within their strata, so, within a stratum, "
    "observed and unobserved stations differ only by chance and by the observers' presence "
    "(as in Enikolopov et al. 2013); teams that did not reach their stations weaken this.")
CAVEATS = (
    "A difference is not proof of fraud: observers can change how a station works for honest "
    "reasons (a stricter procedure, a slower count), and it says nothing about which station "
    "was falsified.",
    "No difference does not prove a clean count: falsification at a higher level (the "
    "tabulation) touches observed and unobserved stations alike and does not show here.",
    "The unit is the polling station: the means are of station turnouts and shares, each "
    "station counting once whatever its size, so they differ from the national percentages.",
)


def observer_effect(observed: ArrayLike, strata: Iterable[Hashable], n_registered: ArrayLike,
                    n_ballots: ArrayLike, n_leader: ArrayLike, n_counted: ArrayLike, *,
                    randomised: bool = False) -> ObserverEffect:
    """Compare the official results of observed and unobserved polling stations within strata
    (see the module docstring). ``observed``: 0/1 per station; ``strata``: a label per
    station; ``randomised``: whether the observed stations were drawn at random (it changes
    the first caveat, not the figures). Raises ValueError naming the field at fault."""
    flags = _counts("observed", observed, None)
    n = int(flags.size)
    if n == 0:
        raise ValueError("observed: no polling station")
    bad = np.flatnonzero(flags > 1)
    if bad.size:
        raise ValueError(f"observed: station {bad[0] + 1} has {flags[bad[0]]}, not 0 or 1")
    labels_in = [str(s) for s in strata]
    if len(labels_in) != n:
        raise ValueError(f"strata: {len(labels_in)} labels for {n} polling stations")
    reg = _counts("n_registered", n_registered, n)
    bal = _counts("n_ballots", n_ballots, n)
    lead = _counts("n_leader", n_leader, n)
    cnt = _counts("n_counted", n_counted, n)
    over = np.flatnonzero(lead > cnt)
    if over.size:
        raise ValueError(f"n_leader: station {over[0] + 1} gives the leader {lead[over[0]]} "
                         f"votes of {cnt[over[0]]} ballots counted")
    is_observed = flags == 1
    if not is_observed.any():
        raise ValueError("observed: no station is marked observed (1)")
    if is_observed.all():
        raise ValueError("observed: every station is marked observed; nothing to compare with")
    uniques, index = np.unique(np.array(labels_in, dtype=object), return_inverse=True)
    labels = [str(x) for x in uniques]
    index = np.asarray(index).reshape(-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        turnout = np.where(reg > 0, bal / np.maximum(reg, 1), 0.0)
        share = np.where(cnt > 0, lead / np.maximum(cnt, 1), 0.0)
    t = _measure("turnout", turnout, reg > 0, is_observed, index, labels)
    s = _measure("leader_share", share, cnt > 0, is_observed, index, labels)
    n1 = int(is_observed.sum())
    return ObserverEffect(
        n_stations=n, n_observed=n1, n_unobserved=n - n1, randomised=randomised,
        turnout=t, leader_share=s, explanation=_explain(t, s, n1, n - n1),
        caveats=((CAVEAT_RANDOM if randomised else CAVEAT_NOT_RANDOM), *CAVEATS),
    )


def _points(x: float) -> str:
    return f"{100 * x:+.1f}"


def _explain(t: MeasureEffect, s: MeasureEffect, n1: int, n0: int) -> str:
    parts = [f"{n1:,} polling stations observed, {n0:,} not."]
    for m, what in ((t, "Turnout"), (s, "The leader's share")):
        if m.difference is None or m.mean_observed is None or m.mean_unobserved is None:
            parts.append(f"{what}: no stratum has stations on both sides; nothing to compare.")
            continue
        line = (f"{what} averaged {100 * m.mean_observed:.1f} % at the {m.n_observed:,} observed "
                f"stations and {100 * m.mean_unobserved:.1f} % at the {m.n_unobserved:,} "
                f"unobserved stations of the same strata: a difference of "
                f"{_points(m.difference)} points")
        if m.interval is None:
            line += " (no interval: no side of a stratum has two stations)."
        else:
            low, high = m.interval
            line += (f" (95 % interval {_points(low)} to {_points(high)}), "
                     + ("which excludes zero." if m.found else "which includes zero."))
        if m.strata_single:
            line += (f" {len(m.strata_single)} strata have one station on a side; it is given "
                     "the widest spread seen in any stratum.")
        if m.strata_dropped:
            line += (f" {len(m.strata_dropped)} strata with stations on one side only were "
                     f"left out: {', '.join(m.strata_dropped)}.")
        parts.append(line)
    return " ".join(parts)
