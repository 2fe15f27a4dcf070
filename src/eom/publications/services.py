"""Writing, publishing and verifying the mission's reports. Every write takes the actor and the
channel, runs in one transaction and leaves audit entries.

- `create_report`: a draft with one empty section per heading its kind uses.
- `save_section`: a section's texts, translation states and review state, checked whole
  (`ReportRejected` names each field that does not fit, an unknown figure key included); each
  save keeps a version. Changing the English text marks a finished translation outdated.
- `add_comment`: a comment on a section.
- `publish`: computes every figure the sections name and freezes it (`FrozenFigure`); the report
  is then read-only.
- `figure_values`: the values a report shows — frozen when published, live while a draft.
- `verify`: recomputes every frozen figure; for each one that changed, by how much and the audit
  entries of its input records written since publication.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from eom.missions import audit
from eom.missions.models import AuditEntry, Mission
from eom.missions.validators import text_problem

from . import figures
from .models import (
    Comment,
    FrozenFigure,
    Heading,
    Kind,
    Report,
    Review,
    Section,
    SectionVersion,
    State,
    Translation,
)

MAX_COMMENT_CHARS = 5_000
MAX_FIGURES = 200

# The headings each kind of report uses, in order.
INTERIM_HEADINGS = [Heading.EXECUTIVE_SUMMARY, Heading.BACKGROUND, Heading.LEGAL_FRAMEWORK,
                    Heading.ELECTION_ADMINISTRATION, Heading.REGISTRATION, Heading.CAMPAIGN,
                    Heading.CAMPAIGN_FINANCE, Heading.MEDIA, Heading.COMPLAINTS,
                    Heading.OBSERVERS]
HEADINGS = {
    Kind.INTERIM: INTERIM_HEADINGS,
    Kind.PRELIMINARY: [h for h in Heading if h is not Heading.RECOMMENDATIONS],
    Kind.FINAL: list(Heading),
}


class ReportRejected(Exception):
    """The data do not fit: `errors` is {field: reason}."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@transaction.atomic
def create_report(*, actor, channel: str, mission: Mission, name: str, kind: str, title: str,
                  title_ru: str = "", title_kk: str = "", synthetic: bool = False) -> Report:
    """A draft report with an empty section under each heading of its kind."""
    errors = {}
    if kind not in Kind.values:
        errors["kind"] = _("is not a kind of report")
    if Report.objects.filter(mission=mission, name=name).exists():
        errors["name"] = _("is taken by another report")
    if errors:
        raise ReportRejected(errors)
    report = Report.objects.create(mission=mission, name=name, kind=kind, title=title,
                                   title_ru=title_ru, title_kk=title_kk, synthetic=synthetic)
    sections = Section.objects.bulk_create(
        Section(report=report, heading=heading, order=k, author=actor)
        for k, heading in enumerate(HEADINGS[Kind(kind)]))
    audit.record_many(actor=actor, channel=channel, mission=mission, entries=[
        ("create", report, audit.snapshot(report)),
        *(("create", section, audit.snapshot(section)) for section in sections)])
    return report


def _check_texts(mission: Mission, texts: dict[str, str]) -> dict[str, str]:
    errors = {}
    for name, body in texts.items():
        problem = text_problem(body, max_chars=settings.EOM_MAX_REPORT_SECTION_CHARS)
        if problem:
            errors[name] = problem
            continue
        keys = figures.keys_in([body])
        if len(keys) > MAX_FIGURES:
            errors[name] = _("names %(n)d figures; at most %(max)d are allowed") % {
                "n": len(keys), "max": MAX_FIGURES}
            continue
        known = {choice.key for choice in figures.choices(mission)}
        unknown = [key for key in keys if key not in known]
        if unknown:
            errors[name] = _("names a figure eom does not know: %(key)s") % {"key": unknown[0]}
    return errors


@transaction.atomic
def save_section(*, actor, channel: str, section: Section, text: str, text_ru: str,
                 text_kk: str, translation_ru: str | None = None,
                 translation_kk: str | None = None, review: str | None = None) -> Section:
    """Store the section's texts (and states, when given) and keep the save as a version.
    Refused when the report is published or a field does not fit."""
    section = Section.objects.select_for_update().select_related("report").get(pk=section.pk)
    report = section.report
    if report.published:
        raise ReportRejected({"report": _("is published; its text no longer changes")})
    errors = _check_texts(report.mission, {"text": text, "text_ru": text_ru,
                                           "text_kk": text_kk})
    for name, given in (("translation_ru", translation_ru), ("translation_kk", translation_kk)):
        if given is not None and given not in Translation.values:
            errors[name] = _("is not a translation state")
    if review is not None and review not in Review.values:
        errors["review"] = _("is not a review state")
    if errors:
        raise ReportRejected(errors)
    before = audit.snapshot(section)
    english_changed = text != section.text
    section.text, section.text_ru, section.text_kk = text, text_ru, text_kk
    for language, given in (("ru", translation_ru), ("kk", translation_kk)):
        state = given or getattr(section, f"translation_{language}")
        if english_changed and given is None and state == Translation.DONE:
            state = Translation.OUTDATED
        if not getattr(section, f"text_{language}").strip():
            state = Translation.MISSING
        setattr(section, f"translation_{language}", state)
    if review is not None:
        section.review = review
    if section.author_id is None:
        section.author = actor
    section.save()
    number = (section.versions.order_by("-number").values_list("number", flat=True).first()
              or 0) + 1
    SectionVersion.objects.create(section=section, number=number, text=text, text_ru=text_ru,
                                  text_kk=text_kk, author=actor)
    changes = audit.diff(before, audit.snapshot(section))
    if changes:
        audit.record(actor=actor, channel=channel, action="update", obj=section,
                     changes=changes, mission=report.mission)
    return section


@transaction.atomic
def add_comment(*, actor, channel: str, section: Section, text: str) -> Comment:
    problem = text_problem(text, max_chars=MAX_COMMENT_CHARS)
    if problem or not text.strip():
        raise ReportRejected({"text": problem or _("is empty")})
    comment = Comment.objects.create(section=section, author=actor, text=text)
    audit.record(actor=actor, channel=channel, action="create", obj=comment,
                 changes=audit.snapshot(comment), mission=section.report.mission)
    return comment


def figure_keys(report: Report) -> list[str]:
    """The figures the report's sections name, in the order they first appear."""
    texts = []
    for section in report.sections.all():
        texts += [section.text, section.text_ru, section.text_kk]
    return figures.keys_in(texts)


@dataclass
class FigureValue:
    """A figure as a report shows it: the value and where it came from; `error` when it
    cannot be computed now (a draft naming a figure whose data are not there yet)."""

    key: str
    value: dict | None
    frozen: bool
    computed_at: object = None
    fingerprint: str = ""
    n_inputs: int = 0
    query: str = ""
    code_version: str = ""
    seed: int | None = None
    error: str = ""

    def text(self, language: str) -> str:
        if self.value is None:
            return f"[{self.key}: {self.error}]"
        return figures.text(self.key, self.value, language)

    def table(self, language: str) -> tuple[list[str], list[list[str]]]:
        return figures.table(self.key, self.value or {}, language)


def _live(mission: Mission, key: str) -> FigureValue:
    try:
        found = figures.compute(mission, key)
    except figures.UnknownFigure as exc:
        return FigureValue(key, None, False, error=_("not available: %(why)s") % {"why": exc})
    return FigureValue(key, found.value, False, found.computed_at, found.fingerprint,
                       found.n_inputs, found.query, figures.code_version(), found.seed)


def figure_values(report: Report, keys: list[str] | None = None) -> dict[str, FigureValue]:
    """{key: FigureValue} for the figures the report names (or `keys`): frozen ones when it is
    published, computed now when it is a draft."""
    keys = figure_keys(report) if keys is None else keys
    if report.published:
        return {f.key: FigureValue(f.key, f.value, True, f.computed_at, f.fingerprint,
                                   f.n_inputs, f.query, f.code_version, f.seed)
                for f in report.figures.filter(key__in=keys)}
    return {key: _live(report.mission, key) for key in keys}


@transaction.atomic
def publish(*, actor, channel: str, report: Report) -> Report:
    """Freeze every figure the report names and mark it published. Refused when it is
    published already or a figure cannot be computed."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.published:
        raise ReportRejected({"report": _("is published already")})
    version = figures.code_version()
    frozen, errors = [], {}
    for key in figure_keys(report):
        try:
            found = figures.compute(report.mission, key)
        except figures.UnknownFigure as exc:
            errors[key] = _("cannot be computed: %(why)s") % {"why": exc}
            continue
        frozen.append(FrozenFigure(
            report=report, key=key, value=found.value, fingerprint=found.fingerprint,
            n_inputs=found.n_inputs, input_models=found.input_models, query=found.query,
            code_version=version, seed=found.seed, computed_at=found.computed_at))
    if errors:
        raise ReportRejected(errors)
    FrozenFigure.objects.bulk_create(frozen)
    before = audit.snapshot(report)
    report.state, report.published_at, report.published_by = (
        State.PUBLISHED, timezone.now(), actor)
    report.code_version = version
    report.save()
    audit.record(actor=actor, channel=channel, action="update", obj=report,
                 changes={**audit.diff(before, audit.snapshot(report)),
                          "figures": [None, {f.key: f.fingerprint for f in frozen}]},
                 mission=report.mission)
    return report


@dataclass
class ChangedRecord:
    model: str
    object_id: str
    name: str
    action: str
    at: object
    who: str


@dataclass
class FigureCheck:
    key: str
    same: bool
    inputs_same: bool
    differences: list[str] = field(default_factory=list)
    records: list[ChangedRecord] = field(default_factory=list)
    error: str = ""


MAX_RECORDS_LISTED = 50


def _changed_records(report: Report, frozen: FrozenFigure) -> list[ChangedRecord]:
    entries = (AuditEntry.objects.filter(model__in=frozen.input_models,
                                         at__gt=report.published_at)
               .filter(Q(mission=report.mission) | Q(mission__isnull=True))
               .order_by("at", "pk")
               [:MAX_RECORDS_LISTED])
    return [ChangedRecord(e.model, e.object_id, e.object_repr, e.action, e.at,
                          e.actor_username or _("the system")) for e in entries]


def verify(report: Report) -> list[FigureCheck]:
    """Recompute each frozen figure of a published report; say which changed and why."""
    checks = []
    for frozen in report.figures.order_by("key"):
        try:
            now = figures.compute(report.mission, frozen.key)
        except figures.UnknownFigure as exc:
            checks.append(FigureCheck(frozen.key, False, False, error=str(exc),
                                      records=_changed_records(report, frozen)))
            continue
        same = figures.same(frozen.value, now.value)
        inputs_same = now.fingerprint == frozen.fingerprint
        check = FigureCheck(frozen.key, same, inputs_same)
        if not same:
            check.differences = figures.differences(frozen.value, now.value)
        if not same or not inputs_same:
            check.records = _changed_records(report, frozen)
        checks.append(check)
    return checks
