"""Divisor (highest averages) methods.

Each seat goes, one at a time, to the party with the highest quotient
``votes / d(s)``, where ``s`` is the number of seats the party already holds and ``d``
the method's divisor series:

=========================  ================================  ==========================
method key                 divisors d(0), d(1), d(2), ...    first seat
=========================  ================================  ==========================
``dhondt``                 1, 2, 3, 4, ...                   by quotient
``sainte-lague``           1, 3, 5, 7, ...                   by quotient
``modified-sainte-lague``  1.4, 3, 5, 7, ...                 by quotient
``danish``                 1, 4, 7, 10, ...                  by quotient
``imperiali-divisor``      2, 3, 4, 5, ...                   by quotient
``huntington-hill``        0, √2, √6, √12, ... = √(s(s+1))   every party with votes
``adams``                  0, 1, 2, 3, ...                   every party with votes
=========================  ================================  ==========================

Huntington-Hill and Adams divide by 0 for the first seat, so every party with votes gets
one seat before any other is given; with fewer seats than such parties that is an
`ElectoralError`. Huntington-Hill's divisors are irrational, so it is compared exactly on
the squared quotient ``votes² / (s(s+1))``, which orders parties the same way.

Equal quotients at the last seats follow the evaluator's `TieBreak`; what it cannot settle
is returned as a `Tie`.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

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
)
from eom.electoral.ties import TieBreak


@dataclass(frozen=True)
class DivisorSeries:
    """A divisor series: `divisor(s)` for a party holding `s` seats (squared when `squared`)."""

    name: str
    divisor: Callable[[int], Fraction]
    label: Callable[[int], str]
    first_seat_at_zero: bool = False
    squared: bool = False


def _arithmetic(
    name: str,
    start: int,
    step: int,
    first: Fraction | None = None,
    first_seat_at_zero: bool = False,
) -> DivisorSeries:
    """Series start, start + step, start + 2 step, ... (optionally another first divisor)."""

    def divisor(seats: int) -> Fraction:
        if seats == 0 and first is not None:
            return first
        return Fraction(start + step * seats)

    def label(seats: int) -> str:
        value = divisor(seats)
        return str(value.numerator) if value.denominator == 1 else decimal(value, 1)

    return DivisorSeries(name, divisor, label, first_seat_at_zero=first_seat_at_zero)


def _hill_squared(seats: int) -> Fraction:
    return Fraction(seats * (seats + 1))


def _hill_label(seats: int) -> str:
    return f"√{seats * (seats + 1)}"


SERIES: dict[str, DivisorSeries] = {
    "dhondt": _arithmetic("D'Hondt", 1, 1),
    "sainte-lague": _arithmetic("Sainte-Laguë", 1, 2),
    "modified-sainte-lague": _arithmetic("modified Sainte-Laguë", 1, 2, first=Fraction(7, 5)),
    "danish": _arithmetic("Danish", 1, 3),
    "imperiali-divisor": _arithmetic("Imperiali (divisors 2, 3, 4, ...)", 2, 1),
    "adams": _arithmetic("Adams", 0, 1, first_seat_at_zero=True),
    "huntington-hill": DivisorSeries(
        "Huntington-Hill", _hill_squared, _hill_label, first_seat_at_zero=True, squared=True
    ),
}
"""Method keys (as written in law files and on the command line) to divisor series."""

ENGLISH["tied_each_receives"] = lambda parties, value: (
    f"{', '.join(parties)} tied at {decimal(value)}; each receives a seat"
)


@dataclass(frozen=True)
class DivisorMethod:
    """Highest-averages allocation with one of the `SERIES`.

    Input: votes per party (an `against_all` row is ignored), the number of seats, and the
    registration order when the tie rule needs it. Output: an `Allocation` whose `awards`
    list every seat in order with the quotient and divisor it was won on.
    """

    series: str
    tie_break: TieBreak = field(default_factory=TieBreak)
    source: str = ""

    def __post_init__(self) -> None:
        if self.series not in SERIES:
            allowed = ", ".join(SERIES)
            raise ElectoralError(f"unknown divisor method {self.series!r} (allowed: {allowed})")

    @property
    def name(self) -> str:
        return SERIES[self.series].name

    @property
    def house_monotone(self) -> bool:
        """Divisor methods never take a seat away when the house grows."""
        return True

    def allocate(
        self,
        votes: Mapping[str, int],
        n_seats: int,
        *,
        registration_order: Sequence[str] | None = None,
        district_seats: Mapping[str, int] | None = None,
    ) -> Allocation:
        all_votes, parties = checked_input(votes, n_seats)
        series = SERIES[self.series]
        if n_seats and not any(parties.values()):
            return no_votes_allocation(
                self.name, all_votes, parties, n_seats, self.source, self.series
            )
        seats = {party: 0 for party in parties}
        awards: list[Award] = []
        notes: list[str] = [self.tie_break.describe()]
        positive = [party for party, n in parties.items() if n > 0]
        if series.first_seat_at_zero and n_seats:
            if n_seats < len(positive):
                raise ElectoralError(
                    f"{series.name} gives every party with votes a first seat (divisor 0): "
                    f"{len(positive)} parties have votes but there are only {n_seats} seats"
                )
            for party in positive:
                seats[party] = 1
                awards.append(Award(len(awards) + 1, party, "first seat", None, "0"))
            notes.append(
                f"{series.name}: the first divisor is 0, so each of the {len(positive)} "
                "parties with votes receives one seat before any quotient is compared"
            )
        if series.squared:
            notes.append(
                "Huntington-Hill divisors √(s(s+1)) are irrational; quotients are compared "
                "exactly as votes² / (s(s+1)), which ranks parties identically"
            )
        order = {party: index for index, party in enumerate(parties)}

        def priority(party: str) -> Fraction:
            n_votes = parties[party] ** 2 if series.squared else parties[party]
            divisor = series.divisor(seats[party])
            return Fraction(n_votes * divisor.denominator, divisor.numerator)

        heap = [(-priority(party), order[party], party) for party in positive if n_seats]
        heapq.heapify(heap)
        tie: Tie | None = None
        basis = "quotient squared" if series.squared else "quotient"
        while len(awards) < n_seats and heap:
            best = heapq.heappop(heap)
            group = [best]
            while heap and heap[0][0] == best[0]:
                group.append(heapq.heappop(heap))
            value = -best[0]
            names = [entry[2] for entry in group]
            remaining = n_seats - len(awards)
            why: Phrase | None = None
            winners: tuple[str, ...] = tuple(names)
            if len(names) > 1 and len(names) <= remaining:
                why = Phrase.of("tied_each_receives", parties=tuple(names), value=value)
            elif len(names) > remaining:
                picked = self.tie_break.pick(
                    names,
                    remaining,
                    votes=parties,
                    registration_order=registration_order,
                    value=value,
                )
                winners, tie, why = picked.parties, picked.tie, picked.why
            note = "" if why is None else why.english()
            for party in winners:
                label = series.label(seats[party])
                seats[party] += 1
                awards.append(Award(len(awards) + 1, party, basis, value, label, note, why))
                heapq.heappush(heap, (-priority(party), order[party], party))
            if tie is not None:
                break
            for entry in group:
                if entry[2] not in winners:
                    heapq.heappush(heap, entry)
        return Allocation(
            method=self.name,
            n_seats=n_seats,
            votes=all_votes,
            seats=seats,
            rows=tuple(PartyRow(party, parties[party], seats[party]) for party in parties),
            awards=tuple(awards),
            tie=tie,
            notes=tuple(notes),
            source=self.source,
            method_key=self.series,
        )
