"""Values shared by every evaluator: vote checks, `Tie`, the step table and `Allocation`.

Every evaluator in `eom.electoral` has one verb, ``allocate(votes, n_seats, ...)``, and
returns an `Allocation`: the integer seats plus the explanation as data (threshold base,
who passed and why, the quota or the divisor steps, remainders, which party got each
remainder seat and why). Votes and seats are `int`; quotas, quotients, shares and
remainders are exact `fractions.Fraction`. Nothing here is ever a float.

Sentences of the explanation (why a seat went where, why a tie is left open) are data too: a
`Phrase` is a kind and the values it names (parties, counts, exact fractions). The command line
reads them in English (`Phrase.english`, the text kept in `Award.note` and `Tie.reason`); the
web pages render the same kinds in the reader's language with the numbers formatted for it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Protocol

AGAINST_ALL = "against_all"
"""The row name for "against all" ballots: counted in a threshold base, never given seats."""


class ElectoralError(ValueError):
    """The input or the law does not allow an allocation; the message says why."""


def check_votes(votes: Mapping[str, int]) -> dict[str, int]:
    """Return `votes` as a plain dict after checking names and integer, non-negative votes."""
    if not isinstance(votes, Mapping):
        raise ElectoralError("votes must be a mapping of party name to integer votes")
    checked: dict[str, int] = {}
    for name, n_votes in votes.items():
        if not isinstance(name, str) or not name.strip():
            raise ElectoralError(f"party name {name!r} must be a non-empty string")
        if isinstance(n_votes, bool) or not isinstance(n_votes, int):
            raise ElectoralError(
                f"votes for {name!r} must be an integer, got {type(n_votes).__name__} {n_votes!r}"
            )
        if n_votes < 0:
            raise ElectoralError(f"votes for {name!r} are negative ({n_votes})")
        checked[name] = n_votes
    return checked


def check_seats(n_seats: int) -> int:
    """Return `n_seats` after checking it is a non-negative integer."""
    if isinstance(n_seats, bool) or not isinstance(n_seats, int) or n_seats < 0:
        raise ElectoralError(f"the number of seats must be a non-negative integer, got {n_seats!r}")
    return n_seats


def contestants(votes: Mapping[str, int]) -> dict[str, int]:
    """The rows that can receive seats: every row except `against_all`."""
    parties = {name: n for name, n in votes.items() if name != AGAINST_ALL}
    if not parties:
        raise ElectoralError("there is no party to allocate seats to")
    return parties


def checked_input(votes: Mapping[str, int], n_seats: int) -> tuple[dict[str, int], dict[str, int]]:
    """Every evaluator's first step: (all rows' votes, the rows that can receive seats), after
    checking the votes and the number of seats."""
    all_votes = check_votes(votes)
    check_seats(n_seats)
    return all_votes, contestants(all_votes)


def decimal(value: Fraction | int, places: int = 4, grouping: bool = False) -> str:
    """Exact decimal rendering of a fraction, rounded half up at `places` digits.

    With `grouping`, thousands are separated by commas ("86,546.6522").
    """
    value = Fraction(value)
    sign = "-" if value < 0 else ""
    scaled = abs(value) * 10**places
    digits = scaled.numerator // scaled.denominator
    if (scaled - digits) * 2 >= 1:
        digits += 1
    whole, fraction = divmod(digits, 10**places)
    text = f"{whole:,}" if grouping else str(whole)
    if places:
        text += "." + str(fraction).rjust(places, "0")
    return sign + text


def percent(share: Fraction, places: int = 4) -> str:
    """A share as a percentage: exact when it has few digits ("5 %"), else rounded."""
    value = Fraction(share) * 100
    for digits in range(places + 1):
        if (value * 10**digits).denominator == 1:
            return f"{decimal(value, digits)} %"
    return f"{decimal(value, places)} %"


def fraction_to_dict(value: Fraction | None, places: int = 6) -> dict[str, str] | None:
    """JSON form of a fraction: the exact value as "p/q" and a rounded decimal for reading."""
    if value is None:
        return None
    return {"fraction": str(value), "decimal": decimal(value, places)}


ENGLISH: dict[str, Callable[..., str]] = {}
"""Phrase kinds to their English wording; each module registers the kinds it produces."""


@dataclass(frozen=True)
class Phrase:
    """One sentence of an explanation as data: what it says (`kind`) and the values it needs.

    Values are party names (str), tuples of names, integers, exact fractions, booleans and
    nested phrases. `english()` gives the command line's wording.
    """

    kind: str
    values: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, kind: str, **values: Any) -> Phrase:
        return cls(kind, tuple(values.items()))

    @property
    def data(self) -> dict[str, Any]:
        return dict(self.values)

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def english(self) -> str:
        return ENGLISH[self.kind](**self.data)

    def to_dict(self) -> dict[str, Any]:
        """JSON form: the kind and its values (fractions as "p/q", phrases nested)."""

        def plain(value: Any) -> Any:
            if isinstance(value, Phrase):
                return value.to_dict()
            if isinstance(value, Fraction):
                return fraction_to_dict(value)
            if isinstance(value, tuple):
                return [plain(item) for item in value]
            return value

        return {"kind": self.kind, **{key: plain(value) for key, value in self.values}}


def ordinal(n: int) -> str:
    """ "1st", "2nd", "3rd", "11th", "22nd"."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


ENGLISH["no_votes"] = lambda: (
    "no party received any votes; every party is equally placed for every seat"
)


@dataclass(frozen=True)
class Tie:
    """A tie the law does not settle: `n_seats` seats are in dispute among `parties`.

    The disputed seats are not in `Allocation.seats`; a person (the commission, by the
    procedure the law gives) must settle them. `why` is the reason as a `Phrase`; `reason`
    its English wording.
    """

    parties: tuple[str, ...]
    n_seats: int
    reason: str
    value: Fraction | None = None
    why: Phrase | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "parties": list(self.parties),
            "n_seats": self.n_seats,
            "reason": self.reason,
            "value": fraction_to_dict(self.value),
        }


@dataclass(frozen=True)
class Award:
    """One row of the step table: a seat given (or taken back) and why.

    `basis` is one of "quotient", "quotient squared", "first seat", "remainder",
    "removed", "plurality". `value` is the quotient, remainder or votes it was won on;
    `divisor` the divisor used (divisor methods); `note` names any tie rule applied, or the
    rank of the remainder; `why` is that note as a `Phrase`.
    """

    seat: int
    party: str
    basis: str
    value: Fraction | None = None
    divisor: str = ""
    note: str = ""
    why: Phrase | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "seat": self.seat,
            "party": self.party,
            "basis": self.basis,
            "value": fraction_to_dict(self.value),
            "divisor": self.divisor,
            "note": self.note,
        }


@dataclass(frozen=True)
class PartyRow:
    """One party's line: votes, seats, and for quota methods its full quotas and remainder."""

    party: str
    votes: int
    seats: int
    full_quotas: int | None = None
    remainder: Fraction | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "party": self.party,
            "votes": self.votes,
            "seats": self.seats,
            "full_quotas": self.full_quotas,
            "remainder": fraction_to_dict(self.remainder),
        }


@dataclass(frozen=True)
class ThresholdRow:
    """Whether one row passed the threshold, its exact share of the base, and why."""

    party: str
    votes: int
    share: Fraction
    passed: bool
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "party": self.party,
            "votes": self.votes,
            "share": fraction_to_dict(self.share),
            "passed": self.passed,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class ThresholdReport:
    """The threshold applied: share, "at least" or "more than", the base and every row."""

    share: Fraction
    rule: str
    base_name: str
    base_votes: int
    rows: tuple[ThresholdRow, ...]
    notes: tuple[str, ...] = ()

    @property
    def passed(self) -> tuple[str, ...]:
        return tuple(row.party for row in self.rows if row.passed)

    @property
    def votes_needed(self) -> Fraction:
        return self.share * self.base_votes

    def to_dict(self) -> dict[str, Any]:
        return {
            "share": fraction_to_dict(self.share),
            "rule": self.rule,
            "base": self.base_name,
            "base_votes": self.base_votes,
            "votes_needed": fraction_to_dict(self.votes_needed),
            "passed": list(self.passed),
            "rows": [row.to_dict() for row in self.rows],
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class Allocation:
    """The result of one `allocate` call.

    `seats` has every party of the input except `against_all`, with 0 for parties that won
    nothing; seats in dispute (see `tie`) are not in it, so ``sum(seats.values()) ==
    n_seats`` exactly when `tie` is None. The remaining fields are the explanation:
    `method` is its English name, `method_key` the key of `METHODS` ("hare", "dhondt",
    "plurality"), and `quota_votes` the votes the quota divides (quota methods).
    """

    method: str
    n_seats: int
    votes: dict[str, int]
    seats: dict[str, int]
    rows: tuple[PartyRow, ...]
    awards: tuple[Award, ...] = ()
    tie: Tie | None = None
    quota: Fraction | None = None
    quota_formula: str = ""
    threshold: ThresholdReport | None = None
    notes: tuple[str, ...] = ()
    source: str = ""
    method_key: str = ""
    quota_votes: int | None = None

    @property
    def n_allocated(self) -> int:
        return sum(self.seats.values())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: ``{"seats": ..., "tie": ..., "explanation": {...}}``."""
        return {
            "method": self.method,
            "n_seats": self.n_seats,
            "seats": dict(self.seats),
            "tie": None if self.tie is None else self.tie.to_dict(),
            "explanation": {
                "source": self.source,
                "votes": dict(self.votes),
                "threshold": None if self.threshold is None else self.threshold.to_dict(),
                "quota": fraction_to_dict(self.quota),
                "quota_formula": self.quota_formula,
                "rows": [row.to_dict() for row in self.rows],
                "awards": [award.to_dict() for award in self.awards],
                "notes": list(self.notes),
            },
        }

    def to_text(self) -> str:
        """A plain-text table explaining the result (see `eom.electoral.render`)."""
        from eom.electoral.render import render_allocation

        return render_allocation(self)


class Evaluator(Protocol):
    """Anything with the one verb. `name` describes the method in explanations."""

    @property
    def name(self) -> str: ...

    def allocate(
        self,
        votes: Mapping[str, int],
        n_seats: int,
        *,
        registration_order: Sequence[str] | None = None,
        district_seats: Mapping[str, int] | None = None,
    ) -> Allocation: ...


def no_votes_allocation(
    method: str,
    votes: dict[str, int],
    parties: Mapping[str, int],
    n_seats: int,
    source: str,
    method_key: str = "",
) -> Allocation:
    """Nobody has a vote: every party is equally placed for every seat, an explicit `Tie`."""
    return Allocation(
        method=method,
        n_seats=n_seats,
        votes=votes,
        seats={party: 0 for party in parties},
        rows=tuple(PartyRow(party, 0, 0) for party in parties),
        tie=Tie(
            parties=tuple(parties),
            n_seats=n_seats,
            reason=Phrase.of("no_votes").english(),
            value=Fraction(0),
            why=Phrase.of("no_votes"),
        ),
        source=source,
        method_key=method_key,
    )
