"""The API: commitments with the evidence the caller may see, tagging, recommendations,
assessments and their counts; 403 for those who do not read or write, 422 naming the field."""

from eom.standards.models import Commitment, Tag
from tests.factories import make_api_token


def _api(client, user, method, path, body=None):
    headers = {"Authorization": f"Bearer {make_api_token(user)}"}
    send = getattr(client, method)
    if body is None:
        return send(f"/api{path}", headers=headers)
    return send(f"/api{path}", body, content_type="application/json", headers=headers)


def test_the_core_team_tags_through_the_api_and_analysts_read_what_they_may(scene, client):
    answer = _api(client, scene.core, "post", "/standards/tags", {
        "commitment": scene.commitment.pk, "kind": "meeting",
        "reference": str(scene.secret_meeting.pk), "note": "SECRET-TAG"})
    assert answer.status_code == 201, answer.content
    answer = _api(client, scene.core, "post", "/standards/tags", {
        "commitment": scene.commitment.pk, "kind": "complaint",
        "reference": str(scene.case.pk), "note": "case"})
    assert answer.status_code == 201
    seen = _api(client, scene.analyst, "get", f"/standards/commitments/{scene.commitment.pk}")
    assert [e["note"] for e in seen.json()["evidence"]] == ["case"]
    core = _api(client, scene.core, "get", "/standards/commitments").json()
    assert [e["note"] for e in core[0]["evidence"]] == ["case", "SECRET-TAG"]


def test_tagging_a_record_not_seen_answers_422_naming_the_reference(scene, client):
    answer = _api(client, scene.core, "post", "/standards/tags", {
        "commitment": scene.commitment.pk, "kind": "lto_section",
        "reference": f"{scene.draft.pk}:campaign_environment"})
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "payload", "reference"]
    assert not Tag.objects.exists()


def test_analysts_may_not_write_through_the_api(scene, client):
    answer = _api(client, scene.analyst, "post", "/standards/tags", {
        "commitment": scene.commitment.pk, "kind": "complaint", "reference": "1"})
    assert answer.status_code == 403
    answer = _api(client, scene.analyst, "put",
                  f"/standards/recommendations/{scene.recommendation.pk}/assessment",
                  {"status": "implemented"})
    assert answer.status_code == 403


def test_coordinators_read_nothing(scene, client):
    assert _api(client, scene.coordinator, "get", "/standards/commitments").status_code == 403
    assert _api(client, scene.coordinator, "get",
                "/standards/recommendations").status_code == 403


def test_an_assessment_through_the_api_shows_in_the_figures(scene, client):
    answer = _api(client, scene.core, "put",
                  f"/standards/recommendations/{scene.recommendation.pk}/assessment",
                  {"status": "partly", "evidence": "Some stations."})
    assert answer.status_code == 200
    assert answer.json()["status"] == "partly"
    assert answer.json()["assessment"]["assessed_by"] == scene.core.username
    figures = _api(client, scene.analyst, "get", "/standards/recommendations/figures").json()
    assert figures["n_recommendations"] == 1
    assert {c["status"]: c["n"] for c in figures["by_status"]}["partly"] == 1
    listed = _api(client, scene.analyst, "get", "/standards/recommendations?status=partly")
    assert [r["id"] for r in listed.json()] == [scene.recommendation.pk]


def test_a_recommendation_created_through_the_api_may_not_be_both_quoted_and_synthetic(
        scene, client):
    body = {"report_name": "Final report 2021", "report_year": 2021, "number": 2,
            "text": "Text", "quoted": True, "synthetic": True,
            "source_url": "https://example.org/report"}
    answer = _api(client, scene.core, "post", "/standards/recommendations", body)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "payload", "quoted"]
    body.update(quoted=False)
    assert _api(client, scene.core, "post", "/standards/recommendations",
                body).status_code == 201


def test_a_commitment_is_listed_once_per_source_and_reference(scene, client):
    body = {"source": "Copenhagen Document 1990", "reference": "para 7.4", "title": "Again"}
    answer = _api(client, scene.core, "post", "/standards/commitments", body)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "payload", "reference"]
    body["reference"] = "para 7.5"
    assert _api(client, scene.core, "post", "/standards/commitments", body).status_code == 201
    assert Commitment.objects.count() == 2
