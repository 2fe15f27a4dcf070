"""Writing and reading the complaints and appeals register. Every write takes the actor and the
channel, runs in one transaction and leaves audit entries (a case's confidential note has its
own, sealed).

- `create_case`, `update_case`: a case or an appeal, checked whole (`CaseRejected` names every
  field that does not fit, as the API names it); its legal deadline is computed from the
  mission's rules (`deadline_for`) whenever the body or the filing date is given.
- `attach_document`: a file on a case, bounded in size and number.
- `figures`: what the final report quotes (cases by body, subject and outcome, the share decided
  within the legal deadline, the median days to decision, appeals and their outcomes).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from eom.lto.models import Report
from eom.lto.permissions import reports_visible_to
from eom.missions import audit
from eom.missions.languages import localised
from eom.missions.models import Location, Meeting, Mission
from eom.missions.permissions import meetings_visible_to
from eom.missions.validators import text_problem

from . import deadlines, permissions
from .models import (
    BodyKind,
    BodyLevel,
    Case,
    ConfidentialNote,
    DeadlineRule,
    Decision,
    Document,
    FilerKind,
    Holiday,
    Subject,
    body_label,
)


class CaseRejected(Exception):
    """The data do not fit: `errors` is {field: reason}."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass
class CaseData:
    """What a case holds. `note` is the confidential note: None keeps the stored one, "" removes
    it. `meetings` and `lto_reports` are ids; None keeps the stored links."""

    filer_kind: str
    filer_name: str
    body_kind: str
    body_level: str
    filed: dt.date
    reference: str = ""
    against: str = ""
    body_location: Location | None = None
    subject: Subject | None = None
    summary: str = ""
    legal_basis: str = ""
    decided: dt.date | None = None
    decision: str = Decision.PENDING
    reasons: str = ""
    published: bool = False
    appeal_of: Case | None = None
    note: str | None = None
    meetings: list[int] | None = None
    lto_reports: list[int] | None = None
    synthetic: bool | None = None
    extra: dict = field(default_factory=dict)


SHORT = {"reference": 100, "filer_name": 300, "against": 500}
LONG = ("summary", "legal_basis", "reasons", "note")


def max_text_chars() -> int:
    return settings.EOM_MAX_COMPLAINT_TEXT_CHARS


# --- deadlines ------------------------------------------------------------------------------


def rule_for(mission: Mission, body_kind: str, body_level: str, filed: dt.date
             ) -> DeadlineRule | None:
    """The rule that sets the deadline: for the body's level before one for every level, one
    for the election period (when filed within it) before one without."""
    rules = [rule for rule in DeadlineRule.objects.filter(mission=mission, body_kind=body_kind)
             if rule.body_level in ("", body_level) and rule.applies_on(filed)]
    rules.sort(key=lambda r: (r.body_level == "", r.period_starts is None and
                              r.period_ends is None, r.pk))
    return rules[0] if rules else None


def holidays_of(mission: Mission) -> set[dt.date]:
    return set(Holiday.objects.filter(mission=mission).values_list("date", flat=True))


def deadline_for(mission: Mission, body_kind: str, body_level: str, filed: dt.date,
                 holidays: set[dt.date] | None = None) -> dt.date | None:
    rule = rule_for(mission, body_kind, body_level, filed)
    if rule is None:
        return None
    return deadlines.legal_deadline(
        filed, rule.days, rule.counting, moves_off_weekends=rule.moves_off_weekends,
        holidays=holidays_of(mission) if holidays is None else holidays)


# --- checks ---------------------------------------------------------------------------------


def problems(mission: Mission, data: CaseData, case: Case | None = None) -> dict[str, str]:
    """Every reason `data` cannot be stored, {field: reason}."""
    errors: dict[str, str] = {}
    if data.filer_kind not in FilerKind.values:
        errors["filer_kind"] = _("must be one of %(values)s") % {
            "values": ", ".join(FilerKind.values)}
    if data.body_kind not in BodyKind.values:
        errors["body_kind"] = _("must be one of %(values)s") % {
            "values": ", ".join(BodyKind.values)}
    if data.body_level not in BodyLevel.values:
        errors["body_level"] = _("must be one of %(values)s") % {
            "values": ", ".join(BodyLevel.values)}
    elif data.body_kind == BodyKind.COURT and data.body_level == BodyLevel.PRECINCT:
        errors["body_level"] = _("a court is central, regional or district")
    if data.decision not in Decision.values:
        errors["decision"] = _("must be one of %(values)s") % {
            "values": ", ".join(Decision.values)}
    for name, limit in SHORT.items():
        problem = text_problem(getattr(data, name), max_chars=limit)
        if problem:
            errors[name] = problem
    for name in LONG:
        value = getattr(data, name)
        problem = text_problem(value, max_chars=max_text_chars()) if value else None
        if problem:
            errors[name] = problem
    if not data.filer_name.strip() and "filer_name" not in errors:
        errors["filer_name"] = _("say who filed it")
    if data.decided and data.filed and data.decided < data.filed:
        errors["decided"] = _("cannot come before the day it was filed")
    if data.decision == Decision.PENDING and data.decided:
        errors["decision"] = _("a decided case needs its decision")
    if data.decision not in (Decision.PENDING, Decision.WITHDRAWN) and data.decision in \
            Decision.values and not data.decided:
        errors["decided"] = _("a decision needs the day it was taken")
    if data.body_location is not None and data.body_location.mission_id != mission.pk:
        errors["body_location"] = _("is no location of this mission")
    if data.subject is not None and data.subject.mission_id != mission.pk:
        errors["subject"] = _("is no subject of this mission")
    appealed = data.appeal_of
    if appealed is not None:
        if appealed.mission_id != mission.pk:
            errors["appeal_of"] = _("is no case of this mission")
        elif case is not None and (appealed.pk == case.pk or _appeals_back(appealed, case)):
            errors["appeal_of"] = _("a case cannot appeal itself")
        elif appealed.decided and data.filed and data.filed < appealed.decided:
            errors["filed"] = _("cannot come before the decision it appeals")
    return errors


def _appeals_back(appealed: Case, case: Case) -> bool:
    """Whether `appealed` is an appeal (at any depth) of `case`: the link would make a loop."""
    seen, current = set(), appealed
    while current is not None and current.pk not in seen:
        if current.pk == case.pk:
            return True
        seen.add(current.pk)
        current = current.appeal_of
    return False


def _links(actor, mission: Mission, data: CaseData, errors: dict[str, str]
           ) -> tuple[list[Meeting] | None, list[Report] | None]:
    meetings = reports = None
    if data.meetings is not None:
        wanted = set(data.meetings)
        meetings = list(meetings_visible_to(actor, mission).filter(pk__in=wanted))
        if len(meetings) != len(wanted):
            errors["meetings"] = _("names a meeting you cannot see")
    if data.lto_reports is not None:
        wanted = set(data.lto_reports)
        reports = list(reports_visible_to(actor, mission).filter(pk__in=wanted))
        if len(reports) != len(wanted):
            errors["lto_reports"] = _("names an LTO report you cannot see")
    return meetings, reports


FIELDS = ("reference", "filer_kind", "filer_name", "against", "body_kind", "body_level",
          "body_location", "subject", "summary", "legal_basis", "filed", "decided", "decision",
          "reasons", "published", "appeal_of")


def case_snapshot(case: Case) -> dict:
    """What the audit trail keeps of a case (never its confidential note)."""
    return audit.snapshot(case, m2m=("meetings", "lto_reports"))


def _write(actor, channel: str, case: Case, data: CaseData, meetings, reports,
           holidays: set[dt.date] | None = None) -> list:
    """Store `data` in `case`; returns the audit entries of its confidential note."""
    for name in FIELDS:
        value = getattr(data, name)
        setattr(case, name, value.strip() if isinstance(value, str) else value)
    if data.synthetic is not None:
        case.synthetic = data.synthetic
    case.deadline = deadline_for(case.mission, case.body_kind, case.body_level, case.filed,
                                 holidays)
    case.save()
    if meetings is not None:
        case.meetings.set(meetings)
    if reports is not None:
        case.lto_reports.set(reports)
    entries = []
    if data.note is None:
        return entries
    text = data.note.strip()
    stored = ConfidentialNote.objects.filter(case=case).first()
    if stored is None and text:
        stored = ConfidentialNote.objects.create(case=case, text=text)
        entries.append(("create", stored, {"text": [None, text], "case": [None, str(case.pk)]}))
    elif stored is not None and not text:
        entries.append(("delete", stored, {"text": [stored.text, None]}))
        stored.delete()
    elif stored is not None and stored.text != text:
        entries.append(("update", stored, {"text": [stored.text, text]}))
        stored.text = text
        stored.save(update_fields=["text"])
    return entries


def _check_all(actor, mission: Mission, data: CaseData, case: Case | None):
    errors = problems(mission, data, case)
    meetings, reports = _links(actor, mission, data, errors)
    if data.note is not None and not permissions.can_read_confidential(actor, mission):
        errors["note"] = _("only the core team writes the confidential note")
    if errors:
        raise CaseRejected(errors)
    return meetings, reports


@transaction.atomic
def create_case(*, actor, channel: str, mission: Mission, data: CaseData) -> Case:
    """Record a complaint or an appeal. PermissionDenied unless the core team or an
    administrator; CaseRejected naming the fields that do not fit. Side effects: the case, its
    links, an audit entry (and a sealed one for its confidential note)."""
    if not permissions.can_write_cases(actor, mission):
        raise PermissionDenied(_("Only the core team and administrators record complaints."))
    meetings, reports = _check_all(actor, mission, data, None)
    case = Case(mission=mission, created_by=actor)
    notes = _write(actor, channel, case, data, meetings, reports)
    audit.record(actor=actor, channel=channel, action="create", obj=case,
                 changes=audit.diff({}, case_snapshot(case)), mission=mission)
    audit.record_many(actor=actor, channel=channel, entries=notes, mission=mission)
    return case


@transaction.atomic
def update_case(*, actor, channel: str, case: Case, data: CaseData) -> Case:
    """Change a case (its decision, appeals, links …). As `create_case`; an audit entry for
    what changed."""
    mission = case.mission
    if not permissions.can_write_cases(actor, mission):
        raise PermissionDenied(_("Only the core team and administrators record complaints."))
    case = Case.objects.select_for_update(of=("self",)).select_related("mission").get(pk=case.pk)
    meetings, reports = _check_all(actor, mission, data, case)
    before = case_snapshot(case)
    notes = _write(actor, channel, case, data, meetings, reports)
    changes = audit.diff(before, case_snapshot(case))
    if changes:
        audit.record(actor=actor, channel=channel, action="update", obj=case, changes=changes,
                     mission=mission)
    audit.record_many(actor=actor, channel=channel, entries=notes, mission=mission)
    return case


def data_of(case: Case) -> CaseData:
    """A case's stored values, to change some of them (the note and links kept)."""
    return CaseData(**{name: getattr(case, name) for name in FIELDS})


def document_name(name: str) -> str:
    """The file's own name, without folders, at most 200 characters, printable."""
    name = PurePath(name.replace("\\", "/")).name
    name = "".join(c for c in name if c.isprintable() and c not in "\x00/")
    return (name or "document")[-200:]


@transaction.atomic
def attach_document(*, actor, channel: str, case: Case, upload) -> Document:
    """Keep an uploaded file (`name`, `size`, `chunks()`) on a case. CaseRejected ("file")
    when larger than EOM_MAX_COMPLAINT_DOCUMENT_BYTES or when the case holds
    EOM_MAX_COMPLAINT_DOCUMENTS already. Side effect: an audit entry."""
    if not permissions.can_write_cases(actor, case.mission):
        raise PermissionDenied(_("Only the core team and administrators record complaints."))
    limit = settings.EOM_MAX_COMPLAINT_DOCUMENT_BYTES
    if upload.size > limit:
        raise CaseRejected({"file": _("is %(size)d bytes; at most %(max)d are allowed")
                            % {"size": upload.size, "max": limit}})
    if case.documents.count() >= settings.EOM_MAX_COMPLAINT_DOCUMENTS:
        raise CaseRejected({"file": _("the case holds %(n)d documents already")
                            % {"n": settings.EOM_MAX_COMPLAINT_DOCUMENTS}})
    name = document_name(upload.name or "")
    document = Document(case=case, name=name, size=upload.size, uploaded_by=actor)
    document.file.save(name, File(upload, name=name), save=False)
    document.save()
    audit.record(actor=actor, channel=channel, action="create", obj=document,
                 changes={"name": [None, name], "size": [None, upload.size],
                          "case": [None, case.pk], "file": [None, document.file.name]},
                 mission=case.mission)
    return document


# --- figures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    """One figure: its label, how many cases, and the list's filter that shows them."""

    label: str
    n: int
    query: str


@dataclass(frozen=True)
class Figures:
    total: int
    complaints: int
    by_body: list[Count]
    by_subject: list[Count]
    by_outcome: list[Count]
    decided_with_deadline: int  # the base of the share
    within_deadline: int
    late: int
    median_days: float | None
    n_decided: int
    appeals: int
    appeals_by_outcome: list[Count]

    @property
    def share_within(self) -> Fraction | None:
        if not self.decided_with_deadline:
            return None
        return Fraction(self.within_deadline, self.decided_with_deadline)

    @property
    def percent_within(self) -> str:
        share = self.share_within
        return "" if share is None else f"{float(share) * 100:.0f}"


def figures(cases: QuerySet[Case]) -> Figures:
    """The register's figures over `cases` (those the reader sees)."""
    rows = list(cases.values_list("body_kind", "body_level", "subject_id", "subject_id",
                                  "decision", "filed", "decided", "deadline", "appeal_of_id"))
    names = {s.pk: localised(s, "name")
             for s in Subject.objects.filter(pk__in={r[2] for r in rows if r[2]})}
    rows = [(*r[:3], names.get(r[2]), *r[4:]) for r in rows]
    bodies = Counter((r[0], r[1]) for r in rows)
    body_order = {(k, lvl): (i, j) for i, k in enumerate(BodyKind.values)
                  for j, lvl in enumerate(BodyLevel.values)}
    by_body = [Count(body_label(k, lvl), n, f"body_kind={k}&body_level={lvl}")
               for (k, lvl), n in sorted(bodies.items(), key=lambda kv: body_order[kv[0]])]
    subjects = Counter((r[2], r[3]) for r in rows)
    by_subject = [Count(name or _("no subject"), n, f"subject={pk}" if pk else "subject=none")
                  for (pk, name), n in sorted(subjects.items(),
                                              key=lambda kv: (kv[0][1] is None, kv[0][1] or ""))]
    outcomes = Counter(r[4] for r in rows)
    by_outcome = [Count(str(label), outcomes[value], f"decision={value}")
                  for value, label in Decision.choices if outcomes[value]]
    decided = [r for r in rows if r[6] is not None]
    timed = [r for r in decided if r[7] is not None]
    within = sum(1 for r in timed if r[6] <= r[7])
    days = [(r[6] - r[5]).days for r in decided]
    appeals = [r for r in rows if r[8] is not None]
    appeal_outcomes = Counter(r[4] for r in appeals)
    return Figures(
        total=len(rows), complaints=len(rows) - len(appeals), by_body=by_body,
        by_subject=by_subject, by_outcome=by_outcome, decided_with_deadline=len(timed),
        within_deadline=within, late=len(timed) - within,
        median_days=statistics.median(days) if days else None, n_decided=len(decided),
        appeals=len(appeals),
        appeals_by_outcome=[Count(str(label), appeal_outcomes[value],
                                  f"appeal=yes&decision={value}")
                            for value, label in Decision.choices if appeal_outcomes[value]],
    )


def filtered(cases: QuerySet[Case], params) -> QuerySet[Case]:
    """The cases a list's filters keep (`params` a dict of cleaned filter values: body_kind,
    body_level, subject (an id or "none"), decision, filer_kind, appeal (yes/no), timing
    (within/late/no_deadline), region (a location: bodies at or below it), q (words))."""
    if params.get("body_kind"):
        cases = cases.filter(body_kind=params["body_kind"])
    if params.get("body_level"):
        cases = cases.filter(body_level=params["body_level"])
    if params.get("subject") == "none":
        cases = cases.filter(subject=None)
    elif params.get("subject"):
        cases = cases.filter(subject_id=params["subject"])
    if params.get("decision"):
        cases = cases.filter(decision=params["decision"])
    if params.get("filer_kind"):
        cases = cases.filter(filer_kind=params["filer_kind"])
    if params.get("appeal") == "yes":
        cases = cases.exclude(appeal_of=None)
    elif params.get("appeal") == "no":
        cases = cases.filter(appeal_of=None)
    timing = params.get("timing")
    if timing in ("within", "late"):
        from django.db.models import F

        cases = cases.exclude(decided=None).exclude(deadline=None)
        cases = cases.filter(decided__lte=F("deadline")) if timing == "within" else \
            cases.filter(decided__gt=F("deadline"))
    if params.get("region") is not None:
        cases = cases.filter(body_location__path__startswith=params["region"].path)
    for word in (params.get("q") or "").split():
        from django.db.models import Q

        cases = cases.filter(Q(filer_name__icontains=word) | Q(against__icontains=word)
                             | Q(reference__icontains=word) | Q(summary__icontains=word))
    return cases
