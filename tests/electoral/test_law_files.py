"""Law TOML files are validated strictly; errors name the file and the key."""

from __future__ import annotations

import pytest

from eom.electoral import LawError, available_laws, load_law, load_law_file, parse_law

VALID = """
[law]
id = "test-law"
title = "Test"
system = "list"
source = "Test Act, Art. 1"

[list]
seats = 10
method = "dhondt"
ties = ["more_votes", "lot"]

[list.threshold]
percent = "4.5"
rule = "more_than"
base = "party_votes"
"""


def test_shipped_laws_are_listed_and_load():
    assert available_laws() == [
        "kz-maslikhat-2023",
        "kz-mazhilis-2016",
        "kz-mazhilis-2021",
        "kz-mazhilis-2023",
    ]
    for law_id in available_laws():
        assert load_law(law_id).id == law_id


def test_valid_law_text_builds_the_composed_evaluator():
    law = parse_law(VALID, "test.toml")
    result = law.allocate({"A": 955, "B": 45}, lot_seed=7)
    # 45/1000 = 4.5 % is not "more than" 4.5 %.
    assert result.seats == {"A": 10, "B": 0}


def test_unknown_key_is_an_error_naming_the_key():
    text = VALID.replace('method = "dhondt"', 'method = "dhondt"\nmetod = "hare"')
    with pytest.raises(LawError) as error:
        parse_law(text, "test.toml")
    assert "test.toml: unknown key 'list.metod'" in str(error.value)


def test_unknown_top_level_table_is_an_error():
    with pytest.raises(LawError) as error:
        parse_law(VALID + "\n[extra]\nx = 1\n", "test.toml")
    assert "unknown key 'extra'" in str(error.value)


def test_bad_method_name_is_an_error_naming_key_and_choices():
    with pytest.raises(LawError) as error:
        parse_law(VALID.replace('"dhondt"', '"__import__"'), "test.toml")
    assert "list.method = '__import__' is not one of: dhondt" in str(error.value)


def test_bad_tie_rule_is_an_error():
    with pytest.raises(LawError) as error:
        parse_law(VALID.replace('"more_votes", "lot"', '"coin"'), "test.toml")
    assert "list.ties: unknown tie rule 'coin'" in str(error.value)


def test_float_percent_is_refused():
    with pytest.raises(LawError) as error:
        parse_law(VALID.replace('percent = "4.5"', "percent = 4.5"), "test.toml")
    assert "floats are not exact" in str(error.value)


def test_missing_key_is_an_error_naming_it():
    with pytest.raises(LawError) as error:
        parse_law(VALID.replace('system = "list"\n', ""), "test.toml")
    assert "missing key 'law.system'" in str(error.value)


def test_seats_must_be_a_positive_integer():
    with pytest.raises(LawError) as error:
        parse_law(VALID.replace("seats = 10", 'seats = "ten"'), "test.toml")
    assert "list.seats must be a positive integer" in str(error.value)


def test_parallel_law_needs_districts():
    with pytest.raises(LawError) as error:
        parse_law(VALID.replace('system = "list"', 'system = "parallel"'), "test.toml")
    assert "missing table [districts]" in str(error.value)


def test_invalid_toml_is_an_error_naming_the_file():
    with pytest.raises(LawError) as error:
        parse_law("[law\n", "broken.toml")
    assert "broken.toml: not valid TOML" in str(error.value)


def test_unknown_law_id_lists_the_available_ones():
    with pytest.raises(LawError) as error:
        load_law("kz-mazhilis-1999")
    assert "available: kz-maslikhat-2023" in str(error.value)


def test_law_id_cannot_reach_outside_the_laws_folder():
    with pytest.raises(LawError):
        load_law("../laws/kz-mazhilis-2023")


def test_law_file_of_ones_own_is_validated_the_same_way(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(VALID.replace('rule = "more_than"', 'rule = "maybe"'), encoding="utf-8")
    with pytest.raises(LawError) as error:
        load_law_file(path)
    assert "list.threshold.rule = 'maybe'" in str(error.value)


def test_compensatory_law_from_text():
    text = """
[law]
id = "mmp"
title = "MMP"
system = "compensatory"
source = "Test Act"

[list]
method = "sainte-lague"

[districts]
seats = 2
method = "plurality"

[compensation]
seats = 10
overhang = "level"
"""
    law = parse_law(text, "mmp.toml")
    result = law.allocate_mixed(
        {"A": 50, "B": 30, "C": 20},
        {"d1": {"A": 5, "B": 1}, "d2": {"B": 5, "A": 1}},
    )
    assert result.seats == {"A": 5, "B": 3, "C": 2}
