"""In the admin, what appears only in confidential meetings is the core team's alone (lists,
change pages, choices, deletion summaries), and no deletion changes a meeting behind the
audit trail's back: a record in the meetings log is not deleted, and says why."""

import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from eom.missions import services
from eom.missions.models import AuditEntry, Interlocutor, Mission, Person, Topic
from tests.factories import interlocutor_named, make_meeting
from tests.missions.canaries import CANARY, make_secret_meeting

REFUSAL = "It appears in the meetings log"


@pytest.fixture
def secret(mission, tree, core_member):
    """The canary meeting (region R1), also with Mr Both (CEC) on "voter lists", whom a public
    meeting names too."""
    both = services.InterlocutorData("Mr Both", organisation="CEC")
    meeting = make_secret_meeting(mission, core_member, region=tree["R1"],
                                  also_interlocutors=[both], also_topics=["voter lists"])
    make_meeting(mission, actor=core_member, place="Open talk", interlocutors=[both],
                 topics=["voter lists"])
    return meeting


def changelist(name: str) -> str:
    return reverse(f"admin:missions_{name}_changelist")


@pytest.mark.parametrize("persona", ["administrator", "coordinator", "analyst"])
@pytest.mark.parametrize("kind", ["organisation", "interlocutor", "topic"])
def test_confidential_only_records_are_not_listed_outside_the_core_team(
    client, request, secret, persona, kind
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(changelist(kind))
    assert response.status_code == 200
    assert CANARY not in response.content.decode()
    assert client.get(changelist(kind), {"q": CANARY}).context["cl"].result_count == 0


def test_core_member_lists_every_interlocutor(client, core_member, secret):
    client.force_login(core_member)
    page = client.get(changelist("interlocutor")).content.decode()
    assert f"{CANARY}-NAME" in page and "Mr Both" in page


def test_change_page_of_a_confidential_only_interlocutor_is_not_found(
    client, administrator, secret
):
    secret_one = interlocutor_named(f"{CANARY}-NAME")
    client.force_login(administrator)
    for view in ("change", "history", "delete"):
        url = reverse(f"admin:missions_interlocutor_{view}", args=[secret_one.pk])
        response = client.get(url, follow=True)
        assert response.redirect_chain[0][1] == 302
        assert CANARY not in response.content.decode()


@pytest.mark.parametrize("persona", ["administrator", "coordinator"])
def test_meeting_form_offers_no_confidential_interlocutor_or_topic(
    client, request, secret, persona
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("admin:missions_meeting_add"))
    page = response.content.decode()
    assert "Mr Both" in page and "voter lists" in page
    assert CANARY not in page


def test_meeting_form_refuses_a_posted_confidential_interlocutor(
    client, mission, administrator, secret
):
    secret_one = interlocutor_named(f"{CANARY}-NAME")
    client.force_login(administrator)
    response = client.post(reverse("admin:missions_meeting_add"), {
        "mission": mission.pk, "date": "2023-02-09", "place": "Anywhere",
        "interlocutors": [secret_one.pk], "follow_ups-TOTAL_FORMS": "0",
        "follow_ups-INITIAL_FORMS": "0"})
    assert response.status_code == 200
    assert "interlocutors" in response.context["adminform"].form.errors
    assert CANARY not in response.content.decode()


def test_interlocutor_form_offers_no_confidential_organisation(client, administrator, secret):
    client.force_login(administrator)
    page = client.get(reverse("admin:missions_interlocutor_add")).content.decode()
    assert "CEC" in page and CANARY not in page


def test_deleting_an_interlocutor_of_meetings_is_refused_naming_the_reason(
    client, administrator, secret
):
    both = interlocutor_named("Mr Both")
    client.force_login(administrator)
    url = reverse("admin:missions_interlocutor_delete", args=[both.pk])
    summary = client.get(url)
    assert summary.context["protected"] and REFUSAL in summary.content.decode()
    assert CANARY not in summary.content.decode()
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert Interlocutor.objects.filter(pk=both.pk).exists()
    assert secret.interlocutors.filter(pk=both.pk).exists()
    assert not AuditEntry.objects.filter(action="delete").exists()


def test_bulk_deleting_topics_of_meetings_is_refused(client, administrator, secret):
    topic = Topic.objects.get(name="voter lists")
    client.force_login(administrator)
    response = client.post(changelist("topic"), {
        "action": "delete_selected", helpers.ACTION_CHECKBOX_NAME: [topic.pk], "post": "yes"})
    assert response.status_code == 200
    assert REFUSAL in response.content.decode()
    assert Topic.objects.filter(pk=topic.pk).exists()


def test_deleting_a_topic_in_no_meeting_is_audited(client, mission, administrator, secret):
    spare = Topic.objects.create(mission=mission, name="spare")
    client.force_login(administrator)
    url = reverse("admin:missions_topic_delete", args=[spare.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Topic.objects.filter(pk=spare.pk).exists()
    entry = AuditEntry.objects.get(model="missions.topic", action="delete")
    assert (entry.channel, entry.changes["name"]) == ("admin", ["spare", None])


def test_deleting_a_person_who_attended_meetings_is_refused(client, mission, administrator,
                                                           core_member, secret):
    client.force_login(administrator)
    url = reverse("admin:missions_person_delete", args=[core_member.person.pk])
    summary = client.get(url).content.decode()
    assert REFUSAL in summary and CANARY not in summary
    client.post(url, {"post": "yes"})
    assert Person.objects.filter(pk=core_member.person.pk).exists()


def test_mission_delete_summary_hides_confidential_meetings(client, mission, administrator,
                                                            secret):
    client.force_login(administrator)
    url = reverse("admin:missions_mission_delete", args=[mission.pk])
    summary = client.get(url)
    page = summary.content.decode()
    # Refused for the evidence it holds (its meetings among them), counted, not listed.
    assert "Cannot delete mission" in page
    assert CANARY not in page
    assert "safe house" not in page
    client.post(url, {"post": "yes"})
    assert Mission.objects.filter(pk=mission.pk).exists()


def test_region_delete_summary_hides_its_confidential_meeting(client, administrator, tree,
                                                              secret):
    client.force_login(administrator)
    page = client.get(reverse("admin:missions_location_delete", args=[tree["R1"].pk]))
    assert CANARY not in page.content.decode()


def test_core_member_deletes_a_confidential_meeting_reading_its_whole_summary(
    client, core_member, secret
):
    client.force_login(core_member)
    url = reverse("admin:missions_meeting_delete", args=[secret.pk])
    summary = client.get(url).content.decode()
    assert f"{CANARY}-FOLLOWUP" in summary and REFUSAL not in summary
    assert client.post(url, {"post": "yes"}).status_code == 302
    entry = AuditEntry.objects.get(model="missions.meeting", action="delete")
    assert entry.confidential and entry.channel == "admin"
    assert entry.plain_changes["key_points"][0].startswith(f"{CANARY}-KEYPOINTS")
