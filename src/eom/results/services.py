"""Writes of the results app: observer copies from counting reports, re-running the checks,
published totals. Imports of official results are in `importers`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from eom.missions import audit
from eom.missions.models import Contest, ContestKind, Location, Mission
from eom.observation.models import Stage, Submission

from . import checks
from .checks import LINES
from .models import Protocol, PublishedTotal, Source

# The counting checklist's questions for the party-list protocol → Party codes (the one place
# this mapping lives). Lines keep their names (n_registered … n_against_all).
OBSERVER_PARTY_QUESTIONS = {
    "n_amanat": "AMANAT",
    "n_auyl": "AUYL",
    "n_respublica": "RESPUBLICA",
    "n_ak_zhol": "AKZHOL",
    "n_peoples_party": "QHP",
    "n_osdp": "OSDP",
    "n_baytaq": "BAYTAQ",
}


def party_list_contest(mission: Mission | int) -> Contest | None:
    """The mission's (or mission id's) first party-list contest that has a counting rule (the
    Mazhilis lists)."""
    return (
        Contest.objects.filter(election__mission=mission, kind=ContestKind.PARTY_LIST)
        .exclude(rule="").order_by("election__date", "pk").first()
    )


def lines_from_answers(answers: Mapping) -> dict:
    """A counting report's answers → {line: int or None, "votes": {party code: int}}."""

    def number(value):
        return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 \
            else None

    figures = {line: number(answers.get(line)) for line in LINES}
    figures["votes"] = {
        code: number(answers.get(question))
        for question, code in OBSERVER_PARTY_QUESTIONS.items()
        if number(answers.get(question)) is not None
    }
    return figures


def with_checks(protocol: Protocol, law: str | None) -> Protocol:
    protocol.failed = checks.failed_names(checks.load_checks(law), protocol.figures())
    protocol.n_failed = len(protocol.failed)
    return protocol


def concerns_counting(submissions: Sequence[Submission]) -> bool:
    """Whether `copy_counting_reports` has anything to do for these reports: some is of the
    counting stage (no query)."""
    return any(s.form.stage == Stage.COUNTING for s in submissions)


def copy_counting_reports(submissions: Sequence[Submission],
                          contest: Contest | None = None) -> int:
    """Bring the observer copies of the counting protocol in line with these reports, as they
    now stand: a new counting report gets its copy, a corrected one has its copy rewritten
    (checks included), a deleted one (or one left without any figure) loses it. Reports of other
    stages are passed over without a query. `contest` defaults to the mission's party-list
    contest (`party_list_contest`); without one nothing is copied.

    Registered with `eom.observation.hooks`, so it runs in the transaction that stores,
    corrects or deletes the reports. Returns how many copies were created or rewritten. Side
    effects: Protocol rows (source observer); no audit entry (the submission is the audited
    record).
    """
    counting = [s for s in submissions if s.form.stage == Stage.COUNTING]
    written = 0
    for mission_id in sorted({s.mission_id for s in counting}):
        target = contest or party_list_contest(mission_id)
        if target is not None:
            written += _copy(target, [s for s in counting if s.mission_id == mission_id])
    return written


def _copy(contest: Contest, submissions: list[Submission]) -> int:
    stored = {copy.submission_id: copy for copy in Protocol.objects.filter(
        contest=contest, submission__in=[s.pk for s in submissions])}
    new, rewritten, gone = [], [], []
    now = timezone.now()
    for submission in submissions:
        copy = stored.get(submission.pk)
        figures = lines_from_answers(submission.answers)
        if submission.deleted_at is not None or (
                all(figures[line] is None for line in LINES) and not figures["votes"]):
            if copy is not None:
                gone.append(copy.pk)
            continue
        if copy is None:
            copy = Protocol(mission_id=submission.mission_id, contest=contest,
                            location_id=submission.location_id, source=Source.OBSERVER,
                            submission=submission)
            new.append(copy)
        else:
            copy.updated_at = now
            rewritten.append(copy)
        copy.votes = figures.pop("votes")
        for line, value in figures.items():
            setattr(copy, line, value)
        with_checks(copy, contest.rule)
    if gone:
        Protocol.objects.filter(pk__in=gone).delete()
    Protocol.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    Protocol.objects.bulk_update(rewritten, [*LINES, "votes", "failed", "n_failed", "updated_at"],
                                 batch_size=1000)
    return len(new) + len(rewritten)


def sync_observer_copies(mission: Mission, contest: Contest | None = None) -> int:
    """Catch up the observer copies with the mission's counting reports: for reports stored
    before the party-list contest had its counting rule, or written around the services (the
    demo's planting). Reports stored, corrected or deleted through the services have their
    copies in line already (`copy_counting_reports`); no page calls this.

    Returns how many copies were created or rewritten.
    """
    contest = contest or party_list_contest(mission)
    if contest is None:
        return 0
    copies = Protocol.objects.filter(contest=contest, source=Source.OBSERVER)
    counting = Submission.objects.filter(mission=mission, form__stage=Stage.COUNTING)
    behind = counting.filter(
        Q(deleted_at=None) & ~Exists(copies.filter(submission=OuterRef("pk")))
        | Q(pk__in=copies.filter(submission__updated_at__gt=F("updated_at"))
            .values("submission"))
        | Q(pk__in=copies.filter(submission__deleted_at__isnull=False).values("submission"))
    )
    with transaction.atomic():
        return copy_counting_reports(
            list(behind.select_related("form").only(
                "pk", "mission_id", "location_id", "answers", "deleted_at", "form__stage")),
            contest)


def recheck(contest: Contest) -> int:
    """Re-run the law's checks on every protocol of the contest (after the checks changed).
    Returns how many protocols changed their failures."""
    law = checks.load_checks(contest.rule)
    changed = []
    for protocol in Protocol.objects.filter(contest=contest):
        failed = checks.failed_names(law, protocol.figures())
        if failed != protocol.failed:
            protocol.failed, protocol.n_failed = failed, len(failed)
            changed.append(protocol)
    Protocol.objects.bulk_update(changed, ["failed", "n_failed"], batch_size=1000)
    return len(changed)


def set_published_total(*, actor, channel: str, contest: Contest, location: Location,
                        figures: Mapping, source: str = "", note: str = "") -> PublishedTotal:
    """Store (or replace) the totals the commission published for `location`. `figures` is
    {line: int or None, "votes": {code: int}}. Audited."""
    values = {line: figures.get(line) for line in LINES}
    values["votes"] = dict(figures.get("votes") or {})
    with transaction.atomic():
        total, created = PublishedTotal.objects.get_or_create(
            contest=contest, location=location,
            defaults={**values, "source": source, "note": note},
        )
        before = {} if created else audit.snapshot(total)
        if not created:
            for key, value in values.items():
                setattr(total, key, value)
            total.source, total.note = source, note
            total.save()
        audit.record(actor=actor, channel=channel, action="create" if created else "update",
                     obj=total, changes=audit.diff(before, audit.snapshot(total)),
                     mission=contest.election.mission)
    return total


__all__ = [
    "OBSERVER_PARTY_QUESTIONS", "party_list_contest", "lines_from_answers",
    "copy_counting_reports", "sync_observer_copies", "recheck", "set_published_total",
]
