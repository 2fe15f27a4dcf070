"""Electoral laws as data: TOML files in ``eom/electoral/laws/`` read with `tomllib`.

A law file names its system and the rules of each part; `load_law("kz-mazhilis-2023")`
validates it strictly (an unknown key or method is an error naming the key) and returns a
`Law` that builds the composed evaluator. Method names from files (and from the command
line) go through the explicit `METHODS` table, never through attribute look-up.

File format (every key is listed in `docs/electoral.md`)::

    [law]          id, title, country, body, source, system ("list" | "parallel" |
                   "compensatory"), notes (list of strings)
    [list]         seats (int) or seats_share ("1/2" of the council, given per council),
                   method, ties (list of tie rules)
    [list.threshold]  percent (int or "4.5"), rule ("at_least" | "more_than"),
                   base ("valid_incl_against_all" | "party_votes"), or_district_seats,
                   min_lists, source
    [districts]    seats or seats_share, method ("plurality"), ties
    [compensation] seats (nominal house), overhang ("keep" | "level"), max_seats
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Any

from eom.electoral.core import Allocation, ElectoralError, Evaluator
from eom.electoral.divisor import SERIES, DivisorMethod
from eom.electoral.mixed import OVERHANG_RULES, Compensatory, MixedAllocation, Parallel
from eom.electoral.plurality import Plurality
from eom.electoral.quota import QUOTAS, LargestRemainder
from eom.electoral.threshold import BASES, RULES, Threshold, as_percent
from eom.electoral.ties import TIE_RULES, TieBreak


def _divisor(key: str) -> Callable[[TieBreak, str], Evaluator]:
    return lambda tie_break, source: DivisorMethod(key, tie_break, source)


def _quota(key: str) -> Callable[[TieBreak, str], Evaluator]:
    return lambda tie_break, source: LargestRemainder(key, tie_break, source)


METHODS: dict[str, Callable[[TieBreak, str], Evaluator]] = {
    **{key: _divisor(key) for key in SERIES},
    **{key: _quota(key) for key in QUOTAS},
}
"""Proportional method names (law files, command line) to evaluator factories."""

DISTRICT_METHODS: dict[str, Callable[[TieBreak, str], Evaluator]] = {
    "plurality": lambda tie_break, source: Plurality(tie_break, source),
}
SYSTEMS = ("list", "parallel", "compensatory")

_SCHEMA: dict[str, set[str]] = {
    "": {"law", "list", "districts", "compensation"},
    "law": {"id", "title", "country", "body", "source", "system", "notes"},
    "list": {"seats", "seats_share", "method", "ties", "threshold"},
    "list.threshold": {"percent", "rule", "base", "or_district_seats", "min_lists", "source"},
    "districts": {"seats", "seats_share", "method", "ties"},
    "compensation": {"seats", "overhang", "max_seats"},
}
_LAW_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class LawError(ElectoralError):
    """A law file is missing, unreadable or invalid; the message names the file and key."""


def make_method(key: str, tie_break: TieBreak | None = None, source: str = "") -> Evaluator:
    """The proportional evaluator called `key` in `METHODS` (an `ElectoralError` if unknown)."""
    if key not in METHODS:
        raise ElectoralError(f"unknown method {key!r} (allowed: {', '.join(METHODS)})")
    return METHODS[key](tie_break or TieBreak(), source)


@dataclass(frozen=True)
class Part:
    """One part of a law: its seats (fixed or a share of the council), method, tie rules."""

    seats: int | None
    seats_share: Fraction | None
    method: str
    ties: tuple[str, ...]
    threshold: dict[str, Any] | None = None

    def n_seats(self, law_id: str, what: str, council_seats: int | None) -> int:
        if self.seats is not None:
            return self.seats
        assert self.seats_share is not None
        if council_seats is None:
            raise ElectoralError(
                f"{law_id}: {what} seats are {self.seats_share} of the council, which differs "
                "per council; give the council's number of seats"
            )
        if (
            isinstance(council_seats, bool)
            or not isinstance(council_seats, int)
            or council_seats < 1
        ):
            raise ElectoralError(f"council seats must be a positive integer, got {council_seats!r}")
        share = self.seats_share * council_seats
        if share.denominator != 1:
            raise ElectoralError(
                f"{law_id}: {what} seats are {self.seats_share} of {council_seats} = {share}, "
                "not a whole number, and the law file does not say how to round"
            )
        return int(share)


@dataclass(frozen=True)
class Law:
    """A validated law file; builds evaluators and allocates seats under it."""

    id: str
    title: str
    country: str
    body: str
    source: str
    system: str
    notes: tuple[str, ...]
    list_part: Part
    districts: Part | None
    compensation: dict[str, Any] | None

    @property
    def fixed_list_seats(self) -> int | None:
        return self.list_part.seats

    def list_seats(self, council_seats: int | None = None) -> int:
        """Seats given by list under this law (for councils, from their size)."""
        if self.system == "compensatory":
            raise ElectoralError(f"{self.id}: compensatory; list seats follow from the districts")
        return self.list_part.n_seats(self.id, "list", council_seats)

    def evaluator(self, lot_seed: int | None = None) -> Evaluator:
        """The composed list evaluator: threshold (if any) around the law's method."""
        method = make_method(
            self.list_part.method, TieBreak(self.list_part.ties, lot_seed), self.source
        )
        rules = self.list_part.threshold
        if rules is None:
            return method
        return Threshold(
            method,
            source=rules.get("source", self.source),
            **{key: value for key, value in rules.items() if key != "source"},
        )

    def allocate(
        self,
        votes: Mapping[str, int],
        n_seats: int | None = None,
        *,
        council_seats: int | None = None,
        registration_order: Sequence[str] | None = None,
        district_seats: Mapping[str, int] | None = None,
        lot_seed: int | None = None,
    ) -> Allocation:
        """List seats under the law. `n_seats` defaults to the law's (or council's) number."""
        if n_seats is None:
            n_seats = self.list_seats(council_seats)
        elif self.list_part.seats is not None or council_seats is not None:
            expected = self.list_seats(council_seats)
            if n_seats != expected:
                raise ElectoralError(f"{self.id} gives {expected} list seats, not {n_seats}")
        result = self.evaluator(lot_seed).allocate(
            votes, n_seats, registration_order=registration_order, district_seats=district_seats
        )
        return replace(result, notes=result.notes + self.notes)

    def allocate_mixed(
        self,
        votes: Mapping[str, int],
        district_votes: Mapping[str, Mapping[str, int]],
        *,
        council_seats: int | None = None,
        registration_order: Sequence[str] | None = None,
        lot_seed: int | None = None,
    ) -> MixedAllocation:
        """Lists and districts together (parallel or compensatory laws)."""
        if self.districts is None:
            raise ElectoralError(f"{self.id} has no districts")
        district_method = DISTRICT_METHODS[self.districts.method](
            TieBreak(self.districts.ties, lot_seed), self.source
        )
        n_districts = self.districts.n_seats(self.id, "district", council_seats)
        if len(district_votes) != n_districts:
            raise ElectoralError(
                f"{self.id} has {n_districts} districts; results were given for "
                f"{len(district_votes)}"
            )
        if self.system == "compensatory":
            assert self.compensation is not None
            system: Parallel | Compensatory = Compensatory(
                self.evaluator(lot_seed),
                district_method,
                self.compensation.get("overhang", "keep"),
                self.compensation.get("max_seats"),
            )
            n_seats = self.compensation["seats"]
        else:
            system = Parallel(self.evaluator(lot_seed), district_method)
            n_seats = self.list_seats(council_seats)
        return system.allocate(
            votes, n_seats, district_votes=district_votes, registration_order=registration_order
        )


def available_laws() -> list[str]:
    """Ids of the law files shipped with eom."""
    folder = resources.files("eom.electoral").joinpath("laws")
    return sorted(item.name[:-5] for item in folder.iterdir() if item.name.endswith(".toml"))


def load_law(law_id: str) -> Law:
    """The shipped law `law_id` (e.g. "kz-mazhilis-2023"), validated."""
    if not isinstance(law_id, str) or not _LAW_ID.match(law_id) or law_id not in available_laws():
        raise LawError(f"unknown law {law_id!r} (available: {', '.join(available_laws())})")
    text = resources.files("eom.electoral").joinpath("laws", f"{law_id}.toml").read_text("utf-8")
    law = parse_law(text, f"{law_id}.toml")
    if law.id != law_id:
        raise LawError(f"{law_id}.toml: law.id is {law.id!r}, not the file name {law_id!r}")
    return law


def load_law_file(path: str | Path) -> Law:
    """A law file of one's own, validated the same way as the shipped ones."""
    path = Path(path)
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise LawError(f"{path}: cannot read the law file ({error})") from None
    return parse_law(text, str(path))


def parse_law(text: str, origin: str = "<law>") -> Law:
    """Validate TOML text as a law; errors name `origin` and the offending key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise LawError(f"{origin}: not valid TOML ({error})") from None
    check = _Checker(origin)
    check.table(data, "", required={"law", "list"})
    head = check.table(data["law"], "law", required={"id", "title", "system", "source"})
    system = check.choice(head, "law", "system", SYSTEMS)
    list_part = check.part(data["list"], "list", METHODS, seats_required=system != "compensatory")
    districts = None
    if system == "list":
        if "districts" in data or "compensation" in data:
            raise LawError(f"{origin}: a 'list' system has no [districts] or [compensation]")
    else:
        if "districts" not in data:
            raise LawError(f"{origin}: missing table [districts] (system is {system!r})")
        districts = check.part(
            data["districts"], "districts", DISTRICT_METHODS, seats_required=True
        )
    compensation = None
    if system == "compensatory":
        if "compensation" not in data:
            raise LawError(f"{origin}: missing table [compensation] (system is 'compensatory')")
        compensation = check.table(data["compensation"], "compensation", required={"seats"})
        check.positive_int(compensation, "compensation", "seats")
        check.choice(
            compensation, "compensation", "overhang", tuple(OVERHANG_RULES), default="keep"
        )
        if "max_seats" in compensation:
            check.positive_int(compensation, "compensation", "max_seats")
    elif "compensation" in data:
        raise LawError(f"{origin}: [compensation] only belongs to a 'compensatory' system")
    notes = head.get("notes", [])
    check.strings(notes, "law.notes")
    for key in ("id", "title", "source", "country", "body"):
        if key in head and not isinstance(head[key], str):
            raise LawError(f"{origin}: law.{key} must be a string")
    return Law(
        id=head["id"],
        title=head["title"],
        country=head.get("country", ""),
        body=head.get("body", ""),
        source=head["source"],
        system=system,
        notes=tuple(notes),
        list_part=list_part,
        districts=districts,
        compensation=compensation,
    )


class _Checker:
    """Strict checks that name the file and key in every error."""

    def __init__(self, origin: str) -> None:
        self.origin = origin

    def fail(self, message: str) -> LawError:
        return LawError(f"{self.origin}: {message}")

    def table(self, data: Any, path: str, required: set[str]) -> dict[str, Any]:
        where = f"[{path}]" if path else "the top level"
        if not isinstance(data, dict):
            raise self.fail(f"{path} must be a table")
        for key in data:
            if key not in _SCHEMA[path]:
                name = f"{path}.{key}" if path else key
                raise self.fail(
                    f"unknown key '{name}' (allowed in {where}: {', '.join(sorted(_SCHEMA[path]))})"
                )
        for key in sorted(required):
            if key not in data:
                raise self.fail(f"missing key '{path + '.' if path else ''}{key}'")
        return data

    def choice(
        self,
        data: dict[str, Any],
        path: str,
        key: str,
        allowed: Sequence[str],
        default: str | None = None,
    ) -> str:
        value = data.get(key, default)
        if not isinstance(value, str) or value not in allowed:
            raise self.fail(f"{path}.{key} = {value!r} is not one of: {', '.join(allowed)}")
        return value

    def positive_int(self, data: dict[str, Any], path: str, key: str) -> int:
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise self.fail(f"{path}.{key} must be a positive integer, got {value!r}")
        return value

    def strings(self, value: Any, name: str) -> None:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"{name} must be a list of strings")

    def part(
        self, data: Any, path: str, methods: Mapping[str, object], *, seats_required: bool
    ) -> Part:
        part = self.table(data, path, required={"method"})
        if "threshold" in part and path != "list":
            raise self.fail(f"unknown key '{path}.threshold'")
        method = self.choice(part, path, "method", tuple(methods))
        ties = part.get("ties", [])
        self.strings(ties, f"{path}.ties")
        for rule in ties:
            if rule not in TIE_RULES:
                raise self.fail(
                    f"{path}.ties: unknown tie rule {rule!r} (allowed: {', '.join(TIE_RULES)})"
                )
        if "lot" in ties and ties[-1] != "lot":
            raise self.fail(f"{path}.ties: 'lot' settles every tie, so it must come last")
        seats = share = None
        if seats_required:
            if ("seats" in part) == ("seats_share" in part):
                raise self.fail(f"[{path}] needs exactly one of 'seats' or 'seats_share'")
            if "seats" in part:
                seats = self.positive_int(part, path, "seats")
            else:
                share = self.share(part["seats_share"], f"{path}.seats_share")
        elif "seats" in part or "seats_share" in part:
            raise self.fail(f"{path}: seats come from [compensation] in a compensatory system")
        threshold = None
        if "threshold" in part:
            threshold = self.threshold(part["threshold"])
        return Part(seats, share, method, tuple(ties), threshold)

    def share(self, value: Any, name: str) -> Fraction:
        if not isinstance(value, str):
            raise self.fail(f'{name} must be a string fraction such as "1/2", got {value!r}')
        try:
            share = Fraction(value)
        except (ValueError, ZeroDivisionError):
            raise self.fail(f"{name} = {value!r} is not a fraction") from None
        if not 0 < share <= 1:
            raise self.fail(f"{name} must be between 0 and 1, got {value!r}")
        return share

    def threshold(self, data: Any) -> dict[str, Any]:
        rules = self.table(data, "list.threshold", required={"percent", "rule", "base"})
        try:
            percent = as_percent(rules["percent"], "list.threshold.percent")
        except ElectoralError as error:
            raise self.fail(str(error)) from None
        result: dict[str, Any] = {
            "percent": percent,
            "rule": self.choice(rules, "list.threshold", "rule", tuple(RULES)),
            "base": self.choice(rules, "list.threshold", "base", tuple(BASES)),
        }
        for key in ("or_district_seats", "min_lists"):
            if key in rules:
                result[key] = self.positive_int(rules, "list.threshold", key)
        if "source" in rules:
            if not isinstance(rules["source"], str):
                raise self.fail("list.threshold.source must be a string")
            result["source"] = rules["source"]
        return result
