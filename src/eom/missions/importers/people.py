"""The import of people and teams (see the package's docstring)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from eom.tables import Table, TableStream

from .. import audit, permissions
from ..models import (
    Access,
    Channel,
    Location,
    Mission,
    Person,
    Team,
    TeamKind,
    TeamMembership,
)
from ..roles import ensure_roles
from .common import (
    BATCH,
    NO,
    YES,
    ImportReport,
    _check_length,
    _english_choices,
    _limit,
    _rows_by_code,
    open_import,
)

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
    opened = open_import("people", source, sheet=sheet, columns=PEOPLE_COLUMNS,
                         required=PEOPLE_REQUIRED, mapping=mapping, dry_run=dry_run)
    report, table, found = opened.report, opened.table, opened.found
    if table is None or found is None:
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
        """One row as a _PersonRow (None without a code); its problems are reported."""
        number = row.number

        def get(name: str) -> str:
            return row.get(self.found.get(name))

        code = get("code")
        if not code:
            self.report.error(number, "code", _("empty: every person needs a code"))
            return None
        _check_length(self.report, number, "code", code, _limit(Person, "code"))
        values = self._texts(get, number)
        values["role_id"] = self._role(get, number)
        if "access" in self.found:
            values["access"] = self._access(get, number)
        self._check_contact(values, number)
        if "area_code" in self.found:
            values["area_id"] = self._area(get, number)
        parsed = _PersonRow(number, code, values)
        if "team_code" in self.found:
            self._parse_team(get, parsed)
        return parsed

    def _texts(self, get, number: int) -> dict[str, Any]:
        """The person's text columns present in the file, their lengths checked."""
        values: dict[str, Any] = {}
        for name in _PERSON_TEXT:
            if name in self.found:
                values[name] = get(name)
                if name != "nationality":  # checked as a country code later
                    _check_length(self.report, number, name, values[name], _limit(Person, name))
        if not values["full_name"]:
            self.report.error(number, "full_name", _("empty: every person needs a name"))
        return values

    def _role(self, get, number: int) -> int | None:
        role = self.roles.get(get("role").casefold())
        if role is None:
            self.report.error(
                number,
                "role",
                _(
                    "unknown role “%(role)s”: use a code such as sto, lto or interpreter, or the "
                    "English name"
                )
                % {"role": get("role")},
            )
        return role.pk if role else None

    def _access(self, get, number: int) -> str | None:
        access = self.accesses.get(get("access").casefold() or "none")
        if access is None:
            self.report.error(
                number,
                "access",
                _(
                    "unknown access “%(access)s”: use administrator, core, coordinator, "
                    "observer, analyst or none"
                )
                % {"access": get("access")},
            )
        return access

    def _check_contact(self, values: dict[str, Any], number: int) -> None:
        """The e-mail address must be one; the nationality a country code (stored upper case)."""
        if values.get("email"):
            try:
                validate_email(values["email"])
            except ValidationError:
                self.report.error(
                    number,
                    "email",
                    _("not a valid e-mail address: “%(email)s”") % {"email": values["email"]},
                )
        if values.get("nationality"):
            if not _COUNTRY_CODE.match(values["nationality"]):
                self.report.error(
                    number,
                    "nationality",
                    _("“%(value)s” is not a two-letter country code (ISO 3166)")
                    % {"value": values["nationality"]},
                )
            values["nationality"] = values["nationality"].upper()

    def _area(self, get, number: int) -> int | None:
        """The area's id (None: none given or unknown); a coordinator's must lie in its own."""
        area_code = get("area_code")
        area = self.locations.get(area_code) if area_code else None
        if area_code and area is None:
            self.report.error(
                number,
                "area_code",
                _("unknown area code “%(code)s”: not a location of this mission")
                % {"code": area_code},
            )
        elif self.coordinator and (area is None or not area.path.startswith(self.prefix)):
            self.report.error(
                number,
                "area_code",
                _(
                    "outside your area: a coordinator imports only people whose area lies in "
                    "its own"
                ),
            )
        return area.pk if area else None

    def _parse_team(self, get, parsed: _PersonRow) -> None:
        """The row's team code, kind and leader flag onto `parsed`."""
        number = parsed.row
        parsed.team_code = get("team_code")
        _check_length(self.report, number, "team_code", parsed.team_code, _limit(Team, "code"))
        raw_kind = get("team_kind")
        if raw_kind:
            kind = self.kinds.get(raw_kind.casefold())
            if kind is None:
                self.report.error(
                    number,
                    "team_kind",
                    _("unknown team kind “%(kind)s”: use lto, sto or core") % {"kind": raw_kind},
                )
            parsed.team_kind = kind or "?"  # "?": given, not understood
        leader = get("team_leader").casefold()
        if leader not in YES | NO:
            self.report.error(
                number,
                "team_leader",
                _("“%(value)s” is not yes or no") % {"value": get("team_leader")},
            )
        parsed.is_leader = leader in YES

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
