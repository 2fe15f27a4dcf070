"""Krippendorff's alpha per variable over the units two or more monitors coded, on the worked
example of Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability" (Annenberg School
for Communication, University of Pennsylvania, pp. 3-5): four observers, twelve units, values
1 to 5, some missing; alpha is 0.743 nominal and 0.797 ratio there."""

import math
from decimal import Decimal

import pytest

from eom.media import reliability
from eom.media.models import MediaSettings, Topic
from tests.media.factories import DAY, code

N = math.nan
# Krippendorff's table: one row per observer (A-D), one column per unit.
KRIPPENDORFF = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]


def _code_the_example(media, *, as_topic: bool):
    topics = {n: Topic.objects.create(mission=media.mission, code=f"t{n}", name=f"Topic {n}")
              for n in range(1, 6)}
    media.topics.update({t.code: t for t in topics.values()})
    for coder, row in zip("ABCD", KRIPPENDORFF, strict=True):
        for unit, value in enumerate(row):
            if math.isnan(value):
                continue
            code(media, media.khabar, coder=coder, programme=f"Unit {unit}",
                 seconds=int(value), topic=topics[int(value)].code if as_topic else None)


def _alphas(media):
    found = reliability.reliability(media.mission)
    return found, {a.variable: a for a in found.variables}


def test_alpha_matches_krippendorffs_worked_example(media):
    _code_the_example(media, as_topic=True)
    found, alphas = _alphas(media)
    assert alphas["topic"].alpha == pytest.approx(0.743, abs=0.0005)
    assert alphas["time"].alpha == pytest.approx(0.797, abs=0.0005)
    # Unit 12 was coded by one observer only: not a unit of the reliability data.
    assert found.n_units == 11
    assert found.coders == ["A", "B", "C", "D"]
    assert alphas["space"].alpha is None  # no print item was coded twice


def test_a_variable_below_the_threshold_is_named_on_the_page(media, client, core_member):
    # Two monitors agree on time, never on tone.
    for unit, (first, second) in enumerate([("positive", "negative"), ("negative", "neutral"),
                                            ("neutral", "positive")]):
        code(media, media.khabar, coder="M1", programme=f"P{unit}", tone=first,
             seconds=60 * (unit + 1))
        code(media, media.khabar, coder="M2", programme=f"P{unit}", tone=second,
             seconds=60 * (unit + 1))
    found, alphas = _alphas(media)
    assert alphas["tone"].alpha < 0 and alphas["tone"].below
    assert alphas["time"].alpha == pytest.approx(1.0) and not alphas["time"].below
    assert found.threshold == Decimal("0.667")
    client.force_login(core_member)
    page = client.get("/media/reliability/").content.decode()
    assert "below the mission's threshold of 0.667" in page


def test_the_mission_sets_its_own_threshold(media):
    MediaSettings.objects.create(mission=media.mission, alpha_threshold=Decimal("0.800"))
    code(media, media.khabar, coder="M1", seconds=10, date=DAY)
    assert reliability.reliability(media.mission).threshold == Decimal("0.800")


def test_alpha_is_undefined_when_nothing_was_coded_twice(media):
    code(media, media.khabar, coder="M1", seconds=10)
    found, alphas = _alphas(media)
    assert found.n_units == 0
    assert all(a.alpha is None and not a.below for a in alphas.values())
