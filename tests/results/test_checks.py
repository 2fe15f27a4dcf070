"""Arithmetic checks: declarations, explanations with the numbers, tolerances, numpy = Python."""

from __future__ import annotations

import random

import numpy as np
import pytest

from eom.results import checks, tally
from eom.results.checks import LINES, CheckError, evaluate, load_checks, parse_checks


def protocol(**lines):
    base = {
        "n_registered": 1000, "n_received": 700, "n_issued": 620, "n_cancelled": 80,
        "n_in_boxes": 619, "n_invalid": 15, "n_valid": 604, "n_against_all": 4,
        "votes": {"AMANAT": 400, "AUYL": 200},
    }
    base.update(lines)
    return base


def one(expression: str, **keys):
    return parse_checks({"check": [{"name": "c", "expression": expression, **keys}]}, "t")[0]


def test_checks_kz_law_lists_its_checks():
    names = [c.name for c in load_checks("kz-mazhilis-2023")]
    assert names == ["counted", "votes_sum", "boxes_within_issued", "issued_within_received",
                     "ballots_accounted", "over_voting", "ballots_missing"]


def test_checks_unknown_law_falls_back_to_default():
    assert [c.name for c in load_checks("ru-duma-2011")] == [
        c.name for c in load_checks("default")]
    assert load_checks(None) == load_checks("default")


def test_checks_consistent_protocol_passes_every_check():
    outcomes = checks.evaluate_all(load_checks("kz-mazhilis-2023"), protocol())
    assert [o.status for o in outcomes] == ["pass"] * 7


def test_checks_failure_explains_with_the_numbers():
    outcome = evaluate(one("n_valid + n_invalid == n_in_boxes"), protocol(n_in_boxes=612))
    assert outcome.status == "fail"
    assert outcome.explanation == (
        "valid 604 + invalid 15 = 619 ≠ in the boxes 612 (difference 7, tolerance 0)"
    )


def test_checks_over_voting_explained_with_greater_sign():
    outcome = evaluate(one("n_in_boxes <= n_registered"), protocol(n_registered=600))
    assert outcome.explanation == "in the boxes 619 > registered 600 (difference 19, tolerance 0)"


def test_checks_votes_sum_counts_every_party():
    check = one("sum(votes) + n_against_all == n_valid")
    assert evaluate(check, protocol()).status == "pass"
    failed = evaluate(check, protocol(n_valid=610))
    assert failed.explanation == (
        "votes 600 + against all 4 = 604 ≠ valid 610 (difference 6, tolerance 0)"
    )


def test_checks_absolute_tolerance_exactly_at_the_edge_passes():
    check = one("n_valid + n_invalid == n_in_boxes", tolerance=7)
    assert evaluate(check, protocol(n_in_boxes=612)).status == "pass"
    assert evaluate(check, protocol(n_in_boxes=611)).status == "fail"


def test_checks_percent_tolerance_is_exact_at_the_edge():
    check = one("n_in_boxes >= n_issued", tolerance_percent=1, tolerance_of="n_issued")
    # 1 % of 700 issued = 7: 693 in the boxes passes, 692 fails
    assert evaluate(check, protocol(n_issued=700, n_in_boxes=693)).status == "pass"
    failed = evaluate(check, protocol(n_issued=700, n_in_boxes=692))
    assert failed.status == "fail"
    assert failed.explanation == (
        "in the boxes 692 < issued 700 (difference 8, tolerance 1 % of issued = 7)"
    )


def test_checks_half_percent_tolerance_rounds_down():
    check = one("n_in_boxes >= n_issued", tolerance_percent=0.5, tolerance_of="n_issued")
    # 0.5 % of 700 = 3.5 → 3 ballots allowed
    assert evaluate(check, protocol(n_issued=700, n_in_boxes=697)).status == "pass"
    assert evaluate(check, protocol(n_issued=700, n_in_boxes=696)).status == "fail"


def test_checks_absent_line_is_not_applicable():
    outcome = evaluate(one("n_received == n_issued + n_cancelled"), protocol(n_cancelled=None))
    assert outcome.status == "n/a"
    assert not outcome.failed


def test_checks_constants_and_minus_are_understood():
    check = one("n_received - n_cancelled == n_issued")
    assert evaluate(check, protocol()).status == "pass"
    assert evaluate(one("n_invalid <= 20"), protocol()).status == "pass"


@pytest.mark.parametrize("expression, reason", [
    ("n_valid + n_invalid", "needs exactly one of"),
    ("n_valid == n_boxes", "unknown line “n_boxes”"),
    ("n_valid == n_invalid == n_in_boxes", "needs exactly one of"),
    ("n_valid + == n_in_boxes", "ends with an operator"),
    ("n_valid n_invalid == n_in_boxes", "or - before “n_invalid”"),
    ("__import__('os') == 1", "unknown line"),
])
def test_checks_bad_expression_is_refused_with_the_reason(expression, reason):
    with pytest.raises(CheckError, match=reason):
        one(expression)


def test_checks_bad_declarations_are_refused():
    with pytest.raises(CheckError, match="tolerance_of must name a line"):
        one("n_valid == n_in_boxes", tolerance_percent=1)
    with pytest.raises(CheckError, match="severity"):
        one("n_valid == n_in_boxes", severity="fatal")
    with pytest.raises(CheckError, match="duplicate name"):
        parse_checks({"check": [{"name": "a", "expression": "n_valid == 1"}] * 2}, "t")


def test_checks_numpy_agrees_with_python_on_random_protocols():
    rng = random.Random(7)
    law = load_checks("kz-mazhilis-2023")
    rows = []
    for i in range(400):
        p = protocol()
        for line in LINES:
            if rng.random() < 0.3:
                p[line] = rng.choice([None, p[line] + rng.randint(-9, 9), 0])
                if p[line] is not None:
                    p[line] = max(p[line], 0)
        p["votes"] = {"AMANAT": rng.randint(0, 500), "AUYL": rng.randint(0, 200)}
        rows.append((i, "KZ/", *[p[line] for line in LINES], p["votes"]))
    arrays = tally.from_rows(rows)
    outcomes = tally.run_checks(arrays, law)
    for index, row in enumerate(rows):
        figures = {**dict(zip(LINES, row[2:10], strict=True)), "votes": row[10]}
        expected = [evaluate(check, figures).failed for check in law]
        assert [bool(o.failed[index]) for o in outcomes] == expected
        assert [bool(o.applicable[index]) for o in outcomes] == [
            evaluate(check, figures).status != "n/a" for check in law]
    assert sum(o.n_failed for o in outcomes) > 50


def test_checks_aggregate_sums_by_ancestor_and_keeps_absent_lines_apart():
    rows = [
        (1, "KZ/R1/D1/01/", 100, None, 50, 5, 50, 2, 48, 1, {"A": 40, "B": 7}),
        (2, "KZ/R1/D1/02/", 200, None, 80, 5, 80, 0, 80, 0, {"A": 80}),
        (3, "KZ/R2/D2/03/", 300, 90, 90, 0, 90, 3, 87, 2, {"B": 85}),
    ]
    arrays = tally.from_rows(rows)
    regions = tally.aggregate(arrays, 1)
    assert sorted(regions) == ["KZ/R1/", "KZ/R2/"]
    assert regions["KZ/R1/"].lines["n_registered"] == 300
    assert regions["KZ/R1/"].lines["n_received"] is None
    assert regions["KZ/R2/"].lines["n_received"] == 90
    assert regions["KZ/R1/"].votes == {"A": 120, "B": 7}
    assert tally.aggregate(arrays, 0)["KZ/"].n_protocols == 3
    assert np.array_equal(arrays.votes_sum(), [47, 80, 85])
