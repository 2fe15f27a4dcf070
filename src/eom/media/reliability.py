"""Inter-coder reliability: Krippendorff's alpha for each coded variable over the units that
two or more monitors coded (the unit: outlet, date, programme or section, subject).

Tone and topic are nominal, time (seconds) and space (cm²) ratio variables. Alpha is computed
by the `krippendorff` library (Castro, after Krippendorff 2011, "Computing Krippendorff's
Alpha-Reliability"). Krippendorff (2004, Content Analysis, 2nd ed., p. 241) advises relying
on variables with alpha ≥ 0.800 and drawing only tentative conclusions from those with alpha
between 0.667 and 0.800; the mission's threshold (`MediaSettings.alpha_threshold`, 0.667 by
default) marks the variables below it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

import krippendorff
from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from eom.missions.models import Mission

from .models import BROADCAST, DEFAULT_ALPHA_THRESHOLD, Item, MediaSettings, Tone

VARIABLES = (
    ("tone", _("tone"), "nominal"),
    ("topic", _("topic"), "nominal"),
    ("time", _("time (seconds)"), "ratio"),
    ("space", _("space (cm²)"), "ratio"),
)
LEVELS = {"nominal": _("nominal"), "ratio": _("ratio")}
TONE_CODES = {tone: n for n, tone in enumerate(Tone.values, start=1)}


@dataclass(frozen=True)
class Alpha:
    variable: str
    label: str
    level: str
    alpha: float | None  # None: too few values to say
    n_units: int
    below: bool

    @property
    def level_label(self) -> str:
        return str(LEVELS[self.level])


@dataclass(frozen=True)
class Reliability:
    threshold: Decimal
    n_units: int
    coders: list[str]
    variables: list[Alpha]

    @property
    def below(self) -> list[Alpha]:
        return [v for v in self.variables if v.below]


def threshold_of(mission: Mission) -> Decimal:
    found = MediaSettings.objects.filter(mission=mission).first()
    return found.alpha_threshold if found else DEFAULT_ALPHA_THRESHOLD


def alpha_of(matrix: list[list[float]], level: str) -> float | None:
    """Krippendorff's alpha of a coders × units matrix (NaN: not coded); None when fewer than
    two pairable values or only one value occurs (alpha is then undefined)."""
    pairable = sum(1 for unit in zip(*matrix, strict=True)
                   if sum(not math.isnan(v) for v in unit) >= 2)
    if not matrix or pairable == 0:
        return None
    try:
        value = float(krippendorff.alpha(reliability_data=matrix, level_of_measurement=level))
    except (ValueError, ZeroDivisionError):
        return None
    return None if math.isnan(value) else value


def _value(item: Item, variable: str) -> float:
    if variable == "tone":
        return float(TONE_CODES[item.tone])
    if variable == "topic":
        return float(item.topic_id) if item.topic_id else math.nan
    amount = item.seconds if variable == "time" else item.cm2
    return float(amount) if amount is not None else math.nan


def reliability(mission: Mission, items: QuerySet[Item] | None = None) -> Reliability:
    """Alpha per variable over the units of `items` (the mission's by default) that two or
    more monitors coded."""
    items = Item.objects.filter(mission=mission) if items is None else items
    units = list(items.values("unit").annotate(n=Count("id")).filter(n__gte=2)
                 .values_list("unit", flat=True))
    coded = list(items.filter(unit__in=units).select_related("outlet").order_by("unit", "pk"))
    coders = sorted({item.coder for item in coded})
    columns = sorted(units)
    threshold = threshold_of(mission)
    found = []
    for variable, label, level in VARIABLES:
        wanted = [item for item in coded
                  if variable in ("tone", "topic")
                  or (variable == "time") == (item.outlet.kind in BROADCAST)]
        unit_ids = sorted({item.unit for item in wanted})
        at = {unit: n for n, unit in enumerate(unit_ids)}
        row_of = {coder: n for n, coder in enumerate(coders)}
        matrix = [[math.nan] * len(unit_ids) for _coder in coders]
        for item in wanted:
            matrix[row_of[item.coder]][at[item.unit]] = _value(item, variable)
        value = alpha_of(matrix, level) if unit_ids else None
        found.append(Alpha(variable, str(label), level, value, len(unit_ids),
                           value is not None and Decimal(value) < threshold))
    return Reliability(threshold, len(columns), coders, found)
