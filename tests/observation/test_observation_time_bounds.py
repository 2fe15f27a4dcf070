"""A report's time observed lies in the mission's observation period (its own dates, else its
deployment's, else 2000 to a day ahead of the server): outside it the report is refused naming
`observed_at`, through every channel, and nothing is stored. A time stored before this check
existed is still shown by the pages."""

import datetime as dt
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from eom.missions import validators
from eom.missions.models import Mission
from eom.observation import services
from eom.observation.channels.openrosa import xform_of
from eom.observation.models import SmsMessage, Submission
from tests.factories import basic_auth, fill_xform_instance, load_checklist, make_api_token
from tests.observation.scene import at, send, set_up

FAR_FUTURE = "9999-12-31T10:00:00+06:00"


@pytest.fixture
def form(mission, tree, observer, other_team):
    return set_up(mission, tree, observer, other_team)


def api_post(client, user, path, body, **headers):
    return client.post(path, body, content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {make_api_token(user)}", **headers)


def report(observed_at, location="01001"):
    return {"uuid": str(uuid.uuid4()), "form_id": "voting", "location": location,
            "observed_at": observed_at,
            "answers": {"registered": 100, "voted": 40, "secrecy": "yes", "assessment": "good"}}


def local(*parts) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*parts))


def test_a_report_dated_9999_12_31_is_refused_for_a_coordinator_naming_observed_at(
        client, form, coordinator):
    response = api_post(client, coordinator, "/api/submissions", report(FAR_FUTURE))

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["observed_at"]
    assert "9999-12-31" in response.json()["errors"]["observed_at"][0]
    assert Submission.objects.count() == 0


@pytest.mark.parametrize("client_header", [{}, {"HTTP_X_EOM_CLIENT": "offline-app"}],
                         ids=["api", "offline app"])
def test_a_report_of_a_batch_observed_after_the_period_is_refused_alone(
        client, form, mission, observer, client_header):
    mission.observation_ends = dt.date(2023, 3, 20)
    mission.save()
    body = {"submissions": [report("2023-03-20T23:59:00+06:00"),
                            report("2023-03-21T00:00:00+06:00")]}

    response = api_post(client, observer, "/api/submissions/batch", body, **client_header)

    results = response.json()["results"]
    assert [r["status"] for r in results] == [201, 422]
    assert list(results[1]["errors"]) == ["observed_at"]
    assert Submission.objects.count() == 1


OWN = {"observation_starts": dt.date(2023, 3, 18), "observation_ends": dt.date(2023, 3, 20)}
DEPLOYMENT = {"deployment_start": dt.date(2023, 2, 7), "deployment_end": dt.date(2023, 3, 29)}


@pytest.mark.parametrize(("period", "moment", "accepted"), [
    pytest.param(OWN, (2023, 3, 17, 23, 59), False, id="own: the minute before"),
    pytest.param(OWN, (2023, 3, 18, 0, 0), True, id="own: the first minute"),
    pytest.param(OWN, (2023, 3, 20, 23, 59), True, id="own: the last minute"),
    pytest.param(OWN, (2023, 3, 21, 0, 0), False, id="own: the minute after"),
    pytest.param(DEPLOYMENT, (2023, 2, 6, 23, 59), False, id="deployment: the minute before"),
    pytest.param(DEPLOYMENT, (2023, 3, 29, 23, 59), True, id="deployment: the last minute"),
    pytest.param(DEPLOYMENT, (2023, 3, 30, 0, 0), False, id="deployment: the minute after"),
    pytest.param({**DEPLOYMENT, "observation_ends": dt.date(2023, 3, 20)}, (2023, 3, 21, 10, 0),
                 False, id="own end before the deployment's"),
    pytest.param({}, (1999, 12, 31, 23, 59), False, id="none: 1999"),
    pytest.param({}, (2000, 1, 1, 0, 0), True, id="none: 2000"),
    pytest.param({}, (1, 1, 1, 0, 0), False, id="none: year 1"),
])
def test_the_observation_period_is_the_missions_else_the_deployments_else_from_2000(
        period, moment, accepted):
    mission = Mission(**{"deployment_start": None, "deployment_end": None, **period})

    problem = validators.observed_at_problem(mission, local(*moment))

    assert (problem is None) == accepted


def test_a_time_more_than_a_day_ahead_of_the_server_is_refused_even_inside_the_period():
    now = local(2023, 3, 19, 12, 0)
    mission = Mission(observation_starts=dt.date(2023, 3, 1), observation_ends=dt.date(2023, 4, 1))

    assert validators.observed_at_problem(mission, now + dt.timedelta(hours=23), now) is None
    assert "future" in validators.observed_at_problem(mission, now + dt.timedelta(days=1), now)


def test_every_channel_ends_in_the_same_check(form, mission, observer):
    mission.observation_ends = dt.date(2023, 3, 18)
    mission.save()

    with pytest.raises(services.SubmissionRejected) as refused:
        send(observer, mission, when=at(10), channel="sms")

    assert list(refused.value.errors) == ["observed_at"]
    assert refused.value.status == 422


@pytest.mark.parametrize("observed_at", ["9999-12-31T10:00", "2023-02-30T10:00", "yesterday"])
def test_the_checklist_page_shows_a_time_it_refuses_next_to_the_field(
        client, form, observer, tree, observed_at):
    client.force_login(observer)
    url = reverse("observation:checklist", args=[tree["01001"].pk, "voting"])

    response = client.post(url, {"uuid": str(uuid.uuid4()), "observed_at": observed_at,
                                 "registered": "100", "voted": "40", "secrecy": "yes",
                                 "assessment": "good"})

    assert response.status_code == 422
    assert response.context["errors"].keys() == {"observed_at"}
    assert observed_at[:10] in response.context["errors"]["observed_at"][0]
    assert Submission.objects.count() == 0


SECRET = "s3cret-for-tests"


@pytest.fixture
def sms_observer(settings, form, observer):
    settings.EOM_SMS_SECRET = SECRET
    observer.person.phone = "+77011234567"
    observer.person.save(update_fields=["phone"])
    return observer


def sms(client, text, when: str):
    data = {"sender": "+77011234567", "text": text, "time": when, "id": uuid.uuid4().hex}
    return client.post(reverse("sms:inbound"), data, content_type="application/json",
                       headers={"X-EOM-Secret": SECRET})


def test_an_sms_sent_after_the_observation_period_is_refused_and_says_why(
        client, mission, sms_observer):
    mission.observation_ends = dt.date(2023, 3, 19)
    mission.save()
    text = f"VT {sms_observer.person.code} 01001 AA100 AB40 AC1 AE1,3 AF2"

    response = sms(client, text, "2023-03-20T10:00:00+06:00")

    assert response.status_code == 200
    assert response.json()["status"] == SmsMessage.Status.REJECTED
    assert "observation period" in response.json()["reply"]
    assert Submission.objects.count() == 0


def test_an_sms_gateway_time_before_2000_is_refused_naming_time(client, sms_observer):
    response = sms(client, "VT X 01001 AA1", "0001-01-01T00:00:00+14:00")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["time"]
    assert SmsMessage.objects.count() == 0


def test_an_odk_form_opened_in_9999_is_refused_naming_the_time(
        client, mission, tree, observer, other_team):
    set_up(mission, tree, observer, other_team)
    version = load_checklist(mission, "voting")
    xform, _hash = xform_of(version)
    values = {"eom_start": "9999-12-31T10:00:00.000+06:00", "eom_location": "01001",
              "n_registered": "1200", "n_voted": "430", "assessment": "good"}
    xml = fill_xform_instance(xform, values, str(uuid.uuid4()))

    response = client.post("/openrosa/submission", {
        "xml_submission_file": SimpleUploadedFile("instance.xml", xml, "text/xml")},
        **basic_auth(observer))

    assert response.status_code == 422
    assert "Time the form was opened" in response.content.decode()
    assert Submission.objects.count() == 0


@pytest.mark.parametrize("stored", [
    dt.datetime(9999, 12, 31, 23, 0, tzinfo=dt.UTC),
    dt.datetime(1, 1, 1, 0, 0, tzinfo=dt.UTC),
], ids=["9999-12-31", "0001-01-01"])
def test_pages_show_a_report_stored_with_a_time_at_the_end_of_the_calendar(
        client, form, mission, observer, core_member, stored):
    submission, _created = send(observer, mission)
    Submission.objects.filter(pk=submission.pk).update(observed_at=stored)
    client.force_login(core_member)

    for url in ("/submissions/", "/coverage/", f"/submissions/{submission.uuid}/",
                f"/api/submissions/{submission.uuid}", "/api/submissions"):
        assert client.get(url).status_code == 200, url

    assert str(submission.uuid) in client.get("/submissions/").content.decode()
