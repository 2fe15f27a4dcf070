"""Tie rules: how the law settles equal quotients, remainders or votes.

A `TieBreak` applies the law's rules in order (e.g. "the list registered earlier", then
"by lot"). When the rules run out before the tie is settled, the result is an explicit
`Tie` naming the parties and the seats in dispute; nothing is settled silently.

A lot uses ``random.Random(seed)`` with a seed the caller gives and records it in the
explanation, so the drawing can be replayed; without a seed a lot is not drawn and the
tie is returned as a `Tie`.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from eom.electoral.core import ENGLISH, ElectoralError, Phrase, Tie, decimal

TIE_RULES: dict[str, str] = {
    "more_votes": "the party with more votes",
    "earlier_registration": "the list registered earlier",
    "lot": "drawing of lots",
}
"""Tie rule names as written in law files, mapped to their description."""

WHAT = ("seat", "remainder seat", "seat to take back")
"""What a tie is for, as named in the `tie_break` and `unsettled` phrases."""


def _at(value: Fraction | None) -> str:
    return "" if value is None else f" at {decimal(value)}"


def _tie_break(
    contenders: Sequence[str],
    value: Fraction | None,
    n: int,
    what: str,
    chosen: Sequence[str],
    worst: bool,
    used: Sequence[Phrase],
    tie: Phrase | None,
) -> str:
    text = f"{', '.join(contenders)} tied{_at(value)} for {_count(n, what)}"
    if chosen:
        settled = "settled by " + "; ".join(p.english() for p in used) if used else ""
        text += f"; {', '.join(chosen)} {'loses' if worst else 'gets'} it"
        text += f", {settled}" if settled else ""
    if tie is not None:
        text += f"; unresolved: {tie.english()}"
    return text


ENGLISH.update({
    "tie_break": _tie_break,
    "by_more_votes": lambda votes: "more votes ("
    + ", ".join(f"{party} {n:,}" for party, n in votes)
    + ")",
    "by_registration": lambda order: "earlier registration (" + " before ".join(order) + ")",
    "by_lot": lambda seed, order: f"lot drawn with random.Random({seed}) (order {', '.join(order)})",
    "unsettled": lambda parties, value, n, what, cause: (
        f"{', '.join(parties)} tied{_at(value)} for {_count(n, what)}; {cause.english()}"
    ),
    "no_tie_rule": lambda: "no tie rule of the law settles it",
    "still_equal": lambda rules: "still equal after " + ", ".join(TIE_RULES[r] for r in rules),
    "no_registration_order": lambda missing: (
        "the law settles it by earlier registration, but no registration order was given for "
        + ", ".join(missing)
    ),
    "no_lot_seed": lambda: "the law settles it by lot, but no lot seed was given",
})


@dataclass(frozen=True)
class Picked:
    """Outcome of a tie break: the settled parties, an unresolved `Tie`, and the note (as a
    `Phrase` in `why`, in English in `note`)."""

    parties: tuple[str, ...]
    tie: Tie | None
    note: str
    why: Phrase | None = field(default=None, compare=False)


@dataclass(frozen=True)
class TieBreak:
    """The law's tie rules, applied in order; `seed` is the recorded seed of a lot."""

    rules: tuple[str, ...] = ()
    seed: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "rules", tuple(self.rules))
        for rule in self.rules:
            if rule not in TIE_RULES:
                allowed = ", ".join(TIE_RULES)
                raise ElectoralError(f"unknown tie rule {rule!r} (allowed: {allowed})")
        if "lot" in self.rules and self.rules[-1] != "lot":
            raise ElectoralError("a lot settles every tie, so 'lot' must be the last tie rule")
        if self.seed is not None and (
            isinstance(self.seed, bool) or not isinstance(self.seed, int)
        ):
            raise ElectoralError(f"the lot seed must be an integer, got {self.seed!r}")

    def describe(self) -> str:
        if not self.rules:
            return "no tie rule: a tie is reported as a Tie, never settled silently"
        return "ties go to " + ", then ".join(TIE_RULES[rule] for rule in self.rules)

    def pick(
        self,
        contenders: Sequence[str],
        k: int,
        *,
        votes: Mapping[str, int],
        registration_order: Sequence[str] | None = None,
        value: Fraction | None = None,
        what: str = "seat",
        worst: bool = False,
    ) -> Picked:
        """Choose `k` of the equally placed `contenders` (the `k` worst when `worst`).

        `worst` is for taking seats back (an over-allocating quota): the party the law
        ranks last loses first. Returns the settled parties plus a `Tie` for what the
        rules could not settle.
        """
        contenders = list(contenders)
        keys: dict[str, list[int]] = {party: [] for party in contenders}
        used: list[Phrase] = []
        stop: Phrase | None = None
        for rule in self.rules:
            if rule == "more_votes":
                for party in contenders:
                    keys[party].append(-votes.get(party, 0))
                shown = tuple((party, votes.get(party, 0)) for party in contenders)
                used.append(Phrase.of("by_more_votes", votes=shown))
            elif rule == "earlier_registration":
                missing = [p for p in contenders if p not in (registration_order or ())]
                if missing:
                    stop = Phrase.of("no_registration_order", missing=tuple(missing))
                    break
                order = list(registration_order or ())
                for party in contenders:
                    keys[party].append(order.index(party))
                ranked = sorted(contenders, key=order.index)
                used.append(Phrase.of("by_registration", order=tuple(ranked)))
            else:
                if self.seed is None:
                    stop = Phrase.of("no_lot_seed")
                    break
                drawn = sorted(contenders)
                random.Random(self.seed).shuffle(drawn)
                for party in contenders:
                    keys[party].append(drawn.index(party))
                used.append(Phrase.of("by_lot", seed=self.seed, order=tuple(drawn)))
        groups = _groups(contenders, keys)
        if worst:
            groups.reverse()
        chosen: list[str] = []
        remaining = k
        tie: Tie | None = None
        for group in groups:
            if remaining == 0:
                break
            if len(group) <= remaining:
                chosen.extend(group)
                remaining -= len(group)
                continue
            cause = stop or (
                Phrase.of("no_tie_rule")
                if not self.rules
                else Phrase.of("still_equal", rules=self.rules)
            )
            why = Phrase.of(
                "unsettled", parties=tuple(group), value=value, n=remaining, what=what, cause=cause
            )
            tie = Tie(tuple(group), remaining, why.english(), value, why)
            break
        note = Phrase.of(
            "tie_break",
            contenders=tuple(contenders),
            value=value,
            n=k,
            what=what,
            chosen=tuple(chosen),
            worst=worst,
            used=tuple(used) if chosen else (),
            tie=None if tie is None else tie.why,
        )
        return Picked(tuple(chosen), tie, note.english(), note)


def _groups(contenders: list[str], keys: Mapping[str, list[int]]) -> list[list[str]]:
    """Contenders in rank order, grouped where every rule found them equal."""
    ranked = sorted(contenders, key=lambda party: keys[party])
    groups: list[list[str]] = []
    for party in ranked:
        if groups and keys[groups[-1][0]] == keys[party]:
            groups[-1].append(party)
        else:
            groups.append([party])
    return groups


def _list_votes(parties: Sequence[str], votes: Mapping[str, int]) -> str:
    return ", ".join(f"{party} {votes.get(party, 0):,}" for party in parties)


def _count(n: int, what: str) -> str:
    """ "1 seat", "2 seats", "2 seats to take back"."""
    return f"{n} {what if n == 1 else what.replace('seat', 'seats', 1)}"
