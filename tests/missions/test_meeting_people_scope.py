"""A meeting's writer is offered, and may name (by name on the page, by code in the API), only the
people it may see; an edit keeps the people the meeting already names even when the editor cannot
see them."""

from django.urls import reverse

from eom.missions import services
from eom.missions.models import Meeting
from tests.factories import make_api_token, make_meeting


def test_meeting_page_offers_only_the_people_the_writer_may_see(
    client, observer, other_team, core_member
):
    client.force_login(observer)
    form = client.get(reverse("missions:meeting_create")).context["form"]
    offered = set(form.fields["participants"].queryset)
    assert observer.person in offered and core_member.person in offered
    assert not offered & set(other_team.members.all())


def test_meeting_page_refuses_a_follow_up_owner_the_writer_cannot_see(
    client, observer, other_team
):
    stranger = other_team.members.first()
    client.force_login(observer)
    response = client.post(reverse("missions:meeting_create"), {
        "date": "2023-02-10", "place": "Akimat", "follow_ups_text": "Call back",
        "follow_ups_owner": stranger.full_name})
    assert response.status_code == 200
    assert response.context["form"].errors["follow_ups"] == [
        f"follow-up 1: “{stranger.full_name}” is not one of the people you may choose; pick a "
        "name from the list"]
    assert stranger.full_name not in response.context["form"].owners
    assert not Meeting.objects.exists()


def test_meeting_page_edit_keeps_people_the_editor_cannot_see(
    client, mission, observer, other_team, core_member
):
    stranger = other_team.members.first()
    meeting = make_meeting(mission, actor=core_member, place="Joint visit",
                           participants=[observer.person, stranger],
                           follow_ups=[services.FollowUpData("Send the report", stranger)])
    client.force_login(observer)
    url = reverse("missions:meeting_edit", args=[meeting.pk])
    form = client.get(url).context["form"]
    ((text, owner, due, status),) = form.initial["follow_ups"]
    response = client.post(url, {
        "date": "2023-02-08", "place": "Joint visit, district akimat",
        "participants": [str(pk) for pk in form.initial["participants"]],
        "follow_ups_text": text, "follow_ups_owner": owner, "follow_ups_due": due,
        "follow_ups_status": status})
    assert owner == stranger.full_name
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert set(meeting.participants.all()) == {observer.person, stranger}
    assert meeting.follow_ups.get().owner == stranger


def test_api_refuses_a_participant_the_caller_cannot_see(client, observer, other_team):
    stranger = other_team.members.first()
    response = client.post(
        "/api/meetings", {"date": "2023-02-10", "place": "Akimat",
                          "participants": [observer.person.code, stranger.code]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {make_api_token(observer)}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "participants", 1]
    assert not Meeting.objects.exists()


def test_api_edit_keeps_people_the_editor_cannot_see(
    client, mission, observer, other_team, core_member
):
    stranger = other_team.members.first()
    meeting = make_meeting(mission, actor=core_member, place="Joint visit",
                           participants=[observer.person, stranger])
    response = client.put(
        f"/api/meetings/{meeting.pk}",
        {"date": "2023-02-08", "place": "Joint visit",
         "participants": [observer.person.code, stranger.code]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {make_api_token(observer)}")
    assert response.status_code == 200, response.content
    assert {p["code"] for p in response.json()["participants"]} == {
        observer.person.code, stranger.code}
