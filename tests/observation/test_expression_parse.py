"""Parsing XLSForm expressions: the supported subset, its precedence, and the errors."""

from __future__ import annotations

import pytest

from eom.xlsform.expressions import (
    FUNCTIONS,
    MAX_DEPTH,
    MAX_LENGTH,
    MAX_TREE_DEPTH,
    Call,
    ExpressionError,
    Num,
    Op,
    Self,
    Str,
    Var,
    evaluate,
    from_json,
    names,
    parse,
    to_json,
    to_text,
    uses_self,
)

A, B, C = Var("a"), Var("b"), Var("c")


def error_of(text: str) -> ExpressionError:
    with pytest.raises(ExpressionError) as caught:
        parse(text)
    return caught.value


@pytest.mark.parametrize(
    ("text", "node"),
    [
        ("5", Num(5)),
        ("1.5", Num(1.5)),
        (".5", Num(0.5)),
        ("2.", Num(2.0)),
        ("'yes'", Str("yes")),
        ('"it\'s"', Str("it's")),
        ("''", Str("")),
        ("${q}", Var("q")),
        ("${location.n_registered}", Var("location.n_registered")),
        ("${a-b_c9}", Var("a-b_c9")),
        (".", Self()),
        ("-5", Num(-5)),
        ("- -5", Num(5)),
        ("-${a}", Op("neg", (A,))),
        ("(${a})", A),
        ("  ${a}\t\n", A),
    ],
)
def test_parse_operand_gives_node(text, node):
    assert parse(text) == node


@pytest.mark.parametrize("op", ["or", "and", "=", "!=", "<", "<=", ">", ">=", "+", "-", "*",
                                "div", "mod"])
def test_parse_binary_operator_gives_op(op):
    assert parse(f"${{a}} {op} ${{b}}") == Op(op, (A, B))


def test_parse_operators_without_spaces():
    assert parse("${a}!=${b}") == Op("!=", (A, B))
    assert parse("${a}<=5") == Op("<=", (A, Num(5)))
    assert parse("5div 2") == Op("div", (Num(5), Num(2)))
    assert parse("(1)mod(2)") == Op("mod", (Num(1), Num(2)))


@pytest.mark.parametrize(
    ("text", "node"),
    [
        ("${a} or ${b} and ${c}", Op("or", (A, Op("and", (B, C))))),
        ("${a} and ${b} = ${c}", Op("and", (A, Op("=", (B, C))))),
        ("${a} = ${b} < ${c}", Op("=", (A, Op("<", (B, C))))),
        ("${a} < ${b} + ${c}", Op("<", (A, Op("+", (B, C))))),
        ("${a} + ${b} * ${c}", Op("+", (A, Op("*", (B, C))))),
        ("${a} - ${b} div ${c}", Op("-", (A, Op("div", (B, C))))),
        ("-${a} * ${b}", Op("*", (Op("neg", (A,)), B))),
        ("${a} - ${b} - ${c}", Op("-", (Op("-", (A, B)), C))),
        ("${a} - (${b} - ${c})", Op("-", (A, Op("-", (B, C))))),
        ("${a} div ${b} mod ${c}", Op("mod", (Op("div", (A, B)), C))),
        ("(${a} or ${b}) and ${c}", Op("and", (Op("or", (A, B)), C))),
        ("${a} = ${b} != ${c}", Op("!=", (Op("=", (A, B)), C))),
        ("-(${a} + 1)", Op("neg", (Op("+", (A, Num(1))),))),
    ],
)
def test_parse_precedence_and_associativity(text, node):
    assert parse(text) == node


@pytest.mark.parametrize(
    ("text", "node"),
    [
        ("selected(${a}, 'x')", Call("selected", (A, Str("x")))),
        ("count-selected(${a})", Call("count-selected", (A,))),
        ("string-length(.)", Call("string-length", (Self(),))),
        ("not(${a})", Call("not", (A,))),
        ("if(${a}, 1, 2)", Call("if", (A, Num(1), Num(2)))),
        ("coalesce(${a}, ${b})", Call("coalesce", (A, B))),
        ("number(${a})", Call("number", (A,))),
        ("int(${a})", Call("int", (A,))),
        ("round(${a}, 2)", Call("round", (A, Num(2)))),
        ("abs(${a})", Call("abs", (A,))),
        ("concat(${a})", Call("concat", (A,))),
        ("concat(${a}, '-', ${b}, ${c})", Call("concat", (A, Str("-"), B, C))),
        ("contains(${a}, 'x')", Call("contains", (A, Str("x")))),
        ("starts-with(${a}, 'x')", Call("starts-with", (A, Str("x")))),
        ("string(${a})", Call("string", (A,))),
        ("today()", Call("today", ())),
        ("now()", Call("now", ())),
        ("true()", Call("true", ())),
        ("false()", Call("false", ())),
    ],
)
def test_parse_function_gives_call(text, node):
    assert parse(text) == node


def test_parse_covers_every_supported_function():
    assert set(FUNCTIONS) == {
        "selected", "count-selected", "string-length", "not", "if", "coalesce", "number",
        "int", "round", "abs", "concat", "contains", "starts-with", "string", "today", "now",
        "true", "false",
        # ODK's other functions for forms
        "regex", "selected-at", "jr:choice-name", "format-date", "format-date-time",
        "decimal-date-time", "decimal-time", "date", "date-time", "pow", "log", "log10", "exp",
        "exp10", "sqrt", "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "pi", "floor",
        "ceiling", "once", "uuid", "random", "join", "substr", "substring-before",
        "substring-after", "translate", "normalize-space", "ends-with", "boolean",
        "boolean-from-string", "checklist", "weighted-checklist", "max", "min", "sum", "count",
        "count-non-empty",
        # repeats
        "position", "indexed-repeat",
        # the form's attached CSV files
        "pulldata",
    }


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("(${a} + 1))", 'unexpected ")"', 10),
        ("${a} +", "unexpected end of expression", 6),
        ("", "unexpected end of expression", 0),
        ("${a} ${b}", 'unexpected "${b}"', 5),
        ("1 2", 'unexpected "2"', 2),
        ("(1 + 2", 'unexpected end of expression (expected ")")', 6),
        ("not(1 2)", 'unexpected "2" (expected ")")', 6),
        ("'open", "unterminated string (missing closing ')", 0),
        ('x = "open', 'unterminated string (missing closing ")', 4),
        ("${a", 'missing "}" after "${"', 0),
        ("1 + ${a b}", 'invalid name "${a b}" (use letters, digits, _, - and .)', 4),
        ("${}", 'invalid name "${}" (use letters, digits, _, - and .)', 0),
        ("$a", 'unexpected character "$" (write ${name})', 0),
        ("1 # 2", 'unexpected character "#"', 2),
        ("1 ! 2", 'unexpected character "!"', 2),
        ("${a} and or ${b}", 'unexpected "or"', 9),
        ("1 and", "unexpected end of expression", 5),
        (",", 'unexpected ","', 0),
        ("${a}[1]", 'predicates ("[") are not supported', 4),
        ("${a} | ${b}", 'unions ("|") are not supported', 5),
    ],
)
def test_parse_syntax_error_names_problem_and_position(text, message, position):
    error = error_of(text)
    assert (error.message, error.position) == (message, position)
    assert str(error) == f"{message} at character {position}"


def test_parse_error_is_a_value_error():
    assert isinstance(error_of(")"), ValueError)


def test_parse_unsupported_function_lists_the_supported_ones():
    error = error_of("digest('stations', 'n', 'code', .)")
    assert error.message == (
        'function "digest" is not supported (supported: selected, count-selected, '
        "string-length, not, if, coalesce, number, int, round, abs, concat, contains, "
        f"starts-with, string, today, now, true, false, {', '.join(list(FUNCTIONS)[18:])})"
    )
    assert error.position == 0


@pytest.mark.parametrize("name", ["current", "instance", "digest", "and"])
def test_parse_other_function_is_refused_by_name(name):
    assert error_of(f"1 + {name}(${{a}})").message.startswith(
        f'function "{name}" is not supported (supported: selected,'
    )


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("/data/* > 5", 'repeats/paths like "/data/*" are not supported (write ${name})', 0),
        ("../@x = 1", 'repeats/paths like "../@x" are not supported (write ${name})', 0),
        ("1 + @id", 'repeats/paths like "@id" are not supported (write ${name})', 4),
        ("${a}/b", 'unexpected "/b"', 4),
        ("age > 5", 'paths like "age" are not supported (write ${age} for a question)', 0),
    ],
)
def test_parse_paths_are_refused(text, message, position):
    error = error_of(text)
    assert (error.message, error.position) == (message, position)


@pytest.mark.parametrize(
    ("text", "node"),
    [
        ("/data/visits/n", Var("n")),
        ("../n", Var("n")),
        ("./n", Var("n")),
        ("count(/data/visits)", Call("count", (Var("visits"),))),
        ("position(..)", Call("position", (Var(".."),))),
    ],
)
def test_parse_path_of_a_question_is_the_question_names_being_unique(text, node):
    assert parse(text) == node
    assert names(parse(text)) <= {"n", "visits"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("selected(${a})", 'function "selected" takes 2 arguments, got 1'),
        ("not()", 'function "not" takes 1 argument, got 0'),
        ("if(1, 2)", 'function "if" takes 3 arguments, got 2'),
        ("today(1)", 'function "today" takes 0 arguments, got 1'),
        ("round(1.5)", 'function "round" takes 2 arguments, got 1'),
        ("concat()", 'function "concat" takes at least 1 argument, got 0'),
    ],
)
def test_parse_wrong_argument_count_names_function_and_count(text, message):
    error = error_of(text)
    assert (error.message, error.position) == (message, 0)


def test_parse_refuses_text_longer_than_the_cap():
    text = "1" + " " * (MAX_LENGTH - 1)
    assert parse(text) == Num(1)
    error = error_of(text + " ")
    assert error.message == f"expression is too long ({MAX_LENGTH + 1} characters, at most 2000)"
    assert error.position is None


def test_parse_refuses_nesting_deeper_than_the_cap():
    assert parse("(" * MAX_DEPTH + "1" + ")" * MAX_DEPTH) == Num(1)
    error = error_of("(" * (MAX_DEPTH + 1) + "1" + ")" * (MAX_DEPTH + 1))
    assert error.message == "expression is nested too deeply (more than 50 levels)"
    assert error.position == MAX_DEPTH + 1


def test_parse_refuses_deep_function_nesting():
    assert error_of("not(" * 60 + "1" + ")" * 60).message.startswith("expression is nested")
    assert error_of("-" * 60 + "${a}").message.startswith("expression is nested")


def test_parse_refuses_operator_chains_longer_than_the_tree_cap():
    assert parse(" + ".join(["${a}"] * (MAX_TREE_DEPTH + 1))) is not None
    error = error_of(" + ".join(["${a}"] * (MAX_TREE_DEPTH + 2)))
    assert error.message == "expression is too complex (more than 200 levels of operators)"


@pytest.mark.parametrize(
    "text",
    [
        "${a} or ${a} and ${a} = ${a} < ${a} + ${a} * (" * 33 + "${a}" + ")" * 33,
        "not(" * 49 + " + ".join(["${a}"] * 150) + ")" * 49,
        "if(" * 50 + "1" + ", 1, 1)" * 50,
    ],
)
def test_deepest_accepted_trees_are_walked_without_recursion_errors(text):
    node = parse(text)
    assert evaluate(node, {"a": 1}) in (True, False, 1)
    assert parse(to_text(node)) == node
    assert from_json(to_json(node)) == node
    assert hash(node) == hash(parse(text))
    assert names(node) == ({"a"} if "${a}" in text else set())


@pytest.mark.parametrize("number", ["1" * 309, "9" * 400 + ".5"])
def test_parse_refuses_numbers_too_large(number):
    assert error_of(number).message == f'number "{number[:20]}…" is too large'


def test_parse_refuses_non_text():
    assert error_of(None).message == "an expression is text, not NoneType"


def test_names_lists_referenced_names():
    node = parse("${a} + count-selected(${b}) > ${location.n_registered} or ${a} = .")
    assert names(node) == {"a", "b", "location.n_registered"}
    assert names(parse("1 + 1")) == set()


def test_uses_self_finds_the_dot():
    assert uses_self(parse(". > 5 and . < 10")) is True
    assert uses_self(parse("string-length(.) > 0")) is True
    assert uses_self(parse("${a} > 5")) is False


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("${a}+${b}*2", "${a} + ${b} * 2"),
        ("(${a}+${b})*2", "(${a} + ${b}) * 2"),
        ("${a}-(${b}-${c})", "${a} - (${b} - ${c})"),
        ("((${a}-${b}))-${c}", "${a} - ${b} - ${c}"),
        ("-(${a})", "-${a}"),
        ("-(${a}+1)", "-(${a} + 1)"),
        ("1 - -5", "1 - -5"),
        (".5", "0.5"),
        ("2.", "2.0"),
        ("\"it's\"", "\"it's\""),
        ("selected( ${a} ,'x' )", "selected(${a}, 'x')"),
        ("not(.)and today()!=''", "not(.) and today() != ''"),
    ],
)
def test_to_text_is_canonical(text, canonical):
    assert to_text(parse(text)) == canonical
    assert parse(canonical) == parse(text)


def test_to_text_of_a_string_with_both_quotes_is_a_concat():
    assert to_text(Str("a'b\"c")) == "concat('a', \"'\", 'b\"c')"


def test_to_json_gives_the_browser_tree():
    node = parse("selected(${m}, 'b') and -${n} * 1.5 >= . or true()")
    assert to_json(node) == {
        "op": "or",
        "args": [
            {"op": "and", "args": [
                {"call": "selected", "args": [{"var": "m"}, {"str": "b"}]},
                {"op": ">=", "args": [
                    {"op": "*", "args": [{"op": "neg", "args": [{"var": "n"}]}, {"num": 1.5}]},
                    {"self": True},
                ]},
            ]},
            {"call": "true", "args": []},
        ],
    }
    assert from_json(to_json(node)) == node


@pytest.mark.parametrize(
    "data",
    [
        {"num": "5"},
        {"num": True},
        {"num": float("inf")},
        {"str": 5},
        {"var": "a b"},
        {"self": False},
        {"op": "**", "args": [{"num": 1}, {"num": 2}]},
        {"op": "+", "args": [{"num": 1}]},
        {"call": "regex", "args": []},
        {"call": "pulldata", "args": [{"num": 1}]},
        {"call": "indexed-repeat", "args": [{"var": "a"}, {"var": "r"}, {"num": 1},
                                             {"var": "s"}]},
        {"call": "not", "args": []},
        {"op": "+", "args": "ab"},
        [1],
    ],
)
def test_from_json_refuses_malformed_trees(data):
    with pytest.raises(ExpressionError):
        from_json(data)


def test_nodes_are_hashable_and_compare_by_value():
    assert {parse("${a} + 1"), parse("${a}+1")} == {Op("+", (A, Num(1)))}
    assert parse("1") != parse("1.0")


def test_parse_indexed_repeat_of_four_arguments_is_refused():
    error = error_of("indexed-repeat(${a}, ${r}, 1, ${s})")

    assert (error.message, error.position) == (
        'function "indexed-repeat" takes 3 or 5 arguments, got 4', 0)
