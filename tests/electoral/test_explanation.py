"""Every result explains itself: JSON-ready data and a plain-text table."""

from __future__ import annotations

import json

from eom.electoral import (
    Compensatory,
    DivisorMethod,
    LargestRemainder,
    Threshold,
    TieBreak,
    load_law,
)

VOTES = {"A": 100_000, "B": 80_000, "C": 30_000, "D": 20_000, "against_all": 5_000}


def test_to_dict_round_trips_through_json_with_exact_fractions():
    result = Threshold(LargestRemainder("hare"), 10).allocate(VOTES, 8)
    payload = json.loads(json.dumps(result.to_dict()))
    assert payload["seats"] == {"A": 4, "B": 3, "C": 1, "D": 0}
    assert payload["explanation"]["quota"] == {"fraction": "26250", "decimal": "26250.000000"}
    assert payload["explanation"]["threshold"]["passed"] == ["A", "B", "C"]
    assert payload["explanation"]["threshold"]["rows"][3]["share"]["fraction"] == "4/47"


def test_text_lists_every_divisor_step():
    text = DivisorMethod("dhondt").allocate(VOTES, 8).to_text()
    assert "Seat by seat" in text
    rows = [line.split() for line in text.splitlines()]
    assert ["8", "A", "quotient", "4", "25,000.0000"] in rows


def test_text_names_the_tie_rule_used_for_a_remainder_seat():
    evaluator = LargestRemainder("hare", TieBreak(("earlier_registration",)))
    result = evaluator.allocate({"A": 25, "B": 25, "C": 50}, 2, registration_order=["B", "A"])
    text = result.to_text()
    assert "settled by earlier registration (B before A)" in text


def test_law_result_carries_the_legal_source_and_notes():
    result = load_law("kz-mazhilis-2023").allocate({"A": 60, "B": 40})
    assert "Art. 97-1" in result.source
    assert any("Against all is on every ballot" in note for note in result.notes)


def test_mixed_result_text_and_json():
    system = Compensatory(DivisorMethod("dhondt"), overhang_rule="keep")
    result = system.allocate(
        {"A": 40, "B": 35, "C": 25},
        10,
        district_votes={f"d{i}": {"A": 2, "B": 1} for i in range(6)},
    )
    text = result.to_text()
    assert "overhang" in text
    assert json.loads(json.dumps(result.to_dict()))["seats"] == {"A": 6, "B": 4, "C": 2}
