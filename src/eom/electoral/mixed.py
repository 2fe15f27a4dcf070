"""Mixed systems: parallel (mixed-member majoritarian) and compensatory (MMP).

Both take list votes plus ``district_votes = {district: {candidate label: votes}}``.

- `Parallel`: the list seats are allocated among lists independently of the districts and
  the two are added (Kazakhstan's Mazhilis 2023: 69 list seats + 29 districts).
- `Compensatory`: `n_seats` is the nominal size of the house. The list votes decide each
  qualifying party's proportional entitlement to the whole house (less the district seats
  won by independents and by parties that did not qualify); a party's list seats are its
  entitlement minus its district seats. A party with more district seats than entitlement
  keeps them as overhang seats (``overhang="keep"``, the house grows by the overhang) or the
  house is enlarged until every entitlement covers the district seats
  (``overhang="level"``, levelling seats; ``max_seats`` caps the growth).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypedDict

from eom.electoral.core import (
    Allocation,
    ElectoralError,
    Evaluator,
    Tie,
    check_seats,
    check_votes,
    contestants,
)
from eom.electoral.plurality import DistrictResults, Plurality, allocate_districts

OVERHANG_RULES: dict[str, str] = {
    "keep": "overhang seats are kept and the house grows by them",
    "level": "the house is enlarged with levelling seats until no party has overhang",
}


@dataclass(frozen=True)
class MixedAllocation:
    """Seats of a mixed system: totals, list and district parts, overhang, levelling.

    `seats` is the total per party or district winner label; `tie` is the first tie the law
    does not settle (a district tie or a list tie); `list_allocation` the list part's own
    explanation (None when a district tie stops a compensatory calculation).
    """

    system: str
    n_seats: int
    seats: dict[str, int]
    list_seats: dict[str, int]
    district_seats: dict[str, int]
    districts: DistrictResults
    list_allocation: Allocation | None
    overhang: dict[str, int] = field(default_factory=dict)
    n_levelling: int = 0
    tie: Tie | None = None
    notes: tuple[str, ...] = ()

    @property
    def n_allocated(self) -> int:
        return sum(self.seats.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "system": self.system,
            "n_seats": self.n_seats,
            "seats": dict(self.seats),
            "tie": None if self.tie is None else self.tie.to_dict(),
            "explanation": {
                "list_seats": dict(self.list_seats),
                "district_seats": dict(self.district_seats),
                "overhang": dict(self.overhang),
                "n_levelling": self.n_levelling,
                "notes": list(self.notes),
                "list": None if self.list_allocation is None else self.list_allocation.to_dict(),
                "districts": self.districts.to_dict(),
            },
        }

    def to_text(self) -> str:
        from eom.electoral.render import render_mixed

        return render_mixed(self)


def _overhung(entitlement: Allocation, won: Mapping[str, int], qualified: set[str]) -> bool:
    """True while some qualifying party has more district seats than its entitlement."""
    if entitlement.tie is not None:
        return False
    return any(won.get(p, 0) > entitlement.seats.get(p, 0) for p in qualified)


def _totals(*parts: Mapping[str, int]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for part in parts:
        for name, n in part.items():
            totals[name] = totals.get(name, 0) + n
    return totals


@dataclass(frozen=True)
class Parallel:
    """List seats and district seats decided independently, then added.

    Input: list votes, `n_seats` list seats, `district_votes`. The district results are
    computed first and passed to the list evaluator as `district_seats` (for a threshold
    alternative such as "passes if it won N districts"). Output: `MixedAllocation`.
    """

    list_evaluator: Evaluator
    district_evaluator: Evaluator = field(default_factory=Plurality)

    @property
    def name(self) -> str:
        return f"parallel: lists by {self.list_evaluator.name}; districts by plurality"

    def allocate(
        self,
        votes: Mapping[str, int],
        n_seats: int,
        *,
        district_votes: Mapping[str, Mapping[str, int]],
        registration_order: Sequence[str] | None = None,
    ) -> MixedAllocation:
        districts = allocate_districts(
            district_votes, self.district_evaluator, registration_order=registration_order
        )
        lists = self.list_evaluator.allocate(
            votes,
            n_seats,
            registration_order=registration_order,
            district_seats=districts.seats,
        )
        tie = districts.ties[0][1] if districts.ties else lists.tie
        notes = [f"{n_seats} list seats + {districts.n_seats} district seats"]
        notes += [f"district {name}: {t.reason}" for name, t in districts.ties]
        return MixedAllocation(
            system=self.name,
            n_seats=n_seats + districts.n_seats,
            seats=_totals(lists.seats, districts.seats),
            list_seats=dict(lists.seats),
            district_seats=dict(districts.seats),
            districts=districts,
            list_allocation=lists,
            tie=tie,
            notes=tuple(notes),
        )


class _ListOptions(TypedDict):
    """What the list evaluator is told besides the votes and the number of seats."""

    registration_order: Sequence[str] | None
    district_seats: Mapping[str, int]


@dataclass(frozen=True)
class Compensatory:
    """Mixed-member proportional: list seats top district seats up to the entitlement.

    Input: list votes, `n_seats` the nominal house size (districts included),
    `district_votes`. Output: `MixedAllocation` with overhang and levelling seats explained.
    """

    list_evaluator: Evaluator
    district_evaluator: Evaluator = field(default_factory=Plurality)
    overhang_rule: str = "keep"
    max_seats: int | None = None

    def __post_init__(self) -> None:
        if self.overhang_rule not in OVERHANG_RULES:
            allowed = ", ".join(OVERHANG_RULES)
            raise ElectoralError(f"unknown overhang rule {self.overhang_rule!r} ({allowed})")

    @property
    def name(self) -> str:
        return f"compensatory: entitlement by {self.list_evaluator.name}; districts by plurality"

    def allocate(
        self,
        votes: Mapping[str, int],
        n_seats: int,
        *,
        district_votes: Mapping[str, Mapping[str, int]],
        registration_order: Sequence[str] | None = None,
    ) -> MixedAllocation:
        check_seats(n_seats)
        parties = contestants(check_votes(votes))
        districts = allocate_districts(
            district_votes, self.district_evaluator, registration_order=registration_order
        )
        won = districts.seats
        if districts.n_seats > n_seats:
            raise ElectoralError(
                f"{districts.n_seats} districts but a house of {n_seats}: a compensatory "
                "system needs at least as many seats as districts"
            )
        empty = {party: 0 for party in parties}
        notes = [
            f"nominal house {n_seats} seats, {districts.n_seats} of them districts",
            OVERHANG_RULES[self.overhang_rule],
        ]
        if districts.ties:
            name, tie = districts.ties[0]
            notes.append(f"district {name}: {tie.reason}; list seats wait until it is settled")
            return MixedAllocation(
                self.name,
                n_seats,
                dict(won),
                empty,
                dict(won),
                districts,
                None,
                tie=tie,
                notes=tuple(notes),
            )
        kwargs: _ListOptions = {"registration_order": registration_order, "district_seats": won}
        first = self.list_evaluator.allocate(votes, n_seats, **kwargs)
        qualified = set(first.threshold.passed) if first.threshold else set(parties)
        others = {label: n for label, n in won.items() if label not in qualified and n}
        n_proportional = n_seats - sum(others.values())
        if others:
            notes.append(
                f"{sum(others.values())} district seats won by independents or lists that did "
                f"not qualify ({', '.join(others)}) are taken off: {n_proportional} seats are "
                "shared in proportion to the list votes"
            )
        size = n_proportional
        entitlement = self.list_evaluator.allocate(votes, size, **kwargs)
        if self.overhang_rule == "level":
            size, entitlement = self._level(votes, size, won, qualified, others, kwargs)
            if size > n_proportional:
                notes.append(
                    f"house enlarged by {size - n_proportional} levelling seats to "
                    f"{size + sum(others.values())} so every party's entitlement covers "
                    "its district seats"
                )
        list_seats = {p: max(0, entitlement.seats.get(p, 0) - won.get(p, 0)) for p in parties}
        overhang = {
            p: won[p] - entitlement.seats.get(p, 0)
            for p in qualified
            if won.get(p, 0) > entitlement.seats.get(p, 0)
        }
        if overhang:
            notes.append(
                "overhang seats (district seats beyond the entitlement): "
                + ", ".join(f"{p} {n}" for p, n in overhang.items())
            )
        return MixedAllocation(
            system=self.name,
            n_seats=n_seats,
            seats=_totals(list_seats, won),
            list_seats=list_seats,
            district_seats=dict(won),
            districts=districts,
            list_allocation=entitlement,
            overhang=overhang,
            n_levelling=size - n_proportional,
            tie=entitlement.tie,
            notes=tuple(notes),
        )

    def _level(
        self,
        votes: Mapping[str, int],
        size: int,
        won: Mapping[str, int],
        qualified: set[str],
        others: Mapping[str, int],
        kwargs: _ListOptions,
    ) -> tuple[int, Allocation]:
        """Smallest house size from `size` up whose entitlements cover the district seats.

        House-monotone methods (divisor methods) are searched by doubling then bisection;
        others (quota methods, where the Alabama paradox can occur) one seat at a time.
        """
        cap = None if self.max_seats is None else self.max_seats - sum(others.values())

        def entitle(n: int) -> Allocation:
            if cap is not None and n > cap:
                raise ElectoralError(
                    f"levelling would need more than the maximum of {self.max_seats} seats"
                )
            return self.list_evaluator.allocate(votes, n, **kwargs)

        entitlement = entitle(size)
        if not _overhung(entitlement, won, qualified):
            return size, entitlement
        if not getattr(self.list_evaluator, "house_monotone", False):
            while _overhung(entitlement, won, qualified):
                size += 1
                entitlement = entitle(size)
            return size, entitlement
        low, step = size, 1
        while True:  # doubling: `low` is overhung, find a size that is not
            high = low + step
            if cap is not None and low < cap < high:
                high = cap
            result = entitle(high)
            if not _overhung(result, won, qualified):
                break
            low, step = high, step * 2
        while high - low > 1:  # bisection between overhung `low` and covered `high`
            middle = (low + high) // 2
            candidate = entitle(middle)
            if _overhung(candidate, won, qualified):
                low = middle
            else:
                high, result = middle, candidate
        return high, result
