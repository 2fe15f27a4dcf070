"""Writes of the results app: observer copies from counting reports, re-running the checks,
published totals. Imports of official results are in `importers`."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.db.models import F, Max

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


def party_list_contest(mission: Mission) -> Contest | None:
    """The mission's first party-list contest that has a counting rule (the Mazhilis lists)."""
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


def sync_observer_copies(mission: Mission, contest: Contest | None = None) -> int:
    """Build observer Protocols from live counting Submissions not yet copied, and drop copies
    whose submission was deleted. Incremental by submission id, so cheap to call from a page.

    Returns how many copies were created. Side effects: Protocol rows (source observer); no
    audit entry (the submission is the audited record).
    """
    contest = contest or party_list_contest(mission)
    if contest is None:
        return 0
    copies = Protocol.objects.filter(contest=contest, source=Source.OBSERVER)
    last = copies.aggregate(last=Max("submission_id"))["last"] or 0
    counting = Submission.objects.filter(mission=mission, form__stage=Stage.COUNTING)
    gone = copies.filter(submission__deleted_at__isnull=False)
    edited = copies.filter(submission__updated_at__gt=F("updated_at"), submission__deleted_at=None)
    new = list(counting.live().filter(pk__gt=last).only("pk", "location_id", "answers"))
    if not new and not gone.exists() and not edited.exists():
        return 0
    with transaction.atomic():
        gone.delete()
        for copy in edited.select_related("submission"):
            refresh_observer_copy(copy.submission)
        rows = []
        for submission in new:
            figures = lines_from_answers(submission.answers)
            if all(figures[line] is None for line in LINES) and not figures["votes"]:
                continue
            votes = figures.pop("votes")
            rows.append(with_checks(Protocol(
                mission=mission, contest=contest, location_id=submission.location_id,
                source=Source.OBSERVER, submission=submission, votes=votes, **figures,
            ), contest.rule))
        Protocol.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)


def refresh_observer_copy(submission: Submission) -> None:
    """Rewrite the copy of one edited counting report (its figures may have changed)."""
    copy = Protocol.objects.filter(submission=submission).select_related("contest").first()
    if copy is None:
        return
    figures = lines_from_answers(submission.answers)
    copy.votes = figures.pop("votes")
    for line, value in figures.items():
        setattr(copy, line, value)
    with_checks(copy, copy.contest.rule).save()


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
    "sync_observer_copies", "refresh_observer_copy", "recheck", "set_published_total",
]
