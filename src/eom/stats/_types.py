"""Type names shared by the statistics modules (for readers and mypy; nothing at run time)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any, TypeAlias, TypeVar

import numpy as np

Label = TypeVar("Label", bound=Hashable)
"""A stratum or cluster label: anything hashable (a region's name, a district's number)."""

Sizes: TypeAlias = Mapping[Any, int]
"""Stations per stratum or cluster, by label. The key is Any, not Hashable, because a
Mapping's key type is invariant: Mapping[Hashable, int] would refuse a dict[str, int]."""

Counts: TypeAlias = Sequence[int] | np.ndarray
"""One whole number per station: a list of ints or an integer array."""
