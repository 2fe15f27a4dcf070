"""What follows from a report being stored, corrected or deleted, done when it happens.

Observation does not know the apps that build on its reports; they register here instead. The
services call `reports_changed` once, inside the transaction that writes the reports: after
ingestion (one report or a batch), after `edit_submission` and after `delete_submission`. Each
registered function gets the Submission rows as they now stand (a deleted one has `deleted_at`
set) and brings its own records in line, so that a reader's page only reads.

Registered today: the results app's observer copies of the counting protocol
(`eom.results.services.copy_counting_reports`, from `ResultsConfig.ready`).

A registered function raising rolls the report back with it: the report and what follows
from it are stored together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .models import Submission

Consequence = Callable[[Sequence[Submission]], object]
Concerns = Callable[[Sequence[Submission]], bool]

_registered: list[Consequence] = []
_concerns: dict[Consequence, Concerns] = {}


def on_reports_changed(consequence: Consequence, *, concerns: Concerns | None = None
                       ) -> Consequence:
    """Register `consequence` (once, however often an app is made ready); returns it.
    `concerns`, when given, tells without a query whether the consequence has anything to do
    for these reports (see `concerned`); without it, every report concerns it."""
    if consequence not in _registered:
        _registered.append(consequence)
    if concerns is not None:
        _concerns[consequence] = concerns
    return consequence


def concerned(submissions: Sequence[Submission]) -> bool:
    """Whether some registered consequence has something to do for these new reports: when
    none has, storing them needs no transaction of its own beyond the report's rows (a report
    sent alone is then written by one statement, `batch._insert`)."""
    return bool(submissions) and any(
        _concerns.get(consequence, _always)(submissions) for consequence in _registered)


def _always(submissions: Sequence[Submission]) -> bool:
    return True


def reports_changed(submissions: Sequence[Submission]) -> None:
    """Run every registered consequence on these reports (nothing when there are none)."""
    if not submissions:
        return
    for consequence in _registered:
        consequence(submissions)


__all__ = ["concerned", "on_reports_changed", "reports_changed"]
