"""The observation API: forms, my assignments, idempotent submissions, per-question errors."""

import uuid

import pytest

from eom.observation.models import Submission
from tests.factories import make_api_token
from tests.observation.scene import send, set_up


@pytest.fixture
def form(mission, tree, observer, other_team):
    return set_up(mission, tree, observer, other_team)


@pytest.fixture
def api(client):
    def call(method, path, user, **kwargs):
        token = make_api_token(user)
        return getattr(client, method)(path, HTTP_AUTHORIZATION=f"Bearer {token}",
                                       content_type="application/json", **kwargs)
    return call


def body(**extra):
    data = {"uuid": str(uuid.uuid4()), "form_id": "voting", "location": "01001",
            "observed_at": "2023-03-19T10:42:00+06:00",
            "answers": {"registered": 1177, "voted": 402, "secrecy": "yes", "assessment": "good"}}
    data.update(extra)
    return data


def test_forms_list_and_definition(api, form, observer):
    assert api("get", "/api/forms", observer).json() == [
        {"form_id": "voting", "title": "Voting", "stage": "voting", "version": "1"}
    ]
    definition = api("get", "/api/forms/voting", observer).json()
    assert [q["name"] for q in definition["sections"][0]["questions"]][:3] == [
        "registered", "voted", "secrecy",
    ]


def test_assignments_list_the_teams_stations(api, form, observer):
    assert [a["code"] for a in api("get", "/api/assignments", observer).json()] == [
        "01001", "01002",
    ]


def test_post_stores_once_and_replay_answers_200(api, form, observer):
    data = body()
    first = api("post", "/api/submissions", observer, data=data)
    again = api("post", "/api/submissions", observer, data=data)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["uuid"] == again.json()["uuid"] == data["uuid"]
    assert first.json()["team"] == "STO-1"
    assert Submission.objects.count() == 1


def test_post_with_bad_answers_names_each_question(api, form, observer):
    response = api("post", "/api/submissions", observer,
                   data=body(answers={"registered": -3, "voted": "x", "secrecy": "yes"}))
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "registered": ["This answer is not allowed."], "voted": ["“x” is not a whole number"],
    }
    assert Submission.objects.count() == 0


def test_post_for_a_station_not_assigned_is_403(api, form, observer):
    response = api("post", "/api/submissions", observer, data=body(location="02001"))
    assert response.status_code == 403
    assert "02001" in response.json()["errors"]["location"][0]


def test_post_without_uuid_is_422_naming_the_field(api, form, observer):
    data = body()
    del data["uuid"]
    response = api("post", "/api/submissions", observer, data=data)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "uuid"


def test_list_shows_own_team_only(api, form, mission, observer, other_team, core_member):
    send(observer, mission)
    send(core_member, mission, location="02001")
    mine = api("get", "/api/submissions", observer).json()
    everything = api("get", "/api/submissions", core_member).json()
    assert [s["location"] for s in mine["items"]] == ["01001"]
    assert everything["count"] == 2


def test_get_of_another_teams_submission_is_404(api, form, mission, observer, core_member):
    submission, _ = send(core_member, mission, location="02001")
    response = api("get", f"/api/submissions/{submission.uuid}", observer)
    assert response.status_code == 404


def test_outsider_gets_nothing(api, form, outsider):
    assert api("get", "/api/forms", outsider).status_code == 403
