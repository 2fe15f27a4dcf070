"""A report's place matches its stage, through every channel: station stages at a polling
station the team is deployed to, tabulation at the commission of the deployment (the district
above its stations), never at the country or the region above it. A refusal names the location
field and the reason, and stores nothing."""

import uuid

import pytest
from django.urls import reverse

from eom.observation import permissions, services
from eom.observation.channels.openrosa import xform_of
from eom.observation.models import Stage, Submission
from tests.factories import (
    basic_auth,
    fill_xform_instance,
    load_checklist,
    make_api_token,
    make_form,
    question,
)
from tests.observation.scene import at, send, set_up

TABULATION = {"protocols": 2}


@pytest.fixture
def forms(mission, tree, observer, other_team):
    """The scene (STO-1 at 01001 and 01002 in D1, STO-2 at 02001 in D2) with a tabulation form
    beside the voting one, and an incident form."""
    voting = set_up(mission, tree, observer, other_team)
    tabulation = make_form(mission, "tabulation", Stage.TABULATION,
                           [question("protocols", required=True)])
    incident = make_form(mission, "incident", Stage.INCIDENT, [question("what", "text")])
    return {"voting": voting, "tabulation": tabulation, "incident": incident}


def api_post(client, user, location, form_id="tabulation", answers=None):
    body = {"uuid": str(uuid.uuid4()), "form_id": form_id, "location": location,
            "observed_at": "2023-03-19T22:30:00+06:00",
            "answers": TABULATION if answers is None else answers}
    return client.post("/api/submissions", body, content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {make_api_token(user)}")


# --- the rule -------------------------------------------------------------------------------


@pytest.mark.parametrize("place", ["KZ", "R1"])
def test_observer_cannot_file_tabulation_above_its_commission(client, forms, observer, place):
    response = api_post(client, observer, place)
    assert response.status_code == 403
    assert response.json()["errors"] == {"location": [
        f"you are not deployed to {place}; the commission of your polling stations is D1"]}
    assert Submission.objects.count() == 0


def test_observer_files_tabulation_at_the_commission_above_its_stations(client, forms, observer):
    response = api_post(client, observer, "D1")
    assert response.status_code == 201
    stored = Submission.objects.get()
    assert (stored.location.code, stored.team.code, stored.form.stage) == (
        "D1", "STO-1", "tabulation")


def test_observer_cannot_file_tabulation_at_another_teams_commission(client, forms, observer):
    response = api_post(client, observer, "D2")
    assert response.status_code == 403
    assert response.json()["errors"] == {"location": ["you are not deployed to D2"]}
    assert Submission.objects.count() == 0


def test_tabulation_at_a_polling_station_is_refused_naming_the_reason(client, forms, observer):
    response = api_post(client, observer, "01001")
    assert response.status_code == 422
    assert response.json()["errors"] == {"location": [
        "tabulation is observed at the commission above the polling stations; "
        "01001 is a polling station"]}
    assert Submission.objects.count() == 0


@pytest.mark.parametrize("place", ["KZ", "R1", "D1"])
def test_voting_is_reported_at_a_polling_station_only(client, forms, observer, core_member,
                                                      place):
    for user in (observer, core_member):  # not even the core team files voting for a region
        response = api_post(client, user, place, "voting",
                            {"registered": 100, "secrecy": "yes"})
        assert response.status_code == 422
        [reason] = response.json()["errors"]["location"]
        assert reason.startswith(f"voting is observed at a polling station; {place} is not one")
    assert Submission.objects.count() == 0


def test_core_team_files_tabulation_at_the_central_commission(client, forms, core_member):
    assert api_post(client, core_member, "KZ").status_code == 201


def test_coordinator_files_tabulation_in_its_area_only(client, forms, coordinator):
    assert api_post(client, coordinator, "R1").status_code == 201
    refused = api_post(client, coordinator, "KZ")
    assert refused.status_code == 403
    assert refused.json()["errors"] == {"location": ["KZ is outside your area"]}


def test_observer_reports_an_incident_at_its_station_or_commission_not_above(
    mission, forms, observer
):
    for place in ("01001", "D1"):
        send(observer, mission, location=place, form_id="incident", answers={"what": "x"})
    with pytest.raises(services.SubmissionRejected) as refused:
        send(observer, mission, location="KZ", form_id="incident", answers={"what": "x"})
    assert refused.value.status == 403
    assert Submission.objects.count() == 2


def test_tabulation_is_refused_outside_the_deployment_days(mission, tree, forms, observer):
    decision = permissions.SubmitRights(observer, mission).decide(
        tree["D1"], Stage.TABULATION, at(22).replace(day=25))
    assert (decision.allowed, decision.status) == (False, 403)


# --- every channel --------------------------------------------------------------------------


def test_a_batch_refuses_tabulation_above_the_commission_and_stores_the_rest(
    client, forms, observer
):
    reports = [
        {"uuid": str(uuid.uuid4()), "form_id": "tabulation", "location": place,
         "observed_at": "2023-03-19T22:30:00+06:00", "answers": TABULATION}
        for place in ("KZ", "D1", "01001")
    ]
    response = client.post("/api/submissions/batch", {"submissions": reports},
                           content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {make_api_token(observer)}")
    results = response.json()["results"]
    assert [r["status"] for r in results] == [403, 201, 422]
    assert results[0]["errors"] == {"location": [
        "you are not deployed to KZ; the commission of your polling stations is D1"]}
    assert list(Submission.objects.values_list("location__code", flat=True)) == ["D1"]


def test_the_web_page_refuses_tabulation_above_the_commission(client, forms, observer, tree):
    client.force_login(observer)
    url = reverse("observation:checklist", args=[tree["KZ"].pk, "tabulation"])
    assert client.get(url).status_code == 403
    response = client.post(url, {"uuid": str(uuid.uuid4()), "observed_at": "2023-03-19T22:30",
                                 "protocols": "2"})
    assert response.status_code == 403
    assert Submission.objects.count() == 0


def test_the_web_page_names_the_place_a_stage_is_not_reported_at(client, forms, observer, tree):
    client.force_login(observer)
    url = reverse("observation:checklist", args=[tree["01001"].pk, "tabulation"])
    assert client.get(url).status_code == 403
    response = client.post(url, {"uuid": str(uuid.uuid4()), "observed_at": "2023-03-19T22:30",
                                 "protocols": "2"})
    assert response.status_code == 422
    assert "01001 is a polling station" in response.content.decode()
    assert Submission.objects.count() == 0


def test_assignments_offer_tabulation_at_the_commission_not_at_the_stations(
    client, forms, observer, tree
):
    client.force_login(observer)
    page = client.get(reverse("observation:assignments")).content.decode()
    at_commission = reverse("observation:checklist", args=[tree["D1"].pk, "tabulation"])
    assert at_commission in page
    assert reverse("observation:checklist", args=[tree["01001"].pk, "tabulation"]) not in page
    assert reverse("observation:checklist", args=[tree["01001"].pk, "voting"]) in page
    assert client.get(at_commission).status_code == 200


def test_odk_collect_refuses_tabulation_for_the_country(
    client, mission, tree, observer, other_team, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    set_up(mission, tree, observer, other_team)
    xform, _hash = xform_of(load_checklist(mission, "tabulation"))
    values = {"eom_start": "2023-03-19T22:02:11.123+06:00", "eom_location": "KZ",
              "arrival_time": "22:02:00.000+06:00", "departure_time": "23:41:00.000+06:00",
              "transparent": "yes", "protocols_changed": "no", "observers_able": "yes",
              "assessment": "good"}

    def post(place):
        document = fill_xform_instance(xform, dict(values, eom_location=place), str(uuid.uuid4()))
        return client.post("/openrosa/submission", {"xml_submission_file": document.decode()},
                           **basic_auth(observer))

    refused = post("KZ")
    assert refused.status_code == 403
    assert ("you are not deployed to KZ; the commission of your polling stations is D1"
            in refused.content.decode())
    assert post("D1").status_code == 201
    assert list(Submission.objects.values_list("location__code", flat=True)) == ["D1"]


def test_sms_refuses_tabulation_for_the_country_and_at_a_station(settings,
    client, forms, observer
):
    settings.EOM_SMS_SECRET = "s3cret-for-tests"
    settings.EOM_SMS_PUBLIC_URL = ""
    observer.person.phone = "+77011234567"
    observer.person.save(update_fields=["phone"])
    code = observer.person.code

    def reply(text):
        response = client.post(
            reverse("sms:inbound"),
            {"sender": "+77011234567", "text": text, "time": at(22).isoformat(),
             "id": uuid.uuid4().hex},
            content_type="application/json", headers={"X-EOM-Secret": "s3cret-for-tests"})
        return response.json()["reply"]

    assert reply(f"TB {code} #KZ AA2") == "you are not deployed to KZ on that day"
    assert reply(f"TB {code} 01001 AA2") == (
        "not stored: tabulation is observed at the commission above the polling stations; "
        "01001 is a polling station")
    assert reply(f"TB {code} #D1 AA2").startswith("received: TB #D1 AA2")
    assert list(Submission.objects.values_list("location__code", flat=True)) == ["D1"]
