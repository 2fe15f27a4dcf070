"""What changes LTO reports. Every function takes the actor and the channel, runs in one
transaction and writes the audit trail (`eom.missions.audit`).

A report's audit entries hold its fields, answers and open sections; each confidential
passage has entries of its own, sealed and for the core team only (`ConfidentialPassage`),
so that no entry about the report carries a confidential word.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from eom.missions import audit
from eom.missions.models import Location, Mission, Team, TeamKind
from eom.observation.models import FormVersion

from . import permissions, validators
from . import questions as structured
from .models import (
    ConfidentialPassage,
    Heading,
    Period,
    Report,
    ReportKind,
    ReportStatus,
    ReportTemplate,
    ReviewNote,
    Section,
)


class ReportRejected(Exception):
    """The input does not fit: `errors` is {field: reason}, fields named as the API names them
    (`sections.1.heading`, `answers.n_meetings`, `period`)."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


@dataclass(frozen=True)
class SectionData:
    heading: str
    text: str = ""
    tags: str = ""


@dataclass
class ReportData:
    """A report's contents. `passages` maps a heading to a confidential passage: a text
    replaces the stored one, "" removes it, a heading left out keeps what is stored."""

    answers: dict = field(default_factory=dict)
    sections: list[SectionData] = field(default_factory=list)
    passages: dict[str, str] = field(default_factory=dict)
    title: str = ""
    synthetic: bool | None = None  # None keeps what is stored


# --- periods and templates ------------------------------------------------------------------


@transaction.atomic
def create_period(*, actor, channel: str, mission: Mission, number: int, starts: dt.date,
                  ends: dt.date, deadline: dt.datetime,
                  template: ReportTemplate | None = None) -> Period:
    """A reporting period (the admin does the same for administrators). Side effect: an audit
    entry."""
    if actor is not None and not permissions.can_manage_periods(actor, mission):
        raise PermissionDenied(_("Only an administrator manages reporting periods."))
    period = Period(mission=mission, number=number, starts=starts, ends=ends,
                             deadline=deadline, template=template)
    period.full_clean()
    period.save()
    audit.record(actor=actor, channel=channel, action="create", obj=period,
                 changes=audit.diff({}, audit.snapshot(period)), mission=mission)
    return period


@transaction.atomic
def create_template(*, actor, channel: str, mission: Mission, name: str,
                    questions: list[dict] | None = None, form=None) -> ReportTemplate:
    """A report template: its own `questions`, or a general `form` of the mission (see
    `ReportTemplate`). PermissionDenied unless an administrator (`actor` None: the system);
    ValidationError naming the field. Side effect: an audit entry."""
    if actor is not None and not permissions.can_manage_periods(actor, mission):
        raise PermissionDenied(_("Only an administrator manages report templates."))
    template = ReportTemplate(mission=mission, name=name, questions=questions or [], form=form)
    template.full_clean()
    template.save()
    audit.record(actor=actor, channel=channel, action="create", obj=template,
                 changes=audit.diff({}, audit.snapshot(template)), mission=mission)
    return template


# --- reports --------------------------------------------------------------------------------


def report_snapshot(report: Report) -> dict:
    """What the audit trail keeps of a report: its fields and open sections (never the
    confidential passages, which have entries of their own)."""
    values = audit.snapshot(report)
    for section in report.sections.all():
        values[f"section:{section.heading}"] = section.text
        if section.tags:
            values[f"tags:{section.heading}"] = section.tags
    return values


def _tags_column(tags: list[str]) -> str:
    return "," + ",".join(tags) + "," if tags else ""


def _checked(report: Report, data: ReportData) -> tuple[dict, FormVersion | None]:
    """Every problem of `data` for this report, at once (ReportRejected); else the answers to
    store and the form version they answer (`lto.questions.check`)."""
    answers, version, problems = structured.check(report, data.answers)
    errors: dict[str, str] = dict(problems)
    seen: set[str] = set()
    for number, section in enumerate(data.sections):
        if section.heading not in Heading.values:
            errors[f"sections.{number}.heading"] = _("is no heading of a report")
        elif section.heading in seen:
            errors[f"sections.{number}.heading"] = _("is given twice")
        seen.add(section.heading)
        problem = validators.section_text_problem(section.text)
        if problem:
            errors[f"sections.{number}.text"] = problem
        problem = validators.tags_problem(validators.parse_tags(section.tags))
        if problem:
            errors[f"sections.{number}.tags"] = problem
    for heading, text in data.passages.items():
        if heading not in Heading.values:
            errors[f"passages.{heading}"] = _("is no heading of a report")
            continue
        problem = validators.section_text_problem(text)
        if problem:
            errors[f"passages.{heading}"] = problem
    problem = validators.text_problem(data.title, max_chars=200)
    if problem:
        errors["title"] = problem
    if report.kind == ReportKind.FLASH and not data.title.strip():
        errors["title"] = _("a flash report needs a title")
    if errors:
        raise ReportRejected(errors)
    return answers, version


def _write(report: Report, data: ReportData, answered: tuple[dict, FormVersion | None]) -> list:
    """Store `data` (its answers as checked: `answered`) in the saved `report`; returns the
    audit entries of its passages."""
    report.answers, report.form_version = answered
    report.title = data.title.strip()
    if data.synthetic is not None:
        report.synthetic = data.synthetic
    report.save()
    report.sections.all().delete()
    sections = []
    for item in data.sections:
        tags = validators.parse_tags(item.tags)
        text = item.text.strip()
        if text or tags:
            sections.append(Section(report=report, heading=item.heading, text=text,
                                    tags=_tags_column(tags),
                                    search_text="\n".join([text, *tags]).lower()))
    Section.objects.bulk_create(sections)
    entries = []
    stored = {p.heading: p for p in report.passages.all()}
    for heading, text in data.passages.items():
        text, passage = text.strip(), stored.get(heading)
        if passage is None and text:
            passage = ConfidentialPassage.objects.create(report=report, heading=heading,
                                                         text=text)
            entries.append(("create", passage, {"heading": [None, heading], "text": [None, text],
                                                "report": [None, str(report.pk)]}))
        elif passage is not None and not text:
            entries.append(("delete", passage, {"heading": [heading, None],
                                                "text": [passage.text, None]}))
            passage.delete()
        elif passage is not None and passage.text != text:
            entries.append(("update", passage, {"text": [passage.text, text]}))
            passage.text = text
            passage.save(update_fields=["text"])
    return entries


def _region_for(team: Team, region: Location | None) -> Location:
    regions = list(permissions.regions_of(team))
    if region is None:
        region = team.area if team.area_id else (regions[0] if regions else None)
    if region is None or (region.pk != team.area_id and region not in regions):
        raise ReportRejected({"region": _("the team is not deployed there")})
    return region


@transaction.atomic
def create_report(*, actor, channel: str, team: Team, period: Period,
                  kind: str = ReportKind.WEEKLY, region: Location | None = None,
                  data: ReportData | None = None) -> Report:
    """A team's new report (a draft) for a period: weekly (one per team and period) or flash.

    Raises PermissionDenied unless the actor is a member of the LTO team; ReportRejected
    naming the fields that do not fit. Side effects: an audit entry for the report, one per
    confidential passage (sealed)."""
    if not permissions.can_write_for(actor, team):
        raise PermissionDenied(_("Only the team's members write its reports."))
    if period.mission_id != team.mission_id:
        raise ReportRejected({"period": _("is no period of this mission")})
    if kind not in ReportKind.values:
        raise ReportRejected({"kind": _("must be weekly or flash")})
    data = data or ReportData()
    report = Report(mission=team.mission, kind=kind, period=period, team=team,
                    region=_region_for(team, region), created_by=actor)
    answered = _checked(report, data)
    if kind == ReportKind.WEEKLY and Report.objects.filter(
            period=period, team=team, kind=ReportKind.WEEKLY).exists():
        raise ReportRejected({"period": _("the team has a weekly report for this period "
                                          "already")})
    try:
        with transaction.atomic():
            passages = _write(report, data, answered)
    except IntegrityError:  # a second writer created the same weekly report meanwhile
        raise ReportRejected({"period": _("the team has a weekly report for this period "
                                          "already")}) from None
    audit.record(actor=actor, channel=channel, action="create", obj=report,
                 changes=audit.diff({}, report_snapshot(report)), mission=report.mission)
    audit.record_many(actor=actor, channel=channel, entries=passages, mission=report.mission)
    return report


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update(of=("self",)).select_related(
        "period__template", "team").get(pk=report.pk)


@transaction.atomic
def update_report(*, actor, channel: str, report: Report, data: ReportData) -> Report:
    """Replace a draft's (or a report sent back for follow-up) answers, sections and passages.
    PermissionDenied once submitted, accepted, or for anyone outside the team. Side effects:
    audit entries for what changed."""
    report = _locked(report)
    if not permissions.can_edit_report(actor, report):
        raise PermissionDenied(_("This report is not open for you to change."))
    answered = _checked(report, data)
    before = report_snapshot(report)
    passages = _write(report, data, answered)
    changes = audit.diff(before, report_snapshot(report))
    changes.pop("updated_at", None)
    if changes:
        audit.record(actor=actor, channel=channel, action="update", obj=report, changes=changes,
                     mission=report.mission)
    audit.record_many(actor=actor, channel=channel, entries=passages, mission=report.mission)
    return report


@transaction.atomic
def submit_report(*, actor, channel: str, report: Report, now: dt.datetime | None = None
                  ) -> Report:
    """Send the report to the core team: it becomes read-only for the team. The first
    submission's moment is kept (`first_submitted_at`): lateness is measured from it, not from
    a resubmission after follow-up. Side effect: an audit entry."""
    report = _locked(report)
    if not permissions.can_edit_report(actor, report):
        raise PermissionDenied(_("This report is not open for you to submit."))
    now = now or timezone.now()
    before = audit.snapshot(report)
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = now
    report.first_submitted_at = report.first_submitted_at or now
    report.save(update_fields=["status", "submitted_at", "first_submitted_at", "updated_at"])
    audit.record(actor=actor, channel=channel, action="update", obj=report,
                 changes=audit.diff(before, audit.snapshot(report)), mission=report.mission)
    return report


# What each review note does to a report's status, and from which statuses.
REVIEW_MOVES = {
    ReviewNote.Kind.COMMENT: None,
    ReviewNote.Kind.FOLLOW_UP: ReportStatus.FOLLOW_UP,
    ReviewNote.Kind.ACCEPTED: ReportStatus.ACCEPTED,
}


@transaction.atomic
def review_report(*, actor, channel: str, report: Report, kind: str, text: str = ""
                  ) -> ReviewNote:
    """The core team's word on a submitted report: a comment (status unchanged), a request for
    follow-up (the report goes back to the team, with the note saying what to add) or an
    acceptance. A draft cannot be reviewed; an accepted report takes comments only. Side
    effects: the note, the status, an audit entry for each."""
    report = _locked(report)
    if not permissions.can_review(actor, report.mission):
        raise PermissionDenied(_("Only the core team reviews LTO reports."))
    if kind not in REVIEW_MOVES:
        raise ReportRejected({"kind": _("must be comment, follow_up or accepted")})
    problem = validators.section_text_problem(text)
    if problem:
        raise ReportRejected({"text": problem})
    if kind == ReviewNote.Kind.FOLLOW_UP and not text.strip():
        raise ReportRejected({"text": _("say what the team should follow up")})
    if report.status == ReportStatus.DRAFT:
        raise ReportRejected({"kind": _("the report has not been submitted")})
    if report.status == ReportStatus.ACCEPTED and kind != ReviewNote.Kind.COMMENT:
        raise ReportRejected({"kind": _("the report was accepted already")})
    note = ReviewNote.objects.create(report=report, kind=kind, text=text.strip(), author=actor)
    entries = [("create", note, audit.diff({}, audit.snapshot(note)))]
    status = REVIEW_MOVES[kind]
    if status is not None:
        before = audit.snapshot(report)
        report.status, report.reviewed_at = status, note.at
        report.save(update_fields=["status", "reviewed_at", "updated_at"])
        entries.append(("update", report, audit.diff(before, audit.snapshot(report))))
    audit.record_many(actor=actor, channel=channel, entries=entries, mission=report.mission)
    return note


# --- reading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardRow:
    """One team's weekly report for a period, as the core team's board shows it. `state` is
    one of: on_time, late, missing (deadline passed, nothing submitted), due (not yet)."""

    team: Team
    report: Report | None
    state: str
    late_by: dt.timedelta | None = None


def expected_teams(period: Period) -> QuerySet[Team]:
    """The LTO teams deployed at some time during the period: they owe a weekly report."""
    return Team.objects.filter(
        mission=period.mission_id, kind=TeamKind.LTO, deployments__starts__lte=period.ends,
        deployments__ends__gte=period.starts,
    ).distinct().select_related("area").order_by("code")


def board(period: Period, now: dt.datetime | None = None) -> list[BoardRow]:
    """Each expected team's weekly report: on time, late (by how long), missing or not yet due.
    A draft counts as not submitted."""
    now = now or timezone.now()
    reports = {r.team_id: r for r in Report.objects.filter(period=period,
                                                           kind=ReportKind.WEEKLY)}
    rows = []
    for team in expected_teams(period):
        report = reports.get(team.pk)
        if report is not None and report.first_submitted_at is not None:
            report.period = period
            late = report.lateness
            rows.append(BoardRow(team, report, "late" if late else "on_time", late))
        elif now > period.deadline:
            rows.append(BoardRow(team, report, "missing", now - period.deadline))
        else:
            rows.append(BoardRow(team, report, "due"))
    return rows


@dataclass(frozen=True)
class Passage:
    """One region's words under a heading for the roll-up: an open section or (for the core
    team, and for the team that wrote it) a confidential passage."""

    report: Report
    heading: str
    text: str
    tags: list[str]
    confidential: bool
    answers: list[tuple[str, str]] = field(default_factory=list)  # the report's, in words


def rollup(reports: QuerySet[Report], *, heading: str, reader, mission: Mission,
           period: Period | None = None, region: Location | None = None,
           tag: str = "", text: str = "") -> list[Passage]:
    """Every submitted report's words under one heading, by period then team: open sections,
    and the confidential passages the reader reads (`permissions.passages_visible_to`: every one
    for the core team, its own team's for an LTO). Filters: a period, a region
    (its subtree), a tag, words (each must appear, any case: the text is lower-cased in Python,
    so Cyrillic folds as Latin does). Each passage carries its report's answers to the structured
    questions, in words (`lto.questions.rows`)."""
    reports = reports.exclude(status=ReportStatus.DRAFT)
    if period is not None:
        reports = reports.filter(period=period)
    if region is not None:
        reports = reports.filter(region__path__startswith=region.path)
    words = text.lower().split()
    tag = " ".join(tag.split()).lower()
    sections = Section.objects.filter(report__in=reports, heading=heading)
    if tag:
        sections = sections.filter(tags__contains=f",{tag},")
    for word in words:
        sections = sections.filter(search_text__contains=word)
    related = ("report__period__template__form__current_version", "report__team",
               "report__region", "report__form_version")
    answers: dict[int, list[tuple[str, str]]] = {}

    def answered(report: Report) -> list[tuple[str, str]]:
        if report.pk not in answers:
            answers[report.pk] = structured.rows(report)
        return answers[report.pk]

    found = [Passage(s.report, s.heading, s.text, s.tag_list, False, answered(s.report))
             for s in sections.select_related(*related)]
    if not tag:
        passages = permissions.passages_visible_to(reader, mission, reports).filter(
            heading=heading)
        found += [Passage(p.report, p.heading, p.text, [], True, answered(p.report))
                  for p in passages.select_related(*related)
                  if all(word in p.text.lower() for word in words)]
    found.sort(key=lambda p: (p.report.period.starts, p.report.team.code, p.report.kind,
                              p.report.pk, p.confidential))
    return found


def flash_reports(reports: QuerySet[Report]) -> QuerySet[Report]:
    """Submitted flash reports, latest first (the core team reads them at the top)."""
    return reports.filter(kind=ReportKind.FLASH).exclude(status=ReportStatus.DRAFT).filter(
        ~Q(submitted_at=None)).select_related("team", "region", "period").order_by(
        "-submitted_at")
