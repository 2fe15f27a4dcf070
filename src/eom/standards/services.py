"""Writing and reading the commitments, their evidence and the recommendations' assessments.
Every write takes the actor and the channel, runs in one transaction and leaves an audit
entry (a tag on a confidential meeting leaves a sealed one, `Tag.audit_confidential`).

- `create_commitment`, `create_recommendation`: the mission's lists (the core team);
  `update_commitment`, `update_recommendation` change an entry.
- `tag`, `untag`: a record given as evidence for a commitment or a recommendation; the record
  is named by its kind and a reference (`parse_reference`) and must be one the actor sees.
- `assess`: a recommendation's status and the evidence for it (one assessment, changed in
  place; its history is the audit trail).
- `rollup`: the commitments, each with its evidence grouped by kind, as the reader may see it.
- `status_counts`: the recommendations by status.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from eom.complaints.permissions import cases_visible_to
from eom.lto.models import Heading, Section
from eom.lto.permissions import reports_visible_to
from eom.missions import audit
from eom.missions.models import Mission
from eom.missions.permissions import meetings_visible_to
from eom.missions.validators import text_problem
from eom.observation.models import Form, localised

from . import permissions
from .models import (
    Assessment,
    AssessmentStatus,
    Commitment,
    EvidenceKind,
    Priority,
    Recommendation,
    Tag,
)

MAX_NOTE = 1000
EXCERPT = 240


class Rejected(Exception):
    """The data do not fit: `errors` is {field: reason}."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def _refuse_unless_writer(actor, mission: Mission) -> None:
    if not permissions.can_write_standards(actor, mission):
        raise PermissionDenied(_("Only the core team writes commitments, evidence and "
                                 "assessments."))


def _text_errors(values: dict[str, str], limits: dict[str, int]) -> dict[str, str]:
    errors = {}
    for name, limit in limits.items():
        problem = text_problem(values.get(name) or "", max_chars=limit)
        if problem:
            errors[name] = problem
    return errors


def max_text_chars() -> int:
    return settings.EOM_MAX_COMPLAINT_TEXT_CHARS


# --- commitments and recommendations --------------------------------------------------------


@dataclass
class CommitmentData:
    source: str
    reference: str
    title: str
    text: str = ""
    title_ru: str = ""
    title_kk: str = ""
    text_ru: str = ""
    text_kk: str = ""
    quoted: bool = False
    source_url: str = ""


def _commitment_values(mission: Mission, data: CommitmentData,
                       commitment: Commitment | None = None) -> dict:
    """`data` stripped and checked; Rejected naming the fields that do not fit (a paragraph of a
    source listed twice in the mission among them, `commitment` itself left out)."""
    values, errors = _entry_checked(data, {
        "source": 200, "reference": 60, "title": 200, "title_ru": 200, "title_kk": 200,
        "source_url": 500, "text": max_text_chars(), "text_ru": max_text_chars(),
        "text_kk": max_text_chars()}, required=("source", "reference", "title"))
    others = Commitment.objects.filter(mission=mission, source=values["source"],
                                       reference=values["reference"])
    return _unless_listed(values, errors, others, commitment, "reference",
                          _("the mission lists this paragraph of this source already"))


def _entry_checked(data, limits: dict[str, int], required: tuple[str, ...]
                   ) -> tuple[dict, dict[str, str]]:
    """A commitment's or recommendation's `data` stripped, and what does not fit of what they
    share: texts over their `limits`, an empty `required` field, a quoted text without its
    address."""
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in vars(data).items()}
    errors = _text_errors(values, limits)
    for name in required:
        if not values[name] and name not in errors:
            errors[name] = _("may not be empty")
    if values["quoted"] and not values["source_url"] and "source_url" not in errors:
        errors["source_url"] = _("a quoted text needs the address it was quoted from")
    return values, errors


def _unless_listed(values: dict, errors: dict[str, str], others: QuerySet, entry,
                   name: str, reason: str) -> dict:
    """`values`, unless there are `errors` or `others` (the entries with the same key, `entry`
    itself left out) exist: then Rejected, the latter naming `name` with `reason`."""
    if entry is not None:
        others = others.exclude(pk=entry.pk)
    if not errors and others.exists():
        errors[name] = reason
    if errors:
        raise Rejected(errors)
    return values


@transaction.atomic
def create_commitment(*, actor, channel: str, mission: Mission, data: CommitmentData
                      ) -> Commitment:
    """A commitment of the mission's list. PermissionDenied unless the core team (`actor` None:
    the system, as the demo); Rejected naming the fields that do not fit. Side effects: the
    commitment and an audit entry."""
    if actor is not None:
        _refuse_unless_writer(actor, mission)
    return _created(actor, channel, Commitment(mission=mission,
                                               **_commitment_values(mission, data)))


@transaction.atomic
def update_commitment(*, actor, channel: str, commitment: Commitment, data: CommitmentData
                      ) -> Commitment:
    """Change a commitment. As `create_commitment`; an audit entry for what changed (none when
    nothing did)."""
    mission = commitment.mission
    _refuse_unless_writer(actor, mission)
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    return _changed(actor, channel, commitment, _commitment_values(mission, data, commitment))


def _created(actor, channel: str, record):
    """`record` saved, with its audit entry."""
    record.save()
    audit.record(actor=actor, channel=channel, action="create", obj=record,
                 changes=audit.diff({}, audit.snapshot(record)), mission=record.mission)
    return record


def _changed(actor, channel: str, record, values: dict):
    """`record` (locked) given `values` and saved, with an audit entry of what changed (none
    when nothing did)."""
    before = audit.snapshot(record)
    for name, value in values.items():
        setattr(record, name, value)
    record.save()
    changes = audit.diff(before, audit.snapshot(record))
    if changes:
        audit.record(actor=actor, channel=channel, action="update", obj=record,
                     changes=changes, mission=record.mission)
    return record


def commitment_data(commitment: Commitment) -> CommitmentData:
    """A commitment's stored values, to change some of them."""
    return CommitmentData(**{name: getattr(commitment, name)
                             for name in CommitmentData.__dataclass_fields__})


@dataclass
class RecommendationData:
    report_name: str
    report_year: int
    number: int
    text: str
    text_ru: str = ""
    text_kk: str = ""
    priority: str = ""
    quoted: bool = False
    source_url: str = ""
    synthetic: bool = False


def _recommendation_values(mission: Mission, data: RecommendationData,
                           recommendation: Recommendation | None = None) -> dict:
    """`data` stripped and checked, as `_commitment_values`."""
    values, errors = _entry_checked(data, {
        "report_name": 300, "source_url": 500, "text": max_text_chars(),
        "text_ru": max_text_chars(), "text_kk": max_text_chars()},
        required=("report_name", "text"))
    if not 1900 <= values["report_year"] <= 2100:
        errors["report_year"] = _("must be a year between 1900 and 2100")
    if not 1 <= values["number"] <= 1000:
        errors["number"] = _("must be between 1 and 1000")
    if values["priority"] not in ("", *Priority.values):
        errors["priority"] = _("must be one of %(values)s") % {
            "values": ", ".join(Priority.values)}
    if values["quoted"] and values["synthetic"]:
        errors["quoted"] = _("a synthetic text is never quoted")
    others = Recommendation.objects.filter(mission=mission, report_name=values["report_name"],
                                           number=values["number"])
    return _unless_listed(values, errors, others, recommendation, "number",
                          _("the report's recommendation of this number is listed already"))


@transaction.atomic
def create_recommendation(*, actor, channel: str, mission: Mission, data: RecommendationData
                          ) -> Recommendation:
    """A recommendation of a previous final report. As `create_commitment`."""
    if actor is not None:
        _refuse_unless_writer(actor, mission)
    return _created(actor, channel, Recommendation(mission=mission,
                                                   **_recommendation_values(mission, data)))


@transaction.atomic
def update_recommendation(*, actor, channel: str, recommendation: Recommendation,
                          data: RecommendationData) -> Recommendation:
    """Change a recommendation (its assessment is `assess`'s). As `update_commitment`."""
    mission = recommendation.mission
    _refuse_unless_writer(actor, mission)
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    return _changed(actor, channel, recommendation,
                    _recommendation_values(mission, data, recommendation))


def recommendation_data(recommendation: Recommendation) -> RecommendationData:
    """A recommendation's stored values, to change some of them."""
    return RecommendationData(**{name: getattr(recommendation, name)
                                 for name in RecommendationData.__dataclass_fields__})


# --- evidence -------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorChoice:
    form_id: str
    name: str
    label: str

    @property
    def reference(self) -> str:
        return f"{self.form_id}:{self.name}"


def indicators_of(mission: Mission) -> list[IndicatorChoice]:
    """The named indicators of the mission's checklists (their current versions), in the
    forms' order, labels in the reader's language."""
    found = []
    for form in Form.objects.filter(mission=mission, current_version__isnull=False
                                    ).select_related("current_version").order_by("form_id"):
        for indicator in form.current_version.definition.get("indicators") or []:
            found.append(IndicatorChoice(form.form_id, indicator["name"],
                                         localised(indicator.get("label"), indicator["name"])))
    return found


def parse_reference(actor, mission: Mission, kind: str, reference: str) -> dict:
    """The fields of a tag that name the record `reference` points at, for `kind`:
    - lto_section: `REPORT_ID:heading` (`12:campaign_environment`);
    - complaint, meeting: the record's id;
    - indicator: `form_id:name` (`voting:negative`).
    The record must exist in the mission and be one `actor` sees (through the kind's own access
    helper); else Rejected naming `reference` (and the kind, when unknown), the same answer for
    a record that does not exist and one the actor may not see."""
    reference = (reference or "").strip()
    if kind not in EvidenceKind.values:
        raise Rejected({"kind": _("must be one of %(values)s") % {
            "values": ", ".join(EvidenceKind.values)}})
    missing = Rejected({"reference": _("names no record you can see")})
    if len(reference) > 200:
        raise missing
    if kind == EvidenceKind.INDICATOR:
        form_id, _sep, name = reference.partition(":")
        if not any(c.form_id == form_id and c.name == name for c in indicators_of(mission)):
            raise missing
        return {"form_id": form_id, "indicator": name}
    head, _sep, heading = reference.partition(":")
    if not head.isdigit() or len(head) > 12:
        raise missing
    pk = int(head)
    if kind == EvidenceKind.LTO_SECTION:
        report = reports_visible_to(actor, mission).filter(pk=pk).first()
        if report is None or heading not in Heading.values or not Section.objects.filter(
                report=report, heading=heading).exists():
            raise missing
        return {"report": report, "heading": heading}
    if heading:
        raise missing
    if kind == EvidenceKind.COMPLAINT:
        case = cases_visible_to(actor, mission).filter(pk=pk).first()
        if case is None:
            raise missing
        return {"case": case}
    meeting = meetings_visible_to(actor, mission).filter(pk=pk).first()
    if meeting is None:
        raise missing
    return {"meeting": meeting}


def _target_of(mission: Mission, commitment: Commitment | None,
               recommendation: Recommendation | None) -> None:
    if (commitment is None) == (recommendation is None):
        raise Rejected({"commitment": _("name a commitment or a recommendation, not both")})
    target = commitment or recommendation
    if target.mission_id != mission.pk:
        raise Rejected({"commitment" if commitment else "recommendation":
                        _("is not of this mission")})


def tag_snapshot(tag: Tag) -> dict:
    return audit.snapshot(tag)


@transaction.atomic
def tag(*, actor, channel: str, mission: Mission, kind: str, reference: str, note: str = "",
        commitment: Commitment | None = None,
        recommendation: Recommendation | None = None) -> Tag:
    """Give the record `reference` of `kind` (see `parse_reference`) as evidence for
    `commitment` or for `recommendation` (exactly one), with a note. PermissionDenied unless
    the core team; Rejected naming the field: an unknown kind, a record the actor does not see,
    a note too long, evidence already given for the same target. Side effects: the tag and
    an audit entry (sealed when the record is a confidential meeting)."""
    _refuse_unless_writer(actor, mission)
    _target_of(mission, commitment, recommendation)
    note = (note or "").strip()
    problem = text_problem(note, max_chars=MAX_NOTE)
    if problem:
        raise Rejected({"note": problem})
    fields = parse_reference(actor, mission, kind, reference)
    if Tag.objects.filter(commitment=commitment, recommendation=recommendation, kind=kind,
                          **fields).exists():
        raise Rejected({"reference": _("is given as evidence here already")})
    tagged = Tag.objects.create(mission=mission, commitment=commitment,
                                recommendation=recommendation, kind=kind, note=note,
                                created_by=actor, **fields)
    audit.record(actor=actor, channel=channel, action="create", obj=tagged,
                 changes=audit.diff({}, tag_snapshot(tagged)), mission=mission)
    return tagged


@transaction.atomic
def untag(*, actor, channel: str, tag: Tag) -> None:
    """Remove a tag. PermissionDenied unless the core team. Side effect: an audit entry."""
    mission = tag.mission
    _refuse_unless_writer(actor, mission)
    audit.record(actor=actor, channel=channel, action="delete", obj=tag,
                 changes=audit.diff(tag_snapshot(tag), {}), mission=mission)
    tag.delete()


# --- assessments ----------------------------------------------------------------------------


@transaction.atomic
def assess(*, actor, channel: str, recommendation: Recommendation, status: str,
           evidence: str = "", evidence_ru: str = "", evidence_kk: str = "",
           synthetic: bool = False, now: dt.datetime | None = None) -> Assessment:
    """Set a recommendation's status and the evidence for it (in English, and optionally in
    Russian and Kazakh). PermissionDenied unless the core team (`actor` None: the system, as
    the demo); Rejected naming `status` or the evidence field that does not fit.
    Side effects: the assessment (created or changed; `assessed_by`, `assessed_at`) and an
    audit entry with what changed (none when nothing did)."""
    mission = recommendation.mission
    if actor is not None:
        _refuse_unless_writer(actor, mission)
    errors = {}
    if status not in AssessmentStatus.values:
        errors["status"] = _("must be one of %(values)s") % {"values": ", ".join(AssessmentStatus.values)}
    texts = {name: (value or "").strip() for name, value in (
        ("evidence", evidence), ("evidence_ru", evidence_ru), ("evidence_kk", evidence_kk))}
    errors.update(_text_errors(texts, dict.fromkeys(texts, max_text_chars())))
    if errors:
        raise Rejected(errors)
    assessment = Assessment.objects.select_for_update().filter(
        recommendation=recommendation).first()
    created = assessment is None
    if created:
        assessment = Assessment(recommendation=recommendation)
        before = {}
    else:
        before = audit.snapshot(assessment)
    values = {"status": status, "synthetic": synthetic, **texts}
    if not created and all(getattr(assessment, k) == v for k, v in values.items()):
        return assessment
    for name, value in values.items():
        setattr(assessment, name, value)
    assessment.assessed_by = actor if getattr(actor, "is_authenticated", False) else None
    assessment.assessed_at = now or timezone.now()
    assessment.save()
    audit.record(actor=actor, channel=channel, action="create" if created else "update",
                 obj=assessment, changes=audit.diff(before, audit.snapshot(assessment)),
                 mission=mission)
    return assessment


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    n: int


def status_counts(recommendations: QuerySet[Recommendation]) -> list[StatusCount]:
    """How many recommendations have each status, in the order of `AssessmentStatus` (every status
    listed, zeros included); a recommendation never assessed is "not yet assessed"."""
    counted = dict(recommendations.values_list("assessment__status").annotate(n=Count("pk")))
    counted[AssessmentStatus.NOT_ASSESSED] = counted.get(AssessmentStatus.NOT_ASSESSED, 0) + counted.pop(None, 0)
    return [StatusCount(value, str(label), counted.get(value, 0))
            for value, label in AssessmentStatus.choices]


def with_status(recommendations: QuerySet[Recommendation], status: str
                ) -> QuerySet[Recommendation]:
    if status == AssessmentStatus.NOT_ASSESSED:
        return recommendations.filter(Q(assessment__isnull=True)
                                      | Q(assessment__status=AssessmentStatus.NOT_ASSESSED))
    return recommendations.filter(assessment__status=status)


# --- the roll-up ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence as a page shows it: what it is, where it opens, a few words of
    it, the note given with it."""

    tag_id: int
    kind: str
    label: str
    url: str
    excerpt: str
    note: str


@dataclass
class EvidenceGroup:
    kind: str
    label: str
    items: list[Evidence] = field(default_factory=list)


@dataclass
class Rolled:
    """A commitment (or recommendation) with its evidence grouped by kind, in `EvidenceKind`'s
    order; kinds without evidence left out."""

    target: object
    groups: list[EvidenceGroup]

    @property
    def n_evidence(self) -> int:
        return sum(len(group.items) for group in self.groups)


def _excerpt(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= EXCERPT else text[:EXCERPT - 1] + "…"


def evidence_of(tags: list[Tag], mission: Mission) -> dict[int, Evidence]:
    """What each tag's evidence shows ({tag id: Evidence}); `tags` already scoped to the
    reader (`permissions.tags_visible_to`). Two queries at most beside the tags' own."""
    pairs = {(t.report_id, t.heading) for t in tags if t.kind == EvidenceKind.LTO_SECTION}
    texts = {}
    if pairs:
        for section in Section.objects.filter(report_id__in={r for r, _h in pairs}):
            texts[(section.report_id, section.heading)] = section.text
    labels = {}
    if any(t.kind == EvidenceKind.INDICATOR for t in tags):
        labels = {(c.form_id, c.name): c.label for c in indicators_of(mission)}
    headings = dict(Heading.choices)
    found = {}
    for t in tags:
        if t.kind == EvidenceKind.LTO_SECTION:
            label = f"{t.report} · {headings.get(t.heading, t.heading)}"
            url, excerpt = reverse("lto:report", args=[t.report_id]), texts.get(
                (t.report_id, t.heading), "")
        elif t.kind == EvidenceKind.COMPLAINT:
            label = str(t.case)
            url, excerpt = reverse("complaints:case", args=[t.case_id]), t.case.summary
        elif t.kind == EvidenceKind.MEETING:
            label = str(t.meeting)
            url, excerpt = reverse("missions:meeting", args=[t.meeting_id]), t.meeting.key_points
        else:
            label = labels.get((t.form_id, t.indicator), t.indicator)
            url = f"{reverse('reporting:analysis')}?form={t.form_id}"
            excerpt = ""
        found[t.pk] = Evidence(t.pk, t.kind, label, url, _excerpt(excerpt), t.note)
    return found


def _scoped_tags(user, mission: Mission) -> QuerySet[Tag]:
    return permissions.tags_visible_to(user, mission).select_related(
        "report__team", "report__period", "case", "meeting")


def _grouped(tags: list[Tag], evidence: dict[int, Evidence]) -> list[EvidenceGroup]:
    by_kind: dict[str, list[Evidence]] = defaultdict(list)
    for t in tags:
        by_kind[t.kind].append(evidence[t.pk])
    return [EvidenceGroup(value, str(label), by_kind[value])
            for value, label in EvidenceKind.choices if by_kind.get(value)]


def rollup(user, mission: Mission, commitments: QuerySet[Commitment]) -> list[Rolled]:
    """`commitments` (already scoped and filtered), each with the evidence `user` may see,
    grouped by kind. A fixed number of queries, however many commitments and tags."""
    chosen = list(commitments)
    tags = list(_scoped_tags(user, mission).filter(commitment__in=[c.pk for c in chosen]))
    evidence = evidence_of(tags, mission)
    by_target: dict[int, list[Tag]] = defaultdict(list)
    for t in tags:
        by_target[t.commitment_id].append(t)
    return [Rolled(c, _grouped(by_target[c.pk], evidence)) for c in chosen]


def recommendation_evidence(user, recommendation: Recommendation) -> list[EvidenceGroup]:
    """The evidence given for a recommendation's assessment that `user` may see, by kind."""
    mission = recommendation.mission
    tags = list(_scoped_tags(user, mission).filter(recommendation=recommendation))
    return _grouped(tags, evidence_of(tags, mission))
