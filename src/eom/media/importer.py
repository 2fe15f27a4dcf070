"""Coding sheets in: the workbooks (XLSX) or CSV files the monitors fill in, one item a row,
read through the one table reader (`eom.missions.tabular`) with an optional column mapping
({our column: their header}). All or nothing: every problem is reported with its row, column
and reason, and a file with one bad row writes nothing. Audit entries in bulk, as the other
imports write them.

Columns: outlet (its name), date (YYYY-MM-DD or DD.MM.YYYY), programme, seconds, cm2,
subject_kind (party, candidate, official, other), subject (a party's code or name, a
candidate's full name, an official's name), tone, topic (code or name), language, coder, note.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from eom.missions import audit, bulk
from eom.missions.importers.common import ImportReport
from eom.missions.models import Candidate, Mission, Party
from eom.missions.tabular import stream_table
from eom.tables import ColumnError, TableError, locate_columns

from .models import Item, Language, MonitoringPeriod, Outlet, SubjectKind, Topic
from .services import ItemData, _deny_unless_writer, build_item, item_problems

COLUMNS = ("outlet", "date", "programme", "seconds", "cm2", "subject_kind", "subject", "tone",
           "topic", "language", "coder", "note")
REQUIRED = ("outlet", "date", "programme", "subject_kind", "tone", "coder")


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def parse_date(text: str) -> dt.date | None:
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


class Lookup:
    """The mission's outlets, parties, candidates and topics by the names a sheet gives."""

    def __init__(self, mission: Mission):
        self.outlets = {_fold(o.name): o for o in Outlet.objects.filter(mission=mission)}
        self.parties: dict[str, Party] = {}
        for party in Party.objects.filter(election__mission=mission).select_related("election"):
            for name in (party.code, party.short_name, party.name_en, party.name_ru,
                         party.name_kk):
                if name:
                    self.parties.setdefault(_fold(name), party)
        self.candidates: dict[str, list[Candidate]] = {}
        for candidate in Candidate.objects.filter(
                contest__election__mission=mission).select_related("contest__election"):
            self.candidates.setdefault(_fold(candidate.full_name), []).append(candidate)
        self.topics: dict[str, Topic] = {}
        for topic in Topic.objects.filter(mission=mission):
            self.topics.setdefault(_fold(topic.code), topic)
            for name in (topic.name, topic.name_ru, topic.name_kk):
                if name:
                    self.topics.setdefault(_fold(name), topic)


def _number(text: str) -> int | None | str:
    """An integer, None for an empty cell, or the reason it is no whole number."""
    text = text.strip().replace(" ", "")
    if not text:
        return None
    if not text.isdigit() or len(text) > 9:
        return _("is not a whole number")
    return int(text)


def _row_data(cells: dict[str, str], lookup: Lookup) -> tuple[ItemData, dict[str, str]]:
    """The item a row gives, and the problems of looking up its cells."""
    problems: dict[str, str] = {}
    outlet = lookup.outlets.get(_fold(cells["outlet"]))
    if outlet is None:
        problems["outlet"] = _("no outlet of the mission is called “%(name)s”") % {
            "name": cells["outlet"]}
    date = parse_date(cells["date"])
    if date is None:
        problems["date"] = _("is not a date (YYYY-MM-DD or DD.MM.YYYY)")
    amounts: dict[str, int | None] = {}
    for column in ("seconds", "cm2"):
        value = _number(cells.get(column, ""))
        if isinstance(value, str):
            problems[column] = value
        else:
            amounts[column] = value
    kind = _fold(cells["subject_kind"])
    subject = cells.get("subject", "").strip()
    party = candidate = None
    if kind == SubjectKind.PARTY:
        party = lookup.parties.get(_fold(subject))
        if party is None:
            problems["subject"] = _("no party of the mission is called “%(name)s”") % {
                "name": subject}
    elif kind == SubjectKind.CANDIDATE:
        found = lookup.candidates.get(_fold(subject), [])
        if len(found) != 1:
            problems["subject"] = (_("no candidate of the mission is called “%(name)s”")
                                   if not found else
                                   _("several candidates are called “%(name)s”")) % {
                "name": subject}
        else:
            candidate = found[0]
    topic = None
    if cells.get("topic", "").strip():
        topic = lookup.topics.get(_fold(cells["topic"]))
        if topic is None:
            problems["topic"] = _("is not on the mission's topic list")
    language = cells.get("language", "").strip().lower()
    data = ItemData(
        outlet=outlet, date=date, programme=cells["programme"], subject_kind=kind,
        tone=_fold(cells["tone"]), coder=cells["coder"], seconds=amounts.get("seconds"),
        cm2=amounts.get("cm2"), party=party, candidate=candidate,
        subject_name=subject if kind not in (SubjectKind.PARTY, SubjectKind.CANDIDATE) else
        subject[:200], topic=topic, language=language, note=cells.get("note", ""))
    if language and language not in Language.values:
        problems["language"] = _("must be one of: %(codes)s") % {
            "codes": ", ".join(Language.values)}
    return data, problems


# The item's fields as the sheet's columns name them.
COLUMN_OF = {"party": "subject", "candidate": "subject", "subject_name": "subject"}


def import_items(mission: Mission, source: str | Path, *, actor, channel: str = "import",
                 mapping: dict[str, str] | None = None, sheet: str | None = None,
                 dry_run: bool = False, synthetic: bool = False) -> ImportReport:
    """Import a coding sheet (all or nothing); the report says what was, or would be, created,
    or every problem with its row, column and reason."""
    _deny_unless_writer(actor, mission)
    report = ImportReport(kind="media", source=Path(source).name, dry_run=dry_run)
    try:
        stream = stream_table(source, sheet=sheet)
        positions = locate_columns(stream.header, COLUMNS, required=REQUIRED, mapping=mapping)
        rows = [(row.number, {c: row.get(positions.get(c)) for c in COLUMNS})
                for row in stream.rows]
    except ColumnError as exc:
        for column, reason in exc.problems:
            report.error(None, column, reason)
        return report._finish(COLUMNS)
    except TableError as exc:
        report.error(exc.row, "", exc.message)
        return report._finish(COLUMNS)
    lookup = Lookup(mission)
    periods = list(MonitoringPeriod.objects.filter(mission=mission))
    mapped = {c: c for c in COLUMNS} | dict(mapping or {})
    with transaction.atomic():
        # The outlets' rows are the lock against items coded meanwhile (services.create_item).
        list(Outlet.objects.select_for_update().filter(mission=mission).order_by("pk"))
        coded: dict[str, set[str]] = {}
        for unit, coder in Item.objects.filter(mission=mission).values_list("unit", "coder"):
            coded.setdefault(unit, set()).add(coder)
        items: list[Item] = []
        for number, cells in rows:
            data, problems = _row_data(cells, lookup)
            for field, reason in item_problems(mission, data, periods).items():
                problems.setdefault(COLUMN_OF.get(field, field), reason)
            for column, reason in problems.items():
                report.error(number, column, reason)
            if problems:
                continue
            item = build_item(mission, data, actor=actor, periods=periods)
            coders = coded.setdefault(item.unit, set())
            if item.coder in coders:
                report.error(number, "coder", _("has coded this unit already"))
                continue
            item.second_coding = bool(coders)
            coders.add(item.coder)
            items.append(item)
        report._finish(COLUMNS)
        if report.errors:
            for error_index, error in enumerate(report.errors):  # name the file's own header
                if error.column in mapped and mapped[error.column] != error.column:
                    report.errors[error_index] = error._replace(
                        column=f"{error.column} ({mapped[error.column]})")
            return report
        report.n_created = len(items)
        if dry_run:
            return report
        bulk.insert_many(Item, items)
        audit.record_many(actor=actor, channel=channel, mission=mission, entries=[
            ("create", item, audit.diff({}, audit.snapshot(item))) for item in items])
    return report
