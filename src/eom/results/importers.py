"""Import official per-station results from CSV, XLSX or a zipped CSV, with a column mapping.

The whole file is read and checked first; every problem is reported with its row, column and
reason, and only a file without errors is written, in one transaction. A dry run checks and
counts the same way and writes nothing. Rows are matched to polling stations by `location_code`,
or by the names in `region` / `district` / `station` columns (the Russian CEC files: region,
territorial commission, precinct commission); with `create_locations` the stations not yet in the
tree are created under the mission's country node. Re-importing a file updates the official
protocols that changed and leaves the others as they are.

A mapping is {our field: their header}. A header is matched exactly (ignoring case and spaces
around it), else as a substring of one header; `a + b` sums several columns (ballots issued
early + in the station + outside it) and `a | b` takes the first alternative present. Party
columns are those named by a party code of the contest's election, those given in the mapping
under a party code, and, for a preset with a party pattern (duma2011), the headers it matches.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eom.missions import audit, bulk, permissions, services
from eom.missions.importers import MAX_ERRORS, RowError
from eom.missions.models import Channel, Contest, Location, LocationLevel, Party
from eom.missions.tabular import stream_table
from eom.stats import columns as columns_mod
from eom.tables import Table, TableError, TableStream

from . import checks, forensics
from .checks import LINES
from .models import ImportBatch, MonteCarloTrigger, Protocol, Source

logger = logging.getLogger(__name__)

BATCH = 2000
MAX_COUNT = 2_147_483_647  # far above any polling station; below what every database stores
# The mapping (presets, header matching, the fields) is defined once, without Django, in
# eom.stats.columns, and shared with `eom forensics` and `eom pvt`.
FIELDS = columns_mod.FIELDS
PLACE_FIELDS = columns_mod.PLACE_FIELDS
Preset = columns_mod.Preset
PRESETS = columns_mod.PRESETS


@dataclass
class ResultsImportReport:
    """What an import did (or, in a dry run or with errors, would do)."""

    source: str
    contest: str
    dry_run: bool = False
    n_rows: int = 0
    n_created: int = 0
    n_updated: int = 0
    n_unchanged: int = 0
    n_locations_created: int = 0
    n_parties_created: int = 0
    n_failing_checks: int = 0
    totals: dict[str, int] = field(default_factory=dict)
    votes: dict[str, int] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)  # our field → their header(s)
    ignored: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    n_errors: int = 0
    batch_id: int | None = None
    monte_carlo_draws: int = 0  # the forensics' Monte Carlo check computed after the import
    monte_carlo_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.n_errors == 0

    def error(self, row: int | None, column: str, reason: str) -> None:
        self.n_errors += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(row, column, reason))

    def lines(self) -> list[str]:
        """The report as the command prints it (and the import page shows it)."""
        if not self.ok:
            head = _("%(source)s: %(n)d errors; nothing was written.") % {
                "source": self.source, "n": self.n_errors}
            lines = [head, *(str(e) for e in self.errors)]
            if self.n_errors > len(self.errors):
                lines.append(_("… and %(n)d more errors.") % {"n": self.n_errors - len(self.errors)})
            return lines
        figures = [
            (_("rows"), self.n_rows),
            (_("protocols created"), self.n_created),
            (_("protocols updated"), self.n_updated),
            (_("protocols unchanged"), self.n_unchanged),
            (_("locations created"), self.n_locations_created),
            (_("parties created"), self.n_parties_created),
            (_("failing a check"), self.n_failing_checks),
        ]
        lines = [f"{label:<20} {count:>12,}" for label, count in figures]
        lines.append(_("Totals:"))
        lines += [f"  {name:<18} {value:>12,}" for name, value in self.totals.items()]
        lines += [f"  {code:<18} {value:>12,}" for code, value in self.votes.items()]
        if self.ignored:
            lines.append(_("Columns not imported: %(columns)s") % {
                "columns": ", ".join(self.ignored)})
        if self.monte_carlo_draws:
            lines.append(_("Forensics: the Monte Carlo check (%(draws)s draws) computed in "
                           "%(seconds)s s.") % {"draws": f"{self.monte_carlo_draws:,}",
                                                "seconds": f"{self.monte_carlo_seconds:.1f}"})
        if self.dry_run:
            lines.append(_("Dry run: the file is valid; nothing was written."))
        return lines


# --- reading --------------------------------------------------------------------------------


def problem_text(problem: columns_mod.ColumnProblem) -> str:
    """A column-mapping problem in the reader's language."""
    if problem.kind == "unknown_field":
        return _("not a field of a protocol nor a party code of the election; fields: "
                 "%(fields)s") % {"fields": ", ".join(FIELDS)}
    if problem.kind == "empty":
        return _("empty header name in “%(spec)s”") % {"spec": problem.spec}
    if problem.kind == "ambiguous":
        names = "; ".join(f"“{name}”" for name in problem.names)
        return _("“%(part)s” matches several columns: %(names)s; name one fully or add them "
                 "with +") % {"part": problem.part, "names": names}
    return _("no column matches “%(spec)s”") % {"spec": problem.spec}


@dataclass
class _Columns:
    fields: dict[str, list[int]]
    parties: dict[str, list[int]]  # party code (existing or to create) → indexes
    new_parties: dict[str, tuple[int, str]]  # code → (registration order, header name)


def _party_of_header(title: str, parties: list[Party]) -> Party | None:
    folded = title.strip().casefold()
    for party in parties:
        names = [party.code, party.short_name, party.name_en, party.name_ru, party.name_kk]
        if any(name and name.casefold() == folded for name in names):
            return party
    for party in parties:
        names = [party.name_ru, party.name_en, party.short_name]
        if any(name and len(name) > 3 and name.casefold() in folded for name in names):
            return party
    return None


def _locate(table: Table, preset: Preset, mapping: Mapping[str, str], parties: list[Party],
            create_parties: bool, report: ResultsImportReport) -> _Columns | None:
    codes = {p.code.casefold(): p for p in parties}
    mapped = columns_mod.map_columns(table.header, preset, mapping, [p.code for p in parties])
    ok = not mapped.problems
    for problem in mapped.problems:
        report.error(1, problem.field, problem_text(problem))
    found = mapped.fields
    party_columns: dict[str, list[int]] = dict(mapped.parties)
    new_parties: dict[str, tuple[int, str]] = {}
    used = {i for indexes in (*found.values(), *party_columns.values()) for i in indexes}
    pattern = re.compile(preset.party_pattern) if preset.party_pattern else None
    for index, title in enumerate(table.header):
        if index in used or not title.strip():
            continue
        party = codes.get(title.strip().casefold())
        if party is None and pattern is not None and pattern.match(title):
            party = _party_of_header(title, parties)
            if party is None:
                if not create_parties:
                    report.error(1, title, _("no party of the election matches this column; add "
                                             "the party, map it, or create the parties from the "
                                             "file (--create-parties)"))
                    ok = False
                    continue
                number = int(re.match(r"\d+", title).group()) if title[0].isdigit() else index
                name = re.sub(r"^\d+\.\s*", "", title).strip()
                code = f"P{number}"
                new_parties[code] = (number, name)
                party_columns[code] = [index]
                used.add(index)
                continue
        if party is not None:
            party_columns.setdefault(party.code, [index])
            used.add(index)
        else:
            report.ignored.append(title)
    if "location_code" not in found and not {"region", "district", "station"} <= set(found):
        report.error(1, "location_code", _(
            "required column is missing: give location_code, or region, district and station "
            "names; the header has: %(header)s") % {
                "header": ", ".join(t for t in table.header[:12] if t)})
        ok = False
    if not party_columns:
        report.error(1, "", _("no party columns: name them by the party codes of the election "
                              "(%(codes)s) or map them") % {
                                  "codes": ", ".join(p.code for p in parties) or "—"})
        ok = False
    report.columns = {ours: " + ".join(table.header[i] for i in idx) for ours, idx in found.items()}
    report.columns.update({code: table.header[idx[0]] for code, idx in party_columns.items()})
    return _Columns(found, party_columns, new_parties) if ok else None


# --- locations ------------------------------------------------------------------------------


@dataclass
class _NewStation:
    """A polling station to create (lighter than a Location for 100,000 of them)."""

    code: str
    path: str
    parent: Location
    name: str
    n_registered: int = 0
    pk: int | None = None
    level: str = LocationLevel.POLLING_STATION


class _Places:
    """Finds (and, when asked, plans) the polling station of each row."""

    def __init__(self, contest: Contest, create: bool) -> None:
        self.mission = contest.election.mission
        self.create = create
        stored = Location.objects.filter(mission=self.mission).only(
            "pk", "code", "level", "parent_id", "name_ru", "name_en", "path")
        self.by_code: dict[str, Location] = {}
        self.by_name: dict[tuple[int | str, str], Location] = {}
        self.root: Location | None = None
        for location in stored:
            self.by_code[location.code] = location
            if location.level == LocationLevel.COUNTRY and self.root is None:
                self.root = location
        for location in self.by_code.values():
            if location.level in {LocationLevel.REGION, LocationLevel.DISTRICT}:
                for name in {location.name_ru, location.name_en} - {""}:
                    self.by_name[(location.parent_id or 0, name.casefold())] = location
        self.new: dict[str, Location] = {}  # code → planned location (not saved yet)
        self.seen: dict[str, int] = {}  # station code → the row it is on
        self.n_regions = sum(1 for loc in self.by_code.values()
                             if loc.level == LocationLevel.REGION)
        self.n_districts: dict[str, int] = {}

    def by_location_code(self, code: str) -> Location | None:
        location = self.by_code.get(code)
        if location is None or location.level != LocationLevel.POLLING_STATION:
            return None
        return location

    def _key(self, parent: Location) -> int | str:
        return parent.pk if parent.pk else parent.code

    def _child(self, parent: Location, name: str, level: str) -> Location | None:
        found = self.by_name.get((self._key(parent), name.casefold()))
        if found is not None or not self.create:
            return found
        if level == LocationLevel.REGION:
            self.n_regions += 1
            code = f"R{self.n_regions:02d}"
        else:
            count = self.n_districts.get(parent.code, 0) + 1
            self.n_districts[parent.code] = count
            code = f"{parent.code}-T{count:02d}"
        while code in self.by_code or code in self.new:
            code += "x"
        return self._plan(parent, code, level, name)

    def _plan(self, parent: Location, code: str, level: str, name: str) -> Location:
        if level == LocationLevel.POLLING_STATION:
            station = _NewStation(code, f"{parent.path}{code}/", parent, name[:300])
            self.new[code] = station
            self.by_code[code] = station
            return station
        location = Location(
            mission=self.mission, level=level, code=code, parent=parent,
            path=f"{parent.path}{code}/", name_en=name[:300], name_ru=name[:300],
        )
        self.new[code] = location
        self.by_code[code] = location
        if level != LocationLevel.POLLING_STATION:
            self.by_name[(self._key(parent), name.casefold())] = location
        return location

    def by_names(self, region: str, district: str, station: str) -> Location | str:
        """The station, or the reason it cannot be found."""
        if self.root is None:
            if not self.create:
                return _("the mission has no country node; import the location tree first or "
                         "create it from the file (--create-locations)")
            code = (self.mission.country or "ROOT").upper()
            if code in self.by_code:
                return _("the mission has no country node, and “%(code)s” is a location of "
                         "another level; import the location tree first") % {"code": code}
            self.root = self._plan_root(code)
        parent = self._child(self.root, region, LocationLevel.REGION)
        if parent is None:
            return _("unknown region “%(name)s” (use --create-locations to add it)") % {
                "name": region}
        district_node = self._child(parent, district, LocationLevel.DISTRICT)
        if district_node is None:
            return _("unknown district “%(name)s” in %(region)s (use --create-locations to add "
                     "it)") % {"name": district, "region": region}
        number = station.strip()
        code = f"{district_node.code}-{number}"
        if "/" in number or len(code) > 64:
            return _("“%(station)s” cannot name a polling station (no / and at most 40 "
                     "characters)") % {"station": station}
        found = self.by_code.get(code)
        if found is not None and found.level != LocationLevel.POLLING_STATION:
            return _("“%(code)s” is a location of level “%(level)s”, not a polling station") % {
                "code": code, "level": LocationLevel(found.level).label}
        if found is not None:
            return found
        if not self.create:
            return _("unknown polling station “%(code)s” (use --create-locations to add it)") % {
                "code": code}
        station = _("Polling station")
        label = f"{station} {number}"
        return self._plan(district_node, code, LocationLevel.POLLING_STATION, label)

    def _plan_root(self, code: str) -> Location:
        location = Location(mission=self.mission, level=LocationLevel.COUNTRY, code=code,
                            path=f"{code}/", name_en=code, name_ru=code)
        self.new[code] = location
        self.by_code[code] = location
        return location

    def save(self) -> int:
        """Write the planned locations, level by level; returns how many."""
        by_level: dict[str, list[Location]] = {}
        for location in self.new.values():
            by_level.setdefault(location.level, []).append(location)
        for level in (LocationLevel.COUNTRY, LocationLevel.REGION, LocationLevel.DISTRICT):
            items = by_level.get(level, [])
            for location in items:
                if location.parent is not None:
                    location.parent_id = location.parent.pk
            Location.objects.bulk_create(items, batch_size=BATCH)
        stations = by_level.get(LocationLevel.POLLING_STATION, [])
        bulk.insert_rows(Location, [
            {"mission_id": self.mission.pk, "level": s.level, "code": s.code,
             "parent_id": s.parent.pk, "path": s.path, "name_en": s.name, "name_ru": s.name,
             "n_registered": s.n_registered, "n_stations": 1}
            for s in stations
        ])
        pks = dict(Location.objects.filter(mission=self.mission, code__in=[
            s.code for s in stations]).values_list("code", "pk")) if len(stations) < 500 else \
            dict(Location.objects.filter(mission=self.mission,
                                         level=LocationLevel.POLLING_STATION)
                 .values_list("code", "pk"))
        for station in stations:
            station.pk = pks[station.code]
        return len(self.new)


# --- the import -----------------------------------------------------------------------------


def import_official_results(
    contest: Contest,
    source: str | Path | Table,
    *,
    actor,
    preset: str = "demo",
    mapping: Mapping[str, str] | None = None,
    dry_run: bool = False,
    create_locations: bool = False,
    create_parties: bool = False,
    sheet: str | None = None,
) -> ResultsImportReport:
    """Read official per-station protocols of `contest` from a file and write them, all or none.

    Returns the report: counts, national totals, columns used and ignored, and every error as
    (row, column, reason). Side effects (only without errors and without `dry_run`): one
    ImportBatch; official Protocols created or updated (with their failed checks); with
    `create_locations` the missing locations (registered voters taken from the file, totals
    recomputed); with `create_parties` the parties the file names; an audit entry for the batch
    and one per protocol changed; then, after the transaction, the forensics' Monte Carlo check
    of the contest's official results (`forensics.store_monte_carlo`; a failure there is logged
    and leaves the import as written). `actor` None is the server's operator (command line).
    """
    if actor is not None and not permissions.is_administrator(actor):
        raise PermissionDenied(_("Only administrators import official results."))
    if preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r}; presets: {', '.join(PRESETS)}")
    name = source.name if isinstance(source, Table) else Path(source).name
    report = ResultsImportReport(source=name, contest=str(contest), dry_run=dry_run)
    try:
        table = source if isinstance(source, Table) else stream_table(source, sheet=sheet, zipped_csv=True)
    except TableError as exc:
        report.error(exc.row, "", exc.message)
        return report
    parties = list(Party.objects.filter(election=contest.election))
    columns = _locate(table, PRESETS[preset], mapping or {}, parties, create_parties, report)
    if columns is None:
        return report
    with transaction.atomic():
        places = _Places(contest, create_locations)
        rows = _parse_rows(table, columns, places, report)
        if not report.ok:
            return report
        writer = _Writer(contest, rows, columns, places, report)
        writer.count()
        if dry_run:
            return report
        writer.write(actor, preset, dict(mapping or {}))
    _store_monte_carlo(contest, actor, report)
    return report


def _store_monte_carlo(contest: Contest, actor, report: ResultsImportReport) -> None:
    """The Monte Carlo check of the contest's official results, computed once per import,
    outside the import's transaction: the draws take seconds, during which a transaction would
    hold the database's write lock (SQLite) and the protocols would wait to be committed."""
    try:
        check = forensics.store_monte_carlo(contest, trigger=MonteCarloTrigger.IMPORT,
                                            actor=actor)
    except Exception:  # the import is written; the check can be asked for again on the page
        logger.exception("the Monte Carlo check after the import of %s failed", report.source)
        return
    if check is not None:
        report.monte_carlo_draws = check.n_draws
        report.monte_carlo_seconds = check.seconds or 0.0


@dataclass
class _Row:
    number: int
    location: Location
    lines: dict[str, int | None]
    votes: dict[str, int]


def _parse_rows(table: Table | TableStream, columns: _Columns, places: _Places,
                report: ResultsImportReport) -> list[_Row]:
    rows: list[_Row] = []
    try:
        for row in table.rows:
            report.n_rows += 1
            parsed = _parse_row(row, table.header, columns, places, report)
            if parsed is not None:
                rows.append(parsed)
    except TableError as exc:  # the file goes wrong further down: nothing will be written
        report.error(exc.row, "", exc.message)
    return rows


def _count(cell: str) -> int | None:
    """A count of ballots or votes: a whole number from 0 to MAX_COUNT, else None."""
    if cell.isdigit() and cell.isascii() and len(cell) <= len(str(MAX_COUNT)):
        value = int(cell)
        return value if value <= MAX_COUNT else None
    return None


def _parse_row(row, header, columns: _Columns, places: _Places,
               report: ResultsImportReport) -> _Row | None:
    """One row's station, lines and votes; None (with the errors reported) when it is wrong."""
    fields = columns.fields
    cells = row.cells
    if "location_code" in fields:
        code = row.get(fields["location_code"][0])
        if not code:
            report.error(row.number, "location_code", _("empty: every row needs a polling "
                                                         "station code"))
            return None
        location = places.by_location_code(code)
        if location is None:
            report.error(row.number, "location_code", _(
                "unknown polling station code “%(code)s”") % {"code": code})
            return None
    else:
        names = [row.get(fields[f][0]) for f in ("region", "district", "station")]
        missing = [f for f, value in zip(("region", "district", "station"), names,
                                         strict=True) if not value]
        for f in missing:
            report.error(row.number, header[fields[f][0]], _("empty"))
        if missing:
            return None
        found = places.by_names(*names)
        if isinstance(found, str):
            report.error(row.number, header[fields["station"][0]], found)
            return None
        location = found
    key = location.code
    if key in places.seen:
        report.error(row.number, "location_code", _(
            "polling station “%(code)s” is already on row %(row)d") % {
                "code": key, "row": places.seen[key]})
        return None
    places.seen[key] = row.number
    bad = False
    lines: dict[str, int | None] = dict.fromkeys(LINES)
    for line in LINES:
        total: int | None = None
        for index in fields.get(line, ()):
            cell = cells[index] if index < len(cells) else ""
            value = _count(cell)
            if value is not None:
                total = (total or 0) + value
            elif cell:
                report.error(row.number, header[index], _not_a_count(cell))
                bad = True
        lines[line] = total
    votes: dict[str, int] = {}
    for code, indexes in columns.parties.items():
        index = indexes[0]
        cell = cells[index] if index < len(cells) else ""
        value = _count(cell)
        if value is None:
            reason = (_("empty: give 0 when the party got no votes") if not cell else
                      _not_a_count(cell))
            report.error(row.number, header[index], reason)
            bad = True
            continue
        votes[code] = value
    return None if bad else _Row(row.number, location, lines, votes)


def _not_a_count(cell: str) -> str:
    if cell.isdigit() and cell.isascii():
        return _("“%(cell)s” is more than %(limit)s: no polling station counts that many") % {
            "cell": cell[:20] + ("…" if len(cell) > 20 else ""), "limit": f"{MAX_COUNT:,}"}
    return _("“%(cell)s” is not a whole number (0 or more)") % {"cell": cell}


class _Writer:
    def __init__(self, contest, rows: list[_Row], columns: _Columns, places: _Places,
                 report: ResultsImportReport) -> None:
        self.contest = contest
        self.rows = rows
        self.columns = columns
        self.places = places
        self.report = report
        stored = Protocol.objects.filter(contest=contest, source=Source.OFFICIAL)
        self.stored = {p.location_id: p for p in stored}
        self.failed: list[list[str]] = []

    def count(self) -> None:
        report = self.report
        law_checks = checks.load_checks(self.contest.rule)
        n = len(self.rows)
        arrays = {line: np.fromiter(((r.lines.get(line) if r.lines.get(line) is not None else -1)
                                     for r in self.rows), dtype=np.int64, count=n)
                  for line in LINES}
        votes_sum = np.fromiter((sum(r.votes.values()) for r in self.rows), np.int64, count=n)
        outcomes = checks.evaluate_columns(law_checks, arrays, votes_sum)
        failing = np.zeros(n, dtype=bool)
        for outcome in outcomes:
            failing |= outcome.failed
        self.failed = [[] for _ in range(n)]
        for outcome in outcomes:
            for i in np.flatnonzero(outcome.failed):
                self.failed[i].append(outcome.check.name)
        report.n_failing_checks = int(failing.sum())
        report.totals = {line: int(arrays[line][arrays[line] >= 0].sum()) for line in LINES
                         if (arrays[line] >= 0).any()}
        totals: dict[str, int] = {}
        for row in self.rows:
            for code, value in row.votes.items():
                totals[code] = totals.get(code, 0) + value
        report.votes = dict(sorted(totals.items(), key=lambda item: -item[1]))
        report.n_locations_created = len(self.places.new)
        report.n_parties_created = len(self.columns.new_parties)
        for row, failed in zip(self.rows, self.failed, strict=True):
            stored = self.stored.get(row.location.pk) if row.location.pk else None
            if stored is None:
                report.n_created += 1
            elif stored.figures() == {**row.lines, "votes": row.votes} and stored.failed == failed:
                report.n_unchanged += 1
            else:
                report.n_updated += 1

    def write(self, actor, preset: str, mapping: dict[str, str]) -> None:
        report = self.report
        contest = self.contest
        mission = contest.election.mission
        order = Party.objects.filter(election=contest.election).count()
        new_parties = [
            Party(election=contest.election, code=code, name_en=name[:300], name_ru=name[:300],
                  short_name=name[:100], registration_order=number or order + i)
            for i, (code, (number, name)) in enumerate(self.columns.new_parties.items(), 1)
        ]
        Party.objects.bulk_create(new_parties)
        if self.places.new:
            for row in self.rows:
                if row.location.pk is None and row.lines.get("n_registered") is not None:
                    row.location.n_registered = row.lines["n_registered"]
            self.places.save()
            services.recompute_totals(mission)
        user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
        batch = ImportBatch.objects.create(
            mission=mission, contest=contest, file_name=report.source[:300], preset=preset,
            mapping=mapping, imported_by=user, n_rows=report.n_rows, n_created=report.n_created,
            n_updated=report.n_updated, n_unchanged=report.n_unchanged,
            n_locations_created=report.n_locations_created,
            n_parties_created=report.n_parties_created,
        )
        report.batch_id = batch.pk
        created, updated, entries = [], [], []
        now = timezone.now()
        for row, failed in zip(self.rows, self.failed, strict=True):
            stored = self.stored.get(row.location.pk)
            if stored is None:
                created.append({
                    "mission_id": mission.pk, "contest_id": contest.pk,
                    "location_id": row.location.pk, "source": Source.OFFICIAL,
                    "batch_id": batch.pk, "votes": row.votes, "failed": failed,
                    "n_failed": len(failed), **row.lines,
                })
                continue
            before = stored.figures()
            after = {**row.lines, "votes": row.votes}
            if before == after and stored.failed == failed:
                continue
            for line in LINES:
                setattr(stored, line, row.lines.get(line))
            stored.votes, stored.failed, stored.n_failed = row.votes, failed, len(failed)
            stored.batch = batch
            updated.append(stored)
            entries.append(("update", stored, audit.diff(before, after)))
        bulk.insert_rows(Protocol, created, {"imported_at": now, "updated_at": now})
        Protocol.objects.bulk_update(
            updated, [*LINES, "votes", "failed", "n_failed", "batch"], batch_size=BATCH)
        summary = {"file": [None, report.source], "created": [None, report.n_created],
                   "updated": [None, report.n_updated],
                   "locations_created": [None, report.n_locations_created]}
        entries.append(("create", batch, summary))
        audit.record_many(actor=user, channel=Channel.IMPORT if actor else Channel.COMMAND,
                          entries=entries, mission=mission)
