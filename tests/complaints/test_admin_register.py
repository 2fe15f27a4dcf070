"""The complaints register in the admin: subjects, deadline rules and holidays kept by the
register's writers; cases read-only, scoped as on the pages, never showing the confidential
note (an administrator must not read it; the core team reads it on the case's page)."""

import datetime as dt

import pytest
from django.urls import reverse

from eom.complaints.models import Case, DeadlineRule, Holiday, Subject
from eom.missions.models import AuditEntry
from tests.complaints.factories import make_case, make_subject

SECRET = "NOTE-SECRET the filer fears reprisals"


@pytest.fixture
def cases(mission, tree, core_member):
    own = make_case(mission, core_member, body_location=tree["D1"], note=SECRET)
    other = make_case(mission, core_member, body_location=tree["D2"])
    return own, other


@pytest.mark.parametrize("persona", ["administrator", "core_member", "analyst", "coordinator"])
def test_the_admin_shows_a_case_but_never_its_confidential_note(client, request, cases,
                                                                 persona):
    own, _other = cases
    client.force_login(request.getfixturevalue(persona))
    for view in ("changelist", "change", "history"):
        args = [] if view == "changelist" else [own.pk]
        answer = client.get(reverse(f"admin:complaints_case_{view}", args=args))
        assert answer.status_code == 200, view
        assert SECRET not in answer.content.decode(), view


def test_the_admin_lists_the_cases_the_reader_sees_on_the_pages(client, cases, administrator,
                                                                 coordinator):
    own, other = cases
    lists = {}
    for who, user in (("administrator", administrator), ("coordinator", coordinator)):
        client.force_login(user)
        answer = client.get(reverse("admin:complaints_case_changelist"))
        lists[who] = {row.pk for row in answer.context["cl"].result_list}
    assert lists == {"administrator": {own.pk, other.pk}, "coordinator": {own.pk}}


def test_the_admin_changes_and_deletes_no_case(client, cases, administrator):
    own, _other = cases
    client.force_login(administrator)
    assert client.post(reverse("admin:complaints_case_change", args=[own.pk]),
                       {"filer_name": "Changed"}).status_code == 403
    assert client.post(reverse("admin:complaints_case_delete", args=[own.pk]),
                       {"post": "yes"}).status_code == 403
    assert Case.objects.get(pk=own.pk).filer_name == "Party A"


def test_an_administrator_keeps_subjects_rules_and_holidays_audited(client, mission,
                                                                    administrator):
    client.force_login(administrator)
    answer = client.post(reverse("admin:complaints_holiday_add"), {
        "mission": mission.pk, "date": "2023-03-22", "name": "Nauryz"})
    assert answer.status_code == 302
    answer = client.post(reverse("admin:complaints_deadlinerule_add"), {
        "mission": mission.pk, "body_kind": "court", "body_level": "", "days": "3",
        "counting": "working", "moves_off_weekends": "on", "source": "Art. 20"})
    assert answer.status_code == 302
    subject = make_subject(mission)
    answer = client.post(reverse("admin:complaints_subject_change", args=[subject.pk]), {
        "mission": mission.pk, "code": "campaign", "name": "Campaign",
        "name_ru": "Агитация", "name_kk": "Үгіт"})
    assert answer.status_code == 302
    assert Holiday.objects.get().date == dt.date(2023, 3, 22)
    assert DeadlineRule.objects.get().days == 3
    assert Subject.objects.get().name_ru == "Агитация"
    models = set(AuditEntry.objects.filter(channel="admin").values_list("model", flat=True))
    assert models == {"complaints.holiday", "complaints.deadlinerule", "complaints.subject"}


def test_an_analyst_reads_the_rules_but_does_not_change_them(client, mission, analyst):
    rule = DeadlineRule.objects.create(mission=mission, body_kind="court", days=3)
    client.force_login(analyst)
    assert client.get(reverse("admin:complaints_deadlinerule_change",
                              args=[rule.pk])).status_code == 200
    assert client.post(reverse("admin:complaints_deadlinerule_change", args=[rule.pk]),
                       {"days": "9"}).status_code == 403
    assert DeadlineRule.objects.get().days == 3
