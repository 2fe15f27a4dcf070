"""`$filter` and `$orderby` of the OData feed: the subset Excel and Power BI send.

Grammar of `$filter` (OData v4 URL conventions, §5.1.1, the common subset):

    expression := term ("or" term)*
    term       := factor ("and" factor)*
    factor     := "not" factor | "(" expression ")" | comparison
    comparison := PROPERTY OPERATOR literal
    OPERATOR   := eq | ne | gt | ge | lt | le
    literal    := 'string' ('' is a quote inside) | number (-12, 3.5, 1e3)
                | date (2023-03-19) | date and time (2023-03-19T20:00:00Z) | true | false | null

Keywords are lower case, as OData writes them; properties are the set's, by their exact name.
Laws: `eq null` holds where the value is empty and `ne null` where it is not; any other
comparison with an empty value, or with null, does not hold. Strings compare by code point,
numbers as numbers; a date compares with a text column holding an ISO date or date and time
(the date part, or the moment when both have a time); a value that is not a date does not
compare. A string literal against a number column, or a number against a text column, is an
error naming the property.

`$orderby`: `PROPERTY [asc|desc], …` (at most MAX_ORDER_KEYS); empty values first when
ascending, last when descending; ties keep the set's order.

Anything else — functions (`startswith`, `contains`), arithmetic, `in`, lambda operators — is
refused with `QueryError` naming the option and the word. Bounded: MAX_LENGTH characters,
MAX_DEPTH levels of parentheses and `not`, MAX_COMPARISONS comparisons.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

MAX_LENGTH = 2_000
MAX_DEPTH = 16
MAX_COMPARISONS = 64
MAX_ORDER_KEYS = 8
OPERATORS = ("eq", "ne", "gt", "ge", "lt", "le")
NUMERIC = {"Edm.Int64", "Edm.Int32", "Edm.Double", "Edm.Decimal"}

TOKEN = re.compile(r"""
    \s*(?:
      (?P<string>'(?:[^']|'')*')
    | (?P<datetime>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))
    | (?P<date>\d{4}-\d{2}-\d{2})(?![\w:])
    | (?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(?![\w.])
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<open>\()
    | (?P<close>\))
    | (?P<other>\S)
    )""", re.VERBOSE)


class QueryError(ValueError):
    """The option cannot be answered: `option` names it, the message says why."""

    def __init__(self, option: str, message: str):
        super().__init__(f"{option}: {message}")
        self.option = option
        self.message = message


Row = dict[str, Any]
Predicate = Callable[[Row], bool]


@dataclass
class Token:
    kind: str
    text: str


def _tokens(text: str) -> list[Token]:
    out, at = [], 0
    text = text.rstrip()
    while at < len(text):
        match = TOKEN.match(text, at)
        if match is None or match.end() == at:
            break
        kind = match.lastgroup or "other"
        out.append(Token(kind, match.group(kind)))
        at = match.end()
    return out


def _date(text: str) -> dt.date | dt.datetime | None:
    try:
        if "T" in text:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
            return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _literal(token: Token) -> Any:
    if token.kind == "string":
        return token.text[1:-1].replace("''", "'")
    if token.kind == "number":
        number = float(token.text)
        return int(token.text) if re.fullmatch(r"-?\d+", token.text) else number
    if token.kind in ("date", "datetime"):
        found = _date(token.text)
        if found is None:
            raise QueryError("$filter", _("%(value)s is not a date") % {"value": token.text})
        return found
    if token.kind == "word" and token.text in ("true", "false", "null"):
        return {"true": True, "false": False, "null": None}[token.text]
    raise QueryError("$filter", _("%(value)s is not a value (a 'string', a number, a date, "
                                  "true, false or null)") % {"value": repr(token.text)})


def _holds(op: str, value: Any, literal: Any) -> bool:
    if literal is None or value is None or value == "":
        empty = value is None or value == ""
        if literal is None and op in ("eq", "ne"):
            return empty if op == "eq" else not empty
        return False
    if isinstance(literal, dt.date):
        value = _date(str(value))
        if value is None:
            return False
        if isinstance(literal, dt.datetime) != isinstance(value, dt.datetime):
            value = value.date() if isinstance(value, dt.datetime) else value
            literal = literal.date() if isinstance(literal, dt.datetime) else literal
    try:
        return {"eq": value == literal, "ne": value != literal}[op] if op in ("eq", "ne") \
            else {"gt": value > literal, "ge": value >= literal, "lt": value < literal,
                  "le": value <= literal}[op]
    except TypeError:
        return False


class _Parser:
    def __init__(self, tokens: list[Token], properties: dict[str, str]):
        self.tokens, self.at, self.properties = tokens, 0, properties
        self.comparisons = 0

    def peek(self) -> Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise QueryError("$filter", _("the expression ends too early"))
        self.at += 1
        return token

    def is_word(self, word: str) -> bool:
        token = self.peek()
        return token is not None and token.kind == "word" and token.text == word

    def expression(self, depth: int) -> Predicate:
        parts = [self.term(depth)]
        while self.is_word("or"):
            self.take()
            parts.append(self.term(depth))
        return parts[0] if len(parts) == 1 else (lambda row: any(p(row) for p in parts))

    def term(self, depth: int) -> Predicate:
        parts = [self.factor(depth)]
        while self.is_word("and"):
            self.take()
            parts.append(self.factor(depth))
        return parts[0] if len(parts) == 1 else (lambda row: all(p(row) for p in parts))

    def factor(self, depth: int) -> Predicate:
        if depth > MAX_DEPTH:
            raise QueryError("$filter", _("nested deeper than %(n)s levels") % {"n": MAX_DEPTH})
        if self.is_word("not"):
            self.take()
            inner = self.factor(depth + 1)
            return lambda row: not inner(row)
        token = self.peek()
        if token is not None and token.kind == "open":
            self.take()
            inner = self.expression(depth + 1)
            if self.take().kind != "close":
                raise QueryError("$filter", _("a parenthesis is not closed"))
            return inner
        return self.comparison()

    def comparison(self) -> Predicate:
        name = self.take()
        if name.kind != "word":
            raise QueryError("$filter", _("expected a property, found %(word)s") % {"word": repr(name.text[:30])})
        following = self.peek()
        if following is not None and following.kind == "open":
            raise QueryError("$filter", _("the function %(name)s is not supported") % {"name": name.text[:60]})
        if name.text not in self.properties:
            raise QueryError("$filter", _("no property %(name)s") % {"name": name.text[:60]})
        op = self.take()
        if op.kind != "word" or op.text not in OPERATORS:
            raise QueryError("$filter", _("%(word)s is not supported; compare with %(operators)s") % {
                "word": repr(op.text[:30]), "operators": ", ".join(OPERATORS)})
        literal = _literal(self.take())
        numeric = self.properties[name.text] in NUMERIC
        if literal is not None and not isinstance(literal, bool):
            if numeric and not isinstance(literal, int | float):
                raise QueryError("$filter", _("%(name)s is a number: compare it with a number") % {
                    "name": name.text})
            if not numeric and isinstance(literal, int | float):
                raise QueryError("$filter", _("%(name)s is text: compare it with a 'string'") % {
                    "name": name.text})
        self.comparisons += 1
        if self.comparisons > MAX_COMPARISONS:
            raise QueryError("$filter", _("more than %(n)s comparisons") % {"n": MAX_COMPARISONS})
        column, operator = name.text, op.text
        return lambda row: _holds(operator, row.get(column), literal)


def parse_filter(text: str, properties: dict[str, str]) -> Predicate:
    """A predicate on rows from a `$filter` expression over `properties` ({name: Edm type});
    QueryError when it is outside the subset or too long or deep."""
    if len(text) > MAX_LENGTH:
        raise QueryError("$filter", _("longer than %(n)s characters") % {"n": MAX_LENGTH})
    tokens = _tokens(text)
    if not tokens:
        raise QueryError("$filter", _("empty"))
    parser = _Parser(tokens, properties)
    predicate = parser.expression(0)
    rest = parser.peek()
    if rest is not None:
        raise QueryError("$filter", _("unexpected %(word)s") % {"word": repr(rest.text[:30])})
    return predicate


def parse_orderby(text: str, properties: dict[str, str]) -> list[tuple[str, bool]]:
    """[(property, descending)] from a `$orderby` option."""
    if len(text) > MAX_LENGTH:
        raise QueryError("$orderby", _("longer than %(n)s characters") % {"n": MAX_LENGTH})
    keys = []
    for part in text.split(","):
        words = part.split()
        if not words or len(words) > 2 or (len(words) == 2 and words[1] not in ("asc", "desc")):
            raise QueryError("$orderby", _("%(part)s: give a property, then asc or desc") % {
                "part": repr(part.strip()[:60])})
        if words[0] not in properties:
            raise QueryError("$orderby", _("no property %(name)s") % {"name": words[0][:60]})
        keys.append((words[0], len(words) == 2 and words[1] == "desc"))
    if len(keys) > MAX_ORDER_KEYS:
        raise QueryError("$orderby", _("more than %(n)s properties") % {"n": MAX_ORDER_KEYS})
    return keys


def ordered(rows: list[Row], keys: list[tuple[str, bool]]) -> list[Row]:
    """The rows sorted by the keys (empty values first ascending, last descending; stable)."""
    for name, descending in reversed(keys):
        rows = sorted(rows, key=lambda row, n=name: (row.get(n) not in (None, ""),
                                                     row.get(n) if row.get(n) not in (None, "")
                                                     else 0),
                      reverse=descending)
    return rows
