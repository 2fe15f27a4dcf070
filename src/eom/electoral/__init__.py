"""Seat allocation: quotas, divisor methods, thresholds, districts, mixed systems, laws.

Pure Python (standard library only; never Django). One verb for every evaluator::

    from eom.electoral import DivisorMethod, LargestRemainder, Threshold, load_law

    DivisorMethod("dhondt").allocate({"A": 100_000, "B": 80_000}, 8).seats
    Threshold(LargestRemainder("hare"), percent=5).allocate(votes, 69)
    load_law("kz-mazhilis-2023").allocate(votes)

Votes and seats are `int`, quotas and quotients `fractions.Fraction`; a tie the law does
not settle comes back as a `Tie` value. Every result explains itself (`to_dict()`,
`to_text()`). See docs/electoral.md.
"""

from eom.electoral.core import (
    AGAINST_ALL,
    Allocation,
    Award,
    ElectoralError,
    Evaluator,
    PartyRow,
    ThresholdReport,
    ThresholdRow,
    Tie,
)
from eom.electoral.divisor import SERIES, DivisorMethod
from eom.electoral.laws import (
    METHODS,
    Law,
    LawError,
    available_laws,
    load_law,
    load_law_file,
    make_method,
    parse_law,
)
from eom.electoral.mixed import Compensatory, MixedAllocation, Parallel
from eom.electoral.plurality import DistrictResults, Plurality, allocate_districts
from eom.electoral.quota import QUOTAS, LargestRemainder
from eom.electoral.threshold import Threshold
from eom.electoral.ties import TIE_RULES, TieBreak

__all__ = [
    "AGAINST_ALL",
    "METHODS",
    "QUOTAS",
    "SERIES",
    "TIE_RULES",
    "Allocation",
    "Award",
    "Compensatory",
    "DistrictResults",
    "DivisorMethod",
    "ElectoralError",
    "Evaluator",
    "LargestRemainder",
    "Law",
    "LawError",
    "MixedAllocation",
    "Parallel",
    "PartyRow",
    "Plurality",
    "Threshold",
    "ThresholdReport",
    "ThresholdRow",
    "Tie",
    "TieBreak",
    "allocate_districts",
    "available_laws",
    "load_law",
    "load_law_file",
    "make_method",
    "parse_law",
]
