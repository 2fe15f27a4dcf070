"""Recording cases and appeals: the deadline from the mission's rules, checks naming the field,
appeals linked to the case they appeal, the confidential note, audit entries."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from eom.complaints import services
from eom.complaints.models import Case, ConfidentialNote, DeadlineRule, Holiday
from eom.missions.models import AuditEntry
from tests.complaints.factories import case_data, make_case, make_rules, make_subject


@pytest.fixture
def rules(mission):
    make_rules(mission)


def test_a_case_gets_the_deadline_of_its_body(mission, core_member, rules):
    commission = make_case(mission, core_member, filed=dt.date(2023, 3, 1))
    court = make_case(mission, core_member, body_kind="court", filed=dt.date(2023, 3, 3))
    assert commission.deadline == dt.date(2023, 3, 6)
    assert court.deadline == dt.date(2023, 3, 8)


def test_a_rule_for_the_level_and_the_election_period_comes_first(mission, core_member, rules):
    DeadlineRule.objects.create(mission=mission, body_kind="commission", body_level="precinct",
                                days=0, counting="calendar")
    DeadlineRule.objects.create(mission=mission, body_kind="commission", days=3,
                                moves_off_weekends=False, period_starts=dt.date(2023, 3, 14),
                                period_ends=dt.date(2023, 3, 19))
    precinct = make_case(mission, core_member, body_level="precinct")
    in_period = make_case(mission, core_member, filed=dt.date(2023, 3, 15))
    before = make_case(mission, core_member, filed=dt.date(2023, 3, 13))
    assert precinct.deadline == dt.date(2023, 3, 1)
    assert in_period.deadline == dt.date(2023, 3, 18)  # a Saturday: the period rule stays
    assert before.deadline == dt.date(2023, 3, 20)  # Sat 18 → Mon 20


def test_the_mission_holidays_move_a_deadline(mission, core_member, rules):
    Holiday.objects.create(mission=mission, date=dt.date(2023, 3, 6), name="Holiday")
    assert make_case(mission, core_member).deadline == dt.date(2023, 3, 7)


def test_no_rule_no_deadline(mission, core_member):
    assert make_case(mission, core_member).deadline is None


def test_a_decision_before_filing_and_other_misfits_name_their_field(mission, core_member):
    with pytest.raises(services.CaseRejected) as refused:
        make_case(mission, core_member, decided=dt.date(2023, 2, 1), decision="upheld",
                  filer_kind="alien", body_kind="court", body_level="precinct",
                  filer_name="x" * 301)
    assert set(refused.value.errors) == {"decided", "filer_kind", "body_level", "filer_name"}
    with pytest.raises(services.CaseRejected) as refused:
        make_case(mission, core_member, decision="rejected")
    assert set(refused.value.errors) == {"decided"}
    with pytest.raises(services.CaseRejected) as refused:
        make_case(mission, core_member, decided=dt.date(2023, 3, 2))
    assert set(refused.value.errors) == {"decision"}
    assert not Case.objects.exists()


def test_an_appeal_is_linked_to_the_case_it_appeals(mission, core_member, rules):
    first = make_case(mission, core_member, decided=dt.date(2023, 3, 3), decision="rejected")
    appeal = make_case(mission, core_member, body_kind="court", filed=dt.date(2023, 3, 6),
                       appeal_of=first)
    assert list(first.appeals.all()) == [appeal]
    assert appeal.is_appeal and not first.is_appeal
    with pytest.raises(services.CaseRejected) as refused:
        make_case(mission, core_member, filed=dt.date(2023, 3, 2), appeal_of=first)
    assert set(refused.value.errors) == {"filed"}
    data = services.data_of(first)
    data.appeal_of = appeal
    with pytest.raises(services.CaseRejected) as refused:
        services.update_case(actor=core_member, channel="page", case=first, data=data)
    assert set(refused.value.errors) == {"appeal_of"}


def test_only_the_core_team_and_administrators_write(mission, analyst, coordinator,
                                                      administrator):
    for reader in (analyst, coordinator):
        with pytest.raises(PermissionDenied):
            make_case(mission, reader)
    assert make_case(mission, administrator).pk


def test_the_confidential_note_is_sealed_and_written_by_the_core_team_only(
        mission, core_member, administrator):
    case = make_case(mission, core_member, note="The chair admitted pressure.")
    assert ConfidentialNote.objects.get(case=case).text == "The chair admitted pressure."
    entry = AuditEntry.objects.get(model="complaints.confidentialnote")
    assert entry.confidential and "pressure" not in str(entry.changes)
    case_entry = AuditEntry.objects.get(model="complaints.case")
    assert not case_entry.confidential and "pressure" not in str(case_entry.changes)
    with pytest.raises(services.CaseRejected) as refused:
        make_case(mission, administrator, note="Not mine to write")
    assert set(refused.value.errors) == {"note"}


def test_every_write_leaves_an_audit_entry_with_its_channel(mission, core_member):
    subject = make_subject(mission)
    case = make_case(mission, core_member, subject=subject)
    data = services.data_of(case)
    data.decided, data.decision = dt.date(2023, 3, 4), "upheld"
    services.update_case(actor=core_member, channel="api", case=case, data=data)
    entries = AuditEntry.objects.filter(model="complaints.case").order_by("pk")
    assert [(e.action, e.channel) for e in entries] == [("create", "page"), ("update", "api")]
    assert entries[1].changes["decision"] == ["pending", "upheld"]
    assert entries[0].changes["subject"] == [None, subject.pk]


def test_links_to_meetings_must_be_ones_the_writer_sees(mission, core_member, administrator):
    from tests.factories import make_meeting

    secret = make_meeting(mission, actor=core_member, confidential=True)
    case = make_case(mission, core_member, meetings=[secret.pk])
    assert list(case.meetings.all()) == [secret]
    with pytest.raises(services.CaseRejected) as refused:
        make_case(mission, administrator, meetings=[secret.pk])
    assert set(refused.value.errors) == {"meetings"}


def test_case_data_defaults_are_pending(mission, core_member):
    assert case_data().decision == "pending"
