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

_registered: list[Consequence] = []


def on_reports_changed(consequence: Consequence) -> Consequence:
    """Register `consequence` (once, however often an app is made ready); returns it."""
    if consequence not in _registered:
        _registered.append(consequence)
    return consequence


def reports_changed(submissions: Sequence[Submission]) -> None:
    """Run every registered consequence on these reports (nothing when there are none)."""
    if not submissions:
        return
    for consequence in _registered:
        consequence(submissions)


__all__ = ["on_reports_changed", "reports_changed"]
