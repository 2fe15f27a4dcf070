"""Import of an election commission's published list of complaints (CSV or XLSX), through the
one table reader (`missions.tabular`) and the `--map` column mapping, all or nothing.

Columns (`COLUMNS`; required: `REQUIRED`): the case's fields, `body_location` a location code,
`subject` a subject's code or name, `appeal_of` the reference of the case appealed (earlier in
the file or in the register). Choices are read from their code or their label in English,
Russian or Kazakh; dates as 2023-03-20 or 20.03.2023; `published` yes/no. A row whose reference
is in the register already updates that case. Every error names its row, column and reason;
one error and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from eom.missions import audit
from eom.missions.importers.common import NO, YES, ImportReport, open_import
from eom.missions.models import Location, Mission
from eom.tables import Table, TableError

from . import permissions, services
from .models import BodyKind, BodyLevel, Case, Decision, FilerKind, Subject

COLUMNS = ("reference", "filer_kind", "filer_name", "against", "body_kind", "body_level",
           "body_location", "subject", "summary", "legal_basis", "filed", "decided", "decision",
           "reasons", "published", "appeal_of")
REQUIRED = ("filer_kind", "filer_name", "body_kind", "body_level", "filed")
CHOICES = {"filer_kind": FilerKind, "body_kind": BodyKind, "body_level": BodyLevel,
           "decision": Decision}


def _spellings(choices) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for language in ("en", "ru", "kk"):
        with translation.override(language):
            for value, label in choices.choices:
                for spelling in (value, value.replace("_", " "), str(label)):
                    lookup.setdefault(spelling.casefold(), value)
    return lookup


def parse_date(text: str) -> dt.date:
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def import_cases(mission: Mission, source: str | Path | Table, *, actor,
                 mapping: Mapping[str, str] | None = None, dry_run: bool = False,
                 sheet: str | None = None) -> ImportReport:
    """Create or update cases from the file. Allowed: those who write cases (None is the
    server's operator). Side effects, only when the whole file is valid and not a dry run: the
    cases, one audit entry each (channel "import")."""
    if actor is not None and not permissions.can_write_cases(actor, mission):
        raise PermissionDenied(_("Only the core team and administrators record complaints."))
    opened = open_import("complaints", source, sheet=sheet, columns=COLUMNS,
                         required=REQUIRED, mapping=mapping, dry_run=dry_run)
    report, table, found = opened.report, opened.table, opened.found
    if table is None or found is None:
        return report._finish(COLUMNS)
    with transaction.atomic():
        plan = _Plan(mission, found, report)
        try:
            for row in table.rows:
                plan.take(row)
        except TableError as exc:
            report.error(exc.row, "", exc.message)
        if not report.errors and not dry_run:
            plan.write(actor)
        elif not report.errors:
            for _number, data, _appeal in plan.rows:
                if data.reference in plan.stored:
                    report.n_updated += 1
                else:
                    report.n_created += 1
        if report.errors or dry_run:
            transaction.set_rollback(True)
    return report._finish(COLUMNS)


class _Plan:
    def __init__(self, mission: Mission, found: dict[str, int], report: ImportReport):
        self.mission, self.found, self.report = mission, found, report
        self.choices = {name: _spellings(kind) for name, kind in CHOICES.items()}
        self.locations = {loc.code: loc for loc in Location.objects.filter(mission=mission)}
        self.subjects: dict[str, Subject] = {}
        for subject in Subject.objects.filter(mission=mission):
            self.subjects.setdefault(subject.code.casefold(), subject)
            for name in (subject.name, subject.name_ru, subject.name_kk):
                if name:
                    self.subjects.setdefault(name.casefold(), subject)
        self.stored = {case.reference: case for case in
                       Case.objects.filter(mission=mission).exclude(reference="")}
        self.rows: list[tuple[int, services.CaseData, str]] = []
        self.references: dict[str, int] = {}
        self.holidays = services.holidays_of(mission)

    def cell(self, row, name: str) -> str:
        return row.get(self.found.get(name)).strip() if name in self.found else ""

    def take(self, row) -> None:
        errors: dict[str, str] = {}
        values = {name: self.cell(row, name) for name in COLUMNS}
        chosen = {}
        for name, lookup in self.choices.items():
            text = values[name]
            if not text and name == "decision":
                chosen[name] = Decision.PENDING
            elif text.casefold() in lookup:
                chosen[name] = lookup[text.casefold()]
            else:
                errors[name] = _("unknown value “%(value)s”") % {"value": text[:50]}
        dates = {}
        for name in ("filed", "decided"):
            if values[name]:
                try:
                    dates[name] = parse_date(values[name])
                except ValueError:
                    errors[name] = _("not a date: “%(value)s” (write 2023-03-20 or 20.03.2023)"
                                     ) % {"value": values[name][:50]}
            elif name == "filed":
                errors[name] = _("required")
        location = subject = appealed = None
        if values["body_location"]:
            location = self.locations.get(values["body_location"])
            if location is None:
                errors["body_location"] = _("no location with code “%(code)s”") % {
                    "code": values["body_location"][:64]}
        if values["subject"]:
            subject = self.subjects.get(values["subject"].casefold())
            if subject is None:
                errors["subject"] = _("no subject “%(value)s” in this mission") % {
                    "value": values["subject"][:100]}
        published = values["published"].casefold()
        if published not in YES | NO:
            errors["published"] = _("write yes or no")
        reference = values["reference"]
        if reference and reference in self.references:
            errors["reference"] = _("“%(ref)s” is on row %(row)d already") % {
                "ref": reference[:100], "row": self.references[reference]}
        if values["appeal_of"]:
            appealed = self.stored.get(values["appeal_of"])
            if appealed is None and values["appeal_of"] not in self.references:
                errors["appeal_of"] = _("no case with reference “%(ref)s” in the register or "
                                        "earlier in the file") % {"ref": values["appeal_of"][:100]}
        if not errors:
            data = services.CaseData(
                filer_kind=chosen["filer_kind"], filer_name=values["filer_name"],
                body_kind=chosen["body_kind"], body_level=chosen["body_level"],
                filed=dates["filed"], decided=dates.get("decided"),
                decision=chosen["decision"], reference=reference, against=values["against"],
                body_location=location, subject=subject, summary=values["summary"],
                legal_basis=values["legal_basis"], reasons=values["reasons"],
                published=published in YES, appeal_of=appealed)
            for name, reason in services.problems(self.mission, data).items():
                errors[name] = reason
        for name, reason in errors.items():
            self.report.error(row.number, name, reason)
        if errors:
            return
        if reference:
            self.references[reference] = row.number
        self.rows.append((row.number, data, values["appeal_of"]))

    def write(self, actor) -> None:
        entries = []
        written: dict[str, Case] = {}
        for _number, data, appeal_reference in self.rows:
            if appeal_reference and data.appeal_of is None:
                data.appeal_of = written[appeal_reference]
            case = self.stored.get(data.reference) if data.reference else None
            before = services.case_snapshot(case) if case else {}
            if case is None:
                case = Case(mission=self.mission, created_by=actor)
            services._write(actor, "import", case, data, None, None, self.holidays)
            changes = audit.diff(before, services.case_snapshot(case))
            if not before:
                self.report.n_created += 1
                entries.append(("create", case, changes))
            elif changes:
                self.report.n_updated += 1
                entries.append(("update", case, changes))
            else:
                self.report.n_unchanged += 1
            if data.reference:
                written[data.reference] = case
        audit.record_many(actor=actor, channel="import", entries=entries, mission=self.mission)
