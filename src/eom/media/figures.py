"""The media figures: each subject's share of time (television, radio: seconds) or space
(print, online: cm²), over all and per outlet, in state and private outlets, per week, and the
tone of that coverage (the share of the subject's own time or space coded positive, neutral,
negative). Seconds and cm² are integers; shares are exact fractions, rounded only when shown.
Each coding unit counts once: second codings (`Item.second_coding`) serve reliability only.

Every figure knows the filter of the items behind it (`query`), which the items list takes."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from eom.missions.languages import localised

from .models import BROADCAST, Item, Ownership, SubjectKind, Tone

TIME, SPACE = "time", "space"
MEASURES = {TIME: _("time (seconds)"), SPACE: _("space (cm²)")}
TONES = tuple(Tone.values)


@dataclass(frozen=True)
class Coded:
    """An item as the figures read it."""

    subject: str
    label: str
    outlet_id: int
    outlet: str
    ownership: str
    measure: str
    volume: int
    tone: str
    date: dt.date

    @property
    def week(self) -> dt.date:
        """The Monday of the item's week."""
        return self.date - dt.timedelta(days=self.date.weekday())


def subject_label(item: Item) -> str:
    if item.subject_kind == SubjectKind.PARTY and item.party is not None:
        return item.party.short_name or localised(item.party, "name")
    if item.subject_kind == SubjectKind.CANDIDATE and item.candidate is not None:
        return item.candidate.full_name
    return f"{capfirst(item.get_subject_kind_display())}: {item.subject_name}"


def counted(items: QuerySet[Item]) -> list[Coded]:
    """The items the figures count (first codings), as `Coded`."""
    found = items.filter(second_coding=False).select_related("outlet", "party", "candidate")
    return [Coded(item.subject_key, subject_label(item), item.outlet_id, item.outlet.name,
                  item.outlet.ownership, TIME if item.outlet.kind in BROADCAST else SPACE,
                  item.volume, item.tone, item.date) for item in found]


def items_query(**filters) -> str:
    """The items list's query string for these filters (the figure's items)."""
    return "?" + urlencode({"counted": "1", **{k: v for k, v in filters.items() if v}})


@dataclass
class Share:
    subject: str
    label: str
    volume: int
    share: Fraction
    tones: dict[str, int]
    tone_shares: dict[str, Fraction]
    query: str


@dataclass
class ShareTable:
    measure: str
    total: int
    rows: list[Share] = field(default_factory=list)
    query: str = ""

    @property
    def measure_label(self) -> str:
        return str(MEASURES[self.measure])


def share_table(coded: Iterable[Coded], measure: str, **filters) -> ShareTable:
    """Each subject's volume and share of `measure` among `coded`, with its tone, largest
    first. `filters` are those that chose `coded` (for the links)."""
    volumes: dict[str, int] = defaultdict(int)
    tones: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(TONES, 0))
    labels: dict[str, str] = {}
    for item in coded:
        if item.measure != measure:
            continue
        volumes[item.subject] += item.volume
        tones[item.subject][item.tone] += item.volume
        labels.setdefault(item.subject, item.label)
    total = sum(volumes.values())
    table = ShareTable(measure, total, query=items_query(measure=measure, **filters))
    for subject in sorted(volumes, key=lambda s: (-volumes[s], labels[s])):
        volume = volumes[subject]
        table.rows.append(Share(
            subject, labels[subject], volume, Fraction(volume, total) if total else Fraction(0),
            tones[subject],
            {tone: Fraction(n, volume) if volume else Fraction(0)
             for tone, n in tones[subject].items()},
            items_query(measure=measure, subject=subject, **filters)))
    return table


@dataclass
class OutletFigures:
    outlet_id: int
    name: str
    ownership: str
    table: ShareTable


def by_outlet(coded: list[Coded]) -> list[OutletFigures]:
    outlets: dict[int, list[Coded]] = defaultdict(list)
    for item in coded:
        outlets[item.outlet_id].append(item)
    found = []
    for outlet_id, items in outlets.items():
        first = items[0]
        found.append(OutletFigures(outlet_id, first.outlet, first.ownership,
                                   share_table(items, first.measure, outlet=outlet_id)))
    return sorted(found, key=lambda o: o.name)


def by_ownership(coded: list[Coded]) -> list[tuple[str, str, ShareTable]]:
    """(ownership, its label, table) for state then private outlets, time then space."""
    found = []
    for measure in (TIME, SPACE):
        for ownership in Ownership:
            items = [c for c in coded if c.ownership == ownership.value]
            table = share_table(items, measure, ownership=ownership.value)
            if table.total:
                found.append((ownership.value, str(ownership.label), table))
    return found


@dataclass
class WeekRow:
    subject: str
    label: str
    cells: list[tuple[Fraction | None, str]]  # per week: share (None: no coverage), query


@dataclass
class WeekTable:
    measure: str
    weeks: list[dt.date]
    totals: list[int]
    rows: list[WeekRow]

    @property
    def measure_label(self) -> str:
        return str(MEASURES[self.measure])


def by_week(coded: list[Coded], measure: str) -> WeekTable:
    """Each subject's share of the week's `measure`, week by week (weeks start on Monday)."""
    items = [c for c in coded if c.measure == measure]
    weeks = sorted({c.week for c in items})
    totals = {week: sum(c.volume for c in items if c.week == week) for week in weeks}
    overall = share_table(items, measure)
    rows = []
    for share in overall.rows:
        cells = []
        for week in weeks:
            volume = sum(c.volume for c in items if c.week == week and c.subject == share.subject)
            cells.append((Fraction(volume, totals[week]) if totals[week] else None,
                          items_query(measure=measure, subject=share.subject,
                                      week=week.isoformat())))
        rows.append(WeekRow(share.subject, share.label, cells))
    return WeekTable(measure, weeks, [totals[w] for w in weeks], rows)


def filter_items(items: QuerySet[Item], *, outlet=None, ownership: str = "", measure: str = "",
                 subject: str = "", week: dt.date | None = None, period=None,
                 counted: bool = False) -> QuerySet[Item]:
    """The items behind a figure: the filters its `query` names."""
    if counted:
        items = items.filter(second_coding=False)
    if outlet is not None:
        items = items.filter(outlet=outlet)
    if ownership:
        items = items.filter(outlet__ownership=ownership)
    if measure:
        broadcast = items.filter(outlet__kind__in=list(BROADCAST))
        items = broadcast if measure == TIME else items.exclude(pk__in=broadcast.values("pk"))
    if subject:
        kind, _sep, rest = subject.partition(":")
        number = int(rest) if rest.isdigit() and len(rest) < 19 else 0  # else: no such id
        if kind == SubjectKind.PARTY:
            items = items.filter(subject_kind=kind, party_id=number)
        elif kind == SubjectKind.CANDIDATE:
            items = items.filter(subject_kind=kind, candidate_id=number)
        else:
            items = items.filter(unit__endswith=f"|{subject}")
    if week is not None:
        try:
            monday = week - dt.timedelta(days=week.weekday())
            items = items.filter(date__gte=monday, date__lte=monday + dt.timedelta(days=6))
        except OverflowError:  # a week at the calendar's end: no item is coded there
            items = items.none()
    if period is not None:
        items = items.filter(period=period)
    return items
