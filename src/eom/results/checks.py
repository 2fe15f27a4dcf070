"""Arithmetic checks of a protocol: declared per law in `results/protocol_checks/<law>.toml`, evaluated
safely (no `eval`) over plain values, one protocol at a time or 100,000 at once with numpy.

A check compares two sums of the protocol's lines with `==`, `<=` or `>=`::

    n_valid + n_invalid == n_in_boxes
    sum(votes) + n_against_all == n_valid      # sum(votes): every party or candidate
    n_in_boxes <= n_registered

within a tolerance: absolute (`tolerance = 3`) or a percentage of a named line
(`tolerance_percent = 1`, `tolerance_of = "n_issued"`). The *excess* is how far the protocol is
from satisfying the comparison (for `==` the absolute difference; for `<=` how much the left
side is above the right); a check fails when the excess is above the tolerance. Percentages are
compared exactly, in integers. A check that reads a line the protocol does not give (None) is
not applicable to it: absent figures are not errors of arithmetic.

Every failure is explained with the numbers, e.g. "valid 604 + invalid 15 = 619 ≠ in the boxes
612 (difference 7, tolerance 0)".
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from importlib.resources import files
from typing import Any

import numpy as np
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from eom.stats.columns import LINES  # the fixed lines of a protocol, in the form's order

CHECK_FILES = files("eom.results") / "protocol_checks"  # one <law>.toml per counting rule
DEFAULT_LAW = "default"

VOTES = "sum(votes)"
OPERATORS = {"==": "≠", "<=": ">", ">=": "<"}  # operator → the sign shown when it fails
SEVERITIES = ("high", "medium", "low")


def line_label(name: str) -> str:
    """The reader's words for a line ("in the boxes" for n_in_boxes)."""
    labels = {
        "n_registered": _("registered"),
        "n_received": _("received"),
        "n_issued": _("issued"),
        "n_cancelled": _("cancelled"),
        "n_in_boxes": _("in the boxes"),
        "n_invalid": _("invalid"),
        "n_valid": _("valid"),
        "n_against_all": _("against all"),
        VOTES: _("votes"),
    }
    return labels.get(name, name)


# The checks of the shipped law files (results/protocol_checks/*.toml) in the reader's words: a short
# label for badges and filters, and each file's title (the title is the msgid, so a law file of
# one's own shows its titles as written). The code (`votes_sum`) stays available beside them.
CHECK_LABELS = {
    "counted": gettext_lazy("ballots counted"),
    "votes_sum": gettext_lazy("votes add up"),
    "boxes_within_issued": gettext_lazy("boxes within issued"),
    "issued_within_received": gettext_lazy("issued within received"),
    "ballots_accounted": gettext_lazy("ballots accounted for"),
    "over_voting": gettext_lazy("over-voting"),
    "ballots_missing": gettext_lazy("ballots missing"),
}
CHECK_TITLES = (
    gettext_noop("Valid and invalid ballots add up to the ballots in the boxes"),
    gettext_noop("The votes add up to the valid ballots"),
    gettext_noop("The votes for the lists and against all add up to the valid ballots"),
    gettext_noop("No more ballots in the boxes than were issued (ballot stuffing)"),
    gettext_noop("No more ballots issued than the station received"),
    gettext_noop("Every ballot received was issued or cancelled (card check)"),
    gettext_noop("No more ballots in the boxes than voters on the list (over-voting)"),
    gettext_noop("Ballots issued but not found in the boxes: at most 1 % of those issued"),
)


def check_label(name: str) -> str:
    """A check's short label in the reader's language ("votes add up" for votes_sum); the name
    itself for a check eom does not know."""
    label = CHECK_LABELS.get(name)
    return name if label is None else str(label)


class CheckError(ValueError):
    """A check declaration cannot be read: the message names the file, the check and why."""


Term = tuple[int, str | int]  # (+1 or -1, a line name, "sum(votes)" or an integer constant)


@dataclass(frozen=True)
class Check:
    name: str
    title: str
    expression: str
    left: tuple[Term, ...]
    operator: str
    right: tuple[Term, ...]
    severity: str = "high"
    tolerance: int = 0
    tolerance_percent: Fraction | None = None
    tolerance_of: str | None = None

    @property
    def lines(self) -> set[str]:
        """The lines the check reads (including `tolerance_of`); VOTES for sum(votes)."""
        names = {t for _s, t in self.left + self.right if isinstance(t, str)}
        return names | ({self.tolerance_of} if self.tolerance_of else set())

    @property
    def label(self) -> str:
        return check_label(self.name)

    @property
    def shown_title(self) -> str:
        """The title in the reader's language (as written when it is not a shipped one)."""
        return _(self.title) if self.title in CHECK_TITLES else self.title

    @property
    def tolerance_text(self) -> str:
        if self.tolerance_percent is not None:
            of = _("of")
            return f"{_number(self.tolerance_percent)} % {of} {line_label(self.tolerance_of)}"
        return str(self.tolerance)


@dataclass(frozen=True)
class Outcome:
    """One check on one protocol. `status`: "pass", "fail" or "n/a" (a line is absent)."""

    check: Check
    status: str
    left: int | None = None
    right: int | None = None
    excess: int = 0
    allowed: int = 0
    explanation: str = ""

    @property
    def failed(self) -> bool:
        return self.status == "fail"


# --- declarations ---------------------------------------------------------------------------

_TOKEN = re.compile(r"\s*(sum\(votes\)|n_[a-z_]+|\d+|==|<=|>=|\+|-|\S)")


def parse_expression(text: str, origin: str = "") -> tuple[tuple[Term, ...], str, tuple[Term, ...]]:
    """`"n_valid + n_invalid == n_in_boxes"` → (left terms, operator, right terms)."""
    where = f"{origin}: " if origin else ""
    tokens = [m.group(1) for m in _TOKEN.finditer(text)]
    operators = [i for i, token in enumerate(tokens) if token in OPERATORS]
    if len(operators) != 1:
        raise CheckError(f"{where}“{text}” needs exactly one of ==, <=, >=")
    at = operators[0]

    def side(items: list[str]) -> tuple[Term, ...]:
        if not items:
            raise CheckError(f"{where}“{text}”: a side of the comparison is empty")
        terms: list[Term] = []
        sign = 1
        expect_term = True
        for token in items:
            if expect_term:
                if token == "-" and not terms:
                    sign = -1
                    continue
                if token in LINES or token == VOTES:
                    terms.append((sign, token))
                elif token.isdigit():
                    terms.append((sign, int(token)))
                else:
                    known = ", ".join((*LINES, VOTES))
                    raise CheckError(f"{where}“{text}”: unknown line “{token}”; lines: {known}")
                expect_term = False
            elif token in {"+", "-"}:
                sign = 1 if token == "+" else -1
                expect_term = True
            else:
                raise CheckError(f"{where}“{text}”: expected + or - before “{token}”")
        if expect_term:
            raise CheckError(f"{where}“{text}”: ends with an operator")
        return tuple(terms)

    return side(tokens[:at]), tokens[at], side(tokens[at + 1 :])


def parse_checks(data: Mapping[str, Any], origin: str) -> tuple[Check, ...]:
    """Checks from a parsed TOML document ({"check": [{name, expression, …}, …]})."""
    items = data.get("check")
    if not isinstance(items, list) or not items:
        raise CheckError(f"{origin}: no [[check]] tables")
    checks: list[Check] = []
    seen: set[str] = set()
    allowed = {"name", "title", "expression", "severity", "tolerance", "tolerance_percent",
               "tolerance_of"}
    for number, item in enumerate(items, start=1):
        where = f"{origin}, check {number}"
        unknown = set(item) - allowed
        if unknown:
            raise CheckError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
        name = item.get("name")
        if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
            raise CheckError(f"{where}: name must be lower-case letters, digits and _")
        if name in seen:
            raise CheckError(f"{where}: duplicate name “{name}”")
        seen.add(name)
        expression = item.get("expression")
        if not isinstance(expression, str):
            raise CheckError(f"{where} ({name}): expression is required")
        left, operator, right = parse_expression(expression, f"{where} ({name})")
        severity = item.get("severity", "high")
        if severity not in SEVERITIES:
            raise CheckError(f"{where} ({name}): severity must be one of {', '.join(SEVERITIES)}")
        tolerance = item.get("tolerance", 0)
        if not isinstance(tolerance, int) or isinstance(tolerance, bool) or tolerance < 0:
            raise CheckError(f"{where} ({name}): tolerance must be a whole number ≥ 0")
        percent = item.get("tolerance_percent")
        of = item.get("tolerance_of")
        if percent is not None:
            if isinstance(percent, bool) or not isinstance(percent, int | float) or percent < 0:
                raise CheckError(f"{where} ({name}): tolerance_percent must be a number ≥ 0")
            if of not in LINES:
                raise CheckError(f"{where} ({name}): tolerance_of must name a line")
            if tolerance:
                raise CheckError(f"{where} ({name}): give tolerance or tolerance_percent, not both")
            percent = Fraction(str(percent))
        elif of is not None:
            raise CheckError(f"{where} ({name}): tolerance_of without tolerance_percent")
        checks.append(Check(
            name=name, title=item.get("title", name), expression=expression, left=left,
            operator=operator, right=right, severity=severity, tolerance=tolerance,
            tolerance_percent=percent, tolerance_of=of,
        ))
    return tuple(checks)


@cache
def load_checks(law: str | None) -> tuple[Check, ...]:
    """The checks of a law (`Contest.rule`), else the default ones."""
    name = law if law and re.fullmatch(r"[a-z0-9-]+", law) else DEFAULT_LAW
    path = CHECK_FILES / f"{name}.toml"
    if not path.is_file():
        path = CHECK_FILES / f"{DEFAULT_LAW}.toml"
    with path.open("rb") as handle:
        return parse_checks(tomllib.load(handle), path.name)


# --- one protocol ---------------------------------------------------------------------------


def _number(value: int | Fraction) -> str:
    """As the reader's language writes numbers (1,234 / 1 234 / 0.5 / 0,5)."""
    if isinstance(value, Fraction):
        if value.denominator != 1:
            return formats.number_format(float(value), use_l10n=True)
        value = value.numerator
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def _value(name: str | int, protocol: Mapping[str, Any]) -> int | None:
    if isinstance(name, int):
        return name
    if name == VOTES:
        votes = protocol.get("votes")
        return None if votes is None else sum(votes.values())
    return protocol.get(name)


def _side(terms: tuple[Term, ...], protocol: Mapping[str, Any]) -> tuple[int | None, str]:
    total = 0
    words = []
    for i, (sign, name) in enumerate(terms):
        value = _value(name, protocol)
        if value is None:
            return None, ""
        total += sign * value
        shown = _number(value) if isinstance(name, int) else f"{line_label(name)} {_number(value)}"
        words.append(("− " if sign < 0 else "") + shown if i == 0 else
                     ("− " if sign < 0 else "+ ") + shown)
    text = " ".join(words)
    if len(terms) > 1:
        text = f"{text} = {_number(total)}"
    return total, text


def allowed_excess(check: Check, base: int | None) -> int:
    """The tolerance in ballots: the absolute one, or ⌊percent × base / 100⌋."""
    if check.tolerance_percent is None:
        return check.tolerance
    if base is None:
        return 0
    return int(check.tolerance_percent * base / 100)


def excess_of(operator: str, difference: int) -> int:
    if operator == "==":
        return abs(difference)
    if operator == "<=":
        return max(difference, 0)
    return max(-difference, 0)


def evaluate(check: Check, protocol: Mapping[str, Any]) -> Outcome:
    """Evaluate one check on a protocol given as {line: int or None, "votes": {code: int}}."""
    left, left_text = _side(check.left, protocol)
    right, right_text = _side(check.right, protocol)
    if left is None or right is None:
        return Outcome(check, "n/a")
    excess = excess_of(check.operator, left - right)
    allowed = allowed_excess(check, protocol.get(check.tolerance_of) if check.tolerance_of
                             else None)
    if excess <= allowed:
        return Outcome(check, "pass", left, right, excess, allowed)
    tolerance = _number(allowed)
    if check.tolerance_percent is not None:
        tolerance = f"{check.tolerance_text} = {tolerance}"
    explanation = _("%(left)s %(sign)s %(right)s (difference %(difference)s, tolerance "
                    "%(tolerance)s)") % {
        "left": left_text, "sign": OPERATORS[check.operator], "right": right_text,
        "difference": _number(excess), "tolerance": tolerance,
    }
    return Outcome(check, "fail", left, right, excess, allowed, explanation)


def evaluate_all(checks: Sequence[Check], protocol: Mapping[str, Any]) -> list[Outcome]:
    return [evaluate(check, protocol) for check in checks]


def failed_names(checks: Sequence[Check], protocol: Mapping[str, Any]) -> list[str]:
    return [o.check.name for o in evaluate_all(checks, protocol) if o.failed]


# --- many protocols (numpy) -----------------------------------------------------------------


@dataclass(frozen=True)
class ColumnOutcome:
    """One check over n protocols: boolean arrays `applicable` and `failed`, int64 `excess`."""

    check: Check
    applicable: np.ndarray
    failed: np.ndarray
    excess: np.ndarray

    @property
    def n_failed(self) -> int:
        return int(self.failed.sum())


def evaluate_columns(
    checks: Sequence[Check], lines: Mapping[str, np.ndarray], votes_sum: np.ndarray
) -> list[ColumnOutcome]:
    """Evaluate checks over n protocols at once. `lines[name]` is an int64 array in which -1
    marks an absent line; `votes_sum` the int64 sum of each protocol's votes (-1: none).
    Same results as `evaluate` protocol by protocol (a test compares them)."""
    n = len(votes_sum)
    columns = {**lines, VOTES: votes_sum}
    outcomes = []
    for check in checks:
        applicable = np.ones(n, dtype=bool)
        sides = []
        for terms in (check.left, check.right):
            total = np.zeros(n, dtype=np.int64)
            for sign, name in terms:
                if isinstance(name, int):
                    total += sign * name
                    continue
                column = columns[name]
                applicable &= column >= 0
                total += sign * column
            sides.append(total)
        difference = sides[0] - sides[1]
        if check.operator == "==":
            excess = np.abs(difference)
        elif check.operator == "<=":
            excess = np.maximum(difference, 0)
        else:
            excess = np.maximum(-difference, 0)
        if check.tolerance_percent is None:
            failed = excess > check.tolerance
        else:
            base = columns[check.tolerance_of]
            p = check.tolerance_percent
            # excess > ⌊p × base / 100⌋  ⇔  excess × 100 × den > p.num × base (integers)
            allowed = (p.numerator * np.maximum(base, 0)) // (100 * p.denominator)
            failed = excess > allowed
        failed &= applicable
        outcomes.append(ColumnOutcome(check, applicable, failed, np.where(applicable, excess, 0)))
    return outcomes
