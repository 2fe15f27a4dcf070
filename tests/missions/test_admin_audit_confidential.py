"""The audit trail keeps confidential meetings confidential: their entries (and those of their
follow-ups, interlocutors, organisations and topics known only from them) are read by the core
team alone, in the audit list, its search, an entry's page and every record's history."""

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse

from eom.missions import audit, permissions, services
from eom.missions.models import AuditEntry, Interlocutor, Organisation, Topic
from tests.factories import interlocutor_named, make_meeting
from tests.missions.adminforms import admin_form_data
from tests.missions.canaries import CANARY, make_secret_meeting

AUDIT_LIST = reverse("admin:missions_auditentry_changelist")


@pytest.fixture
def secret(mission, core_member):
    return make_secret_meeting(mission, core_member)


@pytest.fixture
def open_meeting(mission, core_member):
    return make_meeting(mission, actor=core_member, place="Open talk at the CEC")


def entries_of(meeting):
    return AuditEntry.objects.filter(model="missions.meeting", object_id=str(meeting.pk))


def visible_entries_of(user, mission, meeting):
    return permissions.audit_entries_visible_to(user, mission).filter(
        model="missions.meeting", object_id=str(meeting.pk))


def update(meeting, actor, **fields):
    data = services.MeetingData(**{
        "date": meeting.date, "place": meeting.place, "key_points": meeting.key_points,
        "confidential": meeting.confidential, **fields})
    return services.update_meeting(actor=actor, channel="page", meeting=meeting, data=data)


def test_entries_of_a_confidential_meeting_are_written_confidential(secret, open_meeting):
    assert [e.confidential for e in entries_of(secret)] == [True]
    assert [e.confidential for e in entries_of(open_meeting)] == [False]


def test_administrator_audit_list_shows_no_confidential_entry(
    client, administrator, secret, open_meeting
):
    client.force_login(administrator)
    page = client.get(AUDIT_LIST).content.decode()
    assert "Open talk at the CEC" in page
    assert CANARY not in page


def test_administrator_audit_search_finds_no_confidential_entry(client, administrator, secret):
    client.force_login(administrator)
    response = client.get(AUDIT_LIST, {"q": f"{CANARY}-PLACE"})
    assert response.context["cl"].result_count == 0
    assert client.get(AUDIT_LIST, {"q": "safe house"}).context["cl"].result_count == 0


def test_administrator_cannot_open_a_confidential_entry(client, administrator, secret):
    entry = entries_of(secret).get()
    client.force_login(administrator)
    url = reverse("admin:missions_auditentry_change", args=[entry.pk])
    response = client.get(url, follow=True)
    assert response.redirect_chain[0][1] == 302
    assert CANARY not in response.content.decode()


def test_core_member_reads_confidential_entries(client, core_member, secret):
    client.force_login(core_member)
    entry = entries_of(secret).get()
    # The list names a confidential record neutrally (its name is sealed with its changes).
    assert f"meeting {secret.pk}" in client.get(AUDIT_LIST).content.decode()
    detail = client.get(reverse("admin:missions_auditentry_change", args=[entry.pk]))
    assert f"{CANARY}-KEYPOINTS" in detail.content.decode()


@pytest.mark.parametrize("persona", ["coordinator", "analyst"])
def test_coordinator_and_analyst_do_not_read_the_audit_trail(client, request, persona, secret):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(AUDIT_LIST).status_code == 403


def test_public_meeting_made_confidential_takes_its_history_with_it(
    mission, core_member, administrator, open_meeting
):
    assert visible_entries_of(administrator, mission, open_meeting).count() == 1
    update(open_meeting, core_member, key_points=f"{CANARY} said more", confidential=True)
    assert entries_of(open_meeting).count() == 2
    assert visible_entries_of(administrator, mission, open_meeting).count() == 0
    assert visible_entries_of(core_member, mission, open_meeting).count() == 2


def test_meeting_made_public_keeps_its_confidential_past_hidden(
    client, mission, core_member, administrator, secret
):
    secret = update(secret, core_member, place="Now a public place", key_points="Public now",
                    confidential=False)
    update(secret, core_member, place="Now a public place", key_points="Public, and edited")
    assert [e.confidential for e in entries_of(secret).order_by("pk")] == [True, True, False]
    assert visible_entries_of(administrator, mission, secret).count() == 1
    client.force_login(administrator)
    page = client.get(reverse("admin:missions_meeting_history", args=[secret.pk]))
    assert page.status_code == 200
    assert page.context["entries"].paginator.count == 1
    assert CANARY not in page.content.decode()


def test_history_of_a_confidential_meeting_is_not_found_for_administrator(
    client, administrator, secret
):
    client.force_login(administrator)
    response = client.get(reverse("admin:missions_meeting_history", args=[secret.pk]),
                          follow=True)
    assert response.redirect_chain[0][1] == 302
    assert CANARY not in response.content.decode()


def test_core_member_reads_a_confidential_meetings_history(client, core_member, secret):
    client.force_login(core_member)
    page = client.get(reverse("admin:missions_meeting_history", args=[secret.pk]))
    assert page.context["entries"].paginator.count == 1


def test_entries_of_records_known_only_from_confidential_meetings_are_hidden(
    mission, core_member, administrator, secret
):
    interlocutor = interlocutor_named(f"{CANARY}-NAME")
    for obj in (interlocutor, interlocutor.organisation, Topic.objects.get(name=f"{CANARY}-TOPIC")):
        entry = audit.record(actor=core_member, channel="admin", action="update", obj=obj,
                             changes={"name": ["old", obj.name]}, mission=mission)
        assert entry.confidential
    visible = permissions.audit_entries_visible_to(administrator, mission)
    assert not visible.filter(object_repr__contains=CANARY).exists()
    assert not visible.filter(changes__icontains=CANARY).exists()


def test_entries_of_an_interlocutor_written_public_are_hidden_once_it_is_confidential_only(
    mission, core_member, administrator
):
    organisation = Organisation.objects.create(mission=mission, name="Observers' union")
    interlocutor = Interlocutor.objects.create(organisation=organisation, name="Ms Quiet")
    audit.record(actor=administrator, channel="admin", action="create", obj=interlocutor,
                 mission=mission)
    visible = permissions.audit_entries_visible_to(administrator, mission)
    assert visible.filter(model="missions.interlocutor").count() == 1
    make_meeting(mission, actor=core_member, confidential=True, interlocutors=[
        services.InterlocutorData("Ms Quiet", organisation="Observers' union")])
    assert visible.filter(model="missions.interlocutor").count() == 0
    make_meeting(mission, actor=core_member, place="Public round table", interlocutors=[
        services.InterlocutorData("Ms Quiet", organisation="Observers' union")])
    assert visible.filter(model="missions.interlocutor").count() == 1


def test_follow_up_entries_are_as_confidential_as_their_meeting(mission, core_member, secret):
    follow_up = secret.follow_ups.get()
    entry = audit.record(actor=core_member, channel="admin", action="update", obj=follow_up,
                         mission=mission)
    assert entry.confidential


def test_admin_writes_no_django_log_entry(client, administrator, observer):
    client.force_login(administrator)
    url = reverse("admin:missions_person_change", args=[observer.person.pk])
    assert client.post(url, admin_form_data(client, url, phone="+7 700")).status_code == 302
    assert LogEntry.objects.count() == 0
    assert AuditEntry.objects.filter(model="missions.person", channel="admin").count() == 1


def test_admin_edit_of_a_confidential_meeting_is_a_confidential_entry_with_its_follow_ups(
    client, core_member, administrator, secret
):
    client.force_login(core_member)
    url = reverse("admin:missions_meeting_change", args=[secret.pk])
    data = admin_form_data(client, url)
    data["follow_ups-0-text"] = f"{CANARY}-FOLLOWUP changed in the admin"
    assert client.post(url, data).status_code == 302
    entry = entries_of(secret).get(channel="admin")
    assert entry.confidential and set(entry.plain_changes) == {"follow_ups"}
    reader = Client()
    reader.force_login(administrator)
    assert CANARY not in reader.get(AUDIT_LIST).content.decode()
