"""The quick count's convergence chart as plain SVG coordinates: for each list, the estimate
after the first k reports (in order of arrival) and its 95 % band, and the official share as a
dashed line. The template draws it inline; no script."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .pvt import QuickCountPage

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 12, 44
# Distinguishable on screen and in print (Okabe–Ito, then greys).
COLOURS = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#8c6d1f",
           "#555555", "#999999"]


@dataclass(frozen=True)
class Series:
    code: str
    name: str
    colour: str
    line: str
    band: str
    official_y: float | None
    last: float


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    series: list[Series]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    n_reports: int


def _nice_step(span: float, target: int) -> float:
    raw = span / max(target, 1)
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def convergence_chart(page: QuickCountPage) -> Chart | None:
    """Coordinates for `page.steps`; None when there are no reports."""
    steps = page.steps
    if not steps:
        return None
    n = steps[-1].n_reports
    codes = [row.code for row in page.rows]
    official = page.official.shares if page.official else {}
    top_value = max([s.shares[c] + s.margins95[c] for s in steps for c in codes]
                    + [official.get(c, 0.0) for c in codes])
    y_step = _nice_step(min(top_value, 1.0), 5)
    y_max = min(1.0, math.ceil(top_value / y_step) * y_step) or 1.0
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(k: int) -> float:
        return LEFT + (plot_w * (k - 1) / (n - 1) if n > 1 else plot_w / 2)

    def y(value: float) -> float:
        return TOP + plot_h * (1 - max(0.0, min(value, y_max)) / y_max)

    series = []
    for i, code in enumerate(codes):
        line = " ".join(f"{x(s.n_reports):.1f},{y(s.shares[code]):.1f}" for s in steps)
        upper = [f"{x(s.n_reports):.1f},{y(s.shares[code] + s.margins95[code]):.1f}"
                 for s in steps]
        lower = [f"{x(s.n_reports):.1f},{y(s.shares[code] - s.margins95[code]):.1f}"
                 for s in reversed(steps)]
        name = page.names.get(code, code)
        series.append(Series(code, name, COLOURS[i % len(COLOURS)], line,
                             " ".join(upper + lower),
                             round(y(official[code]), 1) if code in official else None,
                             steps[-1].shares[code]))
    x_step = max(1, int(_nice_step(max(n - 1, 1), 6)))
    x_ticks = [Tick(round(x(k), 1), str(k)) for k in sorted({1, *range(x_step, n + 1, x_step)})]
    y_ticks = []
    value = 0.0
    while value <= y_max + 1e-9:
        y_ticks.append(Tick(round(y(value), 1), f"{100 * value:.0f}"))
        value += y_step
    return Chart(WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM, series, x_ticks, y_ticks, n)
