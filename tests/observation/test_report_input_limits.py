"""A report's answers are bounded (docs/security-limits.md): text answers of at most
EOM_MAX_TEXT_ANSWER_CHARS, at most EOM_MAX_ANSWERS answers and EOM_MAX_SELECTED_CHOICES chosen
choices, whole numbers within 64 bits, positions of numbers; each is refused naming the
question, never a server error, and nothing is stored. A batch of 200 legitimate reports of the
largest shipped checklist fits the body limit."""

import json
import uuid

import pytest
from django.conf import settings

from eom.observation.answers import questions
from eom.observation.models import Submission
from tests.factories import load_checklist, make_api_token, make_form, question
from tests.observation.scene import send, set_up


@pytest.fixture
def form(mission, tree, observer, other_team):
    return set_up(mission, tree, observer, other_team)


def post(client, user, answers: dict, path="/api/submissions"):
    body = {"uuid": str(uuid.uuid4()), "form_id": "voting", "location": "01001",
            "observed_at": "2023-03-19T10:42:00+06:00", "answers": answers}
    return client.post(path, body, content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {make_api_token(user)}")


GOOD = {"registered": 100, "voted": 40, "secrecy": "yes", "assessment": "good"}
ASKED = {**GOOD, "secrecy": "no"}  # the text answer secrecy_details is then asked


def test_a_text_answer_of_exactly_the_limit_is_stored(client, form, observer):
    response = post(client, observer, {**ASKED, "secrecy_details": "Ж" * 10_000})

    assert response.status_code == 201


@pytest.mark.parametrize("n_chars", [10_001, 2 * 1024 * 1024], ids=["one over", "2 MB"])
def test_a_text_answer_over_the_limit_is_refused_naming_the_question(
        client, form, observer, n_chars):
    response = post(client, observer, {**ASKED, "secrecy_details": "x" * n_chars})

    assert response.status_code == 422
    assert response.json()["errors"] == {"secrecy_details": [
        f"the text is {n_chars} characters long; at most 10000 are allowed"]}
    assert Submission.objects.count() == 0


def test_more_answers_than_the_limit_are_refused_before_they_are_read(client, form, observer):
    answers = {**GOOD, **{f"q{i}": 1 for i in range(500)}}

    response = post(client, observer, answers)

    assert response.status_code == 422
    assert response.json()["errors"] == {"answers": ["504 items; at most 500 are allowed"]}


@pytest.mark.parametrize(("answer", "reason"), [
    (["queue"] * 101, "101 items; at most 100 are allowed"),
    (5, "a list of choices is expected"),
    ({"queue": True}, "a list of choices is expected"),
    ([["queue"]], "a list of choices is expected"),
], ids=["101 choices", "a number", "an object", "a nested list"])
def test_a_select_multiple_answer_that_is_not_a_short_list_is_refused(
        client, form, observer, answer, reason):
    response = post(client, observer, {**GOOD, "problems": answer})

    assert response.status_code == 422
    assert response.json()["errors"] == {"problems": [reason]}


@pytest.mark.parametrize("value", [2**63, -(2**63), "9" * 5000])
def test_a_whole_number_beyond_64_bits_is_refused(client, form, observer, value):
    response = post(client, observer, {**GOOD, "voted": value})

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["voted"]
    assert len(response.json()["errors"]["voted"][0]) < 100  # quoted back shortened


def test_a_text_answer_given_as_a_list_is_refused(client, form, observer):
    response = post(client, observer, {**ASKED, "secrecy_details": ["a", "b"]})

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "secrecy_details": ["one value is expected, not a list or an object"]}


@pytest.mark.parametrize(("position", "accepted"), [
    ("51.1694 71.4491", True),
    ("51.1694 71.4491 350 5", True),
    ("51.1694 71.4491 <script> 5", False),
    ("51.1694 71.4491 350 5 6", False),
    ("51.1694 nan", False),
])
def test_a_position_is_made_of_numbers_only(mission, observer, form, position, accepted):
    make_form(mission, "place", "voting", [question("where", "geopoint")])

    if accepted:
        stored, _created = send(observer, mission, form_id="place", answers={"where": position})
        assert stored.answers == {"where": position}
    else:
        with pytest.raises(Exception) as refused:
            send(observer, mission, form_id="place", answers={"where": position})
        assert list(refused.value.errors) == ["where"]


def _full_answers(definition: dict, comment_chars: int) -> dict:
    """Every question of a checklist answered, the longest way."""
    answers = {}
    for _section, q in questions(definition):
        kind = q["type"]
        if kind == "select_multiple":
            answers[q["name"]] = [c["name"] for c in q["choices"]]
        elif kind == "select_one":
            answers[q["name"]] = q["choices"][0]["name"]
        elif kind == "integer":
            answers[q["name"]] = 100
        elif kind == "text":
            answers[q["name"]] = "Ж" * comment_chars
        elif kind == "time":
            answers[q["name"]] = "10:42"
    return answers


def test_a_batch_of_200_legitimate_reports_fits_the_body_limit(client, form, mission, observer):
    version = load_checklist(mission, "voting")
    answers = _full_answers(version.definition, comment_chars=1000)
    reports = [{"uuid": str(uuid.uuid4()), "form_id": "voting", "location": "01001",
                "observed_at": "2023-03-19T10:42:00+06:00", "answers": answers}
               for _ in range(200)]
    body = json.dumps({"submissions": reports}, ensure_ascii=False).encode()

    response = client.post("/api/submissions/batch", body, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {make_api_token(observer)}")

    assert len(body) < settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 4
    assert response.status_code == 200
    assert (response.json()["stored"], response.json()["results"][0]["errors"]) == (200, {})
