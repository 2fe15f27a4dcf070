"""Imports of the location tree and of people and teams from CSV or XLSX files.

Each import checks the whole file first and reports every problem it finds with its row, column
and reason; only a file without errors is written, in one transaction, with one audit entry per
record created or changed (channel `import`). A dry run checks and counts the same way and
writes nothing. Records are matched by code within the mission, so re-importing a file updates
what changed and never duplicates.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import audit, permissions, services
from .evidence import evidence_below, evidence_text
from .models import (
    LEVEL_DEPTH,
    LEVEL_ORDER,
    Access,
    Channel,
    Location,
    LocationLevel,
    Mission,
    Person,
    Team,
    TeamKind,
    TeamMembership,
)
from .roles import ensure_roles
from .tabular import ColumnError, Table, TableError, TableStream, locate_columns, stream_table

MAX_ERRORS = 200
BATCH = 1000

LOCATION_COLUMNS = (
    "code",
    "level",
    "parent_code",
    "name_en",
    "name_ru",
    "name_kk",
    "registered_voters",
    "kind",
    "address",
)
LOCATION_REQUIRED = ("code", "level", "parent_code", "name_en")

PEOPLE_COLUMNS = (
    "code",
    "full_name",
    "role",
    "access",
    "email",
    "phone",
    "nationality",
    "languages",
    "area_code",
    "team_code",
    "team_kind",
    "team_leader",
)
PEOPLE_REQUIRED = ("code", "full_name", "role")

YES = {"yes", "1", "true", "y"}
NO = {"no", "0", "false", "n", ""}


class RowError(NamedTuple):
    """One problem in the file: row as the user sees it (None: the whole file), column, reason."""

    row: int | None
    column: str
    reason: str

    def __str__(self) -> str:
        if self.row is None:
            return f"column {self.column}: {self.reason}" if self.column else self.reason
        if self.column:
            return f"row {self.row}, column {self.column}: {self.reason}"
        return f"row {self.row}: {self.reason}"


@dataclass
class ImportReport:
    """What an import did (or, in a dry run or with errors, what it would do)."""

    kind: str
    source: str
    dry_run: bool = False
    n_created: int = 0
    n_updated: int = 0
    n_unchanged: int = 0
    n_teams_created: int = 0
    n_teams_updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    n_errors: int = 0  # every error found; `errors` lists the first MAX_ERRORS of them

    @property
    def ok(self) -> bool:
        return self.n_errors == 0

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def error(self, row: int | None, column: str, reason: str) -> None:
        self.errors.append(RowError(row, column, reason))

    def _finish(self, columns: tuple[str, ...]) -> ImportReport:
        order = {name: i for i, name in enumerate(columns)}
        self.errors.sort(key=lambda e: (e.row or 0, order.get(e.column, -1)))
        self.n_errors = len(self.errors)
        del self.errors[MAX_ERRORS:]
        if self.n_errors:
            self.n_created = self.n_updated = self.n_unchanged = 0
            self.n_teams_created = self.n_teams_updated = 0
        return self

    def lines(self) -> list[str]:
        """The report as the command prints it: figures, then one line per error."""
        if not self.ok:
            lines = [
                ngettext(
                    "%(source)s: %(n)d error; nothing was written.",
                    "%(source)s: %(n)d errors; nothing was written.",
                    self.n_errors,
                )
                % {"source": self.source, "n": self.n_errors}
            ]
            lines += [str(error) for error in self.errors]
            if self.n_errors > len(self.errors):
                lines.append(
                    _("… and %(n)d more errors.") % {"n": self.n_errors - len(self.errors)}
                )
            return lines
        lines = [
            f"{label:<9} {count:>7,}"
            for label, count in (
                (_("created"), self.n_created),
                (_("updated"), self.n_updated),
                (_("unchanged"), self.n_unchanged),
            )
        ]
        if self.kind == "people":
            lines.append(
                _("teams: %(created)d created, %(updated)d updated")
                % {"created": self.n_teams_created, "updated": self.n_teams_updated}
            )
        if self.dry_run:
            lines.append(_("Dry run: the file is valid; nothing was written."))
        return lines


def _name_of(source: str | Path | Table) -> str:
    return source.name if isinstance(source, Table) else Path(source).name


def _open(
    source: str | Path | Table, sheet: str | None, report: ImportReport
) -> Table | TableStream | None:
    """The file as a stream of rows (None when it cannot be read: the reason is reported)."""
    if isinstance(source, Table):
        return source
    try:
        return stream_table(source, sheet=sheet)
    except TableError as exc:
        report.error(exc.row, "", exc.message)
        return None


def _columns(
    table: Table | TableStream,
    columns: tuple[str, ...],
    required: tuple[str, ...],
    mapping: Mapping[str, str] | None,
    report: ImportReport,
) -> dict[str, int] | None:
    try:
        return locate_columns(table.header, columns, required=required, mapping=mapping)
    except ColumnError as exc:
        for column, reason in exc.problems:
            report.error(1, column, reason)
        return None


def _check_length(report: ImportReport, row: int, column: str, value: str, limit: int) -> bool:
    if len(value) > limit:
        report.error(
            row,
            column,
            _("too long: %(n)d characters, at most %(limit)d") % {"n": len(value), "limit": limit},
        )
        return False
    return True


def _limit(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def _english_choices(choices) -> dict[str, str]:
    """{spelling: value} for a TextChoices: its values, their English labels, with spaces."""
    lookup: dict[str, str] = {}
    with translation.override("en"):
        for value, label in choices.choices:
            for spelling in (value, value.replace("_", " "), str(label)):
                lookup.setdefault(spelling.casefold(), value)
    return lookup


def _label(level: str) -> str:
    return str(LocationLevel(level).label)




def _rows_by_code(table, parse, report) -> dict:
    """The parsed rows by code; a code seen again is an error naming the row it was first on."""
    rows: dict = {}
    first_row: dict[str, int] = {}
    try:
        for row in table.rows:
            _take(row, parse, rows, first_row, report)
    except TableError as exc:  # the file goes wrong further down: nothing will be written
        report.error(exc.row, "", exc.message)
    return rows


def _take(row, parse, rows: dict, first_row: dict[str, int], report) -> None:
    parsed = parse(row)
    if parsed is None:
        return
    if parsed.code in first_row:
        report.error(
            row.number,
            "code",
            _("duplicate code “%(code)s”: already on row %(first)d")
            % {"code": parsed.code, "first": first_row[parsed.code]},
        )
        return
    first_row[parsed.code] = row.number
    rows[parsed.code] = parsed


# --- locations ------------------------------------------------------------------------------


@dataclass(slots=True)
class _LocationRow:
    """One row as parsed, kept small: a file may hold half a million of them."""

    row: int
    code: str
    level: str | None
    parent_code: str
    texts: tuple[str, ...]  # the values of the plan's text columns, in their order
    n_registered: int | None  # None: not given

    def values(self, text_names: tuple[str, ...]) -> dict[str, Any]:
        values: dict[str, Any] = dict(zip(text_names, self.texts, strict=True))
        if self.n_registered is not None:
            values["n_registered"] = self.n_registered
        return values


_LOCATION_TEXT = ("name_en", "name_ru", "name_kk", "kind", "address")
_WHOLE_NUMBER = re.compile(r"^[0-9]+$")
_MAX_VOTERS = 2_147_483_647
_UPDATABLE = {"level", "parent", "path", *_LOCATION_TEXT, "n_registered"}
_UPDATE_BATCH = 100


def import_locations(
    mission: Mission,
    source: str | Path | Table,
    *,
    actor,
    mapping: Mapping[str, str] | None = None,
    dry_run: bool = False,
    sheet: str | None = None,
) -> ImportReport:
    """Create or update the mission's location tree from a CSV or XLSX file.

    Columns: LOCATION_COLUMNS (required: LOCATION_REQUIRED); `mapping` is {our column: their
    header}. Rows are matched by code within the mission; a column left out of the file leaves
    that field as stored. Registered voters are entered on polling stations only.
    Raises PermissionDenied unless the actor may manage locations (None: the server's operator).
    Side effects, only when the file has no error and not in a dry run: locations created and
    updated, paths of moved subtrees rebuilt, totals recomputed, one audit entry per record.
    """
    if actor is not None and not permissions.can_manage_locations(actor):
        raise PermissionDenied(_("Only an administrator may import locations."))
    report = ImportReport("locations", _name_of(source), dry_run=dry_run)
    table = _open(source, sheet, report)
    if table is None:
        return report._finish(LOCATION_COLUMNS)
    report.source = table.name
    found = _columns(table, LOCATION_COLUMNS, LOCATION_REQUIRED, mapping, report)
    if found is None:
        return report._finish(LOCATION_COLUMNS)
    with transaction.atomic():
        Mission.objects.select_for_update().filter(pk=mission.pk).first()
        plan = _LocationPlan(mission, table, found, report)
        plan.check()
        if report.errors:
            return report._finish(LOCATION_COLUMNS)
        plan.count()
        if not dry_run:
            plan.write(actor)
    return report._finish(LOCATION_COLUMNS)


class _LocationPlan:
    def __init__(
        self, mission: Mission, table: Table | TableStream, found: dict[str, int], report
    ) -> None:
        self.mission = mission
        self.found = found
        self.report = report
        self.levels = _english_choices(LocationLevel)
        self.text_names = tuple(name for name in _LOCATION_TEXT if name in found)
        self.stored: dict[str, Location] = {
            location.code: location
            for location in Location.objects.filter(mission=mission).order_by()
        }
        code_of = {location.pk: code for code, location in self.stored.items()}
        self.stored_parent = {
            code: code_of.get(location.parent_id, "") for code, location in self.stored.items()
        }
        self.rows: dict[str, _LocationRow] = _rows_by_code(table, self._parse, report)
        # The tree as it will be: the file's rows over the stored ones.
        self.parent = dict(self.stored_parent)
        self.level: dict[str, str | None] = {c: loc.level for c, loc in self.stored.items()}
        for code, parsed in self.rows.items():
            self.parent[code] = parsed.parent_code
            self.level[code] = parsed.level or self.level.get(code)
        self.paths: dict[str, str] = {}

    def _parse(self, row) -> _LocationRow | None:
        report, get = self.report, lambda name: row.get(self.found.get(name))
        code = get("code")
        if not code:
            report.error(row.number, "code", _("empty: every location needs a code"))
            return None
        _check_length(report, row.number, "code", code, _limit(Location, "code"))
        if "/" in code:
            report.error(row.number, "code", _("a code may not contain “/”"))
        raw_level = get("level")
        level = self.levels.get(raw_level.casefold())
        if level is None:
            report.error(
                row.number,
                "level",
                _("unknown level “%(level)s”: use country, region, district or polling_station")
                % {"level": raw_level},
            )
        parent_code = get("parent_code")
        values: dict[str, Any] = {}
        for name in _LOCATION_TEXT:
            if name in self.found:
                values[name] = get(name)
                _check_length(report, row.number, name, values[name], _limit(Location, name))
        if not values["name_en"]:
            report.error(row.number, "name_en", _("empty: every location needs an English name"))
        if "registered_voters" in self.found:
            voters = get("registered_voters")
            if level is not None and level != LocationLevel.POLLING_STATION:
                if voters:
                    report.error(
                        row.number,
                        "registered_voters",
                        _(
                            "given on a row of level “%(level)s”: registered voters are entered "
                            "on polling stations and summed from them; leave the cell empty"
                        )
                        % {"level": _label(level)},
                    )
            elif not voters:
                values["n_registered"] = 0
            elif not _WHOLE_NUMBER.match(voters) or int(voters) > _MAX_VOTERS:
                report.error(
                    row.number,
                    "registered_voters",
                    _("“%(value)s” is not a whole number of voters (0 or more)")
                    % {"value": voters},
                )
            else:
                values["n_registered"] = int(voters)
        texts = tuple(sys.intern(values[name]) if name == "kind" else values[name]
                      for name in self.text_names)
        return _LocationRow(row.number, code, level, sys.intern(parent_code), texts,
                            values.get("n_registered"))

    # -- checks ------------------------------------------------------------------------

    def check(self) -> None:
        in_cycle = self._check_cycles()
        for code, parsed in self.rows.items():
            if code in in_cycle:
                continue
            self._check_parent(parsed)
        self._check_levels()
        self._check_moves()
        if not self.report.errors:
            self._build_paths()

    def _check_cycles(self) -> set[str]:
        """Report every cycle through the file's rows (also via stored rows); their codes."""
        done: set[str] = set()
        in_cycle: set[str] = set()
        for start in self.rows:
            trail: list[str] = []
            on_trail: dict[str, int] = {}
            code = start
            while code and code in self.parent and code not in done and code not in on_trail:
                on_trail[code] = len(trail)
                trail.append(code)
                code = self.parent[code]
            if code in on_trail:
                cycle = trail[on_trail[code] :]
                in_cycle.update(cycle)
                for i, member in enumerate(cycle):
                    if member in self.rows:
                        loop = cycle[i:] + cycle[:i] + [member]
                        self.report.error(
                            self.rows[member].row,
                            "parent_code",
                            _("cycle: %(loop)s") % {"loop": " → ".join(loop)},
                        )
            done.update(trail)
        return in_cycle

    def _check_parent(self, parsed: _LocationRow) -> None:
        report, row, level, parent = self.report, parsed.row, parsed.level, parsed.parent_code
        if level is None:
            if parent and parent not in self.level:
                report.error(
                    row, "parent_code", _("unknown parent code “%(code)s”") % {"code": parent}
                )
            return
        depth = LEVEL_DEPTH[level]
        if depth == 0:
            if parent:
                report.error(
                    row, "parent_code", _("a country has no parent; leave parent_code empty")
                )
            return
        expected = LEVEL_ORDER[depth - 1]
        if not parent:
            report.error(
                row,
                "parent_code",
                _("empty: a location of level “%(level)s” needs a parent of level “%(expected)s”")
                % {"level": _label(level), "expected": _label(expected)},
            )
        elif parent not in self.level:
            report.error(row, "parent_code", _("unknown parent code “%(code)s”") % {"code": parent})
        elif self.level[parent] is not None and self.level[parent] != expected:
            report.error(
                row,
                "parent_code",
                _(
                    "“%(parent)s” is of level “%(parent_level)s”; a location of level "
                    "“%(level)s” needs a parent of level “%(expected)s”"
                )
                % {
                    "parent": parent,
                    "parent_level": _label(self.level[parent]),
                    "level": _label(level),
                    "expected": _label(expected),
                },
            )

    def _check_levels(self) -> None:
        """A stored location keeps its level: a polling station re-imported as a region would
        take its protocols, reports and registered voters to a level where they are not
        counted."""
        for code, parsed in self.rows.items():
            location = self.stored.get(code)
            if location is None or parsed.level is None or parsed.level == location.level:
                continue
            self.report.error(
                parsed.row,
                "level",
                _(
                    "“%(code)s” is stored as a location of level “%(stored)s”; an import cannot "
                    "change it to “%(level)s”. Give the new location a new code."
                )
                % {"code": code, "stored": _label(location.level), "level": _label(parsed.level)},
            )

    def _check_moves(self) -> None:
        """A stored location with evidence at it or below it (protocols, published totals,
        observers' reports, deployments, sampled stations) keeps its parent: moving it would
        move that evidence to another place in the tree, and with it the totals."""
        moved = {
            code: parsed
            for code, parsed in self.rows.items()
            if code in self.stored and parsed.parent_code != self.stored_parent[code]
        }
        if not moved:
            return
        held = evidence_below(self.mission, {self.stored[code].path for code in moved})
        for code, parsed in moved.items():
            counts = held.get(self.stored[code].path)
            if not counts:
                continue
            self.report.error(
                parsed.row,
                "parent_code",
                _(
                    "“%(code)s” cannot move from “%(old)s” to “%(new)s”: evidence is recorded at "
                    "it or below it (%(evidence)s), and would move with it. Leave its parent as "
                    "stored, or give the new location a new code."
                )
                % {
                    "code": code,
                    "old": self.stored_parent[code] or "—",
                    "new": parsed.parent_code or "—",
                    "evidence": evidence_text(counts),
                },
            )

    def _build_paths(self) -> None:
        limit = Location._meta.get_field("path").max_length

        def path_of(code: str) -> str:
            trail = []
            while code and code not in self.paths:
                trail.append(code)
                code = self.parent[code]
            prefix = self.paths.get(code, "")
            for member in reversed(trail):
                prefix = f"{prefix}{member}/"
                self.paths[member] = prefix
            return prefix

        for code in list(self.parent):
            path_of(code)
        for code, parsed in self.rows.items():
            if len(self.paths[code]) > limit:
                self.report.error(
                    parsed.row,
                    "code",
                    _("the codes from the country down to here are longer than %(n)d characters")
                    % {"n": limit},
                )

    # -- counting and writing ----------------------------------------------------------

    def count(self) -> None:
        self.new: list[_LocationRow] = []
        self.changed: list[tuple[Location, dict]] = []
        for code, parsed in self.rows.items():
            location = self.stored.get(code)
            if location is None:
                self.new.append(parsed)
                continue
            before = _location_snapshot(location, self.stored_parent[code])
            location.level = parsed.level
            for name, value in parsed.values(self.text_names).items():
                setattr(location, name, value)
            changes = audit.diff(before, _location_snapshot(location, parsed.parent_code))
            if changes:
                self.changed.append((location, changes))
        self.report.n_created = len(self.new)
        self.report.n_updated = len(self.changed)
        self.report.n_unchanged = len(self.rows) - len(self.new) - len(self.changed)

    def write(self, actor) -> None:
        pk_of = {code: location.pk for code, location in self.stored.items()}
        by_depth: dict[int, list[_LocationRow]] = defaultdict(list)
        for parsed in self.new:
            by_depth[LEVEL_DEPTH[parsed.level]].append(parsed)
        for depth in sorted(by_depth):
            rows = by_depth[depth]
            for start in range(0, len(rows), BATCH):  # a batch at a time: memory stays flat
                self._create(rows[start : start + BATCH], pk_of, actor)
        # Update each record's changed fields only, grouped by the set of fields: bulk_update's
        # CASE … WHEN grows with every field and row, so small batches of few fields are fast.
        fields: dict[str, set[str]] = defaultdict(set)
        updated: dict[str, Location] = {}
        for location, changes in self.changed:
            fields[location.code].update(name for name in changes if name in _UPDATABLE)
            updated[location.code] = location
        for code, location in self.stored.items():
            if location.path != self.paths[code]:
                location.path = self.paths[code]
                fields[code].add("path")
                updated[code] = location
        groups: dict[tuple[str, ...], list[Location]] = defaultdict(list)
        for code, location in updated.items():
            location.parent_id = pk_of[self.parent[code]] if self.parent[code] else None
            groups[tuple(sorted(fields[code]))].append(location)
        for names, locations in groups.items():
            if names:
                Location.objects.bulk_update(locations, names, batch_size=_UPDATE_BATCH)
        services.recompute_totals(self.mission)
        for start in range(0, len(self.changed), BATCH):
            entries = [("update", location, changes)
                       for location, changes in self.changed[start : start + BATCH]]
            audit.record_many(
                actor=actor, channel=Channel.IMPORT, entries=entries, mission=self.mission
            )

    def _create(self, rows: list[_LocationRow], pk_of: dict[str, int], actor) -> None:
        """Create one batch of locations (their parents exist) and their audit entries."""
        batch = [
            Location(
                mission=self.mission,
                code=parsed.code,
                level=parsed.level,
                parent_id=pk_of[parsed.parent_code] if parsed.parent_code else None,
                path=self.paths[parsed.code],
                n_stations=1 if parsed.level == LocationLevel.POLLING_STATION else 0,
                **parsed.values(self.text_names),
            )
            for parsed in rows
        ]
        Location.objects.bulk_create(batch, batch_size=BATCH)
        if any(location.pk is None for location in batch):
            ids = dict(
                Location.objects.filter(
                    mission=self.mission, code__in=[loc.code for loc in batch]
                ).values_list("code", "pk")
            )
            for location in batch:
                location.pk = ids[location.code]
        pk_of.update((location.code, location.pk) for location in batch)
        entries = [
            ("create", loc, audit.diff({}, _location_snapshot(loc, self.parent[loc.code])))
            for loc in batch
        ]
        audit.record_many(
            actor=actor, channel=Channel.IMPORT, entries=entries, mission=self.mission
        )


def _location_snapshot(location: Location, parent_code: str) -> dict[str, Any]:
    """The audited values: the parent by code; totals only where they are entered."""
    values = audit.snapshot(location)
    values["parent"] = parent_code or None
    values.pop("n_stations", None)
    if location.level != LocationLevel.POLLING_STATION:
        values.pop("n_registered", None)  # summed from the stations, not imported
    return values


# --- people and teams -----------------------------------------------------------------------


@dataclass(slots=True)
class _PersonRow:
    row: int
    code: str
    values: dict[str, Any]  # Person fields present in the file
    team_code: str = ""
    team_kind: str = ""
    is_leader: bool = False


_PERSON_TEXT = ("full_name", "email", "phone", "nationality", "languages")
_COUNTRY_CODE = re.compile(r"^[A-Za-z]{2}$")


def import_people(
    mission: Mission,
    source: str | Path | Table,
    *,
    actor,
    mapping: Mapping[str, str] | None = None,
    dry_run: bool = False,
    sheet: str | None = None,
) -> ImportReport:
    """Create or update the mission's people and teams from a CSV or XLSX file.

    Columns: PEOPLE_COLUMNS (required: PEOPLE_REQUIRED). People and teams are matched by code
    within the mission; teams are created from team_code and team_kind. When the file has a
    team_code column, each person listed ends up in exactly the team its row names (none when
    empty); people not in the file keep their teams. A column left out leaves that field as is.
    Allowed: an administrator, or a coordinator for people whose area lies in its own (and who
    may give observer access or none); None is the server's operator. Raises PermissionDenied
    for anyone else. Side effects, only without errors and outside a dry run: people, teams and
    memberships written, one audit entry per person or team created or changed.
    """
    access = Access.ADMINISTRATOR if actor is None else permissions.access_of(actor)
    if access not in {Access.ADMINISTRATOR, Access.COORDINATOR}:
        raise PermissionDenied(_("Only an administrator or a coordinator may import people."))
    if access is Access.COORDINATOR and permissions.area_path(actor) is None:
        raise PermissionDenied(_("A coordinator without an area may not import people."))
    report = ImportReport("people", _name_of(source), dry_run=dry_run)
    table = _open(source, sheet, report)
    if table is None:
        return report._finish(PEOPLE_COLUMNS)
    report.source = table.name
    found = _columns(table, PEOPLE_COLUMNS, PEOPLE_REQUIRED, mapping, report)
    if found is None:
        return report._finish(PEOPLE_COLUMNS)
    with transaction.atomic():
        Mission.objects.select_for_update().filter(pk=mission.pk).first()
        plan = _PeoplePlan(mission, table, found, report, actor, access)
        plan.check()
        if not report.errors:
            plan.count()
            if not dry_run:
                plan.write()
        if report.errors or dry_run:
            transaction.set_rollback(True)  # the standard roles, if they were just created
    return report._finish(PEOPLE_COLUMNS)


class _PeoplePlan:
    def __init__(self, mission, table: Table | TableStream, found, report: ImportReport, actor, access):
        self.mission, self.found, self.report, self.actor = mission, found, report, actor
        self.prefix = permissions.area_path(actor) if access is Access.COORDINATOR else None
        self.coordinator = access is Access.COORDINATOR
        roles = ensure_roles()
        self.roles = {}
        for role in roles.values():
            for spelling in (role.code, role.name_en, role.name_ru, role.name_kk):
                if spelling:
                    self.roles.setdefault(spelling.casefold(), role)
        self.accesses = _english_choices(Access)
        self.kinds = _english_choices(TeamKind)
        self.locations = {
            location.code: location
            for location in Location.objects.filter(mission=mission)
            .only("pk", "code", "path", "mission")
            .order_by()
        }
        self.locations_by_pk = {location.pk: location for location in self.locations.values()}
        self.people = {p.code: p for p in Person.objects.filter(mission=mission).order_by()}
        self.teams = {t.code: t for t in Team.objects.filter(mission=mission).order_by()}
        self.team_code_of = {team.pk: code for code, team in self.teams.items()}
        self.memberships: dict[int, list[TeamMembership]] = defaultdict(list)
        for membership in TeamMembership.objects.filter(team__mission=mission).order_by("pk"):
            self.memberships[membership.person_id].append(membership)
        self.rows: dict[str, _PersonRow] = _rows_by_code(table, self._parse, report)

    def _parse(self, row) -> _PersonRow | None:
        report, number = self.report, row.number

        def get(name: str) -> str:
            return row.get(self.found.get(name))

        code = get("code")
        if not code:
            report.error(number, "code", _("empty: every person needs a code"))
            return None
        _check_length(report, number, "code", code, _limit(Person, "code"))
        values: dict[str, Any] = {}
        for name in _PERSON_TEXT:
            if name in self.found:
                values[name] = get(name)
                if name != "nationality":  # checked as a country code below
                    _check_length(report, number, name, values[name], _limit(Person, name))
        if not values["full_name"]:
            report.error(number, "full_name", _("empty: every person needs a name"))
        role = self.roles.get(get("role").casefold())
        if role is None:
            report.error(
                number,
                "role",
                _(
                    "unknown role “%(role)s”: use a code such as sto, lto or interpreter, or the "
                    "English name"
                )
                % {"role": get("role")},
            )
        values["role_id"] = role.pk if role else None
        if "access" in self.found:
            access = self.accesses.get(get("access").casefold() or "none")
            if access is None:
                report.error(
                    number,
                    "access",
                    _(
                        "unknown access “%(access)s”: use administrator, core, coordinator, "
                        "observer, analyst or none"
                    )
                    % {"access": get("access")},
                )
            values["access"] = access
        if values.get("email"):
            try:
                validate_email(values["email"])
            except ValidationError:
                report.error(
                    number,
                    "email",
                    _("not a valid e-mail address: “%(email)s”") % {"email": values["email"]},
                )
        if values.get("nationality"):
            if not _COUNTRY_CODE.match(values["nationality"]):
                report.error(
                    number,
                    "nationality",
                    _("“%(value)s” is not a two-letter country code (ISO 3166)")
                    % {"value": values["nationality"]},
                )
            values["nationality"] = values["nationality"].upper()
        if "area_code" in self.found:
            area_code = get("area_code")
            area = self.locations.get(area_code) if area_code else None
            if area_code and area is None:
                report.error(
                    number,
                    "area_code",
                    _("unknown area code “%(code)s”: not a location of this mission")
                    % {"code": area_code},
                )
            elif self.coordinator and (area is None or not area.path.startswith(self.prefix)):
                report.error(
                    number,
                    "area_code",
                    _(
                        "outside your area: a coordinator imports only people whose area lies in "
                        "its own"
                    ),
                )
            values["area_id"] = area.pk if area else None
        parsed = _PersonRow(number, code, values)
        if "team_code" in self.found:
            parsed.team_code = get("team_code")
            _check_length(report, number, "team_code", parsed.team_code, _limit(Team, "code"))
            raw_kind = get("team_kind")
            if raw_kind:
                kind = self.kinds.get(raw_kind.casefold())
                if kind is None:
                    report.error(
                        number,
                        "team_kind",
                        _("unknown team kind “%(kind)s”: use lto, sto or core")
                        % {"kind": raw_kind},
                    )
                parsed.team_kind = kind or "?"  # "?": given, not understood
            leader = get("team_leader").casefold()
            if leader not in YES | NO:
                report.error(
                    number,
                    "team_leader",
                    _("“%(value)s” is not yes or no") % {"value": get("team_leader")},
                )
            parsed.is_leader = leader in YES
        return parsed

    # -- checks ------------------------------------------------------------------------

    def check(self) -> None:
        self.team_kind: dict[str, str] = {}
        kind_row: dict[str, int] = {}
        for parsed in self.rows.values():
            code, kind = parsed.team_code, parsed.team_kind
            if not code or not kind or kind == "?":
                continue
            if code not in self.team_kind:
                self.team_kind[code], kind_row[code] = kind, parsed.row
            elif self.team_kind[code] != kind:
                self.report.error(
                    parsed.row,
                    "team_kind",
                    _(
                        "team “%(team)s” is given kind “%(first)s” on row %(row)d and “%(kind)s” "
                        "here"
                    )
                    % {
                        "team": code,
                        "first": self.team_kind[code],
                        "row": kind_row[code],
                        "kind": kind,
                    },
                )
        for parsed in self.rows.values():
            code = parsed.team_code
            if parsed.team_kind == "?":
                self.team_kind.setdefault(code, "")
            elif code and code not in self.team_kind and code not in self.teams:
                self.team_kind[code] = ""
                self.report.error(
                    parsed.row,
                    "team_kind",
                    _("team “%(team)s” is new: give its kind (lto, sto or core)") % {"team": code},
                )
        if self.coordinator and "area_code" not in self.found:
            self.report.error(
                1, "area_code", _("missing: a coordinator's file must give every person's area")
            )
        if self.coordinator:
            self._check_coordinator()
        if self.actor is not None:
            self._check_rights()

    def _check_coordinator(self) -> None:
        """A coordinator changes only people and teams in its area, and grants no more than
        observer access."""
        prefix = self.prefix
        area_path = {loc.pk: loc.path for loc in self.locations.values()}

        def inside(location_id) -> bool:
            return location_id is not None and area_path.get(location_id, "").startswith(prefix)

        teams_by_pk = {team.pk: team for team in self.teams.values()}
        for code, parsed in self.rows.items():
            person = self.people.get(code)
            if person is not None and not (
                inside(person.area_id)
                or any(inside(teams_by_pk[m.team_id].area_id) for m in self.memberships[person.pk])
            ):
                self.report.error(
                    parsed.row,
                    "code",
                    _(
                        "“%(code)s” is a person outside your area; only an administrator may "
                        "change them"
                    )
                    % {"code": code},
                )
            team = self.teams.get(parsed.team_code)
            if team is not None and not inside(team.area_id):
                self.report.error(
                    parsed.row,
                    "team_code",
                    _("team “%(team)s” lies outside your area") % {"team": parsed.team_code},
                )
            access = parsed.values.get("access")
            if access is not None and access not in {Access.OBSERVER, Access.NONE}:
                if person is None or person.access != access:
                    self.report.error(
                        parsed.row,
                        "access",
                        _("a coordinator may only give observer access or none"),
                    )

    def _check_rights(self) -> None:
        """The rules every channel shares (permissions.person_write_problems) that the checks
        above have not named already: nobody changes its own access or area, a superuser's
        person is changed by a superuser, a coordinator leaves people above observer alone."""
        named = {(error.row, error.column) for error in self.report.errors}
        columns = {"area": "area_code", "__all__": "code", "user": "code"}
        for code, parsed in self.rows.items():
            values: dict[str, Any] = {}
            if parsed.values.get("access") is not None:
                values["access"] = parsed.values["access"]
            if "area_id" in parsed.values:
                values["area"] = self.locations_by_pk.get(parsed.values["area_id"])
            problems = permissions.person_write_problems(
                self.actor, self.people.get(code), mission=self.mission, **values
            )
            for name, reason in problems.items():
                column = columns.get(name, name)
                if (parsed.row, column) not in named:
                    self.report.error(parsed.row, column, reason)
                    named.add((parsed.row, column))

    # -- counting and writing ----------------------------------------------------------

    def _teams_text(self, memberships: list[tuple[str, bool]]) -> list[str]:
        return sorted(f"{code} (leader)" if leader else code for code, leader in memberships)

    def count(self) -> None:
        manage_teams = "team_code" in self.found
        self.new_people: list[Person] = []
        self.changed_people: list[tuple[Person, dict]] = []
        self.entries: dict[str, dict] = {}
        for code, parsed in self.rows.items():
            person = self.people.get(code)
            if person is None:
                person = Person(mission=self.mission, code=code)
                before: dict[str, Any] = {}
            else:
                before = audit.snapshot(person)
                before["teams"] = self._teams_text(
                    [
                        (self.team_code_of[m.team_id], m.is_leader)
                        for m in self.memberships[person.pk]
                    ]
                )
            for name, value in parsed.values.items():
                setattr(person, name, value)
            after = audit.snapshot(person)
            if manage_teams:
                after["teams"] = self._teams_text(
                    [(parsed.team_code, parsed.is_leader)] if parsed.team_code else []
                )
            elif before:
                after["teams"] = before["teams"]
            changes = audit.diff(before, after)
            if not before:
                changes.pop("id", None)
                self.new_people.append(person)
                self.entries[code] = changes
            elif changes:
                self.changed_people.append((person, changes))
                self.entries[code] = changes
        self.new_teams: list[Team] = []
        self.changed_teams: list[tuple[Team, dict]] = []
        for code, kind in self.team_kind.items():
            team = self.teams.get(code)
            if team is None:
                team = Team(mission=self.mission, code=code, kind=kind, area=self._team_area(code))
                self.new_teams.append(team)
            elif kind and team.kind != kind:
                self.changed_teams.append((team, {"kind": [team.kind, kind]}))
                team.kind = kind
        self.report.n_created = len(self.new_people)
        self.report.n_updated = len(self.changed_people)
        self.report.n_unchanged = len(self.rows) - len(self.new_people) - len(self.changed_people)
        self.report.n_teams_created = len(self.new_teams)
        self.report.n_teams_updated = len(self.changed_teams)

    def _team_area(self, team_code: str) -> Location | None:
        """A new team's area: the smallest location holding every member's area."""
        if not hasattr(self, "_member_paths"):
            self._member_paths: dict[str, list[str]] = defaultdict(list)
            for parsed in self.rows.values():
                if parsed.team_code and parsed.values.get("area_id"):
                    path = self.locations_by_pk[parsed.values["area_id"]].path
                    self._member_paths[parsed.team_code].append(path)
        paths = self._member_paths.get(team_code)
        if not paths:
            return None
        common = [part for part in paths[0].split("/") if part]
        for path in paths[1:]:
            parts = [part for part in path.split("/") if part]
            n = 0
            while n < min(len(common), len(parts)) and common[n] == parts[n]:
                n += 1
            common = common[:n]
        return self.locations.get(common[-1]) if common else None

    def write(self) -> None:
        Team.objects.bulk_create(self.new_teams, batch_size=BATCH)
        Team.objects.bulk_update([team for team, _c in self.changed_teams], ["kind"])
        Person.objects.bulk_create(self.new_people, batch_size=BATCH)
        Person.objects.bulk_update(
            [person for person, _c in self.changed_people],
            ["full_name", "role", "access", "email", "phone", "nationality", "languages", "area"],
            batch_size=BATCH,
        )
        if any(obj.pk is None for obj in [*self.new_teams, *self.new_people]):
            self._fetch_keys()
        if "team_code" in self.found:
            self._write_memberships()
        entries: list[tuple[str, Any, dict]] = []
        entries += [("create", t, audit.diff({}, audit.snapshot(t))) for t in self.new_teams]
        entries += [("update", team, changes) for team, changes in self.changed_teams]
        for person in self.new_people:
            changes = self.entries[person.code]
            changes["id"] = [None, str(person.pk)]
            entries.append(("create", person, changes))
        entries += [("update", person, changes) for person, changes in self.changed_people]
        audit.record_many(
            actor=self.actor, channel=Channel.IMPORT, entries=entries, mission=self.mission
        )

    def _fetch_keys(self) -> None:
        teams = dict(Team.objects.filter(mission=self.mission).values_list("code", "pk"))
        people = dict(Person.objects.filter(mission=self.mission).values_list("code", "pk"))
        for team in self.new_teams:
            team.pk = teams[team.code]
        for person in self.new_people:
            person.pk = people[person.code]

    def _write_memberships(self) -> None:
        team_pk = {code: team.pk for code, team in self.teams.items()}
        team_pk.update((team.code, team.pk) for team in self.new_teams)
        person_pk = {code: person.pk for code, person in self.people.items()}
        person_pk.update((person.code, person.pk) for person in self.new_people)
        removed: list[int] = []
        relead: list[TeamMembership] = []
        added: list[TeamMembership] = []
        for code, parsed in self.rows.items():
            wanted = team_pk[parsed.team_code] if parsed.team_code else None
            kept = False
            for membership in self.memberships.get(person_pk[code], []):
                if membership.team_id != wanted:
                    removed.append(membership.pk)
                    continue
                kept = True
                if membership.is_leader != parsed.is_leader:
                    membership.is_leader = parsed.is_leader
                    relead.append(membership)
            if wanted is not None and not kept:
                added.append(
                    TeamMembership(
                        team_id=wanted, person_id=person_pk[code], is_leader=parsed.is_leader
                    )
                )
        for start in range(0, len(removed), BATCH):
            TeamMembership.objects.filter(pk__in=removed[start : start + BATCH]).delete()
        TeamMembership.objects.bulk_update(relead, ["is_leader"], batch_size=BATCH)
        TeamMembership.objects.bulk_create(added, batch_size=BATCH)
