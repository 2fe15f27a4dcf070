"""Read side of the results: counts and failed checks, a protocol beside its observer copy,
discrepancies ranked by size, sums up the location tree against the published totals, and the
seats recomputed from the official results with their sensitivity to doubtful protocols.

Heavy figures come from compact column pulls (`values_list`) summed in numpy (`tally`), never
row-by-row ORM objects.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from eom.electoral import ElectoralError, LawError, load_law
from eom.electoral.core import AGAINST_ALL, Allocation
from eom.missions.languages import DATA_LANGUAGES, reader_language
from eom.missions.models import AnnouncedResult, Contest, Location, Party

from . import checks, tally, wording
from .checks import LINES
from .models import Protocol, PublishedTotal, Source

COLUMNS = ("pk", "location__path", *LINES, "votes")


def arrays_of(protocols: QuerySet[Protocol]) -> tally.ProtocolArrays:
    return tally.from_rows(protocols.values_list(*COLUMNS).iterator(chunk_size=5000))


# --- overview -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckRow:
    check: checks.Check
    n_failed: int


def check_summary(contest: Contest, protocols: QuerySet[Protocol] | None = None,
                  source: str = Source.OFFICIAL) -> list[CheckRow]:
    """How many protocols of `source` fail each of the law's checks (from the stored failures)."""
    protocols = Protocol.objects.filter(contest=contest) if protocols is None else protocols
    counts: Counter[str] = Counter()
    failing = protocols.filter(contest=contest, source=source, n_failed__gt=0)
    for failed in failing.values_list("failed", flat=True):
        counts.update(failed)
    return [CheckRow(check, counts[check.name]) for check in checks.load_checks(contest.rule)]


@dataclass
class ContestOverview:
    contest: Contest
    by_source: dict[str, int]
    failing: dict[str, int]
    checks: list[CheckRow]

    @property
    def n_protocols(self) -> int:
        return sum(self.by_source.values())


def overview(contests: QuerySet[Contest], protocols: QuerySet[Protocol]) -> list[ContestOverview]:
    """Per contest: protocols by source, how many fail a check, failures per check."""
    rows = protocols.values_list("contest_id", "source").annotate(n=Count("pk"))
    failing = protocols.filter(n_failed__gt=0).values_list("contest_id", "source").annotate(
        n=Count("pk"))
    by_contest: dict[int, dict[str, int]] = {}
    failing_by: dict[int, dict[str, int]] = {}
    for contest_id, source, n in rows:
        by_contest.setdefault(contest_id, {})[source] = n
    for contest_id, source, n in failing:
        failing_by.setdefault(contest_id, {})[source] = n
    out = []
    for contest in contests:
        counts = by_contest.get(contest.pk, {})
        summary = check_summary(contest, protocols) if counts else []
        out.append(ContestOverview(
            contest, {s: counts.get(s, 0) for s in Source.values},
            {s: failing_by.get(contest.pk, {}).get(s, 0) for s in Source.values}, summary,
        ))
    return out


# --- one protocol ---------------------------------------------------------------------------


@dataclass
class LineRow:
    name: str
    label: str
    value: int | None
    others: list[int | None]

    @property
    def differs(self) -> bool:
        return any(o is not None and self.value is not None and o != self.value
                   for o in self.others)


def ordered_codes(codes, parties: dict[str, str]) -> list[str]:
    """Party codes in the ballot order (`parties` is in registration order), others after them
    alphabetically: JSON objects keep no order on PostgreSQL."""
    present = set(codes)
    return [c for c in parties if c in present] + sorted(present - set(parties))


def line_rows(protocol: Protocol, others: list[Protocol], parties: dict[str, str]) -> list[LineRow]:
    """The protocol's lines and votes beside the same lines of `others` (observer copies)."""
    rows = [LineRow(line, checks.line_label(line), getattr(protocol, line),
                    [getattr(o, line) for o in others]) for line in LINES]
    codes = [*protocol.votes, *(c for o in others for c in o.votes)]
    for code in ordered_codes(codes, parties):
        rows.append(LineRow(code, parties.get(code, code), protocol.votes.get(code),
                            [o.votes.get(code) for o in others]))
    return rows


def outcomes_of(protocol: Protocol) -> list[checks.Outcome]:
    return checks.evaluate_all(checks.load_checks(protocol.contest.rule), protocol.figures())


def party_label(party: Party) -> str:
    """The party as a page names it: its name in the reader's language when the mission gives
    one, else its short name (English), else its English name."""
    language = reader_language()
    if language in DATA_LANGUAGES and getattr(party, f"name_{language}", ""):
        return party.name
    return party.short_name or party.name


def party_names(contest: Contest) -> dict[str, str]:
    return {p.code: party_label(p) for p in Party.objects.filter(election=contest.election)}


# --- discrepancies --------------------------------------------------------------------------


@dataclass
class Difference:
    line: str
    label: str
    official: int | None
    observer: int | None

    @property
    def size(self) -> int:
        return abs((self.official or 0) - (self.observer or 0))


@dataclass
class Discrepancy:
    location: Location
    official: Protocol | None
    observer: Protocol
    differences: list[Difference] = field(default_factory=list)

    @property
    def size(self) -> int:
        return max((d.size for d in self.differences), default=0)


def compare(official: Protocol, observer: Protocol, parties: dict[str, str]) -> list[Difference]:
    """Every line (and party) the observer copied whose official figure differs."""
    out = []
    for line in LINES:
        mine, theirs = getattr(official, line), getattr(observer, line)
        if theirs is not None and mine != theirs:
            out.append(Difference(line, checks.line_label(line), mine, theirs))
    for code in ordered_codes([*observer.votes, *official.votes], parties):
        mine, theirs = official.votes.get(code), observer.votes.get(code)
        if code in observer.votes and mine != theirs:
            out.append(Difference(code, parties.get(code, code), mine, theirs))
    return out


def discrepancies(contest: Contest, protocols: QuerySet[Protocol]) -> tuple[list[Discrepancy],
                                                                             list[Discrepancy]]:
    """Observer copies against the official protocol of their station.

    Returns (differing, unmatched): the copies that differ on any line, ranked by the largest
    absolute difference on any line (then by station code), each with every differing line; and
    the copies of stations without an official protocol yet.
    """
    observers = list(protocols.filter(contest=contest, source=Source.OBSERVER)
                     .select_related("location", "submission__team"))
    stations = {o.location_id for o in observers}
    official = {p.location_id: p for p in protocols.filter(
        contest=contest, source=Source.OFFICIAL, location_id__in=stations)}
    names = party_names(contest)
    differing, unmatched = [], []
    for copy in observers:
        match = official.get(copy.location_id)
        if match is None:
            unmatched.append(Discrepancy(copy.location, None, copy))
            continue
        found = compare(match, copy, names)
        if found:
            differing.append(Discrepancy(copy.location, match, copy, found))
    differing.sort(key=lambda d: (-d.size, d.location.code))
    unmatched.sort(key=lambda d: d.location.code)
    return differing, unmatched


def differing_station_ids(contest: Contest) -> set[int]:
    """Stations whose official protocol differs from an observer copy (for the sensitivity)."""
    everything = Protocol.objects.filter(contest=contest)
    return {d.location.pk for d in discrepancies(contest, everything)[0]}


# --- aggregation up the tree ----------------------------------------------------------------


@dataclass
class TreeRow:
    location: Location
    computed: tally.Group | None
    published: PublishedTotal | None

    def comparisons(self) -> list[Difference]:
        """Lines and votes where the published total differs from the sum of the protocols."""
        if self.published is None or self.computed is None:
            return []
        out = []
        for line in LINES:
            published = getattr(self.published, line)
            if published is not None and published != self.computed.lines[line]:
                out.append(Difference(line, checks.line_label(line), self.computed.lines[line],
                                      published))
        for code, published in sorted(self.published.votes.items()):
            mine = self.computed.votes.get(code, 0)
            if mine != published:
                out.append(Difference(code, code, mine, published))
        return out

    @property
    def n_differences(self) -> int:
        return len(self.comparisons())


def tree(contest: Contest, node: Location, protocols: QuerySet[Protocol]) -> tuple[TreeRow,
                                                                                   list[TreeRow]]:
    """The node and its children: the sum of the official protocols under each (by path) beside
    the total the commission published there, when it published one."""
    official = protocols.filter(contest=contest, source=Source.OFFICIAL,
                                location__path__startswith=node.path)
    arrays = arrays_of(official)
    depth = node.path.count("/") - 1
    own = tally.aggregate(arrays, depth).get(node.path)
    children = list(node.children.order_by("path"))
    by_child = tally.aggregate(arrays, depth + 1) if children else {}
    locations = [node, *children]
    published = {p.location_id: p for p in PublishedTotal.objects.filter(
        contest=contest, location__in=locations)}
    head = TreeRow(node, own, published.get(node.pk))
    return head, [TreeRow(c, by_child.get(c.path), published.get(c.pk)) for c in children]


# --- seats ----------------------------------------------------------------------------------


@dataclass
class SeatRow:
    code: str
    name: str
    votes: int
    recomputed: int
    announced: int | None
    announced_votes: int | None

    @property
    def differs(self) -> bool:
        return self.announced is not None and self.announced != self.recomputed


@dataclass
class Scenario:
    """Seats when some protocols are left out."""

    key: str
    title: str
    n_left_out: int
    seats: dict[str, int]
    changes: dict[str, tuple[int, int]]  # code → (seats with all protocols, seats without)
    error: str = ""

    @property
    def changed(self) -> bool:
        return bool(self.changes)


@dataclass
class SeatVerification:
    contest: Contest
    n_protocols: int = 0
    votes: dict[str, int] = field(default_factory=dict)
    allocation: Allocation | None = None
    rows: list[SeatRow] = field(default_factory=list)
    scenarios: list[Scenario] = field(default_factory=list)
    error: str = ""
    names: dict[str, str] = field(default_factory=dict)  # code → the party's name

    @property
    def matches(self) -> bool:
        return bool(self.rows) and not any(row.differs for row in self.rows)


def _allocate(contest: Contest, votes: dict[str, int], order: list[str]) -> Allocation:
    law = load_law(contest.rule)
    council = contest.seats if law.fixed_list_seats is None else None
    return law.allocate(votes, council_seats=council, registration_order=order)


def _votes_of(arrays: tally.ProtocolArrays) -> dict[str, int]:
    votes = arrays.national_votes()
    against = arrays.line("n_against_all")
    if (against >= 0).any():
        votes[AGAINST_ALL] = int(against[against >= 0].sum())
    return votes


def verify_seats(contest: Contest, *, sensitivity: bool = True) -> SeatVerification:
    """Seats recomputed from the sum of the official protocols under the contest's law, beside
    the announced seats; with `sensitivity`, the seats again without (a) the protocols that fail
    a check and (b) the protocols that differ from an observer copy."""
    result = SeatVerification(contest)
    if not contest.rule:
        result.error = _("The contest has no counting rule (law); set it to recompute seats.")
        return result
    official = Protocol.objects.filter(contest=contest, source=Source.OFFICIAL)
    arrays = arrays_of(official)
    result.n_protocols = arrays.n
    if not arrays.n:
        result.error = _("No official protocols yet: import them first.")
        return result
    parties = list(Party.objects.filter(election=contest.election).order_by("registration_order"))
    order = [p.code for p in parties] + [c for c in arrays.parties
                                         if c not in {p.code for p in parties}]
    result.votes = _votes_of(arrays)
    try:
        result.allocation = _allocate(contest, result.votes, order)
    except (ElectoralError, LawError) as exc:
        result.error = str(exc)
        return result
    announced = {a.party.code if a.party else AGAINST_ALL: a for a in
                 AnnouncedResult.objects.filter(contest=contest).select_related("party")}
    names = result.names = {p.code: party_label(p) for p in parties}
    names[AGAINST_ALL] = _("Against all")
    for code, seats in sorted(result.allocation.seats.items(), key=lambda kv: (
            -result.votes.get(kv[0], 0), kv[0])):
        stated = announced.get(code)
        result.rows.append(SeatRow(code, names.get(code, code), result.votes.get(code, 0), seats,
                                   stated.seats if stated else None,
                                   stated.votes if stated else None))
    if sensitivity:
        law_checks = checks.load_checks(contest.rule)
        bad = tally.failing(tally.run_checks(arrays, law_checks), arrays.n)
        differing = differing_station_ids(contest)
        ids = dict(official.values_list("pk", "location_id"))
        disputed = np.array([ids[int(pk)] in differing for pk in arrays.ids], dtype=bool)
        for key, title, leave_out in (
            ("failed", _("without the protocols that fail a check"), bad),
            ("observer", _("without the protocols that differ from the observers' copy"),
             disputed),
            ("both", _("without both"), bad | disputed),
        ):
            result.scenarios.append(_scenario(contest, arrays, leave_out, key, title, order,
                                              result.allocation.seats))
    return result


def _scenario(contest, arrays, leave_out, key, title, order, baseline) -> Scenario:
    kept = arrays.subset(~leave_out)
    try:
        seats = _allocate(contest, _votes_of(kept), order).seats
    except (ElectoralError, LawError) as exc:
        return Scenario(key, title, int(leave_out.sum()), {}, {}, str(exc))
    changes = {code: (baseline.get(code, 0), seats.get(code, 0))
               for code in sorted(set(baseline) | set(seats))
               if baseline.get(code, 0) != seats.get(code, 0)}
    return Scenario(key, title, int(leave_out.sum()), seats, changes)


def explanation_rows(allocation: Allocation, names: dict[str, str]) -> list[dict]:
    """The allocation's table for a page: party names, votes, full quotas, remainder, seats,
    threshold (shares in per cent and remainders as floats, for the page to format)."""
    passed = {}
    if allocation.threshold is not None:
        passed = {row.party: row for row in allocation.threshold.rows}
    rows = []
    for row in allocation.rows:
        threshold = passed.get(row.party)
        rows.append({
            "party": names.get(row.party, row.party), "votes": row.votes, "seats": row.seats,
            "full_quotas": row.full_quotas,
            "remainder": None if row.remainder is None else float(row.remainder),
            "share": None if threshold is None else float(threshold.share) * 100,
            "passed": None if threshold is None else threshold.passed,
        })
    return rows


def award_rows(allocation: Allocation, names: dict[str, str]) -> list[dict]:
    """The seats given on a remainder or taken back, with the party's name and why (in the
    reader's language)."""
    why = {"remainder": _("largest remainder"), "removed": _("taken back")}
    return [{"seat": award.seat, "party": names.get(award.party, award.party),
             "basis": why[award.basis],
             "note": wording.phrase(award.why, names) if award.why else award.note}
            for award in allocation.awards if award.basis in why]


def scenario_rows(verification: SeatVerification) -> list[dict]:
    """The sensitivity table for a page: each scenario with its changed seats as (party name,
    seats with all protocols, seats without)."""
    names = verification.names
    return [{"title": s.title, "n_left_out": s.n_left_out, "error": s.error,
             "changes": [(names.get(code, code), before, after)
                         for code, (before, after) in s.changes.items()]}
            for s in verification.scenarios]
