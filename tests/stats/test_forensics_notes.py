"""The forensics checks give their explanations and caveats as notes (a kind and the figures it
cites) whose English is the checks' own text; the JSON of the command line is unchanged."""

from __future__ import annotations

import numpy as np

from eom.stats import fingerprint, fingerprint_svg, summary
from eom.stats.fingerprint import SvgLabels
from eom.stats.notes import NOTE_FIELDS


def stations(seed: int = 5, n: int = 400):
    rng = np.random.default_rng(seed)
    registered = rng.integers(150, 2500, n)
    issued = rng.binomial(registered, 0.6)
    leader = rng.binomial(issued, 0.55)
    return registered, issued, leader, issued


def test_each_check_says_its_explanation_as_notes_citing_its_figures():
    result = summary(*stations(), n_draws=0)
    ip = result.integer_percent
    (note,) = ip.explanation_notes
    assert note.kind == "integer_percent"
    assert (note["kept"], note["observed"], note["z"]) == (ip.stations_kept, ip.observed,
                                                           ip.z_score)
    assert ip.explanation == note.text
    assert ip.caveats == tuple(c.text for c in ip.caveat_notes)
    assert result.headline.explanation_notes[0]["registered"] == result.headline.n_registered
    assert result.shpilkin.explanation_notes[0]["anomalous"] == result.shpilkin.anomalous_votes
    assert result.benford.explanation_notes[0].kind in ("benford.inside", "benford.outside")
    assert result.slope.explanation_notes[0]["n"] == result.slope.n_stations
    assert result.fingerprint_notes[0]["used"] == result.fingerprint_stations
    for part in (result.shpilkin, result.benford, result.slope):
        assert part.explanation == " ".join(n.text for n in part.explanation_notes)
        assert [n.kind.split(".")[1] for n in part.caveat_notes] == ["caveat"] * len(part.caveats)


def test_the_json_of_the_checks_has_no_notes():
    plain = summary(*stations(), n_draws=0).as_dict()
    found = []

    def walk(value):
        if isinstance(value, dict):
            found.extend(k for k in value if k in NOTE_FIELDS)
            for v in value.values():
                walk(v)
    walk(plain)
    assert found == [] and "explanation" in plain["integer_percent"]


def test_the_fingerprint_chart_takes_its_words_and_keeps_english_by_default():
    result = fingerprint(*stations())
    english = fingerprint_svg(result)
    assert "Turnout, % of registered voters" in english and "(log scale)" in english
    worded = fingerprint_svg(result, labels=SvgLabels(
        turnout_axis="Явка", share_axis="Доля <лидера>", key="участки", key_scale="(лог.)",
        cell=lambda t, s, n: f"явка {t}, доля {s}: {n}"))
    assert "Turnout" not in worded and "stations" not in worded
    assert "Доля &lt;лидера&gt;" in worded and "<title>явка " in worded
    assert worded.count("<title>") == english.count("<title>")
