"""Properties of the expression parser and evaluator, checked with generated input."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from eom.xlsform.expressions import (
    FUNCTIONS,
    ExpressionError,
    compile_node,
    evaluate,
    from_json,
    names,
    parse,
    to_json,
    to_text,
    truthy,
)

NAMES = ["a", "b", "n_votes", "location.n_registered", "x-1"]
TOKENS = [
    "${a}", "${b}", "${n_votes}", "${location.n_registered}", "${", "}", ".", "..", "/", "(",
    ")", ",", "'", '"', "'yes'", '"a b"', "''", "0", "1", "7", "2.5", ".5", "10", "-", "+",
    "*", "div", "mod", "and", "or", "=", "!=", "<", "<=", ">", ">=", "not", "selected",
    "count-selected", "if", "concat", "round", "today", "regex", "x", "[", "|", "@", " ",
]
FUNCTION_NAMES = sorted(FUNCTIONS)  # every function, ODK's included
RANDOM = ("uuid(", "random(")  # a new value at each call
BINARY = ["or", "and", "=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "div", "mod"]

token_soup = st.lists(st.sampled_from(TOKENS), max_size=30).map(" ".join)
spaceless_soup = st.lists(st.sampled_from(TOKENS), max_size=30).map("".join)

leaf = st.one_of(
    st.integers(0, 10**6).map(str),
    st.decimals(0, 1000, places=3, allow_nan=False).map(str),
    st.sampled_from(["'yes'", "''", '"it\'s"', "'a b'", "'12'", "' 3 '"]),
    st.sampled_from(NAMES).map(lambda name: "${" + name + "}"),
    st.just("."),
    st.sampled_from(["true()", "false()", "today()", "now()"]),
    st.sampled_from(["..", "/data/r/a", "../b"]),  # repeats: the instance, paths of questions
)


def _extend(children):
    binary = st.tuples(children, st.sampled_from(BINARY), children).map(
        lambda t: f"{t[0]} {t[1]} {t[2]}"
    )
    grouped = children.map(lambda c: f"({c})")
    negated = children.map(lambda c: f"-{c}")
    calls = st.sampled_from(FUNCTION_NAMES).flatmap(
        lambda name: st.lists(
            children,
            min_size=FUNCTIONS[name][0],
            max_size=max(3, FUNCTIONS[name][0]) if FUNCTIONS[name][1] is None
            else FUNCTIONS[name][1],
        ).filter(lambda args: name != "indexed-repeat" or len(args) != 4)  # 3 or 5
        .map(lambda args: f"{name}({', '.join(args)})")
    )
    return st.one_of(binary, grouped, negated, calls)


expressions = st.recursive(leaf, _extend, max_leaves=25)

scalars = st.one_of(
    st.integers(),
    st.floats(),
    st.text(max_size=20),
    st.booleans(),
    st.sampled_from(["", "a b c", "12", "-3.5", " 7 ", "yes"]),
)
values = st.one_of(scalars, st.lists(scalars, max_size=4).map(tuple))  # a repeat's node-set
# an attached CSV's rows, as pulldata() reads them (files named 'yes' and '' among the leaves)
tables = st.lists(st.dictionaries(st.sampled_from(["yes", "12", "a b", ""]), scalars,
                                  max_size=3), max_size=4).map(tuple)
envs = st.tuples(
    st.dictionaries(st.sampled_from([*NAMES, "all:a", "position:", "instances:a"]), values),
    st.dictionaries(st.sampled_from(["data:yes", "data:"]), st.one_of(tables, values)),
).map(lambda parts: {**parts[0], **parts[1]})

moments = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1))


def parsed_or_none(text: str):
    try:
        return parse(text)
    except ExpressionError:
        return None


@given(st.text(max_size=300))
def test_parse_raises_only_expression_errors_on_any_text(text):
    parsed_or_none(text)


@given(st.one_of(token_soup, spaceless_soup, expressions))
def test_parse_raises_only_expression_errors_on_token_soup(text):
    parsed_or_none(text)


@given(st.one_of(expressions, token_soup, st.text(max_size=60)))
def test_to_text_round_trips(text):
    node = parsed_or_none(text)
    if node is not None:
        assert parse(to_text(node)) == node


@given(expressions)
@settings(max_examples=200)
def test_grammar_expressions_parse(text):
    assert names(parse(text)) <= set(NAMES)


@given(expressions)
def test_json_round_trips(text):
    node = parsed_or_none(text)
    if node is not None:
        assert from_json(to_json(node)) == node


def _integer_tree(children):
    return st.tuples(children, st.sampled_from(["+", "-", "*"]), children)


integer_trees = st.recursive(st.integers(-(10**20), 10**20), _integer_tree, max_leaves=12)


def _as_text(tree) -> str:
    if isinstance(tree, int):
        return f"({tree})" if tree < 0 else str(tree)
    left, op, right = tree
    return f"({_as_text(left)} {op} {_as_text(right)})"


def _as_int(tree) -> int:
    if isinstance(tree, int):
        return tree
    left, op, right = tree
    a, b = _as_int(left), _as_int(right)
    return a + b if op == "+" else a - b if op == "-" else a * b


@given(integer_trees)
def test_integer_arithmetic_agrees_with_python_ints(tree):
    expected = _as_int(tree)
    if expected.bit_length() <= 1024:
        result = evaluate(parse(_as_text(tree)), {})
        assert (type(result), result) == (int, expected)


@given(st.integers(-(10**12), 10**12), st.integers(-(10**12), 10**12).filter(bool))
def test_mod_takes_the_sign_of_the_dividend(a, b):
    result = evaluate(parse("${a} mod ${b}"), {"a": a, "b": b})
    assert result == (abs(a) % abs(b)) * (-1 if a < 0 else 1)


@given(expressions, envs, values, moments)
@settings(max_examples=300)
def test_evaluate_never_raises(text, env, current, now):
    node = parsed_or_none(text)
    if node is not None:
        result = evaluate(node, env, current=current, now=now)
        assert type(result) in (int, float, str, bool)
        truthy(result)


@given(expressions, envs, values, moments)
@settings(max_examples=300)
def test_compiled_expressions_give_what_the_tree_walker_gives(text, env, current, now):
    node = parsed_or_none(text)
    if node is not None and not any(name in text for name in RANDOM):
        expected = evaluate(node, env, current=current, now=now)
        result = compile_node(node)(env, current=current, now=now)
        assert type(result) is type(expected)
        assert result == expected or (result != result and expected != expected)


@given(tables, st.sampled_from(["yes", "12", "a b", ""]), st.sampled_from(["yes", "12", "a b"]),
       scalars)
def test_pulldata_gives_the_first_row_whose_key_column_holds_the_key(rows, column, where, key):
    env = {"data:file": rows, "key": key}
    found = [row for row in rows
             if where in row and evaluate(parse("string(${a})"), {"a": row[where]})
             == evaluate(parse("string(${key})"), env)]

    result = evaluate(parse(f"pulldata('file', '{column}', '{where}', ${{key}})"), env)

    expected = evaluate(parse("string(${a})"), {"a": found[0].get(column, "")}) if found else ""
    assert result == expected


@given(st.lists(st.lists(scalars, max_size=4), max_size=4), st.integers(-1, 6),
       st.integers(-1, 6))
def test_indexed_repeat_of_five_arguments_is_the_value_in_that_inner_instance(outer, i, j):
    env = {"q": tuple(v for instance in outer for v in instance),
           "outer": tuple("" for _ in outer),
           "inner": tuple("" for instance in outer for _ in instance),
           "instances:inner": tuple(len(instance) for instance in outer)}

    result = evaluate(parse(f"indexed-repeat(${{q}}, ${{outer}}, {i}, ${{inner}}, {j})"), env)

    expected = outer[i - 1][j - 1] if 1 <= i <= len(outer) and 1 <= j <= len(outer[i - 1]) \
        else ""
    assert result == evaluate(parse("${v}"), {"v": expected})
