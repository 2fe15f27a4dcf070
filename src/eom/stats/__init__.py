"""Pure statistics for election observation: no Django, plain values in, dataclasses out.

- proportions: shares of observed polling stations with design-based intervals;
- quick_count, sampling: parallel vote tabulation (PVT), sample drawing and sizing;
- integer_percent, fingerprint, forensics: checks on per-station official results;
- observer_effect: official results at observed against unobserved stations, within strata;
- stationfile: reader for per-station results files; cli: ``eom forensics`` / ``eom pvt``.

See docs/statistics.md for what each figure means and its caveats.
"""

from .fingerprint import Fingerprint, fingerprint, fingerprint_svg
from .forensics import (
    BenfordSecondDigit,
    ForensicsSummary,
    Headline,
    ShpilkinEstimate,
    TurnoutSlope,
    benford_second_digit,
    headline,
    shpilkin_estimate,
    summary,
    turnout_slope,
)
from .integer_percent import IntegerPercentResult, integer_percentages, is_integer_percent
from .observer_effect import MeasureEffect, ObserverEffect, observer_effect, size_bands
from .proportions import (
    Design,
    DesignKind,
    Interval,
    ProportionEstimate,
    estimate_proportion,
    wilson_interval,
    wilson_intervals,
)
from .quick_count import ConvergenceStep, QuickCountResult, RatioEstimate, convergence, quick_count
from .sampling import (
    SampleSize,
    StationSample,
    allocate_proportional,
    assign_to_teams,
    draw_stratified_sample,
    sample_size,
    stations_for_voters,
)
from .stationfile import StationFileError, StationResults, read_station_results

__all__ = [
    "BenfordSecondDigit",
    "ConvergenceStep",
    "Design",
    "DesignKind",
    "Fingerprint",
    "ForensicsSummary",
    "Headline",
    "IntegerPercentResult",
    "Interval",
    "MeasureEffect",
    "ObserverEffect",
    "ProportionEstimate",
    "QuickCountResult",
    "RatioEstimate",
    "SampleSize",
    "ShpilkinEstimate",
    "StationFileError",
    "StationResults",
    "StationSample",
    "TurnoutSlope",
    "allocate_proportional",
    "assign_to_teams",
    "benford_second_digit",
    "convergence",
    "draw_stratified_sample",
    "estimate_proportion",
    "fingerprint",
    "fingerprint_svg",
    "headline",
    "integer_percentages",
    "is_integer_percent",
    "observer_effect",
    "quick_count",
    "read_station_results",
    "sample_size",
    "shpilkin_estimate",
    "size_bands",
    "stations_for_voters",
    "summary",
    "turnout_slope",
    "wilson_interval",
    "wilson_intervals",
]
