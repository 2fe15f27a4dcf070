"""Evaluating XLSForm expressions with the XPath semantics eom supports."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pytest

from eom.xlsform.expressions import evaluate, parse, truthy

ENV = {
    "q": 7,
    "zero": 0,
    "dec": 2.5,
    "sel": "yes",
    "multi": "a b  c",
    "empty_multi": "",
    "missing": "",
    "text": "Almaty",
    "numtext": " 12 ",
    "big": 10**15,
    "location.n_registered": 1200,
    "flag": True,
}
NOW = dt.datetime(2024, 3, 19, 7, 5, 9)


def ev(text: str, current: object = None, env=ENV):
    return evaluate(parse(text), env, current=current, now=NOW)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${q} > 5", True),
        ("${q} > 7", False),
        ("${q} >= 7", True),
        ("${q} < 10 and ${q} <= 7", True),
        ("${q} = 7", True),
        ("${q} = '7'", True),
        ("${q} != 7", False),
        ("${sel} = 'yes'", True),
        ("${sel} = 'no'", False),
        ("${sel} != 'no'", True),
        ("'' > 5", False),
        ("'' < 5", False),
        ("'' = 0", False),
        ("'' != 0", True),
        ("${missing} != ''", False),
        ("${missing} = ''", True),
        ("${nowhere} = ''", True),
        ("${missing} > 0", False),
        ("${missing} = 0", False),
        ("${numtext} = 12", True),
        ("'abc' < 'abd'", False),
        ("'2' < '10'", True),
        ("'a' = 'a'", True),
        ("'a' = 'A'", False),
        ("${flag} = 'x'", True),
        ("${flag} = ''", False),
        ("true() = 1", True),
        ("false() = 0", True),
        ("true() > false()", True),
        ("${location.n_registered} >= 1000", True),
        ("1 div 0 = 1 div 0", True),
        ("0 div 0 = 0 div 0", False),
        ("0 div 0 != 0 div 0", True),
        ("${dec} = 2.5", True),
        ("${dec} > 2", True),
    ],
)
def test_comparison_follows_xpath(text, expected):
    assert ev(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 or 0", True),
        ("0 or ''", False),
        ("'x' and 'false'", True),
        ("${missing} or ${q}", True),
        ("0 and ${nowhere}", False),
        ("not(${missing})", True),
        ("not(0 div 0)", True),
    ],
)
def test_logic_gives_bools(text, expected):
    assert ev(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2", 3),
        ("7 - 10", -3),
        ("6 * 7", 42),
        ("${q} mod 3", 1),
        ("-7 mod 3", -1),
        ("7 mod -3", 1),
        ("-${q}", -7),
        ("${q} + ${location.n_registered}", 1207),
        ("${numtext} + 1", 13),
        ("true() + 1", 2),
        ("${big} + 1", 10**15 + 1),
        ("${big} * ${big} + 1", 10**30 + 1),
        ("2 + 3 * 4 - 10 div 4", 11.5),
    ],
)
def test_integer_arithmetic_is_exact(text, expected):
    result = ev(text)
    assert (type(result), result) == (type(expected), expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7 div 2", 3.5),
        ("6 div 3", 2.0),
        ("${dec} * 2", 5.0),
        ("1.5 + 1", 2.5),
        ("5.5 mod 2", 1.5),
        ("-5.5 mod 2", -1.5),
    ],
)
def test_decimal_arithmetic_gives_floats(text, expected):
    result = ev(text)
    assert (type(result), result) == (float, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 div 0", math.inf),
        ("-1 div 0", -math.inf),
        ("1 div -0", math.inf),
        ("${q} div ${zero}", math.inf),
    ],
)
def test_division_by_zero_gives_infinity(text, expected):
    assert ev(text) == expected


@pytest.mark.parametrize(
    "text",
    ["0 div 0", "5 mod 0", "5.5 mod 0", "(1 div 0) mod 2", "${missing} + 1", "'abc' * 2",
     "${nowhere} - 1", "-'x'", "number('1e3')", "number('+5')"],
)
def test_nan_results(text):
    assert math.isnan(ev(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("selected(${multi}, 'b')", True),
        ("selected(${multi}, 'c')", True),
        ("selected(${multi}, ' a ')", True),
        ("selected(${multi}, 'd')", False),
        ("selected(${multi}, 'a b')", False),
        ("selected(${empty_multi}, 'a')", False),
        ("selected(${sel}, 'yes')", True),
        ("count-selected(${multi})", 3),
        ("count-selected(${empty_multi})", 0),
        ("string-length(${text})", 6),
        ("string-length('Алматы')", 6),
        ("string-length(${missing})", 0),
        ("string-length(${q})", 1),
        ("if(${q} > 5, 'many', 'few')", "many"),
        ("if(${missing}, 'x', ${q})", 7),
        ("coalesce(${missing}, 'fallback')", "fallback"),
        ("coalesce(${zero}, 'fallback')", 0),
        ("coalesce(${missing}, ${nowhere})", ""),
        ("number('3.25')", 3.25),
        ("number(${numtext})", 12),
        ("number(true())", 1),
        ("int(7.9)", 7),
        ("int(-7.9)", -7),
        ("int('12.5')", 12),
        ("round(2.5, 0)", 3.0),
        ("round(-2.5, 0)", -3.0),
        ("round(2.345, 2)", 2.35),
        ("round(1234, -2)", 1200),
        ("round(1250, -2)", 1300),
        ("round(-1250, -2)", -1300),
        ("round(7, 2)", 7),
        ("abs(-3)", 3),
        ("abs(-2.5)", 2.5),
        ("concat(${text}, '-', ${q}, '-', ${dec}, '-', true())", "Almaty-7-2.5-true"),
        ("concat(6 div 3, '/', 1 div 0, '/', 0 div 0)", "2/Infinity/NaN"),
        ("concat(${missing})", ""),
        ("contains(${text}, 'mat')", True),
        ("contains(${text}, 'x')", False),
        ("starts-with(${text}, 'Al')", True),
        ("starts-with(${text}, 'al')", False),
        ("string(${q})", "7"),
        ("string(5.0)", "5"),
        ("string(1.5)", "1.5"),
        ("string(0.000001)", "0.000001"),
        ("string(100000000000000000000.0)", "100000000000000000000"),
        ("string(false())", "false"),
        ("today()", "2024-03-19"),
        ("now()", "2024-03-19T07:05:09"),
        ("true()", True),
        ("false()", False),
    ],
)
def test_functions(text, expected):
    result = ev(text)
    assert (type(result), result) == (type(expected), expected)


def test_dot_is_the_current_value():
    assert ev(". > 5 and . < 10", current=7) is True
    assert ev(". > 5", current="") is False
    assert ev("string-length(.) <= 3", current="abcd") is False
    assert ev(".") == ""


def test_unknown_name_is_empty():
    assert ev("${nowhere}") == ""


def test_values_of_other_python_types_are_read():
    env = {"none": None, "dec": Decimal("1.25"), "day": dt.date(2024, 3, 1)}
    assert ev("${none} = ''", env=env) is True
    assert ev("${dec} * 4", env=env) == 5.0
    assert ev("${day}", env=env) == "2024-03-01"


def test_now_defaults_to_the_local_clock():
    assert evaluate(parse("today()"), {}) == dt.date.today().isoformat()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, False), (1, True), (-2, True), (0.0, False), (0.5, True), (math.nan, False),
        (math.inf, True), ("", False), ("0", True), ("false", True), (True, True),
        (False, False),
    ],
)
def test_truthy_is_xpath_boolean(value, expected):
    assert truthy(value) is expected


def test_dates_are_ordered_by_their_days_as_odk_collect_orders_them():
    now = dt.datetime(2024, 3, 19, 7, 5, 9)
    future = parse(". >= today()")

    assert [evaluate(future, {}, day, now) for day in ("2024-03-18", "2024-03-19", "2100-01-01")
            ] == [False, True, True]
    assert evaluate(parse("${end} > ${start}"), {"start": "2024-03-19T10:00:00.000+06:00",
                                                 "end": "2024-03-19T10:20:00.000+06:00"}) is True
    assert evaluate(parse("'2024-02-30' < today()"), {}, None, now) is False  # no such day


FRUITS = {"data:fruits": ({"name": "kiwi", "colour": "green", "n": "3"},
                          {"name": "mango", "colour": "yellow", "n": "7"},
                          {"name": "mango", "colour": "red", "n": "9"}),
          "fruit": "mango", "code": 3}


@pytest.mark.parametrize(("text", "expected"), [
    ("pulldata('fruits', 'colour', 'name', ${fruit})", "yellow"),  # the first row that matches
    ("pulldata('fruits', 'colour', 'n', ${code})", "green"),  # the key read as text
    ("pulldata('fruits', 'n', 'name', 'kiwi') + 1", 4),
    ("pulldata('fruits', 'colour', 'name', 'plum')", ""),
    ("pulldata('fruits', 'weight', 'name', 'kiwi')", ""),
    ("pulldata('fruits', 'colour', 'size', 'kiwi')", ""),
    ("pulldata('vegetables', 'colour', 'name', 'kiwi')", ""),
])
def test_pulldata_reads_the_first_row_of_the_attached_file_whose_key_matches(text, expected):
    assert evaluate(parse(text), FRUITS) == expected
