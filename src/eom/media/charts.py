"""The media figures drawn as plain SVG coordinates, computed here and drawn by the templates
(no script, no inline style: CSP): a bar per subject whose length is its share of time or
space, split by tone, and a line per subject through its weekly shares."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .figures import ShareTable, WeekTable
from .models import Tone

WIDTH = 640
LABEL = 200  # the subjects' names, left of the bars
RIGHT = 56  # the share, right of the bars
BAR, GAP, TOP = 18, 6, 8
# Tone colours: distinguishable for colour-blind readers (Okabe–Ito) and in print.
TONE_COLOURS = {"positive": "#009e73", "neutral": "#999999", "negative": "#d55e00"}
LINE_COLOURS = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9"]
MAX_BARS = 12
MAX_LINES = 6


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    colour: str
    tone: str


@dataclass(frozen=True)
class Bar:
    label: str
    y: float
    text_y: float
    end: float
    share: Fraction
    segments: list[Segment]
    query: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: int
    scale_end: float
    scale_label: str
    bars: list[Bar]


def _scale_top(largest: Fraction) -> Fraction:
    """The bars' full length: the largest share rounded up to the next 10 %."""
    tenths = -(-largest * 10 // 1)
    return Fraction(max(1, min(10, int(tenths))), 10)


def share_chart(table: ShareTable) -> BarChart | None:
    rows = table.rows[:MAX_BARS]
    if not rows:
        return None
    top = _scale_top(max(r.share for r in rows))
    span = WIDTH - LABEL - RIGHT
    bars = []
    for n, row in enumerate(rows):
        y = TOP + n * (BAR + GAP)
        length = float(row.share / top) * span
        x, segments = float(LABEL), []
        for tone, part in row.tone_shares.items():
            width = length * float(part)
            if width > 0:
                segments.append(Segment(round(x, 1), round(width, 1), TONE_COLOURS[tone],
                                        str(Tone(tone).label)))
                x += width
        bars.append(Bar(row.label, y, y + BAR - 5, round(LABEL + length + 4, 1), row.share,
                        segments, row.query))
    height = TOP + len(rows) * (BAR + GAP) + 16
    return BarChart(WIDTH, height, LABEL, WIDTH - RIGHT, f"{int(top * 100)} %", bars)


@dataclass(frozen=True)
class Line:
    label: str
    colour: str
    points: str


@dataclass(frozen=True)
class WeekChart:
    width: int
    height: int
    left: int
    bottom: int
    lines: list[Line]
    weeks: list[tuple[float, str]]
    top_label: str


def week_chart(table: WeekTable) -> WeekChart | None:
    """Lines of the largest subjects' weekly shares (0 to the largest, rounded up)."""
    if len(table.weeks) < 2 or not table.rows:
        return None
    rows = table.rows[:MAX_LINES]
    largest = max((share for row in rows for share, _q in row.cells if share is not None),
                  default=Fraction(0))
    top = _scale_top(largest) if largest else Fraction(1)
    left, right, upper, height = 48, 16, 12, 220
    bottom = height - 28
    step = (WIDTH - left - right) / (len(table.weeks) - 1)
    lines = []
    for n, row in enumerate(rows):
        points = []
        for k, (share, _query) in enumerate(row.cells):
            value = float((share or Fraction(0)) / top)
            points.append(f"{left + k * step:.1f},{bottom - value * (bottom - upper):.1f}")
        lines.append(Line(row.label, LINE_COLOURS[n % len(LINE_COLOURS)], " ".join(points)))
    weeks = [(round(left + k * step, 1), week.strftime("%d.%m"))
             for k, week in enumerate(table.weeks)]
    return WeekChart(WIDTH, height, left, bottom, lines, weeks, f"{int(top * 100)} %")
