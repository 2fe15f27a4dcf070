"""The import of the location tree (see the package's docstring)."""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from eom.tables import Table, TableStream

from .. import audit, permissions, services
from ..evidence import evidence_below, evidence_text
from ..models import (
    LEVEL_DEPTH,
    LEVEL_ORDER,
    Channel,
    Location,
    LocationLevel,
    Mission,
)
from .common import (
    BATCH,
    ImportReport,
    _check_length,
    _english_choices,
    _label,
    _limit,
    _rows_by_code,
    open_import,
)

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
    opened = open_import("locations", source, sheet=sheet, columns=LOCATION_COLUMNS,
                         required=LOCATION_REQUIRED, mapping=mapping, dry_run=dry_run)
    report, table, found = opened.report, opened.table, opened.found
    if table is None or found is None:
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
