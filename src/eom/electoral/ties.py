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
from dataclasses import dataclass
from fractions import Fraction

from eom.electoral.core import ElectoralError, Tie, decimal

TIE_RULES: dict[str, str] = {
    "more_votes": "the party with more votes",
    "earlier_registration": "the list registered earlier",
    "lot": "drawing of lots",
}
"""Tie rule names as written in law files, mapped to their description."""


@dataclass(frozen=True)
class Picked:
    """Outcome of a tie break: the settled parties, an unresolved `Tie`, and the note."""

    parties: tuple[str, ...]
    tie: Tie | None
    note: str


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
        at = "" if value is None else f" at {decimal(value)}"
        head = f"{', '.join(contenders)} tied{at} for {_count(k, what)}"
        keys: dict[str, list[int]] = {party: [] for party in contenders}
        used: list[str] = []
        stop_reason = ""
        for rule in self.rules:
            if rule == "more_votes":
                for party in contenders:
                    keys[party].append(-votes.get(party, 0))
                used.append("more votes (" + _list_votes(contenders, votes) + ")")
            elif rule == "earlier_registration":
                missing = [p for p in contenders if p not in (registration_order or ())]
                if missing:
                    stop_reason = (
                        "the law settles it by earlier registration, but no registration "
                        f"order was given for {', '.join(missing)}"
                    )
                    break
                order = list(registration_order or ())
                for party in contenders:
                    keys[party].append(order.index(party))
                ranked = sorted(contenders, key=order.index)
                used.append("earlier registration (" + " before ".join(ranked) + ")")
            else:
                if self.seed is None:
                    stop_reason = "the law settles it by lot, but no lot seed was given"
                    break
                drawn = sorted(contenders)
                random.Random(self.seed).shuffle(drawn)
                for party in contenders:
                    keys[party].append(drawn.index(party))
                used.append(f"lot drawn with random.Random({self.seed}) (order {', '.join(drawn)})")
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
            reason = stop_reason or (
                "no tie rule of the law settles it"
                if not self.rules
                else "still equal after " + ", ".join(TIE_RULES[r] for r in self.rules)
            )
            tie_head = f"{', '.join(group)} tied{at} for {_count(remaining, what)}"
            tie = Tie(tuple(group), remaining, f"{tie_head}; {reason}", value)
            break
        settled = "settled by " + "; ".join(used) if used and chosen else ""
        verb = "loses" if worst else "gets"
        note = head
        if chosen:
            note += f"; {', '.join(chosen)} {verb} it" + (f", {settled}" if settled else "")
        if tie is not None:
            note += f"; unresolved: {tie.reason}"
        return Picked(tuple(chosen), tie, note)


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
