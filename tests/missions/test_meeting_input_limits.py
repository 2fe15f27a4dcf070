"""A meeting's input is bounded in the form and in the API alike (docs/security-limits.md):
a time with a UTC offset, too many topics, participants, interlocutors or follow-ups, key
points or names too long, a search of too many words: each is refused naming the field, and
nothing is stored. Exactly at a limit is accepted."""

import pytest
from django.urls import reverse

from eom.missions.models import Meeting, Topic
from tests.factories import make_api_token, make_person


def api_post(client, user, body: dict):
    return client.post("/api/meetings", body, content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {make_api_token(user)}")


def meeting(**fields) -> dict:
    return {"date": "2023-02-08", "place": "Central Election Commission", **fields}


def form_post(client, user, **fields):
    client.force_login(user)
    return client.post(reverse("missions:meeting_create"), meeting(**fields))


@pytest.mark.parametrize("time", ["10:00+06:00", "10:00Z", "10:00:00-05:00"])
def test_a_meeting_time_with_an_offset_is_refused_naming_time(client, mission, core_member,
                                                              time):
    api = api_post(client, core_member, meeting(time=time))
    page = form_post(client, core_member, time=time)

    assert api.status_code == 422
    assert api.json()["detail"][0]["loc"] == ["body", "payload", "time"]
    assert page.status_code == 200 and list(page.context["form"].errors) == ["time"]
    assert Meeting.objects.count() == 0


def test_a_local_meeting_time_is_stored(client, mission, core_member):
    response = api_post(client, core_member, meeting(time="10:00"))

    assert response.status_code == 201
    assert Meeting.objects.get().time.isoformat() == "10:00:00"


def test_twenty_thousand_topics_are_refused_at_once(client, mission, core_member):
    response = api_post(client, core_member, meeting(topics=[f"t{i}" for i in range(20_000)]))

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "topics"]
    assert (Meeting.objects.count(), Topic.objects.count()) == (0, 0)


@pytest.mark.parametrize(("field", "item", "limit"), [
    ("topics", lambda i: f"topic {i}", 50),
    ("interlocutors", lambda i: {"name": f"Interlocutor {i}"}, 100),
    ("follow_ups", lambda i: {"text": f"Action {i}"}, 100),
], ids=["topics", "interlocutors", "follow-ups"])
def test_api_lists_are_accepted_up_to_their_limit_and_refused_beyond(
        client, mission, core_member, field, item, limit):
    def items(n):
        return [item(i) for i in range(n)]

    over = api_post(client, core_member, meeting(**{field: items(limit + 1)}))
    at_limit = api_post(client, core_member, meeting(**{field: items(limit)}))

    assert over.status_code == 422
    assert over.json()["detail"][0]["loc"] == ["body", "payload", field]
    assert at_limit.status_code == 201
    assert Meeting.objects.count() == 1


def test_api_participants_beyond_the_limit_are_refused(client, mission, core_member):
    response = api_post(client, core_member, meeting(participants=["P1"] * 201))

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "participants"]


@pytest.mark.parametrize(("field", "value"), [
    ("key_points", "x" * 50_001),
    ("place", "x" * 301),
    ("source", "x" * 301),
    ("region", "x" * 65),
])
def test_api_texts_beyond_their_limit_are_refused_naming_the_field(
        client, mission, core_member, field, value):
    response = api_post(client, core_member, meeting(**{field: value}))

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", field]
    assert Meeting.objects.count() == 0


@pytest.mark.parametrize(("body", "loc"), [
    ({"topics": ["x" * 201]}, ["topics", 0]),
    ({"interlocutors": [{"name": "x" * 201}]}, ["interlocutors", 0, "name"]),
    ({"interlocutors": [{"name": "N", "title": "x" * 301}]}, ["interlocutors", 0, "title"]),
    ({"follow_ups": [{"text": "x" * 501}]}, ["follow_ups", 0, "text"]),
    ({"participants": ["x" * 33]}, ["participants", 0]),
], ids=["topic", "interlocutor's name", "interlocutor's title", "follow-up", "person code"])
def test_api_names_longer_than_the_models_store_are_refused(client, mission, core_member,
                                                           body, loc):
    response = api_post(client, core_member, meeting(**body))

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", *loc]
    assert Meeting.objects.count() == 0


def test_key_points_of_exactly_the_limit_are_stored(client, mission, core_member):
    response = api_post(client, core_member, meeting(key_points="x" * 50_000))

    assert response.status_code == 201


@pytest.mark.parametrize(("field", "value", "message"), [
    ("topics", {"topics": ", ".join(f"t{i}" for i in range(51))}, "51 items; at most 50"),
    ("topics", {"topics": "x" * 201}, "at most 200"),
    ("interlocutors", {"interlocutors_name": [f"N{i}" for i in range(101)]},
     "101 items; at most 100"),
    ("interlocutors", {"interlocutors_name": "Nurlan", "interlocutors_title": "x" * 301},
     "interlocutor 1: the title is 301 characters long"),
    ("follow_ups", {"follow_ups_text": [f"do {i}" for i in range(101)]},
     "101 items; at most 100"),
    ("follow_ups", {"follow_ups_text": "x" * 501},
     "follow-up 1: the action is 501 characters long"),
    ("key_points", {"key_points": "x" * 50_001}, "at most 50000 characters"),
], ids=["51 topics", "a long topic", "101 interlocutors", "a long title", "101 follow-ups",
        "a long follow-up", "long key points"])
def test_the_meeting_form_refuses_what_is_over_a_limit_naming_the_field(
        client, mission, core_member, field, value, message):
    response = form_post(client, core_member, **value)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    assert Meeting.objects.count() == 0


def test_the_meeting_form_accepts_exactly_a_hundred_interlocutors(client, mission, core_member):
    response = form_post(client, core_member,
                         interlocutors_name=[f"N{i}" for i in range(100)])

    assert response.status_code == 302
    assert Meeting.objects.get().interlocutors.count() == 100


def test_the_meeting_form_counts_participants_before_looking_them_up(
        client, mission, core_member, settings):
    settings.EOM_MAX_MEETING_PARTICIPANTS = 2
    people = [make_person(mission, access="observer") for _ in range(3)]

    response = form_post(client, core_member, participants=[p.pk for p in people])

    assert list(response.context["form"].errors) == ["participants"]
    assert Meeting.objects.count() == 0


@pytest.mark.parametrize("path", ["/meetings/", "/api/meetings"])
def test_a_search_of_two_thousand_words_is_refused_naming_q(client, mission, core_member, path):
    client.force_login(core_member)

    response = client.get(path, {"q": " ".join(["w"] * 2000)})

    assert response.status_code == 400
    assert "q" in response.content.decode()


def test_a_search_of_twenty_words_is_run_and_twenty_one_refused(client, mission, core_member):
    client.force_login(core_member)
    words = [f"w{i}" for i in range(21)]

    assert client.get("/meetings/", {"q": " ".join(words[:20])}).status_code == 200
    assert client.get("/meetings/", {"q": " ".join(words)}).status_code == 400
