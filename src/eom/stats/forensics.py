"""Statistical checks on per-polling-station official results ("election forensics").

Every function takes plain integer arrays, one element per polling station:
``n_registered`` (voters on the list), ``n_ballots`` (ballots issued: the turnout numerator),
``n_leader`` (votes for the leader) and ``n_counted`` (valid + invalid ballots: the leader-share
denominator). Each returns a frozen dataclass with the figures, a plain-language
``explanation`` and ``caveats``. None of them proves fraud; each says where to look.

- :func:`headline` — turnout and the leader's share, as the election commission computes them.
- :func:`shpilkin_estimate` — anomalous votes from the turnout distribution (Shpilkin 2011).
- :func:`benford_second_digit` — second-digit test (Mebane 2006, 2011).
- :func:`turnout_slope` — leader votes per registered voter regressed on turnout
  (Sobyanin & Sukhovolsky 1993; Myagkov, Ordeshook & Shakin 2009).
- :func:`summary` — all of the above plus integer percentages and the fingerprint.
- :func:`flags` — for each check, whether its figure crosses the line drawn here between
  "nothing unusual" and "look closer" (the thresholds are module constants, stated with
  each flag).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._special import chi2_sf
from .fingerprint import fingerprint
from .integer_percent import IntegerPercentResult, integer_percentages
from .notes import NOTE_FIELDS, Note, note, sentence


def _arrays(
    n_registered: ArrayLike, n_ballots: ArrayLike, n_leader: ArrayLike, n_counted: ArrayLike | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    reg = np.asarray(n_registered, dtype=np.int64)
    bal = np.asarray(n_ballots, dtype=np.int64)
    lead = np.asarray(n_leader, dtype=np.int64)
    cnt = bal if n_counted is None else np.asarray(n_counted, dtype=np.int64)
    if not reg.shape == bal.shape == lead.shape == cnt.shape:
        raise ValueError("station arrays must have equal length")
    return reg, bal, lead, cnt


@dataclass(frozen=True)
class Headline:
    """National totals (integers) and the two published percentages (floats, in %)."""

    n_stations: int
    n_registered: int
    n_ballots: int
    n_counted: int
    n_leader: int
    turnout_percent: float
    leader_percent: float
    explanation: str
    explanation_notes: tuple[Note, ...] = ()  # the explanation as data (notes.py)


def headline(n_registered: ArrayLike, n_ballots: ArrayLike, n_leader: ArrayLike,
             n_counted: ArrayLike | None = None) -> Headline:
    """Turnout = Σ ballots issued / Σ registered; leader = Σ leader / Σ counted, both in %."""
    reg, bal, lead, cnt = _arrays(n_registered, n_ballots, n_leader, n_counted)
    totals = [int(a.sum()) for a in (reg, bal, cnt, lead)]
    turnout = 100.0 * totals[1] / totals[0] if totals[0] else 0.0
    share = 100.0 * totals[3] / totals[2] if totals[2] else 0.0
    explained = (note(
        "headline",
        "{issued:,} of {registered:,} registered voters received a ballot (turnout "
        "{turnout:.2f} %); the leader won {leader:,} of {counted:,} ballots counted "
        "({share:.2f} %).",
        issued=totals[1], registered=totals[0], turnout=turnout, leader=totals[3],
        counted=totals[2], share=share),)
    return Headline(int(reg.size), totals[0], totals[1], totals[2], totals[3], turnout, share,
                    explanation=sentence(explained), explanation_notes=explained)


@dataclass(frozen=True)
class ShpilkinEstimate:
    """Anomalous leader votes (estimate) and the results with them taken out (in %)."""

    mode_turnout_percent: int
    clean_ratio: float
    anomalous_votes: float
    clean_turnout_percent: float
    clean_leader_percent: float
    explanation: str
    caveats: tuple[str, ...]
    explanation_notes: tuple[Note, ...] = ()  # the explanation and caveats as data (notes.py)
    caveat_notes: tuple[Note, ...] = ()


def shpilkin_estimate(n_registered: ArrayLike, n_ballots: ArrayLike, n_leader: ArrayLike,
                      n_counted: ArrayLike | None = None) -> ShpilkinEstimate:
    """Estimate votes added to the leader, in the manner of S. Shpilkin (2011).

    Method (a simplified, documented version of Shpilkin's turnout-distribution argument):

    1. place stations in 1-point turnout bins and find the modal turnout of voters (bins
       weighted by registered voters, smoothed over three bins so that integer peaks do not
       decide it);
    2. at stations at or below the mode, the ratio r = Σ leader / Σ others (others = counted −
       leader) is taken as the honest ratio;
    3. above the mode, the leader is expected to get r × others in each bin; what the leader
       got beyond that (bins with a shortfall count as zero) is "anomalous";
    4. anomalous votes are assumed to have been added as extra ballots, so they are removed
       from both turnout and the leader's total for the "clean" figures.

    Assumptions: the other parties' votes were not touched; without manipulation the leader's
    lead over the others would not depend on turnout; the lower half of the turnout
    distribution is honest. Each is arguable; the figure is an order of magnitude.
    """
    reg, bal, lead, cnt = _arrays(n_registered, n_ballots, n_leader, n_counted)
    keep = (reg > 0) & (cnt > 0) & (bal <= reg)
    reg, bal, lead, cnt = reg[keep], bal[keep], lead[keep], cnt[keep]
    bins = np.minimum((100 * bal) // np.maximum(reg, 1), 99)
    voters = np.bincount(bins, weights=reg, minlength=100)
    smooth = np.convolve(voters, np.ones(3) / 3.0, mode="same")
    mode = int(np.argmax(smooth))
    others = cnt - lead
    low = bins <= mode
    ratio = float(lead[low].sum() / max(int(others[low].sum()), 1))
    lead_bin = np.bincount(bins, weights=lead, minlength=100)
    others_bin = np.bincount(bins, weights=others, minlength=100)
    extra = np.maximum(lead_bin - ratio * others_bin, 0.0)
    extra[: mode + 1] = 0.0
    anomalous = float(extra.sum())
    total_reg = int(reg.sum())
    clean_turnout = 100.0 * (bal.sum() - anomalous) / total_reg if total_reg else 0.0
    clean_counted = cnt.sum() - anomalous
    clean_share = 100.0 * (lead.sum() - anomalous) / clean_counted if clean_counted else 0.0
    explained = (note(
        "shpilkin",
        "Most voters live where turnout is about {mode} %. Where turnout is at or below that, "
        "the leader got {ratio:.2f} votes for every vote cast otherwise. Above it the leader "
        "got {anomalous:,.0f} votes more than that ratio gives. If those were added ballots, "
        "turnout would be {clean_turnout:.1f} % and the leader's share {clean_share:.1f} %.",
        mode=mode, ratio=ratio, anomalous=anomalous, clean_turnout=float(clean_turnout),
        clean_share=float(clean_share)),)
    caveat_notes = (
        note("shpilkin.caveat.real_support",
             "Assumes the leader's support does not genuinely rise with turnout; where keen "
             "supporters turn out more (or rural areas vote both more and for the leader), "
             "part of the 'anomalous' votes are real."),
        note("shpilkin.caveat.added_only",
             "Assumes only ballots for the leader were added, never votes moved from others."),
        note("shpilkin.caveat.magnitude",
             "An order-of-magnitude estimate, not a count of falsified ballots."),
    )
    return ShpilkinEstimate(
        mode_turnout_percent=mode,
        clean_ratio=ratio,
        anomalous_votes=anomalous,
        clean_turnout_percent=float(clean_turnout),
        clean_leader_percent=float(clean_share),
        explanation=sentence(explained),
        caveats=tuple(n.text for n in caveat_notes),
        explanation_notes=explained,
        caveat_notes=caveat_notes,
    )


# Expected second-digit frequencies under Benford's law: q_d = Σ_{k=1..9} log10(1 + 1/(10k + d)).
BENFORD_SECOND = np.array(
    [sum(math.log10(1 + 1 / (10 * k + d)) for k in range(1, 10)) for d in range(10)]
)


@dataclass(frozen=True)
class BenfordSecondDigit:
    """Second-digit counts (integers), χ² test and mean second digit with a bootstrap interval."""

    n_counts: int
    observed: tuple[int, ...]
    expected: tuple[float, ...]
    chi2: float
    p_value: float
    mean_digit: float
    expected_mean: float
    mean_interval: tuple[float, float]
    explanation: str
    caveats: tuple[str, ...]
    explanation_notes: tuple[Note, ...] = ()  # the explanation and caveats as data (notes.py)
    caveat_notes: tuple[Note, ...] = ()


def second_digits(values: ArrayLike) -> np.ndarray:
    """Second significant digit of each value >= 10 (values under 10 are dropped)."""
    v = np.asarray(values, dtype=np.int64)
    v = v[v >= 10]
    while np.any(v >= 100):
        v = np.where(v >= 100, v // 10, v)
    digits: np.ndarray = v % 10
    return digits


def benford_second_digit(
    n_votes: ArrayLike, *, n_boot: int = 1000, seed: int | None = 0, confidence: float = 0.95
) -> BenfordSecondDigit:
    """Mebane's second-digit Benford test (2BL) on per-station vote counts.

    Input: vote counts per station (e.g. the leader's). Counts under 10 have no second digit
    and are dropped. Output: χ² with 9 degrees of freedom against the Benford frequencies and
    the mean second digit (Benford: 4.187) with a percentile bootstrap interval (``n_boot``
    resamples, seeded). Source: W. Mebane, "Election Forensics: Vote Counts and Benford's Law"
    (2006) and "Comment on 'Benford's Law and the Detection of Election Fraud'" (2011).
    """
    digits = second_digits(n_votes)
    n = int(digits.size)
    observed = np.bincount(digits, minlength=10)
    expected = BENFORD_SECOND * n
    chi2 = float(((observed - expected) ** 2 / np.where(expected > 0, expected, 1)).sum())
    p_value = chi2_sf(chi2, 9) if n else 1.0
    expected_mean = float((np.arange(10) * BENFORD_SECOND).sum())
    mean = float(digits.mean()) if n else float("nan")
    lo = hi = float("nan")
    if n:
        rng = np.random.default_rng(seed)
        # Resample digit counts (multinomial on observed frequencies): same as resampling stations.
        boot = rng.multinomial(n, observed / n, size=n_boot) @ np.arange(10) / n
        alpha = (1.0 - confidence) / 2.0
        lo, hi = (float(x) for x in np.quantile(boot, [alpha, 1.0 - alpha]))
    inside = lo <= expected_mean <= hi
    position = "inside" if inside else "outside"
    explained = (note(
        f"benford.{position}",
        "Second digits of {n:,} vote counts: χ² = {chi2:.1f} on 9 degrees of freedom "
        "(p = {p_value:.3g}); mean second digit {mean:.3f}, {confidence:.0f} % interval "
        "{low:.3f}–{high:.3f}, Benford's law expects {expected_mean:.3f} (" + position
        + " the interval).",
        n=n, chi2=chi2, p_value=float(p_value), mean=mean, confidence=100 * confidence,
        low=lo, high=hi, expected_mean=expected_mean),)
    caveat_notes = (
        note("benford.caveat.honest_counts",
             "Honest vote counts need not follow Benford's law: the digits depend on station "
             "size and on how many parties compete; departures are frequent in clean "
             "elections and absent in some rigged ones (Deckert, Myagkov & Ordeshook 2011)."),
        note("benford.caveat.size",
             "With tens of thousands of stations, tiny and meaningless departures are "
             "'significant': read the size of the departure, not only the p-value."),
    )
    return BenfordSecondDigit(
        n_counts=n,
        observed=tuple(int(x) for x in observed),
        expected=tuple(float(x) for x in expected),
        chi2=chi2,
        p_value=float(p_value),
        mean_digit=mean,
        expected_mean=expected_mean,
        mean_interval=(lo, hi),
        explanation=sentence(explained),
        caveats=tuple(n.text for n in caveat_notes),
        explanation_notes=explained,
        caveat_notes=caveat_notes,
    )


@dataclass(frozen=True)
class TurnoutSlope:
    """OLS slopes (floats) of leader and others' votes per registered voter on turnout."""

    n_stations: int
    leader_slope: float
    leader_slope_se: float
    leader_intercept: float
    others_slope: float
    others_slope_se: float
    explanation: str
    caveats: tuple[str, ...]
    explanation_notes: tuple[Note, ...] = ()  # the explanation and caveats as data (notes.py)
    caveat_notes: tuple[Note, ...] = ()


def _ols(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    n = x.size
    xm, ym = x.mean(), y.mean()
    sxx = float(((x - xm) ** 2).sum())
    slope = float(((x - xm) * (y - ym)).sum() / sxx) if sxx else float("nan")
    intercept = float(ym - slope * xm)
    resid = y - intercept - slope * x
    se = math.sqrt(float((resid**2).sum()) / (n - 2) / sxx) if n > 2 and sxx else float("nan")
    return slope, se, intercept


def turnout_slope(n_registered: ArrayLike, n_ballots: ArrayLike, n_leader: ArrayLike,
                  n_counted: ArrayLike | None = None) -> TurnoutSlope:
    """Regress leader votes / registered (and others' votes / registered) on turnout.

    Stations with at least 100 registered voters. If every extra voter split like the rest,
    the leader's slope would equal the leader's share and the others' slope the others' share.
    A leader slope near or above 1, with a flat or negative slope for the others, means the
    extra "turnout" went almost entirely to the leader — the pattern of ballot stuffing.
    Sources: Sobyanin & Sukhovolsky (1993); Myagkov, Ordeshook & Shakin, *The Forensics of
    Election Fraud* (Cambridge UP, 2009).
    """
    reg, bal, lead, cnt = _arrays(n_registered, n_ballots, n_leader, n_counted)
    keep = (reg >= 100) & (bal <= reg) & (cnt <= reg)
    reg, bal, lead, cnt = (a[keep].astype(np.float64) for a in (reg, bal, lead, cnt))
    x = bal / reg
    slope, se, intercept = _ols(x, lead / reg)
    o_slope, o_se, _ = _ols(x, (cnt - lead) / reg)
    explained = (note(
        "slope",
        "Across {n:,} stations, each additional voter turning out comes with {slope:.3f} votes "
        "for the leader (± {margin:.3f}) and {others:.3f} for all other parties together. "
        "Honest differences in turnout would split roughly like the overall result; a leader "
        "slope near 1 with the others flat or falling means the additional turnout went "
        "almost entirely to the leader.",
        n=int(keep.sum()), slope=slope, margin=1.96 * se, others=o_slope),)
    caveat_notes = (
        note("slope.caveat.ecological",
             "Ecological regression: where turnout is high for real reasons (rural areas, "
             "regions loyal to the leader) the slope rises without any fraud."),
        note("slope.caveat.regions", "Compare regions separately before drawing conclusions."),
    )
    return TurnoutSlope(
        n_stations=int(keep.sum()),
        leader_slope=slope,
        leader_slope_se=se,
        leader_intercept=intercept,
        others_slope=o_slope,
        others_slope_se=o_se,
        explanation=sentence(explained),
        caveats=tuple(n.text for n in caveat_notes),
        explanation_notes=explained,
        caveat_notes=caveat_notes,
    )


@dataclass(frozen=True)
class ForensicsSummary:
    """Every check on one results file; ``as_dict`` gives JSON-ready plain values."""

    headline: Headline
    integer_percent: IntegerPercentResult
    fingerprint_stations: int
    fingerprint_top_right_share: float
    fingerprint_explanation: str
    shpilkin: ShpilkinEstimate
    benford: BenfordSecondDigit
    slope: TurnoutSlope
    fingerprint_notes: tuple[Note, ...] = ()  # the fingerprint's explanation as data

    def as_dict(self) -> dict[str, Any]:
        plain: dict[str, Any] = _plain(asdict(self))
        return plain


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k not in NOTE_FIELDS}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def summary(
    n_registered: ArrayLike,
    n_ballots: ArrayLike,
    n_leader: ArrayLike,
    n_counted: ArrayLike | None = None,
    *,
    n_draws: int = 1000,
    seed: int = 20111204,
) -> ForensicsSummary:
    """Run every check; ``n_draws``/``seed`` drive the Monte Carlo null and the bootstrap."""
    fp = fingerprint(n_registered, n_ballots, n_leader, n_counted)
    return ForensicsSummary(
        headline=headline(n_registered, n_ballots, n_leader, n_counted),
        integer_percent=integer_percentages(
            n_registered, n_ballots, n_leader, n_counted, n_draws=n_draws, seed=seed
        ),
        fingerprint_stations=fp.stations_used,
        fingerprint_top_right_share=fp.share_in_top_right,
        fingerprint_explanation=fp.explanation,
        fingerprint_notes=fp.explanation_notes,
        shpilkin=shpilkin_estimate(n_registered, n_ballots, n_leader, n_counted),
        benford=benford_second_digit(n_leader, seed=seed),
        slope=turnout_slope(n_registered, n_ballots, n_leader, n_counted),
    )


# Where each check's figure calls for a closer look (see docs/statistics.md).
INTEGER_Z = 3.0  # integer-percentage excess of 3 null standard deviations or more
TOP_RIGHT_SHARE = 0.01  # over 1 % of stations above 90 % turnout and 90 % for the leader
SHPILKIN_SHARE = 0.05  # anomalous votes over 5 % of the leader's votes
SLOPE_LEADER = 0.8  # leader slope of 0.8 or more with the others' slope at or below 0


@dataclass(frozen=True)
class Flag:
    """One check's verdict: ``anomalous`` when ``figure`` crosses ``threshold``."""

    name: str
    anomalous: bool
    figure: float
    threshold: float
    criterion: str


def flags(result: ForensicsSummary) -> tuple[Flag, ...]:
    """Each check of a :class:`ForensicsSummary` against its threshold (module constants).

    A flag points the analyst to a figure; it is not a finding of fraud. An unflagged check
    says only that this figure shows nothing unusual.
    """
    ip = result.integer_percent
    lead_votes = result.headline.n_leader
    shpilkin_share = result.shpilkin.anomalous_votes / lead_votes if lead_votes else 0.0
    b = result.benford
    low, high = b.mean_interval
    slope = result.slope
    return (
        Flag("integer_percent", ip.stations_kept > 0 and ip.z_score >= INTEGER_Z, ip.z_score,
             INTEGER_Z, f"an excess of at least {INTEGER_Z:g} null standard deviations"),
        Flag("fingerprint", result.fingerprint_top_right_share > TOP_RIGHT_SHARE,
             result.fingerprint_top_right_share, TOP_RIGHT_SHARE,
             f"more than {100 * TOP_RIGHT_SHARE:g} % of stations above 90 % turnout and 90 % "
             "for the leader"),
        Flag("shpilkin", shpilkin_share > SHPILKIN_SHARE, shpilkin_share, SHPILKIN_SHARE,
             f"anomalous votes above {100 * SHPILKIN_SHARE:g} % of the leader's votes"),
        Flag("benford", bool(b.n_counts) and not low <= b.expected_mean <= high,
             b.mean_digit, b.expected_mean,
             "Benford's mean second digit outside the 95 % interval of the observed mean"),
        Flag("slope", slope.n_stations > 2 and slope.leader_slope >= SLOPE_LEADER
             and slope.others_slope <= 0, slope.leader_slope, SLOPE_LEADER,
             f"a leader slope of at least {SLOPE_LEADER:g} with the others' slope at or "
             "below 0"),
    )
