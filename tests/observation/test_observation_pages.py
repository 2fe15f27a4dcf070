"""Election-day pages: the observer's checklist, and the mission's submissions and coverage."""

import pytest
from django.urls import reverse

from eom.observation.models import Submission
from tests.observation.scene import send, set_up


@pytest.fixture
def form(mission, tree, observer, other_team):
    return set_up(mission, tree, observer, other_team)


def test_assignments_list_the_stations_with_their_checklists(client, form, observer, tree):
    client.force_login(observer)
    page = client.get(reverse("observation:assignments")).content.decode()
    assert "01001" in page and "01002" in page and "02001" not in page
    assert reverse("observation:checklist", args=[tree["01001"].pk, "voting"]) in page


def test_checklist_renders_sections_and_logic(client, form, observer, tree):
    client.force_login(observer)
    response = client.get(reverse("observation:checklist", args=[tree["01001"].pk, "voting"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-question="secrecy_details"' in page
    assert 'id="form-logic"' in page and "xlsexpr.js" in page


def post_checklist(client, tree, answers, key="7f9c3c70-6d7b-4c55-9a43-0b6a8c1d2e3f"):
    url = reverse("observation:checklist", args=[tree["01001"].pk, "voting"])
    return client.post(url, {"uuid": key, "observed_at": "2023-03-19T10:30", **answers})


def test_observer_submits_and_sees_the_confirmation(client, form, observer, tree):
    client.force_login(observer)
    response = post_checklist(client, tree, {"registered": "100", "voted": "30", "secrecy": "no",
                                             "secrecy_details": "open booth",
                                             "problems": ["queue", "pressure"]})
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("observation:sent", args=[submission.uuid])
    assert submission.answers["problems"] == ["queue", "pressure"]
    assert submission.channel == "page"
    confirmation = client.get(response["Location"]).content.decode()
    assert str(submission.uuid) in confirmation


def test_resubmitting_the_same_page_stores_nothing_new(client, form, observer, tree):
    client.force_login(observer)
    answers = {"registered": "100", "secrecy": "yes"}
    post_checklist(client, tree, answers)
    post_checklist(client, tree, answers)
    assert Submission.objects.count() == 1


def test_errors_come_back_beside_the_question(client, form, observer, tree):
    client.force_login(observer)
    response = post_checklist(client, tree, {"registered": "100", "voted": "300",
                                             "secrecy": "yes"})
    assert response.status_code == 422
    assert "More voters than registered." in response.content.decode()
    assert Submission.objects.count() == 0


def test_observer_cannot_open_another_teams_station(client, form, observer, tree):
    client.force_login(observer)
    url = reverse("observation:checklist", args=[tree["02001"].pk, "voting"])
    response = client.post(url, {"uuid": "1f9c3c70-6d7b-4c55-9a43-0b6a8c1d2e3f",
                                 "registered": "5", "secrecy": "yes"})
    assert response.status_code == 403


def test_submissions_list_filters_by_region_and_flag(client, form, mission, observer,
                                                     core_member):
    send(observer, mission, answers={"registered": 100, "secrecy": "yes", "assessment": "bad"})
    send(core_member, mission, location="02001")
    client.force_login(core_member)
    url = reverse("observation:submissions")
    assert client.get(url).context["submissions"].paginator.count == 2
    assert client.get(url, {"region": "R2"}).context["submissions"].paginator.count == 1
    flagged = client.get(url, {"flag": "medium"}).context["submissions"]
    assert [s.location.code for s in flagged] == ["01001"]


def test_submission_detail_shows_flags_and_revisions(client, form, mission, observer,
                                                     core_member):
    from eom.observation import services

    submission, _ = send(observer, mission, answers={"registered": 100, "secrecy": "yes",
                                                     "assessment": "bad"})
    services.edit_submission(actor=core_member, channel="page", submission=submission,
                             answers={"registered": 100, "secrecy": "yes", "assessment": "good"},
                             reason="misheard")
    client.force_login(core_member)
    page = client.get(reverse("observation:submission", args=[submission.uuid])).content.decode()
    assert "misheard" in page and "Revisions" in page


def test_coordinator_edits_through_the_page(client, form, mission, observer, coordinator):
    submission, _ = send(observer, mission)
    client.force_login(coordinator)
    url = reverse("observation:submission_edit", args=[submission.uuid])
    response = client.post(url, {"registered": "100", "voted": "41", "secrecy": "yes",
                                 "assessment": "good", "reason": "recount"})
    assert response.status_code == 302
    assert submission.revisions.get().changes == {"voted": [40, 41]}


def test_coverage_page_shows_the_tree_and_refreshes(client, form, mission, observer,
                                                    core_member, tree):
    send(observer, mission)
    client.force_login(core_member)
    page = client.get(reverse("observation:coverage")).content.decode()
    assert 'hx-trigger="every 30s"' in page
    assert "1 / 3" in page


def test_forms_page_refuses_a_broken_workbook_naming_the_problem(client, form, core_member):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(core_member)
    upload = SimpleUploadedFile("broken.xlsx", b"not a workbook",
                                content_type="application/octet-stream")
    response = client.post(reverse("observation:forms"), {"workbook": upload})
    assert response.status_code == 422
    assert response.context["problems"] != []


@pytest.mark.parametrize("params, named", [
    ({"location": "NOWHERE"}, "<strong>Location code</strong> “NOWHERE”: Select a valid choice."),
    ({"observed_from": "yesterday"}, "<strong>Observed from</strong> “yesterday”: Enter a valid"),
    ({"form": "voting", "question": "registered", "answer": "100"},
     "<strong>Question</strong> “registered”: “registered” is not a choice question of voting."),
])
def test_submissions_list_names_an_invalid_filter_and_lists_nothing(client, form, mission,
                                                                    observer, core_member,
                                                                    params, named):
    send(observer, mission)
    send(core_member, mission, location="02001")
    client.force_login(core_member)
    url = reverse("observation:submissions")
    response = client.get(url, params)
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["submissions"].paginator.count == 0
    assert "This filter cannot be applied, so no submission is listed:" in html
    assert named in html
    partial = client.get(url, params, headers={"HX-Request": "true"}).content.decode()
    assert named in partial and "0 submissions" in partial
    assert client.get(url, {"region": "R2"}).context["submissions"].paginator.count == 1
