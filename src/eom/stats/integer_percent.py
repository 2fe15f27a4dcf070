"""Integer-percentage anomaly (Kobak, Shpilkin & Pshenichnikov, Annals of Applied Statistics 10(1),
2016, "Integer percentages as electoral falsification fingerprints"; Significance 2016, 2018).

When results are written down rather than counted, round figures appear: stations whose turnout
or leader's result is a whole percentage (70.00 %, 85.00 %) are more common than chance allows.

Inputs (per polling station, equal-length integer arrays): ``n_registered``, ``n_ballots``
(ballots issued: the turnout numerator), ``n_leader`` (votes for the leader) and ``n_counted``
(valid + invalid ballots: the leader-share denominator; defaults to ``n_ballots``).

Procedure, as in the data README (shared/data/README.md) and the papers:

1. keep stations with registered >= 100, ballots > 0, counted > 0, turnout <= 99 % and leader
   result <= 99 %;
2. a value k/n is "integer" when 100·k/n lies within 0.05 percentage points of a whole number
   (|100k/n − round(100k/n)| <= 0.05, evaluated exactly in integers: 20·min(100k mod n,
   n − 100k mod n) <= n); a station is integer when its turnout OR its leader result is;
3. null model: ballots ~ Binomial(registered, observed turnout) and leader votes ~
   Binomial(counted, observed leader result), drawn independently per station;
4. the null mean is computed exactly (Poisson-binomial: Σ P_i with P_i = pT + pL − pT·pL, the
   binomial probability of an integer turnout or an integer leader result; variance Σ P_i(1−P_i))
   and by Monte Carlo (``n_draws`` draws from a seeded numpy Generator);
5. excess = observed count − null mean.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._special import log_factorials
from .notes import NOTE_FIELDS, Note, note, sentence

MIN_REGISTERED = 100
MAX_RATE = 0.99


@dataclass(frozen=True)
class IntegerPercentResult:
    """Counts are stations; ``null_*`` and ``excess*`` are estimates (floats)."""

    n_stations: int
    stations_kept: int
    observed: int
    null_mean: float
    null_sd: float
    excess: float
    mc_draws: int
    mc_seed: int | None
    mc_null_mean: float | None
    mc_null_sd: float | None
    mc_null_p999: float | None
    mc_excess: float | None
    z_score: float
    explanation: str
    caveats: tuple[str, ...]
    explanation_notes: tuple[Note, ...] = ()  # the explanation and caveats as data (notes.py)
    caveat_notes: tuple[Note, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in self.__dataclass_fields__ if k not in NOTE_FIELDS}
        out["caveats"] = list(self.caveats)
        return out


def is_integer_percent(k: np.ndarray, n: np.ndarray) -> np.ndarray:
    """True where 100·k/n is within 0.05 pp of a whole number (exact integer arithmetic; n > 0)."""
    k = np.asarray(k, dtype=np.int64)
    n = np.asarray(n, dtype=np.int64)
    r = np.mod(100 * k, n)
    near: np.ndarray = 20 * np.minimum(r, n - r) <= n
    return near


def kept_stations(n_registered: ArrayLike, n_ballots: ArrayLike, n_leader: ArrayLike,
                  n_counted: ArrayLike) -> np.ndarray:
    """Boolean mask of the stations the integer-percentage test uses (see module docstring)."""
    reg = np.asarray(n_registered, dtype=np.int64)
    bal = np.asarray(n_ballots, dtype=np.int64)
    lead = np.asarray(n_leader, dtype=np.int64)
    cnt = np.asarray(n_counted, dtype=np.int64)
    keep = (reg >= MIN_REGISTERED) & (bal > 0) & (cnt > 0)
    # turnout <= 99 %  <=>  100·ballots <= 99·registered (exact in integers)
    keep &= 100 * bal <= 99 * reg
    keep &= 100 * lead <= 99 * cnt
    keep &= lead <= cnt
    return keep


def integer_probability(n: np.ndarray, p: np.ndarray, *, chunk: int = 2048) -> np.ndarray:
    """P(100·X/n is within 0.05 pp of a whole number) for X ~ Binomial(n, p), per element.

    Sums the binomial pmf (from log-factorials) over the integer values only: for each whole
    percentage j whose band can meet the window ±(8 sd + 2) around n·p (the mass outside it
    is below 1e-14), the k with |2000·k − 20·j·n| <= n, i.e. k in
    [⌈(20j − 1)·n / 2000⌉, ⌊(20j + 1)·n / 2000⌋] — at most n // 1000 + 1 of them. That is about
    a tenth of the window's values. Vectorised in chunks of stations of like shape (values
    per band, then bands), so that little of each chunk is padding.
    """
    n = np.asarray(n, dtype=np.int64)
    p = np.clip(np.asarray(p, dtype=np.float64), 0.0, 1.0)
    out = np.zeros(n.size, dtype=np.float64)
    if n.size == 0:
        return out
    lf = log_factorials(int(n.max()))
    sd = np.sqrt(n * p * (1.0 - p))
    half = (np.ceil(8.0 * sd) + 2).astype(np.int64)
    centre = np.rint(n * p).astype(np.int64)
    n_safe = np.maximum(n, 1)
    low = np.maximum(centre - half, 0)
    high = np.minimum(centre + half, n)
    j_low = (100 * low) // n_safe
    j_high = np.minimum(-((-100 * high) // n_safe), 100)
    n_j = j_high - j_low + 1
    per_band = n // 1000 + 1
    log_p = np.log(np.maximum(p, 1e-300))
    log_q = np.log(np.maximum(1.0 - p, 1e-300))
    order = np.lexsort((n_j, per_band))  # chunks of like shape: little padding
    for start in range(0, n.size, chunk):
        idx = order[start : start + chunk]
        width, depth = int(n_j[idx].max()), int(per_band[idx].max())
        nn = n[idx, None]
        j = j_low[idx, None] + np.arange(width)[None, :]
        k_low = -((-(20 * j - 1) * nn) // 2000)
        k_high = ((20 * j + 1) * nn) // 2000
        k = k_low[:, :, None] + np.arange(depth)[None, None, :]
        n3 = nn[:, :, None]
        valid = (k <= k_high[:, :, None]) & (k >= 0) & (k <= n3) & (j <= j_high[idx, None])[
            :, :, None]
        kk = np.clip(k, 0, n3)
        log_pmf = (
            lf[n3] - lf[kk] - lf[n3 - kk]
            + np.where(kk > 0, kk * log_p[idx, None, None], 0.0)
            + np.where(n3 - kk > 0, (n3 - kk) * log_q[idx, None, None], 0.0)
        )
        out[idx] = np.where(valid, np.exp(log_pmf), 0.0).sum(axis=(1, 2))
    out[n == 0] = 1.0  # 0 of 0 ballots: no percentage; never kept by the test
    return np.minimum(out, 1.0)


def monte_carlo_null(n_registered: ArrayLike, n_ballots: ArrayLike, n_leader: ArrayLike,
                     n_counted: ArrayLike | None = None, *, n_draws: int = 1000,
                     seed: int | None = 20111204) -> np.ndarray:
    """Integer stations in each of ``n_draws`` elections drawn from the null model (step 3 of
    the module docstring), on the stations the test keeps: an int64 array of ``n_draws``
    counts. The same draws as :func:`integer_percentages` for the same seed."""
    reg = np.asarray(n_registered, dtype=np.int64)
    bal = np.asarray(n_ballots, dtype=np.int64)
    lead = np.asarray(n_leader, dtype=np.int64)
    cnt = bal if n_counted is None else np.asarray(n_counted, dtype=np.int64)
    keep = kept_stations(reg, bal, lead, cnt)
    return _monte_carlo(reg[keep], bal[keep], cnt[keep], lead[keep], n_draws, seed)


def _monte_carlo(reg: np.ndarray, bal: np.ndarray, cnt: np.ndarray, lead: np.ndarray,
                 n_draws: int, seed: int | None, batch: int = 25) -> np.ndarray:
    rng = np.random.default_rng(seed)
    turnout = bal / reg
    share = lead / cnt
    counts = np.empty(n_draws, dtype=np.int64)
    for start in range(0, n_draws, batch):
        size = min(batch, n_draws - start)
        b = rng.binomial(reg, turnout, size=(size, reg.size))
        v = rng.binomial(cnt, share, size=(size, reg.size))
        hit = is_integer_percent(b, reg) | is_integer_percent(v, cnt)
        counts[start : start + size] = hit.sum(axis=1)
    return counts


def integer_percentages(
    n_registered: ArrayLike,
    n_ballots: ArrayLike,
    n_leader: ArrayLike,
    n_counted: ArrayLike | None = None,
    *,
    n_draws: int = 1000,
    seed: int | None = 20111204,
) -> IntegerPercentResult:
    """Count stations with an integer turnout or leader result and compare with the null model.

    Output: :class:`IntegerPercentResult` (exact null mean/sd, Monte Carlo null with ``n_draws``
    seeded draws unless ``n_draws`` is 0, excess over each). Source: Kobak et al. 2016.
    """
    reg = np.asarray(n_registered, dtype=np.int64)
    bal = np.asarray(n_ballots, dtype=np.int64)
    lead = np.asarray(n_leader, dtype=np.int64)
    cnt = bal if n_counted is None else np.asarray(n_counted, dtype=np.int64)
    if not reg.shape == bal.shape == lead.shape == cnt.shape:
        raise ValueError("n_registered, n_ballots, n_leader and n_counted must have equal length")
    keep = kept_stations(reg, bal, lead, cnt)
    reg, bal, lead, cnt = reg[keep], bal[keep], lead[keep], cnt[keep]
    observed = int((is_integer_percent(bal, reg) | is_integer_percent(lead, cnt)).sum())
    p_turnout = integer_probability(reg, bal / np.maximum(reg, 1))
    p_leader = integer_probability(cnt, lead / np.maximum(cnt, 1))
    p_any = p_turnout + p_leader - p_turnout * p_leader
    null_mean = float(p_any.sum())
    null_sd = float(np.sqrt((p_any * (1.0 - p_any)).sum()))
    excess = observed - null_mean
    mc_mean = mc_sd = mc_p999 = mc_excess = None
    if n_draws > 0 and reg.size:
        counts = _monte_carlo(reg, bal, cnt, lead, n_draws, seed)
        mc_mean = float(counts.mean())
        mc_sd = float(counts.std(ddof=1)) if n_draws > 1 else 0.0
        mc_p999 = float(np.quantile(counts, 0.999))
        mc_excess = observed - mc_mean
    z = excess / null_sd if null_sd > 0 else 0.0
    kept = int(keep.sum())
    explained = (note(
        "integer_percent",
        "Of {kept:,} polling stations with at least {min_registered} registered voters, "
        "{observed:,} reported a turnout or a leader result within 0.05 points of a whole "
        "percentage. If the counts were honest tallies, about {null_mean:,.0f} "
        "(± {null_sd:,.0f}) would do so by chance; the excess of {excess:,.0f} stations is "
        "{z:.1f} standard deviations. Round percentages are what one expects when figures are "
        "written to a target rather than counted.",
        kept=kept, min_registered=MIN_REGISTERED, observed=observed, null_mean=null_mean,
        null_sd=null_sd, excess=float(excess), z=float(z)),)
    caveat_notes = (
        note("integer_percent.caveat.not_which",
             "An excess shows that some protocols were probably not the result of a count; it "
             "does not say which stations, nor how many votes were involved."),
        note("integer_percent.caveat.small_stations",
             "Small stations land on whole percentages more often by chance (few possible "
             "values); the null model accounts for this, but stations under {min_registered} "
             "voters are left out.", min_registered=MIN_REGISTERED),
        note("integer_percent.caveat.true_rate",
             "The null model treats each station's observed turnout and result as its true "
             "rate; genuine urban/rural or regional differences do not affect it, but rounding "
             "by honest officials (e.g. reporting 1,000 registered voters) would."),
        note("integer_percent.caveat.above_99",
             "Stations at turnout or result above 99 % are excluded (100 % is trivially "
             "integer)."),
    )
    explanation = sentence(explained)
    caveats = tuple(n.text for n in caveat_notes)
    return IntegerPercentResult(
        n_stations=int(keep.size),
        stations_kept=kept,
        observed=observed,
        null_mean=null_mean,
        null_sd=null_sd,
        excess=float(excess),
        mc_draws=int(n_draws),
        mc_seed=seed,
        mc_null_mean=mc_mean,
        mc_null_sd=mc_sd,
        mc_null_p999=mc_p999,
        mc_excess=None if mc_excess is None else float(mc_excess),
        z_score=float(z),
        explanation=explanation,
        caveats=caveats,
        explanation_notes=explained,
        caveat_notes=caveat_notes,
    )
