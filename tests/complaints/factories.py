"""Subjects, deadline rules and cases for the tests of eom.complaints."""

from __future__ import annotations

import datetime as dt

from eom.complaints import services
from eom.complaints.models import DeadlineRule, Subject


def make_subject(mission, code="campaign", name="Campaign") -> Subject:
    return Subject.objects.get_or_create(mission=mission, code=code, defaults={"name": name})[0]


def make_rules(mission) -> None:
    """Commissions: 5 calendar days (moved off weekends); courts: 3 working days."""
    DeadlineRule.objects.create(mission=mission, body_kind="commission", days=5,
                                counting="calendar")
    DeadlineRule.objects.create(mission=mission, body_kind="court", days=3, counting="working")


def case_data(**fields) -> services.CaseData:
    values = {"filer_kind": "party", "filer_name": "Party A", "body_kind": "commission",
              "body_level": "district", "filed": dt.date(2023, 3, 1)}
    values.update(fields)
    return services.CaseData(**values)


def make_case(mission, actor, **fields):
    return services.create_case(actor=actor, channel="page", mission=mission,
                                data=case_data(**fields))
