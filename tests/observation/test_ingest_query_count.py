"""What one checklist sent through the API costs in queries: the ingestion hot path.

A new report: the token (with its person), the mission, the UUID lookup, the form version, the
location, the team deployed there, then the transaction (begin, the submission, the audit
chain's head locked, the audit entry, the head moved on, commit). A flagged report adds its flags (written, then read for the answer). A replay: the
token, the mission, the UUID lookup and the stored record. The first report of a form version in
a process reads the version's definition once more. Raising a figure here needs a reason.
"""

import uuid

import pytest

from eom.observation.models import Submission
from tests.factories import make_api_token
from tests.observation.scene import set_up

NEW = 12
FLAGGED = NEW + 2
REPLAY = 4


def body(**answers):
    return {"uuid": str(uuid.uuid4()), "form_id": "voting", "location": "01001",
            "observed_at": "2023-03-19T10:42:00+06:00",
            "answers": {"registered": 100, "voted": 40, "secrecy": "yes", "assessment": "good",
                        **answers}}


@pytest.fixture
def form(mission, tree, observer, other_team):
    return set_up(mission, tree, observer, other_team)


@pytest.fixture
def post(client, form, observer):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {make_api_token(observer)}"}

    def call(data):
        return client.post("/api/submissions", data, content_type="application/json", **headers)

    # A first report marks the token used (a write once every five minutes at most) and reads
    # the form version's definition (once per process).
    assert call(body()).status_code == 201
    return call


def test_new_submission_costs_at_most_twelve_queries(post, django_assert_max_num_queries):
    with django_assert_max_num_queries(NEW):
        response = post(body())
    assert (response.status_code, response.json()["team"], response.json()["flags"]) == (
        201, "STO-1", [])
    assert Submission.objects.count() == 2


def test_flagged_submission_costs_two_queries_more(post, django_assert_max_num_queries):
    with django_assert_max_num_queries(FLAGGED):
        response = post(body(assessment="very_bad"))
    assert (response.status_code, [f["rule"] for f in response.json()["flags"]]) == (
        201, ["negative"])


def test_replay_costs_at_most_four_queries(post, django_assert_max_num_queries):
    data = body()
    first = post(data)
    with django_assert_max_num_queries(REPLAY):
        again = post(data)
    assert (first.status_code, again.status_code) == (201, 200)
    assert {k: v for k, v in again.json().items() if k != "received_at"} == {
        k: v for k, v in first.json().items() if k != "received_at"}
    assert again.json()["received_at"] == first.json()["received_at"]
