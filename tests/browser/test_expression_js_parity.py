"""xlsexpr.js gives the same values as the Python evaluator, in a real Chromium (no server)."""

from __future__ import annotations

import datetime as dt
import math
import random
from pathlib import Path

import pytest

import eom
from eom.xlsform.expressions import FUNCTIONS, evaluate, parse, to_json

SCRIPT = Path(eom.__file__).parent / "static" / "eom" / "xlsexpr.js"
NOW = dt.datetime(2024, 3, 19, 7, 5, 9)

ENV = {
    "q": 7,
    "zero": 0,
    "neg": -12,
    "dec": 2.5,
    "tenth": 0.1,
    "sel": "yes",
    "multi": "a b  c",
    "missing": "",
    "text": "Алматы 𝔸",
    "numtext": " 12 ",
    "dectext": "-3.75",
    "big": 10**15,
    "location.n_registered": 1200,
    "flag": True,
    "off": False,
    "label:sel:yes": "Да",
    # a repeat of three instances: its question n as a node-set, the repeat, an empty one
    "rep_n": (3, 5.5, ""),
    "all:rep_n": (3, 5.5, ""),
    "rep": ("", "", ""),
    "none": (),
    "position:": 2,
    # a repeat inside rep: 1, 0 and 2 instances in rep's three, its question m
    "rep2": ("", "", ""),
    "rep2_m": (10, 30, 40),
    "all:rep2_m": (10, 30, 40),
    "instances:rep2": (1, 0, 2),
    # the attached fruits.csv, as pulldata() reads it
    "data:fruits": ({"name": "kiwi", "colour": "green", "n": "3"},
                    {"name": "mango", "colour": "yellow", "n": "7"},
                    {"name": "mango", "colour": "red", "n": "9"}),
}

HAND_WRITTEN = [
    "${q} > 5", "${q} = '7'", "${sel} = 'yes'", "${sel} != 'no'", "'' > 5", "'' < 5",
    "'' != 0", "${missing} != ''", "${missing} = ''", "${nowhere} = ''", "${numtext} = 12",
    "'2' < '10'", "'abc' = 'abc'", "${flag} = 'x'", "${off} = ''", "true() > false()",
    "${location.n_registered} >= 1000", "selected(${multi}, 'b')", "selected(${multi}, ' c ')",
    "selected(${multi}, 'a b')", "selected(${missing}, 'a')", "count-selected(${multi})",
    "count-selected(${missing})", "${big} + 1", "${big} * 3 + 1", "${big} - ${big} - 1",
    "1 div 0", "-1 div 0", "0 div 0", "1 div -0", "${q} div ${zero}", "5 mod 0", "-7 mod 3",
    "7 mod -3", "5.5 mod 2", "-5.5 mod 2", "(1 div 0) mod 2", "5 mod (1 div 0)",
    "${tenth} + 0.2", "concat(${tenth} + 0.2)", "string(1 div 3)", "string(0.000001)",
    "string(0.0000001)", "string(1000000000000000000000.0)",
    "string(123456789012345680000000.0)", "string(-0.5)", "string(6 div 3)", "string(${dec})",
    "string(true())", "string(0 div 0)", "string(-1 div 0)", "string-length(${text})",
    "string-length('')", "not(${missing})", "not(0 div 0)", "if(${q} > 5, 'many', 'few')",
    "if(${missing}, 1, ${dec})", "coalesce(${missing}, 'x')", "coalesce(${zero}, 'x')",
    "coalesce(${missing}, ${nowhere})", "number('3.25')", "number(${numtext})",
    "number(${dectext})", "number('1e3')", "number('+5')", "number('.5')", "number('5.')",
    "number('-0')", "int(7.9)", "int(-7.9)", "int('12.5')", "int(1 div 0)", "int(0 div 0)",
    "round(2.5, 0)", "round(-2.5, 0)", "round(2.345, 2)", "round(1.005, 2)", "round(1234, -2)",
    "round(1250, -2)", "round(-1250, -2)", "round(7, 2)", "round(5, 400)", "round(5, -400)",
    "round(2.5, 1 div 0)", "round(123.456, -1)", "round(0.5, 0)", "round(-0.4, 0)",
    "abs(-3)", "abs(${dectext})", "concat(${text}, '-', ${q}, '-', ${dec}, '-', true())",
    "concat(${missing})", "contains(${text}, 'мат')", "starts-with(${text}, 'Ал')",
    "today()", "now()", "today() = '2024-03-19'", ". > 5 and . < 10", "string-length(.)",
    "today() >= '2024-03-19'", "'2024-03-20' > today()", "'2024-03-19T10:00:00+06:00' < '2024-03-19'",
    "'2024-02-30' < 5", "'2024-03-19' > 19800", "'2024-03-19x' <= '2024-03-19'",
    "-.", "- ${sel}", "-${zero}", "0 * -1", "concat(0 * -1.5)", "1 div (0 * -1.5)",
    "${flag} + ${flag}", "${nowhere} or ${q}", "${q} and 0", "'x' and 'false'",
    "${neg} * ${neg} * ${neg}", "${constructor} = ''", "${__proto__} = ''",
    # ODK's other functions
    "regex(${sel}, '^y.s$')", "regex(${text}, 'мат')", "regex('abc', '[')", "regex(${q}, '^[0-9]+$')",
    "selected-at(${multi}, 1)", "selected-at(${multi}, 7)", "selected-at(${multi}, -1)",
    "jr:choice-name(${sel}, '${sel}')", "jr:choice-name('no', '${sel}')",
    "format-date('2024-03-19', '%Y/%m/%d %e %n %b %a %y')",
    "format-date-time('2024-03-19T07:05:09.25+06:00', '%H:%M:%S.%3 %h')",
    "format-date(19801.5, '%Y-%m-%d %H:%M')", "format-date('2024-02-30', '%Y')",
    "format-date(today(), '%d.%m.%Y')", "decimal-date-time('2024-03-19')",
    "decimal-date-time('2024-03-19T12:00:00Z')", "decimal-date-time('1969-12-31T18:00:00-06:00')",
    "decimal-date-time('x')", "decimal-time('12:30:00')", "decimal-time('25:00')",
    "date(19801)", "date(-1.25)", "date('2024-03-19T10:00:00')", "date('no')",
    "date-time(19801.75)", "date(decimal-date-time('2024-01-31') + 1)",
    "pow(2, 10)", "pow(2, -1)", "pow(-8, 1 div 3)", "pow(0, -1)", "pow(1, 1 div 0)",
    "pow(10, 400)", "pow(-10, 401)", "pow(${dec}, 2)", "log(${q})", "log(0)", "log(-1)",
    "log10(1000)", "exp(1)", "exp(1000)", "exp10(3)", "sqrt(${q})", "sqrt(-1)",
    "sin(${dec})", "cos(0)", "tan(1)", "asin(2)", "acos(0.5)", "atan(1 div 0)",
    "atan2(1, -1)", "pi()", "floor(-2.5)", "floor(${q})", "ceiling(-0.5)", "ceiling(2.1)",
    "once(${q})", "join(', ', ${sel}, ${q}, ${missing})", "substr(${text}, 1, 4)",
    "substr(${text}, 3)", "substr('hello', -2, 99)", "substr('hello', 3, 1)",
    "substring-before('2024-03-19', '-')", "substring-after('2024-03-19', '-')",
    "substring-before('abc', 'x')", "translate('bar', 'abc', 'AB')",
    "translate(${text}, 'Ал', 'aL')", "normalize-space('  a \t b  ')", "ends-with(${text}, '𝔸')",
    "boolean(${missing})", "boolean('false')", "boolean-from-string('true')",
    "boolean-from-string('1')", "boolean-from-string('yes')", "checklist(1, 2, ${q}, ${zero}, 'x')",
    "checklist(-1, 1, 1, 1)", "weighted-checklist(3, -1, ${flag}, 2, ${off}, 5, 1, 1)",
    "weighted-checklist(-1, 2, 1, 'x', 1)", "max(${q}, ${dec}, ${neg})", "max(1, 'x')",
    "min(${q}, ${dec}, ${neg})", "min(${big}, 3)", "sum(${q})", "sum(${missing})",
    "count(${q})", "count-non-empty(${missing})", "count-non-empty(${sel})",
    # repeats
    "count(${rep})", "count(/data/rep)", "count(${none})", "sum(${rep_n})", "sum(${none})",
    "sum(/data/rep/rep_n)", "max(${rep_n})", "max(${none})", "min(${rep_n}, 4)",
    "join('/', ${rep_n}, ${q})", "count-non-empty(${rep_n})", "indexed-repeat(${rep_n}, ${rep}, 2)",
    "indexed-repeat(${rep_n}, ${rep}, 9)", "indexed-repeat(${q}, ${rep}, 1)", "position(..)",
    "position(..) * 2", "${rep_n} + 1", "${none} = ''", "../rep_n > 2", "sum(${rep_n} * 2)",
    "indexed-repeat(${rep2_m}, ${rep}, 1, ${rep2}, 1)",
    "indexed-repeat(${rep2_m}, ${rep}, 3, ${rep2}, 2)",
    "indexed-repeat(${rep2_m}, ${rep}, 2, ${rep2}, 1)",
    "indexed-repeat(${rep2_m}, ${rep}, 3, ${rep2}, 3)",
    "indexed-repeat(${rep2_m}, ${rep}, '3', ${rep2}, 1.9)",
    "indexed-repeat(${rep2_m}, ${rep}, 1, ${q}, 1)",
    "indexed-repeat(${rep2_m}, ${rep}, 1, 'x', 1)",
    # the form's attached files
    "pulldata('fruits', 'colour', 'name', 'mango')", "pulldata('fruits', 'colour', 'n', 3)",
    "pulldata('fruits', 'n', 'name', 'kiwi') + 1", "pulldata('fruits', 'colour', 'name', ${sel})",
    "pulldata('fruits', 'weight', 'name', 'kiwi')", "pulldata('fruits', 'colour', 'size', 'kiwi')",
    "pulldata('vegetables', 'colour', 'name', 'kiwi')", "pulldata(${q}, 'n', 'name', 'kiwi')",
]
UNSTABLE = {"now", "uuid", "random"}  # values that differ from one call to the next

BINARY = ["or", "and", "=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "div", "mod"]
LEAVES = [
    "0", "1", "2", "3", "7", "12", "50", "0.5", "2.25", "0.1", "3.0", "'yes'", "''", "'12'",
    "' 3 '", "'a b'", "'-1.5'", "'x'", ".", "true()", "false()", "today()", "'fruits'",
    "'name'", "'colour'",
]
VALUES = [0, 1, 3, 42, -5, 2.5, -0.75, 0.1, "", "yes", "a b c", "12", " 7 ", "-3.5", "abc",
          True, False, (4, "x", 2.5), (), (2, 0, 1)]
TABLES = [*VALUES, ENV["data:fruits"], ({"yes": "12", "12": "3"}, {"12": "yes", "x": "a b"})]
"""What pulldata() may find under a file's name (a table of rows, or anything else)."""


def generated_expression(rng: random.Random, depth: int) -> str:
    if depth == 0 or rng.random() < 0.25:
        if rng.random() < 0.4:
            return "${" + rng.choice([*(n for n in ENV if ":" not in n), "nowhere"]) + "}"
        return rng.choice(LEAVES)
    kind = rng.random()
    if kind < 0.55:
        left, right = (generated_expression(rng, depth - 1) for _ in range(2))
        return f"({left} {rng.choice(BINARY)} {right})"
    if kind < 0.65:
        return "-" + generated_expression(rng, depth - 1)
    name = rng.choice([name for name in FUNCTIONS if name not in UNSTABLE])
    least, most = FUNCTIONS[name]
    count = rng.randint(least, max(least, 3) + 1 if most is None else most)
    if name == "indexed-repeat" and count == 4:
        count = 5  # 3 or 5
    args = ", ".join(generated_expression(rng, depth - 1) for _ in range(count))
    return f"{name}({args})"


def corpus() -> list[tuple[str, dict, object]]:
    rng = random.Random(20240319)
    cases = [(text, ENV, rng.choice([7, "", "abcd", 2.5])) for text in HAND_WRITTEN]
    for _ in range(600):
        env = {name: rng.choice(TABLES if name.startswith("data:") else VALUES) for name in ENV}
        cases.append((generated_expression(rng, 3), env, rng.choice(VALUES)))
    return cases


def same(python, js) -> bool:
    if isinstance(python, bool) or isinstance(js, bool):
        return type(python) is bool and type(js) is bool and python == js
    if isinstance(python, str) or isinstance(js, str):
        return python == js
    if math.isnan(python):
        return math.isnan(js)
    if isinstance(python, float):
        return python == js or math.isclose(python, js, rel_tol=1e-12, abs_tol=1e-12)
    return python == js


@pytest.fixture(scope="module")
def expr_page(browser):
    page = browser.new_page()
    page.goto("about:blank")
    page.add_script_tag(path=str(SCRIPT))
    yield page
    page.close()


def test_js_evaluator_agrees_with_python(expr_page):
    cases = corpus()
    assert len(cases) >= 150
    trees = [to_json(parse(text)) for text, _env, _current in cases]
    expected = [evaluate(parse(text), env, current, NOW) for text, env, current in cases]
    results = expr_page.evaluate(
        """([cases, now]) => cases.map(([tree, env, current]) =>
               window.eomExpr.evaluate(tree, env, current, now))""",
        [[[tree, env, current] for tree, (_t, env, current) in zip(trees, cases, strict=True)],
         NOW.isoformat(timespec="seconds")],
    )
    mismatches = [
        (text, current, python, js)
        for (text, _env, current), python, js in zip(cases, expected, results, strict=True)
        if not same(python, js)
    ]
    assert mismatches == []


def test_js_truthy_agrees_with_python(expr_page):
    from eom.xlsform.expressions import truthy

    values = [0, 1, -2, 0.5, "", "0", "false", True, False]
    assert expr_page.evaluate("(vs) => vs.map(window.eomExpr.truthy)", values) == [
        truthy(value) for value in values
    ]
    assert expr_page.evaluate("window.eomExpr.truthy(NaN)") is False


def test_every_function_has_a_hand_written_case():
    written = " ".join(HAND_WRITTEN)
    random_ones = {"uuid", "random"}  # tested by kind below
    assert [name for name in FUNCTIONS if f"{name}(" not in written
            and name not in random_ones] == []


def test_unstable_functions_give_values_of_their_kind(expr_page):
    trees = [to_json(parse(text)) for text in ("uuid()", "uuid(12)", "random()")]
    uuid4, short, number = expr_page.evaluate(
        "(trees) => trees.map((t) => window.eomExpr.evaluate(t, {}, '', null))", trees)
    python = [evaluate(parse(text), {}) for text in ("uuid()", "uuid(12)", "random()")]
    assert [len(uuid4), uuid4[14], len(short), 0 <= number < 1] == [36, "4", 12, True]
    assert [len(python[0]), python[0][14], len(python[1]), 0 <= python[2] < 1] == [36, "4", 12,
                                                                                True]


def test_js_evaluator_is_small_and_uses_no_eval():
    source = SCRIPT.read_text(encoding="utf-8")
    assert len(source.splitlines()) <= 420  # ODK's functions, pulldata() and indexed-repeat() of 5 among them
    assert "eval(" not in source and "Function(" not in source
