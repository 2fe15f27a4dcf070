"""`eom seats`: allocate seats from a votes CSV under a law or a named method.

    eom seats --law kz-mazhilis-2023 --votes votes.csv [--format table|json]
    eom seats --method dhondt --seats 10 [--threshold 5] --votes votes.csv [--format json]

votes.csv has the header ``name,votes`` (an optional ``registration`` column gives the
registration order, 1 = registered first, for laws that settle ties by it). A row named
``against_all`` counts in a threshold base and never receives seats. Exit codes: 0 with a
result (an unresolved tie is printed as such), 2 for bad input with a message naming the
row, column and reason.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
from dataclasses import dataclass
from typing import IO, Any, NoReturn

from eom.electoral.core import AGAINST_ALL, Allocation, ElectoralError
from eom.electoral.laws import METHODS, available_laws, load_law, load_law_file, make_method
from eom.electoral.render import render_allocation
from eom.electoral.threshold import Threshold
from eom.electoral.ties import TIE_RULES, TieBreak

COLUMNS = ("name", "votes", "registration")
_WHOLE = re.compile(r"^[0-9]+$")


class InputError(Exception):
    """Bad command-line input; printed as is with exit code 2."""


class _Parser(argparse.ArgumentParser):
    """argparse writing to the given streams and raising instead of exiting."""

    def __init__(self, *args: Any, stdout: IO[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # argparse's own arguments, passed through
        self.stdout = stdout

    def _print_message(self, message: str, file: object = None) -> None:  # `file` is ignored
        if message:
            self.stdout.write(message)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        raise _Exit(status)

    def error(self, message: str) -> NoReturn:
        raise InputError(f"{self.prog}: {message}\n{self.format_usage().strip()}")


class _Exit(Exception):
    def __init__(self, status: int) -> None:
        self.status = status


def build_parser(stdout: IO[str]) -> _Parser:
    parser = _Parser(
        prog="eom seats",
        description="Allocate seats from a votes CSV (header name,votes) under a law or method.",
        stdout=stdout,
    )
    how = parser.add_mutually_exclusive_group(required=True)
    how.add_argument("--law", help=f"a shipped law: {', '.join(available_laws())}")
    how.add_argument("--law-file", help="a law TOML file of your own (same format)")
    how.add_argument("--method", choices=list(METHODS), help="a method without a law")
    parser.add_argument("--votes", required=True, help="CSV file with columns name,votes")
    parser.add_argument("--seats", type=int, help="number of seats (with --method)")
    parser.add_argument(
        "--council-seats", type=int, help="council size, for laws whose seats differ per council"
    )
    parser.add_argument("--threshold", help="threshold in percent, e.g. 5 or 4.5 (with --method)")
    parser.add_argument(
        "--threshold-rule",
        choices=["at-least", "more-than"],
        help="at-least (default): a party exactly at the threshold passes",
    )
    parser.add_argument(
        "--threshold-base",
        choices=["valid-incl-against-all", "party-votes"],
        help="valid-incl-against-all (default) or party-votes",
    )
    parser.add_argument(
        "--ties", help=f"tie rules for --method, comma-separated: {', '.join(TIE_RULES)}"
    )
    parser.add_argument("--lot-seed", type=int, help="seed recorded for a lot, if one is drawn")
    parser.add_argument("--format", choices=["table", "json"], default="table")
    return parser


@dataclass(frozen=True)
class VotesFile:
    votes: dict[str, int]
    registration_order: tuple[str, ...] | None


def read_votes(path: str) -> VotesFile:
    """Read and check a votes CSV; every error names the file, line, column and reason."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as error:
        raise InputError(f"{path}: cannot read the file ({error.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(
            f"{path}, line {line}: not UTF-8 text (byte 0x{raw[error.start]:02x}); "
            "save the file as UTF-8"
        ) from None
    if not text.strip():
        raise InputError(f"{path}: the file is empty; expected a header line 'name,votes'")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [cell.strip() for cell in next(reader)]
    for column in ("name", "votes"):
        if column not in header:
            raise InputError(
                f"{path}, line 1: missing column '{column}' (found: {', '.join(header)}); "
                "the header must be 'name,votes'"
            )
    for column in header:
        if column not in COLUMNS:
            raise InputError(
                f"{path}, line 1: unknown column '{column}' (allowed: {', '.join(COLUMNS)})"
            )
    if len(set(header)) != len(header):
        raise InputError(f"{path}, line 1: a column appears twice ({', '.join(header)})")
    index = {column: header.index(column) for column in header}
    votes: dict[str, int] = {}
    first_line: dict[str, int] = {}
    registration: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise InputError(f"{path}, line {line}: {len(row)} cells for {len(header)} columns")
        name = row[index["name"]].strip()
        if not name:
            raise InputError(f"{path}, line {line}, column 'name': the name is empty")
        if name in votes:
            raise InputError(
                f"{path}, line {line}, column 'name': {name!r} already appears "
                f"on line {first_line[name]}"
            )
        votes[name] = _whole(row[index["votes"]], path, line, "votes")
        first_line[name] = line
        if "registration" in index:
            registration[name] = _whole(row[index["registration"]], path, line, "registration")
    if not votes:
        raise InputError(f"{path}: no rows after the header; expected one row per party")
    if not any(name != AGAINST_ALL for name in votes):
        raise InputError(f"{path}: only an '{AGAINST_ALL}' row; there is no party to give seats")
    order = None
    if registration:
        order = tuple(sorted(registration, key=lambda name: registration[name]))
    return VotesFile(votes, order)


def _whole(cell: str, path: str, line: int, column: str) -> int:
    value = cell.strip()
    if _WHOLE.match(value):
        return int(value)
    if value.startswith("-") and _WHOLE.match(value[1:]):
        reason = "is negative"
    elif not value:
        reason = "is empty"
    else:
        reason = "is not a whole number (digits only, no separators or decimals)"
    raise InputError(f"{path}, line {line}, column '{column}': {value!r} {reason}")


def run(argv: list[str], stdout: IO[str], stderr: IO[str]) -> int:
    """Run `eom seats` with `argv` (without the word "seats"); return the exit code."""
    try:
        args = build_parser(stdout).parse_args(argv)
        data = read_votes(args.votes)
        title, allocation = _allocate(args, data)
    except _Exit as done:
        return done.status
    except InputError as error:
        stderr.write(f"error: {error}\n")
        return 2
    except ElectoralError as error:
        stderr.write(f"error: {error}\n")
        return 2
    if args.format == "json":
        payload = {"law": args.law or args.law_file, **allocation.to_dict()}
        payload["seats"] = {
            name: allocation.seats.get(name, 0) for name in data.votes if name != AGAINST_ALL
        }
        json.dump(payload, stdout, ensure_ascii=False, indent=2)
        stdout.write("\n")
    else:
        stdout.write(render_allocation(allocation, title))
    return 0


def _allocate(args: argparse.Namespace, data: VotesFile) -> tuple[str, Allocation]:
    if args.law or args.law_file:
        for option in ("seats", "threshold", "threshold_rule", "threshold_base", "ties"):
            if getattr(args, option) is not None:
                flag = "--" + option.replace("_", "-")
                raise InputError(f"{flag} cannot be used with a law: the law sets it")
        law = load_law(args.law) if args.law else load_law_file(args.law_file)
        if law.system == "compensatory":
            raise InputError(f"{law.id} is compensatory: list seats need the district results")
        if args.council_seats is not None and law.fixed_list_seats is not None:
            raise InputError(
                f"{law.id} fixes {law.fixed_list_seats} list seats; "
                "--council-seats is only for laws whose seats differ per council"
            )
        allocation = law.allocate(
            data.votes,
            council_seats=args.council_seats,
            registration_order=data.registration_order,
            lot_seed=args.lot_seed,
        )
        return f"{law.title} ({law.id}): {allocation.n_seats} list seats", allocation
    if args.seats is None:
        raise InputError("--seats is required with --method")
    if args.seats < 1:
        raise InputError(f"--seats must be a positive integer, got {args.seats}")
    if args.council_seats is not None:
        raise InputError("--council-seats only applies to laws; use --seats with --method")
    rules = tuple(
        rule.strip().replace("-", "_") for rule in (args.ties or "").split(",") if rule.strip()
    )
    evaluator = make_method(args.method, TieBreak(rules, args.lot_seed))
    if args.threshold is not None:
        evaluator = Threshold(
            evaluator,
            args.threshold,
            rule=(args.threshold_rule or "at-least").replace("-", "_"),
            base=(args.threshold_base or "valid-incl-against-all").replace("-", "_"),
        )
    elif args.threshold_rule or args.threshold_base:
        raise InputError("--threshold-rule and --threshold-base need --threshold")
    allocation = evaluator.allocate(
        data.votes, args.seats, registration_order=data.registration_order
    )
    return f"{args.method}: {args.seats} seats", allocation
