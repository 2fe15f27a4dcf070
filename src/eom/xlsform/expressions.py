"""The subset of XLSForm (ODK XPath) expressions eom evaluates, without Python `eval`.

Checklists carry `relevant` (skip logic), `constraint` and `required` expressions, and missions
write QA rules in the same language. One parser lives here; its tree is shipped to the browser as
JSON (`to_json`) and `static/eom/xlsexpr.js` walks it with the same semantics, so skip logic and
validation messages update while an observer types, even offline.

API: `parse(text) -> Node` (raises only `ExpressionError`), `names`, `uses_self`, `to_text`,
`to_json`/`from_json`, `evaluate(node, env, current=None, now=None)` and `truthy`.

Grammar (XPath 1.0 as ODK uses it, simplified)
- literals: integers (`12`), decimals (`1.5`, `.5`, `1.`), strings in '…' or "…" (no escapes);
  `${name}` is an answer (names: letters, digits, `_`, `-`, `.`); `.` is the current question.
- operators, loosest first: `or` < `and` < `= !=` < `< <= > >=` < `+ -` < `* div mod` < unary
  `-`; all binary operators are left-associative; parentheses group.
- functions (exactly these, with these argument counts): see `FUNCTIONS`.
- refused with an `ExpressionError` naming what is not supported: other functions, paths and
  repeats (`/data/x`, `..`, `@a`, bare names), predicates, unions; input longer than
  `MAX_LENGTH` characters, nesting (parentheses, calls, unary minus) deeper than `MAX_DEPTH`
  levels, and trees deeper than `MAX_TREE_DEPTH` (long operator chains).

Values and semantics
- values are `int`, `float`, `str` and `bool`. An answer is an int (integer question), a float
  (decimal), a str (text, select_one; select_multiple as space-separated choice names) or ''
  when missing or not relevant; an unknown name is ''. Other Python values are read as: None ->
  '', Decimal -> float, date/datetime -> ISO text, anything else -> str(value).
- number(v): bools are 1/0; a string is a number only if it reads as `-?digits[.digits]` after
  trimming spaces (int without a point, float with one), else NaN ('' is NaN). Negative zero is
  read as zero everywhere (so `1 div -0` is +Infinity, in Python and in JavaScript alike).
- string(v): true/false; ints in full; floats in positional decimal form without exponent and
  without a trailing `.0` (5.0 -> "5", 1.5 -> "1.5"), NaN -> "NaN", +-inf -> "Infinity".
- truthy(v) (XPath boolean()): numbers non-zero and not NaN; strings non-empty; bools as is.
- `or`/`and` short-circuit and give bools.
- comparison: if either operand is a bool, `=`/`!=` compare booleans; else if either is a number,
  the other is converted with number() and compared as numbers (NaN: every comparison is false
  except `!=`, which is true); else strings compare exactly with `=`/`!=`. `< <= > >=` always
  compare numbers (bools as 1/0), so `'' > 5` is false.
- arithmetic converts operands with number(); a NaN operand gives NaN. int op int stays int for
  `+ - * mod` (exact counts; an int beyond 2**1024 becomes a float); `div` gives a float, and
  division by zero gives +-Infinity, or NaN for 0 div 0; `mod` takes the sign of the dividend
  (like JavaScript's `%`) and `x mod 0` is NaN.
- functions: selected(a, b) whether b (trimmed) is one of a's space-separated tokens;
  count-selected(a) the number of tokens; string-length(a) in code points; not(a); if(c, a, b)
  evaluates only the branch taken; coalesce(a, b) is a unless a is ''; number(a); int(a) truncates
  toward zero; round(a, n) rounds half away from zero to n decimal places (n < 0 rounds to tens,
  hundreds, …; floats via floor(|a| * 10**n + 0.5) / 10**n, the same steps as in JavaScript);
  abs(a); concat(a, …); contains(a, b); starts-with(a, b); string(a); today() the ISO date and
  now() the ISO datetime (seconds) of the `now` argument (default: the local time); true();
  false().
- ODK's other functions for forms (regex, selected-at, jr:choice-name, format-date,
  decimal-date-time, date, pow, log, exp, sqrt, the trigonometric ones, floor, ceiling, once,
  uuid, random, join, substr, substring-before/-after, translate, normalize-space, ends-with,
  boolean, boolean-from-string, checklist, weighted-checklist, max, min, sum, count,
  count-non-empty): each states its rule where it is defined, below. regex() searches (matches
  anywhere) with patterns of at most MAX_REGEX characters; a pattern that is not valid matches
  nothing. Dates become numbers only through decimal-date-time() (days since 1970-01-01 UTC).
- repeats: a path (`/data/visits/n`, `../n`, `./n`) is read as the question it ends with
  (names are unique in a form); `..` alone is the enclosing repeat instance, for position(..).
  In the env, a question inside a repeat is a tuple of every instance's value (a node-set)
  when read from outside the repeat, and its own instance's value inside it; a repeat itself
  is a tuple with one item per instance; `ALL + name` holds every value even inside an
  instance (for indexed-repeat), `POSITION` the instance's number. A node-set read as one
  value is its first value ('' when empty). count, sum, max, min, join (after its separator),
  count-non-empty and indexed-repeat (its first two arguments) take node-sets: any other
  `${name}` is a node-set of one (count() is 1) and an argument that is not a name is its
  value. sum() of no value is 0, max()/min() of none NaN; a value that is not a number makes
  sum, max and min NaN. position(..) is the instance's number (1 outside a repeat);
  indexed-repeat(${q}, ${repeat}, i) is q in the i-th instance (1-based), '' beyond them;
  indexed-repeat(${q}, ${outer}, i, ${inner}, j) is q in the j-th instance of `inner` in the
  i-th instance of `outer` (`INSTANCES + inner` gives how many each outer instance has).
- pulldata('file', 'column', 'key_column', key) reads the attached file.csv's rows from the env
  (`DATA + 'file'`): the column of the first row whose key_column is the key's text, else ''.
- in a choice_filter (`parse(text, columns=True)`), a bare name is a column of the choice
  list: `Var(COLUMN + name)`; `label::English` (or `label:English`) is the choice's label in
  that language, which the reader puts among the choice's columns under that name.
- `<`, `<=`, `>`, `>=` order a text that starts as a date (YYYY-MM-DD…) by its days since
  1970-01-01, as ODK Collect orders dates (`. >= today()`); `=` still compares texts.
- not supported (on purpose): `to_text`'s spacing can make a compact input near `MAX_LENGTH` exceed the cap when re-parsed.

JavaScript has one number type: there ints stay exact only while they are safe integers (< 2**53),
which is where the two evaluators are guaranteed to agree.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import secrets
import uuid as uuid_module
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeAlias, overload

from eom.xlsform.wording import Message, gettext_noop

MAX_LENGTH = 2000
MAX_DEPTH = 50
MAX_TREE_DEPTH = 200
_MAX_INT_BITS = 1024

Value: TypeAlias = int | float | str | bool
"""What an expression evaluates to (and what it sees of an answer)."""

# name -> (least, most) arguments; most None means any number.
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "selected": (2, 2),
    "count-selected": (1, 1),
    "string-length": (1, 1),
    "not": (1, 1),
    "if": (3, 3),
    "coalesce": (2, 2),
    "number": (1, 1),
    "int": (1, 1),
    "round": (2, 2),
    "abs": (1, 1),
    "concat": (1, None),
    "contains": (2, 2),
    "starts-with": (2, 2),
    "string": (1, 1),
    "today": (0, 0),
    "now": (0, 0),
    "true": (0, 0),
    "false": (0, 0),
    # the rest of the functions ODK documents for forms
    "regex": (2, 2),
    "selected-at": (2, 2),
    "jr:choice-name": (2, 2),
    "format-date": (2, 2),
    "format-date-time": (2, 2),
    "decimal-date-time": (1, 1),
    "decimal-time": (1, 1),
    "date": (1, 1),
    "date-time": (1, 1),
    "pow": (2, 2),
    "log": (1, 1),
    "log10": (1, 1),
    "exp": (1, 1),
    "exp10": (1, 1),
    "sqrt": (1, 1),
    "sin": (1, 1),
    "cos": (1, 1),
    "tan": (1, 1),
    "asin": (1, 1),
    "acos": (1, 1),
    "atan": (1, 1),
    "atan2": (2, 2),
    "pi": (0, 0),
    "floor": (1, 1),
    "ceiling": (1, 1),
    "once": (1, 1),
    "uuid": (0, 1),
    "random": (0, 0),
    "join": (2, None),
    "substr": (2, 3),
    "substring-before": (2, 2),
    "substring-after": (2, 2),
    "translate": (3, 3),
    "normalize-space": (1, 1),
    "ends-with": (2, 2),
    "boolean": (1, 1),
    "boolean-from-string": (1, 1),
    "checklist": (3, None),
    "weighted-checklist": (4, None),
    "max": (1, None),
    "min": (1, None),
    "sum": (1, 1),
    "count": (1, 1),
    "count-non-empty": (1, 1),
    # repeats
    "position": (0, 1),
    "indexed-repeat": (3, 5),
    # the form's attached CSV files
    "pulldata": (4, 4),
}
UNSTABLE = frozenset({"today", "now", "once", "uuid", "random"})
"""Functions whose value is not fixed by the answers: a phone's value of a calculation that
uses one is kept as sent."""
COLUMN = "choice:"
"""Prefix of a choice list's column in a choice_filter (`state = ${state}` reads the choice's
`state` column as the name `choice:state`)."""
SUPPORTED = ", ".join(FUNCTIONS)
PARENT = ".."
"""`..` (the enclosing repeat instance), as in `position(..)`: the name of its `Var`."""
POSITION = "position:"
"""The env name of the current repeat instance's number (1, 2, …) that position(..) reads."""
ALL = "all:"
"""Prefix of the env name holding every value of a repeat's question, in the instances the
context sees (`all:q`), which indexed-repeat() reads even inside an instance."""
INSTANCES = "instances:"
"""Prefix of the env name holding, for a repeat inside another, how many instances of it each
instance of the repeat around it has (`instances:booths`: (2, 0, 3)), which the five-argument
indexed-repeat() reads."""
DATA = "data:"
"""Prefix of the env name holding the rows of an attached CSV that pulldata() reads
(`data:fruits`: a tuple of {column: text}, in the file's order)."""
SET_FUNCTIONS = frozenset({"count", "sum", "max", "min", "join", "count-non-empty",
                           "indexed-repeat"})
"""Functions that take node-sets: a `${q}` argument that names a question inside a repeat is
every instance's value."""

# Binding power of each binary operator; unary minus binds tighter than all of them.
BINARY = {
    "or": 1, "and": 2, "=": 3, "!=": 3, "<": 4, "<=": 4, ">": 4, ">=": 4,
    "+": 5, "-": 5, "*": 6, "div": 6, "mod": 6,
}
OPERATORS = (*BINARY, "neg")
_UNARY_BP = 7
_WORD_OPERATORS = {"or", "and", "div", "mod"}
_SPACE = " \t\r\n"
_NUMBER_TEXT = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_NAME_TEXT = re.compile(r"[\w.\-]+")
_LABEL_COLUMN = re.compile(r"label::?[\w.\-]+")
"""A choice's label in one language, as a choice_filter names it (`label::English`)."""
_NUMBER_TOKEN = re.compile(r"[0-9]*(?:\.[0-9]*)?")


class ExpressionError(ValueError):
    """A syntax error or a construct outside the supported subset; `position` is 0-based."""

    def __init__(self, message: str, position: int | None = None):
        self.message = message
        self.position = position
        super().__init__(str(self))

    def __str__(self) -> str:
        return str(self.text())

    def text(self) -> Message:
        """The error with its position, as a message a page can translate (eom.xlsform.wording)."""
        if self.position is None:
            return self.message if isinstance(self.message, Message) else Message(self.message)
        return gettext_noop("%(reason)s at character %(position)s", reason=self.message,
                            position=self.position)


# --- the tree -----------------------------------------------------------------------------------


class Node:
    """Base of the expression tree; every node is a frozen, hashable dataclass."""

    __slots__ = ()


@dataclass(frozen=True, eq=False)
class Num(Node):
    """A number literal: int or float (an int never equals a float here: 1 and 1.0 differ)."""

    value: int | float

    def _key(self) -> tuple[str, int | float | str]:
        value = self.value
        return (type(value).__name__, "nan" if value != value else value)

    def __eq__(self, other: object) -> bool:
        return type(other) is Num and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())


@dataclass(frozen=True)
class Str(Node):
    value: str


@dataclass(frozen=True)
class Var(Node):
    name: str


@dataclass(frozen=True)
class Self(Node):
    pass


@dataclass(frozen=True)
class Op(Node):
    """A binary operator (two args) or `neg` (one arg)."""

    op: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Call(Node):
    name: str
    args: tuple[Node, ...]


# --- tokenizer ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    kind: str  # num str var dot name op end
    text: str
    position: int
    value: Any = None


def _is_column(name: str) -> bool:
    column = name[len(COLUMN):]
    return name.startswith(COLUMN) and bool(_NAME_TEXT.fullmatch(column)
                                            or _LABEL_COLUMN.fullmatch(column))


def _is_name_char(ch: str) -> bool:
    return ch.isalnum() or ch in "_-.:"


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        start = i
        nxt = text[i + 1] if i + 1 < n else " "
        if ch in "0123456789" or (ch == "." and nxt in "0123456789"):
            match = _NUMBER_TOKEN.match(text, i)
            assert match is not None  # the pattern matches the empty text too
            word = match.group()
            i = match.end()
            tokens.append(_Token("num", word, start, _literal_number(word, start)))
        elif ch in "'\"":
            end = text.find(ch, i + 1)
            if end < 0:
                raise ExpressionError(
                    gettext_noop("unterminated string (missing closing %(quote)s)", quote=ch),
                    start)
            tokens.append(_Token("str", text[start : end + 1], start, text[i + 1 : end]))
            i = end + 1
        elif ch == "$":
            if nxt != "{":
                raise ExpressionError(gettext_noop('unexpected character "$" (write ${name})'), start)
            end = text.find("}", i + 2)
            if end < 0:
                raise ExpressionError(gettext_noop('missing "}" after "${"'), start)
            name = text[i + 2 : end]
            if not _NAME_TEXT.fullmatch(name):
                raise ExpressionError(gettext_noop(
                    'invalid name "${%(name)s}" (use letters, digits, _, - and .)', name=name
                ), start)
            tokens.append(_Token("var", text[start : end + 1], start, name))
            i = end + 1
        elif ch == "/" or ch == "@" or (ch == "." and nxt in "./"):
            j = i
            while j < n and (_is_name_char(text[j]) or text[j] in "/@*"):
                j += 1
            path = text[i:j]
            last = path.rstrip("/").rsplit("/", 1)[-1]
            if not any(mark in path for mark in ("@", "*", "//")):
                if last == PARENT:
                    tokens.append(_Token("var", path, start, PARENT))
                    i = j
                    continue
                if last and not last.startswith(".") and _NAME_TEXT.fullmatch(last):
                    tokens.append(_Token("var", path, start, last))  # names are unique
                    i = j
                    continue
            raise ExpressionError(gettext_noop(
                'repeats/paths like "%(path)s" are not supported (write ${name})', path=text[i:j]
            ), start)
        elif ch == ".":
            tokens.append(_Token("dot", ".", start))
            i += 1
        elif ch.isalpha() or ch == "_":
            while i < n and _is_name_char(text[i]):
                i += 1
            tokens.append(_Token("name", text[start:i], start))
        elif text.startswith(("!=", "<=", ">="), i):
            tokens.append(_Token("op", text[i : i + 2], start))
            i += 2
        elif ch in "=<>+-*(),":
            tokens.append(_Token("op", ch, start))
            i += 1
        elif ch in "[]":
            raise ExpressionError(
                gettext_noop('predicates ("%(bracket)s") are not supported', bracket=ch), start)
        elif ch == "|":
            raise ExpressionError(gettext_noop('unions ("|") are not supported'), start)
        else:
            raise ExpressionError(gettext_noop('unexpected character "%(character)s"', character=ch),
                                  start)
    tokens.append(_Token("end", "", n))
    return tokens


def _too_large(word: str, position: int) -> ExpressionError:
    return ExpressionError(gettext_noop('number "%(number)s…" is too large', number=word[:20]),
                           position)


def _literal_number(word: str, position: int) -> int | float:
    if "." not in word:
        if len(word) > 308:
            raise _too_large(word, position)
        return int(word)
    value = float(word)
    if math.isinf(value):
        raise _too_large(word, position)
    return value


# --- parser -------------------------------------------------------------------------------------


class _Parser:
    def __init__(self, text: str, columns: bool = False):
        self.tokens = _tokens(text)
        self.index = 0
        self.columns = columns

    def peek(self) -> _Token:
        return self.tokens[self.index]

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def expect(self, text: str) -> _Token:
        token = self.take()
        if token.kind != "op" or token.text != text:
            raise _unexpected(token, gettext_noop('expected "%(token)s"', token=text))
        return token

    def expression(self, rbp: int, level: int) -> tuple[Node, int]:
        """Parse while the next operator binds tighter than `rbp`; returns (node, tree depth)."""
        left, depth = self.prefix(level)
        while True:
            token = self.peek()
            op = _infix(token)
            if op is None or BINARY[op] <= rbp:
                break
            self.take()
            right, right_depth = self.expression(BINARY[op], level)
            depth = _deeper(1 + max(depth, right_depth), token)
            left = Op(op, (left, right))
        return left, depth

    def prefix(self, level: int) -> tuple[Node, int]:
        token = self.take()
        if level > MAX_DEPTH:
            raise ExpressionError(gettext_noop(
                "expression is nested too deeply (more than %(limit)s levels)", limit=MAX_DEPTH
            ), token.position)
        if token.kind == "num":
            return Num(token.value), 0
        if token.kind == "str":
            return Str(token.value), 0
        if token.kind == "var":
            return Var(token.value), 0
        if token.kind == "dot":
            return Self(), 0
        if token.kind == "op" and token.text == "(":
            node, depth = self.expression(0, level + 1)
            self.expect(")")
            return node, depth
        if token.kind == "op" and token.text == "-":
            operand, depth = self.expression(_UNARY_BP - 1, level + 1)
            if isinstance(operand, Num):
                return Num(_zero(-operand.value)), depth
            return Op("neg", (operand,)), _deeper(depth + 1, token)
        if token.kind == "name":
            if self.peek().kind == "op" and self.peek().text == "(":
                return self.call(token, level)
            if token.text in _WORD_OPERATORS:
                raise _unexpected(token)
            if self.columns and (_NAME_TEXT.fullmatch(token.text)
                                 or _LABEL_COLUMN.fullmatch(token.text)):
                return Var(COLUMN + token.text), 0
            raise ExpressionError(
                gettext_noop('paths like "%(path)s" are not supported (write ${%(path)s} for a '
                             "question)", path=token.text),
                token.position,
            )
        raise _unexpected(token)

    def call(self, token: _Token, level: int) -> tuple[Node, int]:
        name = token.text
        if name not in FUNCTIONS:
            raise ExpressionError(gettext_noop(
                'function "%(name)s" is not supported (supported: %(supported)s)', name=name,
                supported=SUPPORTED), token.position)
        self.expect("(")
        args: list[Node] = []
        depth = 0
        if not (self.peek().kind == "op" and self.peek().text == ")"):
            while True:
                arg, arg_depth = self.expression(0, level + 1)
                args.append(arg)
                depth = max(depth, arg_depth + 1)
                if self.peek().kind == "op" and self.peek().text == ",":
                    self.take()
                    continue
                break
        self.expect(")")
        _check_arity(name, len(args), token.position)
        return Call(name, tuple(args)), _deeper(depth, token)


def _deeper(depth: int, token: _Token) -> int:
    if depth > MAX_TREE_DEPTH:
        raise ExpressionError(
            gettext_noop("expression is too complex (more than %(limit)s levels of operators)",
                         limit=MAX_TREE_DEPTH),
            token.position,
        )
    return depth


def _infix(token: _Token) -> str | None:
    if token.kind == "op" and token.text in BINARY:
        return token.text
    if token.kind == "name" and token.text in _WORD_OPERATORS:
        return token.text
    return None


def _unexpected(token: _Token, hint: str = "") -> ExpressionError:
    if token.kind == "end":
        what = gettext_noop("unexpected end of expression")
    else:
        what = gettext_noop('unexpected "%(token)s"', token=token.text)
    if hint:
        what = gettext_noop("%(what)s (%(hint)s)", what=what, hint=hint)
    return ExpressionError(what, token.position)


def _check_arity(name: str, count: int, position: int | None) -> None:
    least, most = FUNCTIONS[name]
    if name == "indexed-repeat" and count == 4:
        raise ExpressionError(gettext_noop(
            'function "%(name)s" takes 3 or 5 arguments, got %(count)s', name=name,
            count=count), position)
    if least <= count and (most is None or count <= most):
        return
    values = {"name": name, "least": least, "count": count}
    if most is None and least == 1:
        message = gettext_noop('function "%(name)s" takes at least 1 argument, got %(count)s',
                               **values)
    elif most is None:
        message = gettext_noop(
            'function "%(name)s" takes at least %(least)s arguments, got %(count)s', **values)
    elif least == 1:
        message = gettext_noop('function "%(name)s" takes 1 argument, got %(count)s', **values)
    else:
        message = gettext_noop('function "%(name)s" takes %(least)s arguments, got %(count)s',
                               **values)
    raise ExpressionError(message, position)


def parse(text: str, columns: bool = False) -> Node:
    """The tree of `text`; raises ExpressionError (and nothing else) when it is not supported.
    With `columns` (a choice_filter), a bare name is a column of the choice list
    (`Var(COLUMN + name)`)."""
    if not isinstance(text, str):
        raise ExpressionError(f"an expression is text, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(gettext_noop(
            "expression is too long (%(length)s characters, at most %(limit)s)",
            length=len(text), limit=MAX_LENGTH))
    parser = _Parser(text, columns)
    node, _depth = parser.expression(0, 0)
    token = parser.peek()
    if token.kind != "end":
        raise _unexpected(token)
    return node


# --- reading the tree ---------------------------------------------------------------------------


def _walk(node: Node) -> Iterator[Node]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if isinstance(current, Op | Call):
            stack.extend(current.args)


def names(node: Node) -> set[str]:
    """The `${…}` names the expression refers to (not `..`)."""
    return {each.name for each in _walk(node) if isinstance(each, Var) and each.name != PARENT}


def functions_called(node: Node) -> set[str]:
    """The names of the functions the expression calls."""
    return {each.name for each in _walk(node) if isinstance(each, Call)}


def calls(node: Node, name: str) -> list[Call]:
    """The calls of function `name` in the expression."""
    return [each for each in _walk(node) if isinstance(each, Call) and each.name == name]


def uses_self(node: Node) -> bool:
    """Whether `.` (the current question's value) occurs."""
    return any(isinstance(each, Self) for each in _walk(node))


def to_text(node: Node) -> str:
    """Canonical text: single spaces around binary operators, only the parentheses needed."""
    if isinstance(node, Num):
        return _number_literal(node.value)
    if isinstance(node, Str):
        if "'" not in node.value:
            return f"'{node.value}'"
        if '"' not in node.value:
            return f'"{node.value}"'
        # Not produced by parse (a literal cannot hold both quotes); same value, other tree.
        parts = node.value.split("'")
        return "concat(" + ", \"'\", ".join(f"'{part}'" for part in parts) + ")"
    if isinstance(node, Var):
        if _is_column(node.name):
            return node.name[len(COLUMN):]
        return "${" + node.name + "}"
    if isinstance(node, Self):
        return "."
    if isinstance(node, Call):
        return node.name + "(" + ", ".join(to_text(arg) for arg in node.args) + ")"
    if isinstance(node, Op):
        if node.op == "neg":
            (operand,) = node.args
            inner = to_text(operand)
            return "-" + (f"({inner})" if _bp(operand) < _UNARY_BP else inner)
        left, right = node.args
        bp = BINARY[node.op]
        left_text, right_text = to_text(left), to_text(right)
        if _bp(left) < bp:
            left_text = f"({left_text})"
        if _bp(right) <= bp:
            right_text = f"({right_text})"
        return f"{left_text} {node.op} {right_text}"
    raise TypeError(f"not an expression node: {node!r}")


def _bp(node: Node) -> int:
    if isinstance(node, Op):
        return _UNARY_BP if node.op == "neg" else BINARY[node.op]
    return _UNARY_BP + 1


def _number_literal(value: int | float) -> str:
    if isinstance(value, int):
        return str(value)
    text = _positional(value)
    return text if "." in text else text + ".0"


def _positional(value: float) -> str:
    """Shortest round-trip digits of a finite float, without exponent."""
    text = repr(value)
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    return text


def to_json(node: Node) -> dict[str, Any]:
    """The tree as JSON for the browser (see xlsexpr.js)."""
    if isinstance(node, Num):
        return {"num": node.value}
    if isinstance(node, Str):
        return {"str": node.value}
    if isinstance(node, Var):
        return {"var": node.name}
    if isinstance(node, Self):
        return {"self": True}
    if isinstance(node, Op):
        return {"op": node.op, "args": list(map(to_json, node.args))}
    if isinstance(node, Call):
        return {"call": node.name, "args": list(map(to_json, node.args))}
    raise TypeError(f"not an expression node: {node!r}")


def from_json(data: object, _depth: int = 0) -> Node:
    """The tree of a `to_json` dict; raises ExpressionError for anything else."""
    if _depth > MAX_TREE_DEPTH + MAX_DEPTH:
        raise ExpressionError("expression JSON is nested too deeply")
    if not isinstance(data, dict) or len(data) not in (1, 2):
        raise ExpressionError(f"invalid expression JSON: {data!r:.60}")
    if len(data) == 1:
        ((key, value),) = data.items()
        if key == "num" and type(value) is int and value.bit_length() <= _MAX_INT_BITS:
            return Num(value)
        if key == "num" and type(value) is float and math.isfinite(value):
            return Num(_zero(value))
        if key == "str" and isinstance(value, str):
            return Str(value)
        if key == "var" and isinstance(value, str) and (_NAME_TEXT.fullmatch(value)
                                                        or _is_column(value)):
            return Var(value)
        if key == "self" and value is True:
            return Self()
    elif isinstance(data.get("args"), list):
        args = tuple(map(from_json, data["args"], [_depth + 1] * len(data["args"])))
        if data.get("op") in OPERATORS and len(args) == (1 if data["op"] == "neg" else 2):
            return Op(data["op"], args)
        if data.get("call") in FUNCTIONS:
            _check_arity(data["call"], len(args), None)
            return Call(data["call"], args)
    raise ExpressionError(f"invalid expression JSON: {data!r:.60}")


# --- values -------------------------------------------------------------------------------------


@overload
def _zero(value: int) -> int: ...
@overload
def _zero(value: float) -> float: ...
def _zero(value: int | float) -> int | float:
    """Negative zero reads as zero (so that Python and JavaScript agree on `1 div x`)."""
    return 0.0 if value == 0 and isinstance(value, float) else value


def _as_float(value: int | float) -> float:
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


@overload
def _value(value: int | float) -> int | float: ...
@overload
def _value(value: object) -> Value: ...
def _value(value: object) -> Value:
    if value is None:
        return ""
    if isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return value if value.bit_length() <= _MAX_INT_BITS else _as_float(value)
    if isinstance(value, float):
        return _zero(value)
    if isinstance(value, Decimal):
        return _zero(float(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):  # a node-set (a repeat's values): its first value
        return _value(value[0]) if value else ""
    return str(value)


def _set_of(value: object) -> tuple[Value, ...]:
    """A node-set: every value of a repeat's question, or the one value of any other."""
    if isinstance(value, tuple):
        return tuple(_value(each) for each in value)
    return (_value(value),)


def _number(value: Value) -> int | float:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    text = value.strip(_SPACE)
    if not _NUMBER_TEXT.fullmatch(text):
        return math.nan
    if "." in text:
        return _zero(float(text))
    if len(text) > 300:
        return _as_float(float(text))
    return int(text)


def _string(value: Value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    text = _positional(value)
    return text[:-2] if text.endswith(".0") else text


def truthy(value: object) -> bool:
    """XPath boolean(): numbers non-zero and not NaN, strings non-empty, bools as they are."""
    value = _value(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value != ""
    return value == value and value != 0


def _tokens_of(value: Value) -> list[str]:
    return [part for part in re.split(r"[ \t\r\n]+", _string(value)) if part]


# --- evaluation ---------------------------------------------------------------------------------


def evaluate(
    node: Node,
    env: Mapping[str, object],
    current: object = None,
    now: dt.datetime | None = None,
) -> Value:
    """The value of `node` given the answers in `env` and `.` = `current` (see module doc)."""
    return _Evaluation(env, _value(current), now).run(node)


class _Evaluation:
    def __init__(self, env: Mapping[str, object], current: Value, now: dt.datetime | None
                 ) -> None:
        self.env = env
        self.current = current
        self.now = now

    def clock(self) -> dt.datetime:
        if self.now is None:
            self.now = dt.datetime.now()
        return self.now

    def run(self, node: Node) -> Value:
        if isinstance(node, Num):
            return _zero(node.value)
        if isinstance(node, Str):
            return node.value
        if isinstance(node, Var):
            return _value(self.env.get(node.name, ""))
        if isinstance(node, Self):
            return self.current
        if isinstance(node, Op):
            return self.operator(node)
        if isinstance(node, Call):
            return self.call(node)
        raise TypeError(f"not an expression node: {node!r}")

    def operator(self, node: Op) -> Value:
        op = node.op
        if op == "neg":
            return _arithmetic("*", -1, _number(self.run(node.args[0])))
        left = self.run(node.args[0])
        if op == "or":
            return truthy(left) or truthy(self.run(node.args[1]))
        if op == "and":
            return truthy(left) and truthy(self.run(node.args[1]))
        right = self.run(node.args[1])
        if op in ("=", "!=", "<", "<=", ">", ">="):
            return _compare(op, left, right)
        return _arithmetic(op, _number(left), _number(right))

    def call(self, node: Call) -> Value:
        name = node.name
        if name == "if":
            condition, then, otherwise = node.args
            return self.run(then if truthy(self.run(condition)) else otherwise)
        if name == "coalesce":
            first = self.run(node.args[0])
            return first if first != "" else self.run(node.args[1])
        if name == "today":
            return self.clock().date().isoformat()
        if name == "now":
            return self.clock().isoformat(timespec="seconds")
        if name == "true":
            return True
        if name == "false":
            return False
        if name == "jr:choice-name":
            return _choice_name(self.env, self.run(node.args[0]), self.run(node.args[1]))
        if name == "pulldata":
            return _pulldata(self.env, *map(self.run, node.args))
        if name == "position":
            return _value(self.env.get(POSITION, 1))
        if name in SET_FUNCTIONS:
            return _SET_FUNCTIONS[name](*[
                self.run(arg) if _scalar_argument(name, i)
                else _set_of(self.env.get(_set_name(name, i, self.env, arg.name), ""))
                if isinstance(arg, Var) else (self.run(arg),)
                for i, arg in enumerate(node.args)])
        return _FUNCTIONS[name](*map(self.run, node.args))


def compile_node(node: Node) -> Callable[..., Value]:
    """`evaluate` turned into a function of (env, current=None, now=None), built once per tree:
    the same values (a property test compares them), without walking the tree each time —
    what the ingestion path runs for every question of every report."""
    run = _compiled(node)

    def evaluated(env: Mapping[str, object], current: object = None,
                  now: dt.datetime | None = None) -> Value:
        return run(_Evaluation(env, _value(current), now))

    return evaluated


_Compiled: TypeAlias = Callable[["_Evaluation"], Value]


def _compiled(node: Node) -> _Compiled:
    if isinstance(node, Num):
        number = _zero(node.value)
        return lambda ev: number
    if isinstance(node, Str):
        text = node.value
        return lambda ev: text
    if isinstance(node, Var):
        name = node.name
        return lambda ev: _value(ev.env.get(name, ""))
    if isinstance(node, Self):
        return lambda ev: ev.current
    if isinstance(node, Op):
        return _compiled_operator(node.op, [_compiled(arg) for arg in node.args])
    if isinstance(node, Call):
        if node.name in SET_FUNCTIONS:
            return _compiled_sets(node.name, node.args)
        if node.name == "position":
            return lambda ev: _value(ev.env.get(POSITION, 1))
        return _compiled_call(node.name, [_compiled(arg) for arg in node.args])
    raise TypeError(f"not an expression node: {node!r}")


def _compiled_operator(op: str, args: list[_Compiled]) -> _Compiled:
    if op == "neg":
        (only,) = args
        return lambda ev: _arithmetic("*", -1, _number(only(ev)))
    left, right = args
    if op == "or":
        return lambda ev: truthy(left(ev)) or truthy(right(ev))
    if op == "and":
        return lambda ev: truthy(left(ev)) and truthy(right(ev))
    if op in ("=", "!=", "<", "<=", ">", ">="):
        return lambda ev: _compare(op, left(ev), right(ev))
    return lambda ev: _arithmetic(op, _number(left(ev)), _number(right(ev)))


def _compiled_call(name: str, args: list[_Compiled]) -> _Compiled:
    if name == "if":
        condition, then, otherwise = args
        return lambda ev: then(ev) if truthy(condition(ev)) else otherwise(ev)
    if name == "coalesce":
        first, second = args

        def coalesce(ev: _Evaluation) -> Value:
            value = first(ev)
            return value if value != "" else second(ev)

        return coalesce
    if name == "today":
        return lambda ev: ev.clock().date().isoformat()
    if name == "now":
        return lambda ev: ev.clock().isoformat(timespec="seconds")
    if name in ("true", "false"):
        constant = name == "true"
        return lambda ev: constant
    if name == "jr:choice-name":
        value, path = args
        return lambda ev: _choice_name(ev.env, value(ev), path(ev))
    if name == "pulldata":
        return lambda ev: _pulldata(ev.env, *[arg(ev) for arg in args])
    function = _FUNCTIONS[name]
    return lambda ev: function(*[arg(ev) for arg in args])


def _compiled_sets(name: str, nodes: tuple[Node, ...]) -> _Compiled:
    """A function of node-sets: each `${q}` argument as every value it names."""
    parts: list[Callable[[_Evaluation], Value | tuple[Value, ...]]] = []
    for i, node in enumerate(nodes):
        compiled = _compiled(node)
        if _scalar_argument(name, i):
            parts.append(compiled)
        elif isinstance(node, Var):
            parts.append(functools.partial(_env_set, name, i, node.name))
        else:
            parts.append(functools.partial(_one, compiled))
    function = _SET_FUNCTIONS[name]
    return lambda ev: function(*[part(ev) for part in parts])


def _env_set(function: str, index: int, variable: str, ev: _Evaluation) -> tuple[Value, ...]:
    return _set_of(ev.env.get(_set_name(function, index, ev.env, variable), ""))


def _one(compiled: _Compiled, ev: _Evaluation) -> tuple[Value, ...]:
    return (compiled(ev),)


def _scalar_argument(function: str, index: int) -> bool:
    """join's separator and indexed-repeat's indexes are single values, not node-sets."""
    return (function == "join" and index == 0) or (
        function == "indexed-repeat" and index in (2, 4))


def _set_name(function: str, index: int, env: Mapping[str, object], name: str) -> str:
    """indexed-repeat() reads every instance's value of q even inside an instance, and of
    the inner repeat (its fourth argument) how many instances each outer instance has."""
    if function == "indexed-repeat" and index == 0 and ALL + name in env:
        return ALL + name
    if function == "indexed-repeat" and index == 3:
        return INSTANCES + name
    return name


def _compare(op: str, left: Value, right: Value) -> bool:
    if op in ("=", "!="):
        if isinstance(left, bool) or isinstance(right, bool):
            equal = truthy(left) == truthy(right)
        elif isinstance(left, int | float) or isinstance(right, int | float):
            equal = _number(left) == _number(right)
        else:
            equal = left == right
        return equal if op == "=" else not equal
    a, b = _ordered(left), _ordered(right)
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    return a >= b


def _arithmetic(op: str, a: int | float, b: int | float) -> int | float:
    if a != a or b != b:
        return math.nan
    if isinstance(a, int) and isinstance(b, int):
        if op == "div":
            return _divide(_as_float(a), _as_float(b))
        if op == "mod":
            if b == 0:
                return math.nan
            remainder = abs(a) % abs(b)
            result = -remainder if a < 0 else remainder
        else:
            result = a + b if op == "+" else a - b if op == "-" else a * b
        return result if result.bit_length() <= _MAX_INT_BITS else _as_float(result)
    a, b = _as_float(a), _as_float(b)
    if op == "div":
        return _divide(a, b)
    if op == "mod":
        if b == 0 or math.isinf(a):
            return math.nan
        return _zero(math.fmod(a, b))
    floated = a + b if op == "+" else a - b if op == "-" else a * b
    return _zero(floated)


def _divide(a: float, b: float) -> float:
    if b == 0:
        if a == 0 or a != a:
            return math.nan
        return math.inf if a > 0 else -math.inf
    return _zero(a / b)


def _int(value: Value) -> int | float:
    number = _number(value)
    if isinstance(number, int) or math.isnan(number) or math.isinf(number):
        return number
    if abs(number) < 2**53:
        return int(number)
    return number  # already integral


def _round(value: Value, places: Value) -> int | float:
    a, n = _number(value), _number(places)
    if a != a or n != n:
        return math.nan
    if isinstance(a, float) and math.isinf(a):
        return a
    n = max(-400, min(400, n)) if isinstance(n, int) else _int(max(-400.0, min(400.0, n)))
    if isinstance(a, int):
        if n >= 0:
            return a
        scale = 10**-n
        quotient, remainder = divmod(abs(a), scale)
        if 2 * remainder >= scale:
            quotient += 1
        return _value(-quotient * scale if a < 0 else quotient * scale)
    if n >= 0 and a == math.floor(a):
        return a
    sign = -1.0 if a < 0 else 1.0
    if n >= 0:
        scale = float(f"1e{n}")
        scaled = abs(a) * scale
        if math.isinf(scaled):
            return a
        return _zero(sign * (math.floor(scaled + 0.5) / scale))
    scale = float(f"1e{-n}")
    whole = math.floor(abs(a) / scale + 0.5)
    return _zero(sign * (whole * scale)) if whole else 0.0


_FUNCTIONS: dict[str, Callable[..., Value]] = {
    "selected": lambda a, b: _string(b).strip(_SPACE) in _tokens_of(a),
    "count-selected": lambda a: len(_tokens_of(a)),
    "string-length": lambda a: len(_string(a)),
    "not": lambda a: not truthy(a),
    "number": _number,
    "int": _int,
    "round": _round,
    "abs": lambda a: abs(_number(a)),
    "concat": lambda *args: "".join(_string(arg) for arg in args),
    "contains": lambda a, b: _string(b) in _string(a),
    "starts-with": lambda a, b: _string(a).startswith(_string(b)),
    "string": _string,
}


# --- ODK's other functions ---------------------------------------------------------------------
# Each states its rule once; static/eom/xlsexpr.js follows the same steps (a browser test
# compares the two on generated expressions).

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MOMENT = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,9}))?)?"
    r"(Z|[+-][0-9]{2}:?[0-9]{2})?)?")
_DAY_SECONDS = 86400
_FIRST_DAY, _LAST_DAY = -719162, 2932897  # 0001-01-01 and 10000-01-01, days from 1970
MAX_REGEX = 500  # characters of a regex() pattern
MAX_REPEAT_TEXT = 10_000  # characters a function may build (join, translate, …)


def _points(a: Value) -> tuple[dt.datetime, int] | None:
    """A date, a datetime (ISO text) or a number of days since 1970-01-01, as a naive UTC
    datetime and its milliseconds; None when it is none of them. An offset is applied; a
    datetime without one is read as UTC."""
    if isinstance(a, bool):
        return None
    if isinstance(a, int | float):
        if a != a or not _FIRST_DAY <= a < _LAST_DAY:
            return None
        millis = math.floor(a * _DAY_SECONDS * 1000 + 0.5)  # as JavaScript's Math.round
        moment = dt.datetime(1970, 1, 1) + dt.timedelta(milliseconds=millis)
        return moment.replace(microsecond=0), millis % 1000
    match = _MOMENT.fullmatch(a.strip(_SPACE))
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    try:
        moment = dt.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                             int(second or 0))
    except ValueError:
        return None
    millis = int((fraction or "0")[:3].ljust(3, "0"))
    if offset and offset != "Z":
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        shift = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        try:
            moment = moment - sign * shift
        except OverflowError:
            return None
    return moment, millis


def _days(a: Value) -> float:
    """decimal-date-time: days since 1970-01-01 (UTC), NaN for no date."""
    found = _points(a)
    if found is None:
        return math.nan
    moment, millis = found
    seconds = (moment - dt.datetime(1970, 1, 1)).total_seconds()
    return _zero((seconds * 1000 + millis) / (_DAY_SECONDS * 1000))


def _decimal_time(a: Value) -> float:
    """decimal-time: the time of day as a fraction of a day, NaN for no time."""
    text = _string(a).strip(_SPACE)
    match = re.fullmatch(r"([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]+)?)?", text)
    if not match:
        return math.nan
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if hour > 23 or minute > 59 or second > 59:
        return math.nan
    return (hour * 3600 + minute * 60 + second) / _DAY_SECONDS


def _date(a: Value, with_time: bool) -> str:
    """date() / date-time(): ISO text of a date, datetime or number of days; '' otherwise."""
    found = _points(a if isinstance(a, int | float) else _string(a))
    if found is None:
        return ""
    moment, millis = found
    if not with_time:
        return moment.date().isoformat()
    return moment.isoformat(timespec="seconds") + f".{millis:03d}"


def _format_date(a: Value, pattern: Value) -> str:
    """format-date: %Y %y %m %n %b %d %e %a %H %h %M %S %3 as ODK writes them; '' for no date."""
    found = _points(a if isinstance(a, int | float) else _string(a))
    if found is None:
        return ""
    moment, millis = found
    fields = {
        "Y": f"{moment.year:04d}", "y": f"{moment.year % 100:02d}", "m": f"{moment.month:02d}",
        "n": str(moment.month), "b": _MONTHS[moment.month - 1], "d": f"{moment.day:02d}",
        "e": str(moment.day), "a": _DAYS[moment.weekday()], "H": f"{moment.hour:02d}",
        "h": str(moment.hour), "M": f"{moment.minute:02d}", "S": f"{moment.second:02d}",
        "3": f"{millis:03d}",
    }
    text, out, i = _string(pattern), [], 0
    while i < len(text):
        if text[i] == "%" and i + 1 < len(text):
            out.append(fields.get(text[i + 1], text[i + 1]))
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _pow(a: Value, b: Value) -> float:
    x, y = _as_float(_number(a)), _as_float(_number(b))
    if x != x or y != y or (abs(x) == 1 and math.isinf(y)):
        return math.nan
    try:
        return _zero(math.pow(x, y))
    except OverflowError:
        return math.inf if x > 0 or float(y).is_integer() and y % 2 == 0 else -math.inf
    except ValueError:  # 0 to a negative power; a negative number to a fraction
        if x == 0:
            odd = float(y).is_integer() and y % 2 == 1
            return -math.inf if odd and math.copysign(1, x) < 0 else math.inf
        return math.nan


def _real(function: Callable[[float], float]) -> Callable[[Value], float]:
    """A function of one real number: NaN where it is not defined (as JavaScript's Math)."""
    def applied(a: Value) -> float:
        x = _as_float(_number(a))
        if x != x:
            return math.nan
        try:
            return _zero(function(x))
        except (ValueError, OverflowError):
            return math.nan
    return applied


def _log(base10: bool) -> Callable[[Value], float]:
    def applied(a: Value) -> float:
        x = _as_float(_number(a))
        if x != x or x < 0:
            return math.nan
        if x == 0:
            return -math.inf
        if math.isinf(x):
            return x
        return _zero(math.log10(x) if base10 else math.log(x))
    return applied


def _exp(a: Value, ten: bool = False) -> float:
    x = _as_float(_number(a))
    if x != x:
        return math.nan
    try:
        return math.pow(10.0, x) if ten else math.exp(x)
    except OverflowError:
        return math.inf


def _whole(up: bool) -> Callable[[Value], int | float]:
    def applied(a: Value) -> int | float:
        x = _number(a)
        if isinstance(x, int) or x != x or math.isinf(x):
            return x
        return _zero(float(math.ceil(x) if up else math.floor(x)))
    return applied


def _atan2(a: Value, b: Value) -> float:
    y, x = _as_float(_number(a)), _as_float(_number(b))
    if x != x or y != y:
        return math.nan
    return _zero(math.atan2(y, x))


@functools.lru_cache(maxsize=256)
def _pattern(text: str) -> re.Pattern[str] | None:
    if len(text) > MAX_REGEX:
        return None
    try:
        return re.compile(text)
    except (re.error, OverflowError, RecursionError):
        return None


def _regex(a: Value, b: Value) -> bool:
    """Whether the pattern matches somewhere in the text (an invalid pattern matches nothing);
    the patterns to use are those Python and JavaScript read alike."""
    pattern = _pattern(_string(b))
    return pattern is not None and pattern.search(_string(a)) is not None


def _code_points(a: Value) -> list[str]:
    return list(_string(a))


def _index(value: Value, length: int) -> int:
    n = _int(value)
    if n != n:
        return 0
    if isinstance(n, float):
        return 0 if n < 0 else length
    return max(0, min(length, n))


def _substr(a: Value, start: Value, end: Value | None = None) -> str:
    """substr(s, start[, end]): code points from start up to end (exclusive), 0-based."""
    points = _code_points(a)
    first = _index(start, len(points))
    last = len(points) if end is None else _index(end, len(points))
    return "".join(points[first:last]) if last > first else ""


def _substring_before(a: Value, b: Value) -> str:
    text, part = _string(a), _string(b)
    where = text.find(part)
    return text[:where] if where >= 0 else ""


def _substring_after(a: Value, b: Value) -> str:
    text, part = _string(a), _string(b)
    where = text.find(part)
    return text[where + len(part):] if where >= 0 else ""


def _translate(a: Value, b: Value, c: Value) -> str:
    source, into = _code_points(b), _code_points(c)
    table: dict[str, str | None] = {}
    for i, ch in enumerate(source):
        table.setdefault(ch, into[i] if i < len(into) else None)
    return "".join(t for ch in _code_points(a) if (t := table.get(ch, ch)) is not None)


def _normalize_space(a: Value) -> str:
    return " ".join(part for part in re.split(r"[ \t\r\n]+", _string(a)) if part)


def _selected_at(a: Value, n: Value) -> str:
    parts = _tokens_of(a)
    index = _int(n)
    if isinstance(index, int) and 0 <= index < len(parts):
        return parts[index]
    return ""


def _join(separator: Value, *values: Value) -> str:
    return _string(separator).join(_string(value) for value in values)[:MAX_REPEAT_TEXT]


def _bound(value: Value) -> int | float:
    return _number(value)


def _checklist(low: Value, high: Value, *values: Value) -> bool:
    """checklist(min, max, v…): how many v are true lies in [min, max] (-1: no bound)."""
    return _within(sum(1 for v in values if truthy(v)), low, high)


def _weighted(low: Value, high: Value, *pairs: Value) -> bool:
    """weighted-checklist(min, max, v1, w1, …): the weights of the true v lie in [min, max]."""
    total: int | float = 0
    for value, weight in zip(pairs[::2], pairs[1::2], strict=False):
        if truthy(value):
            total = _arithmetic("+", total, _number(weight))
    return _within(total, low, high)


def _within(total: int | float, low: Value, high: Value) -> bool:
    a, b = _number(low), _number(high)
    return (a == -1 or total >= a) and (b == -1 or total <= b)


def _extreme(largest: bool) -> Callable[..., int | float]:
    def applied(*values: Value) -> int | float:
        numbers = [_number(v) for v in values]
        if any(n != n for n in numbers):
            return math.nan
        return _zero(max(numbers) if largest else min(numbers))
    return applied


def _boolean_from_string(a: Value) -> bool:
    return _string(a).strip(_SPACE) in ("true", "1")


def _uuid(length: Value | None = None) -> str:
    if length is None:
        return str(uuid_module.uuid4())
    n = _int(length)
    size = max(0, min(n, 1000)) if isinstance(n, int) else 0
    return secrets.token_hex((size + 1) // 2)[:size]


_FUNCTIONS.update({
    "regex": _regex,
    "selected-at": _selected_at,
    "format-date": _format_date,
    "format-date-time": _format_date,
    "decimal-date-time": _days,
    "decimal-time": _decimal_time,
    "date": lambda a: _date(a, False),
    "date-time": lambda a: _date(a, True),
    "pow": _pow,
    "log": _log(False),
    "log10": _log(True),
    "exp": _exp,
    "exp10": lambda a: _exp(a, True),
    "sqrt": _real(math.sqrt),
    "sin": _real(math.sin),
    "cos": _real(math.cos),
    "tan": _real(math.tan),
    "asin": _real(math.asin),
    "acos": _real(math.acos),
    "atan": _real(math.atan),
    "atan2": _atan2,
    "pi": lambda: math.pi,
    "floor": _whole(False),
    "ceiling": _whole(True),
    "once": lambda a: a,
    "uuid": _uuid,
    "random": lambda: secrets.randbelow(2**53) / 2**53,
    "substr": _substr,
    "substring-before": _substring_before,
    "substring-after": _substring_after,
    "translate": _translate,
    "normalize-space": _normalize_space,
    "ends-with": lambda a, b: _string(a).endswith(_string(b)),
    "boolean": truthy,
    "boolean-from-string": _boolean_from_string,
    "checklist": _checklist,
    "weighted-checklist": _weighted,
})


def _sum(values: tuple[Value, ...]) -> int | float:
    """sum(): the total of the numbers (NaN when one is not a number; 0 for no instance)."""
    total: int | float = 0
    for value in values:
        total = _arithmetic("+", total, _number(value))
    return total


def _extreme_of(largest: bool) -> Callable[..., int | float]:
    """max()/min() of every value of the arguments (NaN for none, or when one is NaN)."""
    def applied(*sets: tuple[Value, ...]) -> int | float:
        values = [value for each in sets for value in each]
        return _extreme(largest)(*values) if values else math.nan
    return applied


def _indexed(values: tuple[Value, ...], _repeat: tuple[Value, ...], index: Value,
             inner: tuple[Value, ...] | None = None, inner_index: Value = "") -> Value:
    """indexed-repeat(${q}, ${repeat}, i): q's value in the i-th instance (1-based), or ''.
    indexed-repeat(${q}, ${outer}, i, ${inner}, j): q's value in the j-th instance of the
    repeat `inner` inside the i-th instance of `outer` ('' beyond them); `inner` is read as
    how many instances each outer instance has (`INSTANCES`)."""
    n = _int(index)
    if inner is None:
        return values[n - 1] if isinstance(n, int) and 1 <= n <= len(values) else ""
    counts = [_int(count) for count in inner]
    m = _int(inner_index)
    if not (isinstance(n, int) and isinstance(m, int) and 1 <= n <= len(counts)
            and all((isinstance(c, int) or math.isfinite(c)) and c >= 0 for c in counts[:n])):
        return ""
    before = sum(counts[: n - 1])
    if not 1 <= m <= counts[n - 1] or before + m > len(values):
        return ""
    return values[int(before) + m - 1]


def _pulldata(env: Mapping[str, object], instance: Value, column: Value, key_column: Value,
              key: Value) -> str:
    """pulldata('fruits', 'colour', 'name', ${fruit}): the `colour` cell of the first row of
    the attached fruits.csv whose `name` is the fruit's text ('' when none is, or the file is
    not known), as ODK Collect reads it."""
    rows = env.get(DATA + _string(instance))
    if not isinstance(rows, tuple | list):
        return ""
    wanted, where, to = _string(key), _string(key_column), _string(column)
    for row in rows:
        if isinstance(row, Mapping) and where in row and _string(_value(row[where])) == wanted:
            return _string(_value(row.get(to, "")))
    return ""


_SET_FUNCTIONS: dict[str, Callable[..., Value]] = {
    "count": len,
    "sum": _sum,
    "max": _extreme_of(True),
    "min": _extreme_of(False),
    "join": lambda separator, *sets: _join(separator, *(v for each in sets for v in each)),
    "count-non-empty": lambda values: sum(1 for v in values if _string(v) != ""),
    "indexed-repeat": _indexed,
}


def choice_label_key(question: str, choice: str) -> str:
    """The env name under which jr:choice-name finds a choice's label."""
    return f"label:{question}:{choice}"


def _choice_name(env: Mapping[str, object], value: Value, path: Value) -> str:
    """jr:choice-name(value, '${q}'): the label of choice `value` of question q, in the
    language the env gives (`choice_label_key`); the value itself when none is known."""
    text = _string(path).strip(_SPACE)
    if text.startswith("${") and text.endswith("}"):
        text = text[2:-1]
    question = text.rstrip("/").rsplit("/", 1)[-1]
    label = env.get(choice_label_key(question, _string(value)))
    return _string(_value(label)) if label is not None else _string(value)


def to_string(value: object) -> str:
    """XPath string() of a value: how a calculation's result is stored."""
    return _string(_value(value))


_DATE_START = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _ordered(value: Value) -> int | float:
    """A side of `<`, `<=`, `>`, `>=`: a text starting as a date is its days since 1970-01-01
    (NaN when it is no date), anything else its number."""
    if isinstance(value, str) and _DATE_START.match(value):
        return _days(value)
    return _number(value)
