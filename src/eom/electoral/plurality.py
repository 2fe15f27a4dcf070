"""Plurality ("first past the post") in single-member districts.

The candidate with the most votes wins the district's seat (with `n_seats` > 1, the
`n_seats` candidates with the most votes). Candidates are keyed by the label that counts
for the seat totals: the party name, or a name of one's own for a self-nominated candidate.
An `against_all` row never wins; if it has more votes than the winner the explanation says
so (in Kazakhstan that does not trigger a re-run). Equal votes at the cut follow the
`TieBreak`; what it cannot settle is a `Tie`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from eom.electoral.core import (
    AGAINST_ALL,
    Allocation,
    Award,
    ElectoralError,
    Evaluator,
    PartyRow,
    Tie,
    checked_input,
)
from eom.electoral.ties import TieBreak


@dataclass(frozen=True)
class Plurality:
    """Most votes wins. Input: votes per candidate label; output: an `Allocation`."""

    tie_break: TieBreak = field(default_factory=TieBreak)
    source: str = ""

    @property
    def name(self) -> str:
        return "plurality"

    def allocate(
        self,
        votes: Mapping[str, int],
        n_seats: int = 1,
        *,
        registration_order: Sequence[str] | None = None,
        district_seats: Mapping[str, int] | None = None,
    ) -> Allocation:
        all_votes, candidates = checked_input(votes, n_seats)
        if n_seats > len(candidates):
            raise ElectoralError(
                f"{n_seats} seats but only {len(candidates)} candidates: plurality cannot fill them"
            )
        ranked = sorted(candidates, key=lambda name: -candidates[name])
        awards: list[Award] = []
        tie: Tie | None = None
        if n_seats:
            cut = candidates[ranked[n_seats - 1]]
            above = [name for name in ranked if candidates[name] > cut]
            at_cut = [name for name in ranked if candidates[name] == cut]
            awards.extend(
                Award(i, name, "plurality", Fraction(candidates[name]))
                for i, name in enumerate(above, start=1)
            )
            need = n_seats - len(above)
            why = None
            if len(at_cut) == need:
                winners: tuple[str, ...] = tuple(at_cut)
            else:
                picked = self.tie_break.pick(
                    at_cut,
                    need,
                    votes=candidates,
                    registration_order=registration_order,
                    value=Fraction(cut),
                )
                winners, tie, why = picked.parties, picked.tie, picked.why
            note = "" if why is None else why.english()
            awards.extend(
                Award(i, name, "plurality", Fraction(cut), note=note, why=why)
                for i, name in enumerate(winners, start=len(awards) + 1)
            )
        seats = {name: 0 for name in candidates}
        for award in awards:
            seats[award.party] += 1
        notes = [self.tie_break.describe()]
        against = all_votes.get(AGAINST_ALL)
        if against is not None and awards and against > min(candidates[a.party] for a in awards):
            notes.append(
                f"against all ({against:,}) has more votes than a winner; against all never "
                "receives a seat"
            )
        return Allocation(
            method=self.name,
            n_seats=n_seats,
            votes=all_votes,
            seats=seats,
            rows=tuple(PartyRow(name, candidates[name], seats[name]) for name in candidates),
            awards=tuple(awards),
            tie=tie,
            notes=tuple(notes),
            source=self.source,
            method_key="plurality",
        )


@dataclass(frozen=True)
class DistrictResults:
    """Every district's `Allocation`, seats won per label, and the district ties."""

    districts: dict[str, Allocation]
    seats: dict[str, int]
    ties: tuple[tuple[str, Tie], ...]

    @property
    def n_seats(self) -> int:
        return len(self.districts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "seats": dict(self.seats),
            "ties": [{"district": name, **tie.to_dict()} for name, tie in self.ties],
            "districts": {
                name: {
                    "winner": [a.party for a in alloc.awards],
                    "votes": dict(alloc.votes),
                    "tie": None if alloc.tie is None else alloc.tie.to_dict(),
                }
                for name, alloc in self.districts.items()
            },
        }


def allocate_districts(
    district_votes: Mapping[str, Mapping[str, int]],
    evaluator: Evaluator | None = None,
    *,
    registration_order: Sequence[str] | None = None,
) -> DistrictResults:
    """One seat per district by `evaluator` (plurality by default); totals per label.

    Input: ``{district name: {candidate label: votes}}``. Output: `DistrictResults`; a
    district whose tie the law does not settle contributes its `Tie` and no seat.
    """
    evaluator = evaluator or Plurality()
    results: dict[str, Allocation] = {}
    seats: dict[str, int] = {}
    ties: list[tuple[str, Tie]] = []
    for district, votes in district_votes.items():
        try:
            result = evaluator.allocate(votes, 1, registration_order=registration_order)
        except ElectoralError as error:
            raise ElectoralError(f"district {district!r}: {error}") from None
        results[district] = result
        for name, won in result.seats.items():
            seats[name] = seats.get(name, 0) + won
        if result.tie is not None:
            ties.append((district, result.tie))
    return DistrictResults(results, seats, tuple(ties))
