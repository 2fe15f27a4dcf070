"""Plain-text tables explaining an `Allocation` or a `MixedAllocation`.

The text is for a person checking the result by hand: the threshold base and who passed,
the quota (or every divisor step), each party's seats and remainder, and which party got
each remainder seat and why. Numbers are exact fractions rounded for display only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from eom.electoral.core import Allocation, decimal, percent

if TYPE_CHECKING:
    from eom.electoral.mixed import MixedAllocation


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], right: set[int]) -> list[str]:
    """Align `rows` under `headers`; columns whose index is in `right` are right-aligned."""
    cells = [[str(c) for c in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        parts = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def render_allocation(allocation: Allocation, title: str = "") -> str:
    """The whole explanation of `allocation` as aligned text."""
    out: list[str] = []
    if title:
        out += [title, "=" * len(title)]
    out.append(f"Method: {allocation.method}")
    out.append(f"Seats: {allocation.n_seats}")
    if allocation.source:
        out.append(f"Legal source: {allocation.source}")
    report = allocation.threshold
    if report is not None:
        out += ["", "Threshold", "---------"]
        out += list(report.notes)
        out += table(
            ["party", "votes", "share", "passes", "why"],
            [
                [
                    row.party,
                    f"{row.votes:,}",
                    percent(row.share),
                    "yes" if row.passed else "no",
                    row.reason,
                ]
                for row in report.rows
            ],
            right={1, 2},
        )
    out += ["", "Seats", "-----"]
    if allocation.quota is not None:
        out.append(
            f"Quota = {allocation.quota_formula} = {decimal(allocation.quota, 4, grouping=True)}"
            f" (exactly {allocation.quota})"
        )
        out += table(
            ["party", "votes", "votes/quota", "full quotas", "remainder", "seats"],
            [
                [
                    row.party,
                    f"{row.votes:,}",
                    ""
                    if row.remainder is None or row.full_quotas is None
                    else decimal(row.remainder + row.full_quotas, 4),
                    "" if row.full_quotas is None else row.full_quotas,
                    "" if row.remainder is None else decimal(row.remainder, 4),
                    row.seats,
                ]
                for row in allocation.rows
            ],
            right={1, 2, 3, 4, 5},
        )
    else:
        out += table(
            ["party", "votes", "seats"],
            [[row.party, f"{row.votes:,}", row.seats] for row in allocation.rows],
            right={1, 2},
        )
    out.append(f"Total: {allocation.n_allocated} of {allocation.n_seats} seats")
    if allocation.awards:
        quota_method = allocation.quota is not None
        out += [
            "",
            "Remainder seats" if quota_method else "Seat by seat",
            "---------------" if quota_method else "------------",
        ]
        out += table(
            ["seat", "party", "basis", "divisor", "value", "why"],
            [
                [
                    a.seat,
                    a.party,
                    a.basis,
                    a.divisor,
                    "" if a.value is None else decimal(a.value, 4, grouping=True),
                    a.note,
                ]
                for a in allocation.awards
            ],
            right={0, 3, 4},
        )
    if allocation.tie is not None:
        tie = allocation.tie
        out += [
            "",
            f"UNRESOLVED TIE: {tie.n_seats} seat(s) in dispute among {', '.join(tie.parties)}",
            f"  {tie.reason}",
        ]
    if allocation.notes:
        out += ["", "Notes", "-----"] + [f"- {note}" for note in allocation.notes]
    return "\n".join(out) + "\n"


def render_mixed(result: MixedAllocation, title: str = "") -> str:
    """Totals of a mixed system, then the list part's full explanation."""
    out: list[str] = []
    if title:
        out += [title, "=" * len(title)]
    out.append(f"System: {result.system}")
    labels = list(dict.fromkeys([*result.list_seats, *result.district_seats]))
    out += table(
        ["party", "list", "district", "overhang", "total"],
        [
            [
                label,
                result.list_seats.get(label, 0),
                result.district_seats.get(label, 0),
                result.overhang.get(label, 0),
                result.seats.get(label, 0),
            ]
            for label in labels
        ],
        right={1, 2, 3, 4},
    )
    out.append(
        f"Total: {result.n_allocated} seats (nominal {result.n_seats}, "
        f"levelling {result.n_levelling})"
    )
    if result.tie is not None:
        out.append(f"UNRESOLVED TIE: {result.tie.reason}")
    if result.notes:
        out += [f"- {note}" for note in result.notes]
    if result.list_allocation is not None:
        out += ["", render_allocation(result.list_allocation, "List part")]
    return "\n".join(out) + "\n"
