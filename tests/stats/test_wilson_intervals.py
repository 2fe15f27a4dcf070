"""Wilson intervals for many counts at once equal the scalar function, value for value."""

from __future__ import annotations

import numpy as np

from eom.stats import wilson_interval, wilson_intervals


def scalar(n_yes, n, confidence=0.95) -> tuple[list[float], list[float]]:
    pairs = [wilson_interval(y, m, confidence) for y, m in zip(n_yes, n, strict=True)]
    return [lo for lo, _hi in pairs], [hi for _lo, hi in pairs]


def test_wilson_intervals_equal_the_scalar_ones_for_every_count_up_to_sixty():
    n = np.array([m for m in range(61) for _y in range(m + 1)])
    n_yes = np.array([y for m in range(61) for y in range(m + 1)])
    lower, upper = wilson_intervals(n_yes, n)
    assert (lower.tolist(), upper.tolist()) == scalar(n_yes.tolist(), n.tolist())
    assert lower.size == 1891


def test_wilson_intervals_give_zero_to_one_when_nothing_was_answered():
    lower, upper = wilson_intervals([0, 0, 3], [0, 0, 5])
    assert (lower.tolist()[:2], upper.tolist()[:2]) == ([0.0, 0.0], [1.0, 1.0])
    assert wilson_interval(0, 0) == (0.0, 1.0)


def test_wilson_intervals_start_at_zero_for_a_share_of_zero_and_end_at_one_for_a_share_of_one():
    lower, upper = wilson_intervals([0, 0, 250, 60_000], [1, 250, 250, 60_000])
    assert lower.tolist()[:2] == [0.0, 0.0]
    assert upper.tolist()[2:] == [1.0, 1.0]
    assert (lower.tolist(), upper.tolist()) == scalar([0, 0, 250, 60_000], [1, 250, 250, 60_000])


def test_wilson_intervals_equal_the_scalar_ones_on_large_and_effective_sizes():
    rng = np.random.default_rng(2023)
    n = rng.integers(1, 200_000, size=5_000)
    n_yes = (rng.random(5_000) * (n + 1)).astype(np.int64).clip(0, n)
    assert (wilson_intervals(n_yes, n)[0].tolist(),
            wilson_intervals(n_yes, n)[1].tolist()) == scalar(n_yes.tolist(), n.tolist())
    effective = rng.random(1_000) * 500  # design-effective sizes are floats
    successes = effective * rng.random(1_000)
    lower, upper = wilson_intervals(successes, effective, 0.99)
    assert (lower.tolist(), upper.tolist()) == scalar(successes.tolist(), effective.tolist(),
                                                      0.99)


def test_wilson_intervals_broadcast_one_total_over_many_counts():
    lower, upper = wilson_intervals(np.arange(5), 4)
    assert lower.shape == upper.shape == (5,)
    assert (lower.tolist()[:4], upper.tolist()[:4]) == scalar(range(4), [4] * 4)
