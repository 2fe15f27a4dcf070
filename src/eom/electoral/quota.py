"""Quota methods with largest remainder (Hamilton).

Each party first receives one seat per full quota, ``floor(votes / quota)``; the seats
left over go one each to the parties with the largest remainders ``votes / quota −
floor(votes / quota)``:

======================  ==================================  ================
method key              quota                               can over-allocate
======================  ==================================  ================
``hare``                votes / seats                       no
``droop``               ⌊votes / (seats + 1)⌋ + 1           no
``hagenbach-bischoff``  votes / (seats + 1)                 only on exact ties
``imperiali``           votes / (seats + 2)                 yes
======================  ==================================  ================

"votes" is the total of the parties competing (after any threshold, without
`against_all`). When full quotas exceed the seats (Imperiali), the usual rule takes the
excess back from the parties with the smallest remainders, and the explanation says so.
With more leftover seats than parties with votes (tiny vote totals under Droop), each such
party receives one seat per round, in remainder order. Equal remainders at the cut follow
the `TieBreak`; what it cannot settle is a `Tie`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import TypedDict

from eom.electoral.core import (
    ENGLISH,
    Allocation,
    Award,
    ElectoralError,
    PartyRow,
    Phrase,
    Tie,
    checked_input,
    decimal,
    no_votes_allocation,
    ordinal,
)
from eom.electoral.ties import TieBreak


@dataclass(frozen=True)
class QuotaRule:
    """A quota: `quota(total_votes, n_seats)` and its formula for explanations."""

    name: str
    formula: str
    quota: Callable[[int, int], Fraction]


QUOTAS: dict[str, QuotaRule] = {
    "hare": QuotaRule("Hare quota", "votes / seats", lambda v, n: Fraction(v, n)),
    "droop": QuotaRule(
        "Droop quota", "⌊votes / (seats + 1)⌋ + 1", lambda v, n: Fraction(v // (n + 1) + 1)
    ),
    "hagenbach-bischoff": QuotaRule(
        "Hagenbach-Bischoff quota", "votes / (seats + 1)", lambda v, n: Fraction(v, n + 1)
    ),
    "imperiali": QuotaRule(
        "Imperiali quota", "votes / (seats + 2)", lambda v, n: Fraction(v, n + 2)
    ),
}
"""Method keys (as written in law files and on the command line) to quotas."""

ENGLISH.update({
    "nth_remainder": lambda n, largest: (
        f"{ordinal(n)} {'largest' if largest else 'smallest'} remainder"
    ),
    "one_each_round": lambda: "more seats to settle than parties: each party takes one this round",
    "tied_seat_each": lambda parties, value: (
        f"{', '.join(parties)} tied at {decimal(value)}; there is a seat for each"
    ),
    "kept_undecided": lambda tie, n_kept, parties: (
        f"{tie.english()}; so {n_kept} seat(s) stay with one of {', '.join(parties)}, undecided"
    ),
})


@dataclass(frozen=True)
class LargestRemainder:
    """Quota + largest remainder allocation.

    Input: votes per party (an `against_all` row is ignored), the number of seats, and the
    registration order when the tie rule needs it. Output: an `Allocation` with `quota`,
    each party's full quotas and remainder in `rows`, and in `awards` every remainder seat
    (or seat taken back) with the remainder it went on and any tie rule used.
    """

    quota: str
    tie_break: TieBreak = field(default_factory=TieBreak)
    source: str = ""

    def __post_init__(self) -> None:
        if self.quota not in QUOTAS:
            allowed = ", ".join(QUOTAS)
            raise ElectoralError(f"unknown quota {self.quota!r} (allowed: {allowed})")

    @property
    def name(self) -> str:
        return f"{QUOTAS[self.quota].name}, largest remainder"

    @property
    def house_monotone(self) -> bool:
        """Largest remainder can take a seat away when the house grows (Alabama paradox)."""
        return False

    def allocate(
        self,
        votes: Mapping[str, int],
        n_seats: int,
        *,
        registration_order: Sequence[str] | None = None,
        district_seats: Mapping[str, int] | None = None,
    ) -> Allocation:
        all_votes, parties = checked_input(votes, n_seats)
        rule = QUOTAS[self.quota]
        total = sum(parties.values())
        if n_seats == 0:
            rows = tuple(PartyRow(party, n, 0) for party, n in parties.items())
            seats = {party: 0 for party in parties}
            return Allocation(
                self.name, 0, all_votes, seats, rows, source=self.source, method_key=self.quota
            )
        if total == 0:
            return no_votes_allocation(
                self.name, all_votes, parties, n_seats, self.source, self.quota
            )
        quota = rule.quota(total, n_seats)
        full = {party: n * quota.denominator // quota.numerator for party, n in parties.items()}
        remainder = {party: n / quota - full[party] for party, n in parties.items()}
        seats = dict(full)
        notes = [self.tie_break.describe()]
        awards: list[Award] = []
        tie: Tie | None = None
        n_full = sum(full.values())
        context: _TieContext = {"votes": parties, "registration_order": registration_order}
        if n_full > n_seats:
            notes.append(
                f"{n_full} full quotas for {n_seats} seats: the {rule.name} over-allocates; "
                f"the usual rule takes {n_full - n_seats} back from the parties with the "
                "smallest remainders"
            )
            chosen, tie = _rank(
                remainder,
                n_full - n_seats,
                lambda taken: [p for p in parties if seats[p] - taken.get(p, 0) > 0],
                largest=False,
                tie_break=self.tie_break,
                context=context,
            )
            for seat, (party, why) in zip(range(n_full, n_seats, -1), chosen, strict=False):
                seats[party] -= 1
                awards.append(
                    Award(seat, party, "removed", remainder[party], note=why.english(), why=why)
                )
            if tie is not None:
                # Each tied party holds one seat in doubt; only some of them keep it.
                for party in tie.parties:
                    seats[party] -= 1
                n_kept = len(tie.parties) - tie.n_seats
                kept = Phrase.of("kept_undecided", tie=tie.why, n_kept=n_kept, parties=tie.parties)
                tie = replace(tie, n_seats=n_kept, reason=kept.english(), why=kept)
        elif n_full < n_seats:
            chosen, tie = _rank(
                remainder,
                n_seats - n_full,
                lambda taken: [p for p in parties if parties[p] > 0],
                largest=True,
                tie_break=self.tie_break,
                context=context,
            )
            for seat, (party, why) in enumerate(chosen, start=n_full + 1):
                seats[party] += 1
                awards.append(
                    Award(seat, party, "remainder", remainder[party], note=why.english(), why=why)
                )
        rows = tuple(
            PartyRow(party, n, seats[party], full[party], remainder[party])
            for party, n in parties.items()
        )
        return Allocation(
            method=self.name,
            n_seats=n_seats,
            votes=all_votes,
            seats=seats,
            rows=rows,
            awards=tuple(awards),
            tie=tie,
            quota=quota,
            quota_formula=f"{rule.formula} = {self._formula(total, n_seats)}",
            notes=tuple(notes),
            source=self.source,
            method_key=self.quota,
            quota_votes=total,
        )

    def _formula(self, total: int, n_seats: int) -> str:
        if self.quota == "hare":
            return f"{total:,} / {n_seats}"
        if self.quota == "droop":
            return f"⌊{total:,} / {n_seats + 1}⌋ + 1"
        if self.quota == "hagenbach-bischoff":
            return f"{total:,} / {n_seats + 1}"
        return f"{total:,} / {n_seats + 2}"


class _TieContext(TypedDict):
    """What a tie-break may look at besides the tied parties (see `TieBreak.pick`)."""

    votes: Mapping[str, int]
    registration_order: Sequence[str] | None


def _rank(
    values: Mapping[str, Fraction],
    k: int,
    eligible: Callable[[dict[str, int]], list[str]],
    *,
    largest: bool,
    tie_break: TieBreak,
    context: _TieContext,
) -> tuple[list[tuple[str, Phrase]], Tie | None]:
    """Pick `k` parties by value (largest or smallest first), one per party per round.

    Returns (party, why) pairs in award order and a `Tie` for what the law leaves open.
    """
    chosen: list[tuple[str, Phrase]] = []
    while k > 0:
        taken: dict[str, int] = {}
        for party, _ in chosen:
            taken[party] = taken.get(party, 0) + 1
        pool = eligible(taken)
        if not pool:
            raise ElectoralError("no party is left to give or take a seat")
        if k >= len(pool):
            ordered = sorted(pool, key=lambda p: values[p], reverse=largest)
            note = Phrase.of("one_each_round")
            chosen.extend((party, note) for party in ordered)
            k -= len(pool)
            continue
        ordered = sorted(pool, key=lambda p: values[p], reverse=largest)
        cut = values[ordered[k - 1]]
        beyond = [p for p in ordered if (values[p] > cut if largest else values[p] < cut)]
        at_cut = [p for p in ordered if values[p] == cut]
        start = len(chosen)
        chosen.extend(
            (party, Phrase.of("nth_remainder", n=start + i + 1, largest=largest))
            for i, party in enumerate(beyond)
        )
        need = k - len(beyond)
        if len(at_cut) == need:
            note = Phrase.of("nth_remainder", n=len(chosen) + 1, largest=largest)
            if need > 1:
                note = Phrase.of("tied_seat_each", parties=tuple(at_cut), value=cut)
            chosen.extend((party, note) for party in at_cut)
            return chosen, None
        picked = tie_break.pick(
            at_cut,
            need,
            value=cut,
            what="remainder seat" if largest else "seat to take back",
            worst=not largest,
            **context,
        )
        assert picked.why is not None
        chosen.extend((party, picked.why) for party in picked.parties)
        return chosen, picked.tie
    return chosen, None
