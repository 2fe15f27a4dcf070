"""A refused report is answered with its reasons in the sender's language, keyed by the question
(or field) each concerns; an expired login is 401, distinct from a refusal; the channel recorded
is the one the phone names; each answer's written form is the one answers.js checks too."""

import uuid

import pytest
from django.urls import reverse
from django.utils import translation

from eom.missions.models import Deployment
from eom.observation.answers import clean_answers
from eom.observation.models import Submission
from tests.factories import question
from tests.observation.scene import set_up


@pytest.fixture
def form(mission, tree, observer, other_team):
    return set_up(mission, tree, observer, other_team)


def report(location="01001", **answers):
    return {"uuid": str(uuid.uuid4()), "form_id": "voting", "location": location,
            "observed_at": "2023-03-19T10:42:00+06:00",
            "answers": {"registered": "100", "secrecy": "yes", **answers}}


def post_batch(client, reports, **headers):
    return client.post("/api/submissions/batch", {"submissions": reports},
                       content_type="application/json", **headers)


def test_the_reasons_come_in_the_senders_language_by_question(client, form, observer):
    client.force_login(observer)
    client.cookies["django_language"] = "ru"
    answer = post_batch(client, [report(registered="7.5"), report(location="02001")])
    assert answer.status_code == 200
    assert [(r["status"], r["errors"]) for r in answer.json()["results"]] == [
        (422, {"registered": ["“7.5” — не целое число"]}),
        (403, {"location": ["вы не размещены на территории 02001"]}),
    ]


def test_an_expired_login_is_401_and_a_refusal_is_not(client, form, observer):
    assert post_batch(client, [report()]).status_code == 401
    client.force_login(observer)
    Deployment.objects.all().delete()
    refused = post_batch(client, [report()])
    assert (refused.status_code, refused.json()["results"][0]["status"]) == (200, 403)


@pytest.mark.parametrize(("client_name", "channel"), [
    ("checklist-page", "page"), ("offline-app", "offline"), ("", "api")])
def test_the_channel_recorded_is_the_one_the_phone_names(client, form, observer, client_name,
                                                        channel):
    client.force_login(observer)
    post_batch(client, [report()], HTTP_X_EOM_CLIENT=client_name)
    assert Submission.objects.get().channel == channel


def test_the_checklist_page_shows_a_refusal_of_the_place_with_the_form(client, form, observer,
                                                                      tree):
    client.force_login(observer)
    Deployment.objects.all().delete()
    url = reverse("observation:checklist", args=[tree["01001"].pk, "voting"])
    response = client.post(url, {"uuid": str(uuid.uuid4()), "observed_at": "2023-03-19T10:30",
                                 "registered": "5", "secrecy": "yes"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "you are not deployed to 01001" in page and 'name="registered"' in page
    assert Submission.objects.count() == 0


DEFINITION = {"sections": [{"name": "", "relevant_json": None, "questions": [
    question("n", "integer"), question("share", "decimal"), question("day", "date"),
    question("at", "time"), question("moment", "datetime"), question("where", "geopoint"),
]}]}


@pytest.mark.parametrize(("name", "written", "stored"), [
    ("n", " 1 000 ", 1000), ("n", "+7", 7), ("share", "2,5", 2.5), ("share", ".5e1", 5.0),
    ("day", "2024-02-29", "2024-02-29"), ("at", "10:30", "10:30:00"),
    ("at", "10:30:00.000+06:00", "10:30:00+06:00"), ("at", "10:30Z", "10:30:00+00:00"),
    ("moment", "2023-03-19 10:30", "2023-03-19T10:30:00"), ("where", "43.2 76.9 800 5",
                                                            "43.2 76.9 800 5"),
])
def test_an_answer_written_as_stated_is_stored_in_its_type(name, written, stored):
    assert clean_answers(DEFINITION, {name: written}).answers == {name: stored}


@pytest.mark.parametrize(("name", "written"), [
    ("n", "٣"), ("n", "1e3"), ("n", "7.5"), ("share", "1_000"), ("share", "١٫٥"),
    ("share", "infinity"), ("day", "20230319"), ("day", "2023-W11-7"), ("day", "2023-02-29"),
    ("at", "1030"), ("at", "T10:30"), ("at", "24:00"), ("moment", "2023-03-19"),
    ("moment", "2023-03-19X10:30"), ("where", "43.2 0x10"), ("where", "43,2 76,9"),
])
def test_an_answer_written_otherwise_is_refused_naming_the_question(name, written):
    with translation.override("en"):
        assert list(clean_answers(DEFINITION, {name: written}).errors) == [name]

