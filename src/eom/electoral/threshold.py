"""Legal thresholds wrapped around an allocation method.

`Threshold(inner, percent=5)` admits the parties whose exact share of the stated base
reaches the threshold, then lets `inner` allocate the seats among them only. The comparison
is exact (`Fraction`), with the law's wording:

- ``"at_least"``: a party at exactly 5 % passes (share ≥ 5 %);
- ``"more_than"``: a party at exactly 5 % fails (share > 5 %).

The base is either ``"valid_incl_against_all"`` (all rows of the votes, including an
`against_all` row; Kazakhstan's CEC practice) or ``"party_votes"`` (party rows only).
`against_all` counts in the base and never receives seats.

Legal alternatives: `or_district_seats=N` admits a party that won at least N district
seats (German-style "Grundmandatsklausel"), and `min_lists=N` admits the best-placed lists
below the threshold until N lists take part (rules like Kazakhstan's pre-2022 "runner-up"
clause). The result's `threshold` report lists every row with its share and reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from eom.electoral.core import (
    AGAINST_ALL,
    Allocation,
    ElectoralError,
    Evaluator,
    PartyRow,
    ThresholdReport,
    ThresholdRow,
    checked_input,
    decimal,
)
from eom.electoral.core import percent as percent_text

RULES: dict[str, str] = {"at_least": "at least", "more_than": "more than"}
"""Threshold comparison names to their wording."""

BASES: dict[str, str] = {
    "valid_incl_against_all": "valid ballots including against all",
    "party_votes": "votes for parties (against all excluded)",
}
"""Threshold bases to their description."""


def as_percent(value: object, what: str = "percent") -> Fraction:
    """Read a percentage given as int, Fraction or decimal string ("4.5"); floats refused."""
    if isinstance(value, bool) or isinstance(value, float):
        raise ElectoralError(
            f'{what} must be an integer or a string such as "4.5" (floats are not exact), '
            f"got {value!r}"
        )
    if isinstance(value, int | Fraction):
        result = Fraction(value)
    elif isinstance(value, str):
        try:
            result = Fraction(value.strip())
        except (ValueError, ZeroDivisionError):
            raise ElectoralError(f"{what} {value!r} is not a number") from None
    else:
        raise ElectoralError(f"{what} must be a number, got {type(value).__name__}")
    if not 0 <= result <= 100:
        raise ElectoralError(f"{what} must be between 0 and 100, got {value!r}")
    return result


@dataclass(frozen=True)
class Threshold:
    """Admit parties reaching `percent` of the base, then allocate with `inner` among them.

    Input: votes per row (parties and optionally `against_all`), the number of seats,
    `district_seats` won per party (needed for `or_district_seats`) and the registration
    order (passed to `inner` for its tie rule). Output: `inner`'s `Allocation` over the
    admitted parties, with 0 seats for the others and the `threshold` report filled in.
    """

    inner: Evaluator
    percent: Fraction | int | str
    rule: str = "at_least"
    base: str = "valid_incl_against_all"
    or_district_seats: int | None = None
    min_lists: int | None = None
    source: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "percent", as_percent(self.percent, "threshold percent"))
        if self.rule not in RULES:
            raise ElectoralError(
                f"unknown threshold rule {self.rule!r} (allowed: {', '.join(RULES)})"
            )
        if self.base not in BASES:
            raise ElectoralError(
                f"unknown threshold base {self.base!r} (allowed: {', '.join(BASES)})"
            )
        for key in ("or_district_seats", "min_lists"):
            value = getattr(self, key)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or value < 1
            ):
                raise ElectoralError(f"{key} must be a positive integer, got {value!r}")

    @property
    def house_monotone(self) -> bool:
        return bool(getattr(self.inner, "house_monotone", False))

    @property
    def share(self) -> Fraction:
        return Fraction(self.percent) / 100

    @property
    def name(self) -> str:
        return (
            f"{self.inner.name}; threshold {percent_text(self.share)} "
            f"({RULES[self.rule]}) of {BASES[self.base]}"
        )

    def allocate(
        self,
        votes: Mapping[str, int],
        n_seats: int,
        *,
        registration_order: Sequence[str] | None = None,
        district_seats: Mapping[str, int] | None = None,
    ) -> Allocation:
        all_votes, parties = checked_input(votes, n_seats)
        report = self.report(all_votes, district_seats)
        admitted = {party: parties[party] for party in report.passed}
        if not admitted:
            raise ElectoralError(
                f"no list reached the threshold of {percent_text(self.share)} "
                f"({RULES[self.rule]}) of {report.base_votes:,} {BASES[self.base]}; "
                "the law gives no allocation"
            )
        inner = self.inner.allocate(
            admitted,
            n_seats,
            registration_order=registration_order,
            district_seats=district_seats,
        )
        inner_rows = {row.party: row for row in inner.rows}
        rows = tuple(inner_rows.get(party, PartyRow(party, n, 0)) for party, n in parties.items())
        return replace(
            inner,
            method=self.name,
            votes=all_votes,
            seats={party: inner.seats.get(party, 0) for party in parties},
            rows=rows,
            threshold=report,
            source=self.source or inner.source,
        )

    def report(
        self, votes: Mapping[str, int], district_seats: Mapping[str, int] | None = None
    ) -> ThresholdReport:
        """Who passes and why, for every row of `votes` (against_all included, never passing)."""
        if self.base == "valid_incl_against_all":
            base_votes = sum(votes.values())
        else:
            base_votes = sum(n for party, n in votes.items() if party != AGAINST_ALL)
        share = self.share
        wording = RULES[self.rule]
        needed = share * base_votes
        rows: list[ThresholdRow] = []
        notes: list[str] = [
            f"threshold {percent_text(share)} ({wording}) of "
            f"{base_votes:,} {BASES[self.base]} = {decimal(needed, 2, grouping=True)} votes"
        ]
        for party, n_votes in votes.items():
            party_share = Fraction(n_votes, base_votes) if base_votes else Fraction(0)
            shown = percent_text(party_share)
            if party == AGAINST_ALL:
                rows.append(
                    ThresholdRow(
                        party,
                        n_votes,
                        party_share,
                        False,
                        f"{shown}; counts in the base, never receives seats",
                    )
                )
                continue
            if base_votes == 0:
                passed = False
            elif self.rule == "at_least":
                passed = party_share >= share
            else:
                passed = party_share > share
            sign = (
                (">=" if passed else "<") if self.rule == "at_least" else (">" if passed else "<=")
            )
            reason = f"{shown} {sign} {percent_text(share)}"
            won = (district_seats or {}).get(party, 0)
            if not passed and self.or_district_seats is not None and won >= self.or_district_seats:
                passed = True
                reason += (
                    f", but won {won} district seats (passes with at least "
                    f"{self.or_district_seats})"
                )
            rows.append(ThresholdRow(party, n_votes, party_share, passed, reason))
        if self.min_lists is not None:
            rows = self._admit_runners_up(rows, notes)
        return ThresholdReport(share, wording, self.base, base_votes, tuple(rows), tuple(notes))

    def _admit_runners_up(self, rows: list[ThresholdRow], notes: list[str]) -> list[ThresholdRow]:
        assert self.min_lists is not None
        lists = [row for row in rows if row.party != AGAINST_ALL]
        n_passed = sum(row.passed for row in lists)
        if n_passed >= self.min_lists:
            return rows
        waiting = sorted(
            (row for row in lists if not row.passed and row.votes > 0), key=lambda row: -row.votes
        )
        admit: list[ThresholdRow] = []
        for row in waiting:
            if n_passed + len(admit) >= self.min_lists and row.votes < admit[-1].votes:
                break
            admit.append(row)
        names = {row.party for row in admit}
        notes.append(
            f"fewer than {self.min_lists} lists passed; the law admits the best placed below "
            f"the threshold: {', '.join(row.party for row in admit)} "
            "(lists with equal votes at the cut are all admitted)"
        )
        return [
            replace(
                row,
                passed=True,
                reason=row.reason + f", admitted: fewer than {self.min_lists} lists passed",
            )
            if row.party in names
            else row
            for row in rows
        ]
