"""LTO reports through the JSON API: a team drafts, updates and submits; the core team reviews;
bounded input answers 422 naming the field; scope as on the pages."""

import datetime as dt

import pytest

from eom.lto.models import Report, ReportStatus
from eom.missions.models import AuditEntry
from tests.factories import make_api_token
from tests.lto.factories import local, write_report


def _call(client, user, method, path, body=None):
    headers = {"Authorization": f"Bearer {make_api_token(user)}"}
    send = getattr(client, method)
    if body is None:
        return send(f"/api{path}", headers=headers)
    return send(f"/api{path}", body, content_type="application/json", headers=headers)


DRAFT = {"team": "LTO-1", "period": 1,
         "answers": {"n_meetings": 2, "campaign_visible": "no"},
         "sections": [{"heading": "media", "text": "State TV only.", "tags": ["TV"]}],
         "passages": [{"heading": "security", "text": "API-SECRET from the prosecutor's office"}]}


def test_a_team_drafts_updates_and_submits_through_the_api(scene, client):
    answer = _call(client, scene.lto, "post", "/lto/reports", DRAFT)
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["team"], body["period"], body["region"], body["status"]) == (
        "LTO-1", 1, "R1", "draft")
    assert body["sections"] == [{"heading": "media", "text": "State TV only.", "tags": ["tv"]}]
    assert body["passages"] == [{"heading": "security",  # its team reads it back
                                 "text": "API-SECRET from the prosecutor's office"}]
    report_id = body["id"]
    answer = _call(client, scene.lto_mate, "put", f"/lto/reports/{report_id}", {
        "sections": [{"heading": "media", "text": "State TV and one newspaper."}]})
    assert answer.json()["sections"][0]["text"] == "State TV and one newspaper."
    answer = _call(client, scene.lto, "post", f"/lto/reports/{report_id}/submit")
    assert answer.json()["status"] == "submitted"
    assert _call(client, scene.lto, "put", f"/lto/reports/{report_id}",
                 {"sections": []}).status_code == 403
    core = _call(client, scene.core, "get", f"/lto/reports/{report_id}").json()
    assert core["passages"] == [{"heading": "security",
                                 "text": "API-SECRET from the prosecutor's office"}]
    analyst = _call(client, scene.analyst, "get", f"/lto/reports/{report_id}").json()
    assert analyst["passages"] == []
    assert _call(client, scene.other_lto, "get",
                 f"/lto/reports/{report_id}").status_code == 404
    assert AuditEntry.objects.filter(model="lto.report", channel="api").count() == 3


def test_the_core_team_reviews_through_the_api(scene, client):
    report = write_report(scene, submit_at=local(2023, 2, 21, 18, 30))
    answer = _call(client, scene.core, "post", f"/lto/reports/{report.pk}/review",
                   {"kind": "follow_up", "text": "How many rallies?"})
    body = answer.json()
    assert (body["status"], body["late_by_seconds"]) == ("follow_up", 86400 + 1800)
    assert body["notes"][0]["kind"] == "follow_up"
    assert _call(client, scene.analyst, "post", f"/lto/reports/{report.pk}/review",
                 {"kind": "accepted"}).status_code == 403


@pytest.mark.parametrize("change,field", [
    ({"sections": [{"heading": "weather", "text": "Sunny"}]}, ["sections", "0", "heading"]),
    ({"sections": [{"heading": "media", "text": "x" * 20_001}]}, ["sections", "0", "text"]),
    ({"passages": [{"heading": "media", "text": "x" * 20_001}]}, ["passages", "0", "text"]),
    ({"answers": {"colour": "red"}}, ["answers", "colour"]),
    ({"answers": {"n_meetings": 2_000_000}}, ["answers", "n_meetings"]),
    ({"sections": [{"heading": "media", "text": "a\u0000b"}]}, ["sections", "0", "text"]),
    ({"kind": "daily"}, ["kind"]),
    ({"team": "LTO-2"}, ["team"]),
    ({"period": 7}, ["period"]),
    ({"title": "t" * 201}, ["title"]),
    ({"sections": [{"heading": "media", "tags": ["x" * 51]}]}, ["sections", "0", "tags", "0"]),
])
def test_input_that_does_not_fit_answers_422_naming_the_field(scene, client, change, field):
    answer = _call(client, scene.lto, "post", "/lto/reports", {**DRAFT, **change})
    assert answer.status_code == 422, answer.content
    locations = [".".join(str(part) for part in error["loc"]) for error in answer.json()["detail"]]
    assert any(loc.endswith(".".join(field)) for loc in locations), locations
    assert not Report.objects.exists()


def test_drafts_and_other_regions_are_not_found(scene, client):
    draft = write_report(scene)
    other = write_report(scene, scene.other_team, submit_at=local(2023, 2, 20))
    assert _call(client, scene.other_lto, "get", f"/lto/reports/{draft.pk}").status_code == 404
    assert _call(client, scene.other_lto, "post",
                 f"/lto/reports/{draft.pk}/submit").status_code == 404
    assert _call(client, scene.coordinator, "get", f"/lto/reports/{other.pk}").status_code == 404
    assert _call(client, scene.observer, "get", "/lto/reports").status_code == 403
    listed = _call(client, scene.analyst, "get", "/lto/reports").json()["items"]
    assert [r["team"] for r in listed] == ["LTO-2"]
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT


def test_periods_list_their_deadlines_and_questions(scene, client):
    body = _call(client, scene.lto, "get", "/lto/periods").json()
    assert [(p["number"], p["starts"], dt.datetime.fromisoformat(p["deadline"]))
            for p in body] == [(1, "2023-02-13", local(2023, 2, 20, 18))]
    assert [q["name"] for q in body[0]["questions"]] == ["n_meetings", "campaign_visible",
                                                         "main_concern"]
