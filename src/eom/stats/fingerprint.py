"""Election fingerprint: 2-D histogram of turnout × winner's share (Klimek, Yegorov, Hanel &
Thurner, "Statistical detection of systematic election irregularities", PNAS 109(41), 2012).

Inputs (per polling station, integer arrays): ``n_registered``, ``n_ballots`` (ballots issued),
``n_leader`` and ``n_counted`` (valid + invalid; defaults to ``n_ballots``). Stations with at
least 100 registered voters and at least one counted ballot are used. Output:
:class:`Fingerprint` with a 100 × 100 array of station counts in 1-point bins (row = leader
share bin, column = turnout bin; 100 % falls in the last bin) and :func:`fingerprint_svg`, a
self-contained SVG string (no scripts, fonts or external references). The corner figure counts
the stations where both turnout and the leader's share are strictly above 90 %, compared in
integers (10·ballots > 9·registered and 10·leader > 9·counted), so a station at exactly
90.00 % is not in it.

A clean election looks like one compact blob (or a few, for distinct regions). Ballot stuffing
and rewritten protocols smear stations towards the top-right corner (100 % turnout, 100 % for
the winner) and put ridges on round numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

import numpy as np
from numpy.typing import ArrayLike

from .notes import Note, note, sentence

MIN_REGISTERED = 100
BINS = 100


@dataclass(frozen=True)
class Fingerprint:
    """``counts[s, t]`` = stations with leader share in [s, s+1) % and turnout in [t, t+1) %."""

    counts: np.ndarray
    stations_used: int
    share_in_top_right: float
    explanation: str
    caveats: tuple[str, ...]
    stations_in_top_right: int = 0
    explanation_notes: tuple[Note, ...] = ()  # the explanation and caveats as data (notes.py)
    caveat_notes: tuple[Note, ...] = ()


def _bin(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """1-point bin index 0..99 of 100·num/den, computed in integers (100 % goes to bin 99)."""
    bins: np.ndarray = np.minimum((100 * numerator) // denominator, BINS - 1)
    return bins


def fingerprint(n_registered: ArrayLike, n_ballots: ArrayLike, n_leader: ArrayLike,
                n_counted: ArrayLike | None = None) -> Fingerprint:
    """Count stations per (leader share, turnout) 1-point cell; see the module docstring."""
    reg = np.asarray(n_registered, dtype=np.int64)
    bal = np.asarray(n_ballots, dtype=np.int64)
    lead = np.asarray(n_leader, dtype=np.int64)
    cnt = bal if n_counted is None else np.asarray(n_counted, dtype=np.int64)
    keep = (reg >= MIN_REGISTERED) & (cnt > 0) & (bal <= reg) & (lead <= cnt)
    t_bin = _bin(bal[keep], reg[keep])
    s_bin = _bin(lead[keep], cnt[keep])
    counts = np.zeros((BINS, BINS), dtype=np.int64)
    np.add.at(counts, (s_bin, t_bin), 1)
    used = int(keep.sum())
    top_right = int(((10 * bal[keep] > 9 * reg[keep]) & (10 * lead[keep] > 9 * cnt[keep])).sum())
    share = top_right / used if used else 0.0
    explained = (note(
        "fingerprint",
        "{used:,} polling stations with at least {min_registered} registered voters, placed by "
        "turnout (across) and the leader's share (up), in 1-point cells. {top_right:,} "
        "({share_percent:.1f} %) sit in the corner where both exceed 90 %. Honest results form "
        "compact clusters; a smear towards 100 % / 100 % and ridges at round numbers are the "
        "marks of ballot stuffing and of figures written to a target.",
        used=used, min_registered=MIN_REGISTERED, top_right=top_right,
        share_percent=100 * share),)
    caveat_notes = (
        note("fingerprint.caveat.genuine_corner",
             "Some places genuinely vote with high turnout and near-unanimity (small, closed or "
             "rural communities, military units): a corner cluster is a question, not a proof."),
        note("fingerprint.caveat.clusters",
             "Urban and rural stations usually form separate clusters; several blobs are "
             "normal."),
        note("fingerprint.caveat.small",
             "Stations under {min_registered} registered voters are left out: their percentages "
             "are coarse.", min_registered=MIN_REGISTERED),
    )
    explanation = sentence(explained)
    caveats = tuple(n.text for n in caveat_notes)
    return Fingerprint(counts, used, share, explanation, caveats, top_right, explained,
                       caveat_notes)


def _english_cell(turnout: int, share: int, stations: int) -> str:
    return f"turnout {turnout}–{turnout + 1} %, share {share}–{share + 1} %: {stations} stations"


@dataclass(frozen=True)
class SvgLabels:
    """The words of :func:`fingerprint_svg` (English by default; a page gives its reader's):
    the axes, the colour key, and ``cell`` (turnout bin, share bin, stations) → a cell's
    tooltip."""

    turnout_axis: str = "Turnout, % of registered voters"
    share_axis: str = "Leader's share, % of ballots counted"
    key: str = "stations"
    key_scale: str = "(log scale)"
    cell: Callable[[int, int, int], str] = _english_cell


def _colour(level: float) -> str:
    """White → blue → dark red scale for level in [0, 1]."""
    stops = [(0.0, (255, 255, 255)), (0.35, (120, 170, 220)), (0.7, (40, 60, 160)),
             (1.0, (150, 0, 30))]
    for (x0, c0), (x1, c1) in zip(stops, stops[1:], strict=False):
        if level <= x1:
            f = 0.0 if x1 == x0 else (level - x0) / (x1 - x0)
            rgb = [round(a + (b - a) * f) for a, b in zip(c0, c1, strict=True)]
            return "#{:02x}{:02x}{:02x}".format(*rgb)
    return "#{:02x}{:02x}{:02x}".format(*stops[-1][1])


def fingerprint_svg(result: Fingerprint, *, title: str = "", cell: int = 5,
                    fluid: bool = False, css_class: str = "",
                    labels: SvgLabels | None = None) -> str:
    """Render a :class:`Fingerprint` as a standalone SVG document (log colour scale).

    Output: an SVG string with one ``<rect>`` per non-empty cell, axes with ticks every 10
    points, axis labels, a title and a colour key. Deterministic for equal input. ``fluid``
    sets the width to 100 % of the container (the height follows the view box), for a page;
    ``css_class`` is put on the root element; ``labels`` words it (default: English).
    """
    labels = labels or SvgLabels()
    counts = result.counts
    left, top, size = 60, 40 if title else 20, BINS * cell
    width, height = left + size + 90, top + size + 50
    peak = int(counts.max()) if counts.size else 0
    scale = np.log1p(peak) if peak else 1.0
    size_attrs = 'width="100%"' if fluid else f'width="{width}" height="{height}"'
    class_attr = f' class="{escape(css_class)}"' if css_class else ""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg"{class_attr} {size_attrs} '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    if title:
        parts.append(
            f'<text x="{left + size / 2}" y="22" text-anchor="middle" font-size="14">'
            f"{escape(title)}</text>"
        )
    parts.append(
        f'<rect x="{left}" y="{top}" width="{size}" height="{size}" fill="#ffffff" '
        'stroke="#444444"/>'
    )
    rows, cols = np.nonzero(counts)
    for s, t in zip(rows.tolist(), cols.tolist(), strict=True):
        level = float(np.log1p(counts[s, t]) / scale)
        x = left + t * cell
        y = top + (BINS - 1 - s) * cell
        tip = escape(labels.cell(t, s, int(counts[s, t])), quote=False)
        parts.append(
            f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="{_colour(level)}">'
            f"<title>{tip}</title></rect>"
        )
    for tick in range(0, BINS + 1, 10):
        x = left + tick * cell
        y = top + size - tick * cell
        parts.append(f'<line x1="{x}" y1="{top + size}" x2="{x}" y2="{top + size + 5}" '
                     'stroke="#444444"/>')
        parts.append(f'<text x="{x}" y="{top + size + 17}" text-anchor="middle">{tick}</text>')
        parts.append(f'<line x1="{left - 5}" y1="{y}" x2="{left}" y2="{y}" stroke="#444444"/>')
        parts.append(f'<text x="{left - 8}" y="{y + 4}" text-anchor="end">{tick}</text>')
    parts.append(
        f'<text x="{left + size / 2}" y="{top + size + 38}" text-anchor="middle">'
        f"{escape(labels.turnout_axis, quote=False)}</text>"
    )
    parts.append(
        f'<text x="16" y="{top + size / 2}" text-anchor="middle" '
        f'transform="rotate(-90 16 {top + size / 2})">'
        f"{escape(labels.share_axis, quote=False)}</text>"
    )
    key_x, key_h = left + size + 20, 200
    for i in range(20):
        level = 1.0 - i / 19
        parts.append(
            f'<rect x="{key_x}" y="{top + i * key_h / 20:.1f}" width="14" '
            f'height="{key_h / 20 + 0.5:.1f}" fill="{_colour(level)}"/>'
        )
    parts.append(f'<text x="{key_x + 18}" y="{top + 9}">{peak}</text>')
    parts.append(f'<text x="{key_x + 18}" y="{top + key_h}">0</text>')
    parts.append(
        f'<text x="{key_x}" y="{top + key_h + 18}">{escape(labels.key, quote=False)}</text>'
        f'<text x="{key_x}" y="{top + key_h + 32}">{escape(labels.key_scale, quote=False)}</text>'
    )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
