"""Election forensics on stored official protocols: a contest's, or one import's.

The protocols come out of the database in one compact column pull (`queries.arrays_of`:
integers and the votes, summed in numpy) and go through the pure checks of `eom.stats` — the
same functions `eom forensics` runs on a file, on the same per-station figures:

- registered voters = line `n_registered`; ballots issued (turnout) = `n_issued`;
- ballots counted (the leader's share) = `n_valid` + `n_invalid`;
- the leader's votes = the leader's column of `votes`; the leader is the party with the most
  votes unless the reader picks another.

A protocol without one of those four lines is left out of every check; each check then leaves
out stations by its own rule (small stations, rates above 99 %, more ballots than voters):
`kept` counts them so the page can say what was used and why.

Every check but one runs with the page (a few tenths of a second for 10,000 stations). The
Monte Carlo null of the integer-percentage test draws a thousand simulated elections (seconds):
it is computed when official results are imported (`store_monte_carlo`, after the import's
transaction) or at the core team's request (`request_monte_carlo`: one at a time per mission,
bounded), stored as a `MonteCarloCheck` with the fingerprint of the figures it used, and the
page shows what is stored (`stored_check`), saying when the results have changed since. A page
never draws it.

The observer effect on the same figures: `observer_effect.py`.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import get_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from eom.missions import audit
from eom.missions.models import Contest, Mission
from eom.stats import fingerprint, fingerprint_svg, forensics, integer_percent
from eom.stats.fingerprint import SvgLabels
from eom.stats.notes import Note

from . import permissions, queries
from .models import ImportBatch, MonteCarloCheck, MonteCarloTrigger, Protocol, Source

SEED = 20111204  # the seed of `eom forensics` and of eom.stats' defaults
# The bounds of a recomputation asked for on the page, which runs inside the request: draws
# per simulated election, and draws × stations (about 6 s on one core of a 2023 laptop).
MIN_DRAWS, MAX_DRAWS = 100, 10_000
MAX_SEED = 2**32 - 1
MAX_STATION_DRAWS = 20_000_000
# A recomputation that has not finished after this long is taken to have died with its process.
RUNNING_TIMEOUT = timedelta(minutes=10)
LINES_USED = ("n_registered", "n_issued", "n_valid", "n_invalid")


@dataclass(frozen=True)
class Dropped:
    """Stations a check leaves out, and why (`reason` is a key the template words)."""

    reason: str
    n: int
    checks: tuple[str, ...]


@dataclass
class Analysis:
    n_protocols: int
    n_used: int
    parties: list[tuple[str, int]]  # (code, votes), most votes first
    leader: str | None
    summary: forensics.ForensicsSummary | None = None
    flags: tuple[forensics.Flag, ...] = ()
    svg: str = ""
    dropped: list[Dropped] = field(default_factory=list)
    digest: str = ""  # the fingerprint of the figures a Monte Carlo check of them would use
    columns: Columns | None = None  # the figures read, for the observer effect

    @property
    def n_incomplete(self) -> int:
        return self.n_protocols - self.n_used

    @property
    def n_small_counts(self) -> int:
        return self.n_used - self.summary.benford.n_counts if self.summary else 0

    @property
    def anomalous(self) -> list[forensics.Flag]:
        return [flag for flag in self.flags if flag.anomalous]

    @property
    def n_anomalous(self) -> int:
        return len(self.anomalous)

    @property
    def flag(self) -> dict[str, forensics.Flag]:
        return {f.name: f for f in self.flags}

    @cached_property
    def said(self) -> dict[str, str | list[str]]:
        """What each check says, in the active language: "<check>" its explanation,
        "<check>_caveats" its caveats (checks: headline, integer_percent, fingerprint, shpilkin,
        benford, slope). Empty without a summary."""
        s = self.summary
        if s is None:
            return {}
        said: dict[str, str | list[str]] = {"fingerprint": worded(s.fingerprint_notes)}
        for name, part in (("headline", s.headline), ("integer_percent", s.integer_percent),
                           ("shpilkin", s.shpilkin), ("benford", s.benford),
                           ("slope", s.slope)):
            said[name] = worded(part.explanation_notes)
            said[f"{name}_caveats"] = [worded((c,)) for c in getattr(part, "caveat_notes", ())]
        return said


@dataclass(frozen=True)
class Columns:
    """The four lines and the votes of the protocols that give all four lines."""

    n_protocols: int
    paths: tuple[str, ...]  # the stations' location paths
    n_registered: np.ndarray
    n_issued: np.ndarray
    n_counted: np.ndarray
    parties: tuple[str, ...]
    votes: np.ndarray  # n × parties

    def ranked(self) -> list[tuple[str, int]]:
        """(party code, votes), most votes first (ties by code)."""
        totals = self.votes.sum(axis=0) if self.votes.size else np.zeros(0, dtype=np.int64)
        return sorted(zip(self.parties, (int(v) for v in totals), strict=True),
                      key=lambda item: (-item[1], item[0]))

    def leader_or_first(self, leader: str | None) -> str | None:
        """`leader` if the protocols give its votes, else the party with the most votes."""
        if leader in self.parties:
            return leader
        ranked = self.ranked()
        return ranked[0][0] if ranked else None

    def arrays(self, leader: str) -> tuple[np.ndarray, ...]:
        """(registered, issued, the leader's votes, counted): what every check reads."""
        n_leader = self.votes[:, self.parties.index(leader)]
        return self.n_registered, self.n_issued, n_leader, self.n_counted


def station_columns(protocols: QuerySet[Protocol]) -> Columns:
    """One column pull of the protocols; those missing a line of `LINES_USED` are left out."""
    arrays = queries.arrays_of(protocols)
    lines = {name: arrays.line(name) for name in LINES_USED}
    complete = np.ones(arrays.n, dtype=bool)
    for column in lines.values():
        complete &= column >= 0
    return Columns(
        n_protocols=arrays.n,
        paths=tuple(p for p, keep in zip(arrays.paths, complete, strict=True) if keep),
        n_registered=lines["n_registered"][complete],
        n_issued=lines["n_issued"][complete],
        n_counted=lines["n_valid"][complete] + lines["n_invalid"][complete],
        parties=arrays.parties,
        votes=arrays.votes[complete],
    )


def official_protocols(contest: Contest, batch: ImportBatch | None = None) -> QuerySet[Protocol]:
    """The contest's official protocols, or those one import of them wrote."""
    protocols = Protocol.objects.filter(contest=contest, source=Source.OFFICIAL)
    return protocols.filter(batch=batch) if batch is not None else protocols


def inputs_digest(columns: Columns, leader: str) -> str:
    """SHA-256 of the leader's code and, station by station (in the protocols' order), the four
    figures the integer-percentage test reads: equal digests, equal Monte Carlo inputs."""
    digest = hashlib.sha256(leader.encode())
    for column in columns.arrays(leader):
        digest.update(np.ascontiguousarray(column, dtype="<i8").tobytes())
    return digest.hexdigest()


def analyse(protocols: QuerySet[Protocol], *, leader: str | None = None,
            title: str = "") -> Analysis:
    """Every check of `eom.stats.forensics.summary` on the protocols, with the leader `leader`
    (a party code; default: the most votes), but the Monte Carlo null: that one is stored
    (`stored_check`), never drawn here."""
    columns = station_columns(protocols)
    leader = columns.leader_or_first(leader)
    n_used = int(columns.n_registered.size)
    analysis = Analysis(columns.n_protocols, n_used, columns.ranked(), leader, columns=columns)
    if leader is None or n_used == 0:
        return analysis
    arrays = columns.arrays(leader)
    analysis.summary = forensics.summary(*arrays, n_draws=0)
    analysis.flags = forensics.flags(analysis.summary)
    analysis.svg = fingerprint_svg(fingerprint(*arrays), title=title, fluid=True,
                                   css_class="fingerprint", labels=svg_labels())
    analysis.dropped = dropped(*arrays)
    analysis.digest = inputs_digest(columns, leader)
    return analysis


def dropped(n_registered, n_issued, n_leader, n_counted) -> list[Dropped]:
    """How many stations each rule of the checks leaves out (a station may meet several)."""
    small = n_registered < integer_percent.MIN_REGISTERED
    nothing = n_counted <= 0
    over = n_issued > n_registered
    high = (100 * n_issued > 99 * n_registered) | (100 * n_leader > 99 * n_counted)
    return [
        Dropped("small", int(small.sum()), ("integer_percent", "fingerprint", "slope")),
        Dropped("no_ballots", int(nothing.sum()),
                ("integer_percent", "fingerprint", "shpilkin")),
        Dropped("over_registered", int(over.sum()), ("fingerprint", "shpilkin", "slope")),
        Dropped("above_99", int((high & ~small & ~nothing).sum()), ("integer_percent",)),
    ]


# --- what the checks say, in the reader's language -------------------------------------------
# eom.stats returns each sentence of its explanations and caveats as a Note (a kind and its
# figures); here each kind is worded through gettext, the figures formatted as the active
# language writes numbers (thousands grouped, its decimal mark). The command line prints the
# notes' English text instead.


def count(value) -> str:
    """A whole number, thousands grouped as the active language does ("10,223", "10 223")."""
    return number_format(int(round(value)), 0, use_l10n=True, force_grouping=True)


def fixed(value, places: int) -> str:
    """A number with `places` decimals in the active language ("—" when there is none)."""
    if value is None or not math.isfinite(value):
        return "—"
    return number_format(round(float(value), places), places, use_l10n=True,
                         force_grouping=True)


def significant(value: float) -> str:
    """A p-value to three significant digits, with the active language's decimal mark."""
    if not math.isfinite(value):
        return "—"
    return f"{value:.3g}".replace(".", get_format("DECIMAL_SEPARATOR"))


def _plural(value) -> int:
    """The whole number a plural form agrees with."""
    return abs(int(round(value))) if math.isfinite(value) else 0


def _headline(n: Note) -> str:
    return " ".join((
        ngettext("%(issued)s of %(registered)s registered voter received a ballot (turnout "
                 "%(turnout)s %%);",
                 "%(issued)s of %(registered)s registered voters received a ballot (turnout "
                 "%(turnout)s %%);", n["registered"]) % {
            "issued": count(n["issued"]), "registered": count(n["registered"]),
            "turnout": fixed(n["turnout"], 2)},
        ngettext("the leader won %(leader)s of %(counted)s ballot counted (%(share)s %%).",
                 "the leader won %(leader)s of %(counted)s ballots counted (%(share)s %%).",
                 n["counted"]) % {
            "leader": count(n["leader"]), "counted": count(n["counted"]),
            "share": fixed(n["share"], 2)},
    ))


def _integer_percent(n: Note) -> str:
    return " ".join((
        ngettext("Of %(kept)s polling station with at least %(min)s registered voters, "
                 "%(observed)s reported a turnout or a leader result within 0.05 points of a "
                 "whole percentage.",
                 "Of %(kept)s polling stations with at least %(min)s registered voters, "
                 "%(observed)s reported a turnout or a leader result within 0.05 points of a "
                 "whole percentage.", n["kept"]) % {
            "kept": count(n["kept"]), "min": count(n["min_registered"]),
            "observed": count(n["observed"])},
        ngettext("If the counts were honest tallies, about %(mean)s (± %(sd)s) would do so by "
                 "chance; the excess of %(excess)s station is %(z)s standard deviations.",
                 "If the counts were honest tallies, about %(mean)s (± %(sd)s) would do so by "
                 "chance; the excess of %(excess)s stations is %(z)s standard deviations.",
                 _plural(n["excess"])) % {
            "mean": count(n["null_mean"]), "sd": count(n["null_sd"]),
            "excess": count(n["excess"]), "z": fixed(n["z"], 1)},
        _("Round percentages are what one expects when figures are written to a target rather "
          "than counted."),
    ))


def _fingerprint(n: Note) -> str:
    return " ".join((
        ngettext("%(used)s polling station with at least %(min)s registered voters, placed by "
                 "turnout (across) and the leader's share (up), in 1-point cells.",
                 "%(used)s polling stations with at least %(min)s registered voters, placed by "
                 "turnout (across) and the leader's share (up), in 1-point cells.",
                 n["used"]) % {"used": count(n["used"]), "min": count(n["min_registered"])},
        ngettext("%(n)s station (%(share)s %%) sits in the corner where both exceed 90 %%.",
                 "%(n)s stations (%(share)s %%) sit in the corner where both exceed 90 %%.",
                 n["top_right"]) % {"n": count(n["top_right"]),
                                    "share": fixed(n["share_percent"], 1)},
        _("Honest results form compact clusters; a smear towards 100 % / 100 % and ridges at "
          "round numbers are the marks of ballot stuffing and of figures written to a target."),
    ))


def _shpilkin(n: Note) -> str:
    return " ".join((
        _("Most voters live where turnout is about %(mode)s %%.") % {"mode": count(n["mode"])},
        _("Where turnout is at or below that, the leader got %(ratio)s votes for every vote "
          "cast otherwise.") % {"ratio": fixed(n["ratio"], 2)},
        ngettext("Above it the leader got %(n)s vote more than that ratio gives.",
                 "Above it the leader got %(n)s votes more than that ratio gives.",
                 _plural(n["anomalous"])) % {"n": count(n["anomalous"])},
        _("If those were added ballots, turnout would be %(turnout)s %% and the leader's share "
          "%(share)s %%.") % {"turnout": fixed(n["clean_turnout"], 1),
                              "share": fixed(n["clean_share"], 1)},
    ))


def _benford(n: Note) -> str:
    figures = {"n": count(n["n"]), "chi2": fixed(n["chi2"], 1), "p": significant(n["p_value"]),
               "mean": fixed(n["mean"], 3), "confidence": count(n["confidence"]),
               "low": fixed(n["low"], 3), "high": fixed(n["high"], 3),
               "expected": fixed(n["expected_mean"], 3)}
    first = ngettext("Second digits of %(n)s vote count: χ² = %(chi2)s on 9 degrees of freedom "
                     "(p = %(p)s).",
                     "Second digits of %(n)s vote counts: χ² = %(chi2)s on 9 degrees of freedom "
                     "(p = %(p)s).", n["n"]) % figures
    if n.kind == "benford.inside":
        second = _("Mean second digit %(mean)s, %(confidence)s %% interval %(low)s–%(high)s; "
                   "Benford's law expects %(expected)s, inside the interval.") % figures
    else:
        second = _("Mean second digit %(mean)s, %(confidence)s %% interval %(low)s–%(high)s; "
                   "Benford's law expects %(expected)s, outside the interval.") % figures
    return f"{first} {second}"


def _slope(n: Note) -> str:
    return " ".join((
        ngettext("Across %(n)s station, each additional voter turning out comes with "
                 "%(slope)s votes for the leader (± %(margin)s) and %(others)s for all other "
                 "parties together.",
                 "Across %(n)s stations, each additional voter turning out comes with "
                 "%(slope)s votes for the leader (± %(margin)s) and %(others)s for all other "
                 "parties together.", n["n"]) % {
            "n": count(n["n"]), "slope": fixed(n["slope"], 3), "margin": fixed(n["margin"], 3),
            "others": fixed(n["others"], 3)},
        _("Honest differences in turnout would split roughly like the overall result; a leader "
          "slope near 1 with the others flat or falling means the additional turnout went "
          "almost entirely to the leader."),
    ))


WORDING = {
    "headline": _headline,
    "integer_percent": _integer_percent,
    "fingerprint": _fingerprint,
    "shpilkin": _shpilkin,
    "benford.inside": _benford,
    "benford.outside": _benford,
    "slope": _slope,
    "integer_percent.caveat.not_which": lambda n: _(
        "An excess shows that some protocols were probably not the result of a count; it does "
        "not say which stations, nor how many votes were involved."),
    "integer_percent.caveat.small_stations": lambda n: _(
        "Small stations land on whole percentages more often by chance (few possible values); "
        "the null model accounts for this, but stations under %(min)s voters are left out.") % {
        "min": count(n["min_registered"])},
    "integer_percent.caveat.true_rate": lambda n: _(
        "The null model treats each station's observed turnout and result as its true rate; "
        "genuine urban/rural or regional differences do not affect it, but rounding by honest "
        "officials (e.g. reporting %(n)s registered voters) would.") % {"n": count(1000)},
    "integer_percent.caveat.above_99": lambda n: _(
        "Stations at turnout or result above 99 % are excluded (100 % is trivially integer)."),
    "shpilkin.caveat.real_support": lambda n: _(
        "Assumes the leader's support does not genuinely rise with turnout; where keen "
        "supporters turn out more (or rural areas vote both more and for the leader), part of "
        "the 'anomalous' votes are real."),
    "shpilkin.caveat.added_only": lambda n: _(
        "Assumes only ballots for the leader were added, never votes moved from others."),
    "shpilkin.caveat.magnitude": lambda n: _(
        "An order-of-magnitude estimate, not a count of falsified ballots."),
    "benford.caveat.honest_counts": lambda n: _(
        "Honest vote counts need not follow Benford's law: the digits depend on station size "
        "and on how many parties compete; departures are frequent in clean elections and "
        "absent in some rigged ones (Deckert, Myagkov & Ordeshook 2011)."),
    "benford.caveat.size": lambda n: _(
        "With tens of thousands of stations, tiny and meaningless departures are 'significant': "
        "read the size of the departure, not only the p-value."),
    "slope.caveat.ecological": lambda n: _(
        "Ecological regression: where turnout is high for real reasons (rural areas, regions "
        "loyal to the leader) the slope rises without any fraud."),
    "slope.caveat.regions": lambda n: _("Compare regions separately before drawing conclusions."),
}


def worded(notes) -> str:
    """The notes in the active language, one sentence after another (a kind this page does
    not word keeps its English text)."""
    return " ".join(WORDING[n.kind](n) if n.kind in WORDING else n.text for n in notes)


def svg_labels() -> SvgLabels:
    """The fingerprint chart's words in the active language (a cell's tooltip: its turnout and
    share bins and how many stations; the forms looked up once per count)."""
    forms: dict[int, str] = {}

    def cell(turnout: int, share: int, stations: int) -> str:
        if stations not in forms:
            forms[stations] = ngettext(
                "turnout %(t0)s–%(t1)s %%, share %(s0)s–%(s1)s %%: %(n)s station",
                "turnout %(t0)s–%(t1)s %%, share %(s0)s–%(s1)s %%: %(n)s stations", stations)
        return forms[stations] % {"t0": turnout, "t1": turnout + 1, "s0": share,
                                  "s1": share + 1, "n": count(stations)}

    return SvgLabels(turnout_axis=_("Turnout, % of registered voters"),
                     share_axis=_("Leader's share, % of ballots counted"),
                     key=_("stations"), key_scale=_("(log scale)"), cell=cell)


# --- the stored Monte Carlo check ------------------------------------------------------------


class MonteCarloRefused(Exception):
    """A recomputation that is not run: `field` names the parameter at fault ("" for none),
    `status` is the HTTP status a page answers with."""

    def __init__(self, message: str, *, field: str = "", status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status


@dataclass(frozen=True)
class StoredCheck:
    """The stored check a page shows: `fresh` when the results are still those it used."""

    check: MonteCarloCheck
    fresh: bool


def stored_check(contest: Contest, batch: ImportBatch | None, leader: str | None,
                 digest: str) -> StoredCheck | None:
    """The newest finished check of these results (`batch` None: all the contest's official
    protocols) with this leader; failing that, one of the same contest whose inputs had the
    same `digest` (the first import of a contest is all its protocols). None if there is none."""
    if leader is None:
        return None
    done = MonteCarloCheck.objects.filter(contest=contest, leader=leader,
                                          computed_at__isnull=False).select_related(
        "latest_batch", "requested_by")
    check = done.filter(batch=batch).first() or (
        done.filter(inputs_digest=digest).first() if digest else None)
    return StoredCheck(check, check.inputs_digest == digest) if check else None


def running_check(mission: Mission) -> MonteCarloCheck | None:
    """The recomputation running for the mission, if one is (none older than the timeout)."""
    return MonteCarloCheck.objects.filter(
        mission=mission, computed_at__isnull=True,
        started_at__gte=timezone.now() - RUNNING_TIMEOUT).first()


def is_synthetic(protocols: QuerySet[Protocol]) -> bool:
    """Whether any of the protocols came from an import marked synthetic (the demo's)."""
    return protocols.filter(batch__synthetic=True).exists()


def _check_for(contest: Contest, batch: ImportBatch | None, columns: Columns, leader: str,
               *, n_draws: int, seed: int, trigger: str, actor) -> MonteCarloCheck:
    """An unsaved check of these inputs, not yet computed."""
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    newest = batch or ImportBatch.objects.filter(contest=contest).first()
    kept = integer_percent.kept_stations(*columns.arrays(leader))
    return MonteCarloCheck(
        mission=contest.election.mission, contest=contest, batch=batch, leader=leader,
        n_draws=n_draws, seed=seed, inputs_digest=inputs_digest(columns, leader),
        n_protocols=columns.n_protocols, n_stations=int(kept.sum()), latest_batch=newest,
        synthetic=is_synthetic(official_protocols(contest, batch)), trigger=trigger,
        requested_by=user, started_at=timezone.now(),
    )


def _draw(check: MonteCarloCheck, columns: Columns) -> MonteCarloCheck:
    """Run the draws (eom.stats' integer-percentage test) and fill in the figures."""
    started = time.perf_counter()
    result = integer_percent.integer_percentages(
        *columns.arrays(check.leader), n_draws=check.n_draws, seed=check.seed)
    check.seconds = time.perf_counter() - started
    check.observed = result.observed
    check.null_mean = result.mc_null_mean
    check.null_sd = result.mc_null_sd
    check.null_p999 = result.mc_null_p999
    check.computed_at = timezone.now()
    return check


def _keep_only(check: MonteCarloCheck) -> None:
    """Forget the older finished checks of the same results and leader."""
    MonteCarloCheck.objects.filter(
        contest=check.contest, batch=check.batch, leader=check.leader,
        computed_at__isnull=False).exclude(pk=check.pk).delete()


def store_monte_carlo(contest: Contest, *, batch: ImportBatch | None = None,
                      trigger: str = MonteCarloTrigger.IMPORT, actor=None,
                      n_draws: int | None = None, seed: int = SEED) -> MonteCarloCheck | None:
    """Compute and store the Monte Carlo check of the contest's official protocols (`batch`:
    those of one import), with the party of most votes as leader; `n_draws` defaults to the
    setting EOM_FORENSICS_DRAWS (0: compute nothing). Called after an import of official
    results and by the demo loader. Returns the stored check, or None when there is nothing to
    check or a check of the same figures, draws and seed is already stored (then nothing is
    written). Side effects: one MonteCarloCheck, the older ones of the same results and leader
    deleted."""
    n_draws = settings.EOM_FORENSICS_DRAWS if n_draws is None else n_draws
    columns = station_columns(official_protocols(contest, batch))
    leader = columns.leader_or_first(None)
    if n_draws <= 0 or leader is None or columns.n_registered.size == 0:
        return None
    check = _check_for(contest, batch, columns, leader, n_draws=n_draws, seed=seed,
                       trigger=trigger, actor=actor)
    if check.n_stations == 0 or MonteCarloCheck.objects.filter(
            contest=contest, batch=batch, leader=leader, inputs_digest=check.inputs_digest,
            n_draws=n_draws, seed=seed, computed_at__isnull=False).exists():
        return None
    with transaction.atomic():
        _draw(check, columns).save()
        _keep_only(check)
    return check


def request_monte_carlo(*, actor, channel: str, contest: Contest, batch: ImportBatch | None,
                        leader: str | None, n_draws: int, seed: int) -> MonteCarloCheck:
    """Recompute the Monte Carlo check at a core-team member's request, inside the request.

    Bounded: `n_draws` within MIN_DRAWS..MAX_DRAWS and draws × stations within
    MAX_STATION_DRAWS; `seed` within 0..MAX_SEED; `leader` a party the protocols give votes to
    (None: the most votes). One at a time per mission: a second request while one runs is
    refused (409). Raises PermissionDenied, or MonteCarloRefused naming the field. Side
    effects: a running MonteCarloCheck, committed first (it is what makes the second request
    wait), then filled in; the older checks of the same results and leader deleted; an audit
    entry. A failure deletes the running check."""
    mission = contest.election.mission
    if not permissions.can_recompute_forensics(actor, mission):
        raise PermissionDenied(_("Only the core team recomputes the Monte Carlo check."))
    columns = station_columns(official_protocols(contest, batch))
    check = _checked_request(contest, batch, columns, leader, n_draws, seed, actor)
    _claim(check)
    try:
        _draw(check, columns)
    except BaseException:
        check.delete()
        raise
    with transaction.atomic():
        check.save()
        _keep_only(check)
        audit.record(actor=actor, channel=channel, action="create", obj=check, mission=mission,
                     changes={"leader": [None, check.leader], "n_draws": [None, n_draws],
                              "seed": [None, seed], "batch": [None, check.batch_id]})
    return check


def _checked_request(contest, batch, columns: Columns, leader, n_draws: int, seed: int,
                     actor) -> MonteCarloCheck:
    if leader and leader not in columns.parties:
        raise MonteCarloRefused(_("These protocols give no votes to %(code)s.") % {
            "code": leader}, field="leader")
    leader = columns.leader_or_first(leader)
    if leader is None or columns.n_registered.size == 0:
        raise MonteCarloRefused(_("These protocols give nothing to check."), status=409)
    if not MIN_DRAWS <= n_draws <= MAX_DRAWS:
        raise MonteCarloRefused(_("Between %(low)s and %(high)s draws.") % {
            "low": f"{MIN_DRAWS:,}", "high": f"{MAX_DRAWS:,}"}, field="draws")
    if not 0 <= seed <= MAX_SEED:
        raise MonteCarloRefused(_("A seed from 0 to %(high)s.") % {"high": f"{MAX_SEED:,}"},
                                field="seed")
    check = _check_for(contest, batch, columns, leader, n_draws=n_draws, seed=seed,
                       trigger=MonteCarloTrigger.REQUEST, actor=actor)
    if check.n_stations == 0:
        raise MonteCarloRefused(_("These protocols give nothing to check."), status=409)
    if n_draws * check.n_stations > MAX_STATION_DRAWS:
        raise MonteCarloRefused(_(
            "At most %(n)s draws for %(stations)s stations on this page; the import computes "
            "the full check.") % {"n": f"{MAX_STATION_DRAWS // check.n_stations:,}",
                                  "stations": f"{check.n_stations:,}"}, field="draws")
    return check


def _claim(check: MonteCarloCheck) -> None:
    """Save the running check, or refuse (409) while another of the mission runs."""
    with transaction.atomic():
        MonteCarloCheck.objects.filter(
            mission=check.mission, computed_at__isnull=True,
            started_at__lt=timezone.now() - RUNNING_TIMEOUT).delete()
        try:
            with transaction.atomic():
                check.save()
        except IntegrityError:
            raise MonteCarloRefused(_(
                "A recomputation of the Monte Carlo check is already running; try again when "
                "it has finished."), status=409) from None
