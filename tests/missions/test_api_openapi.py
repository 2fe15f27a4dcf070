"""/api/openapi.json describes every endpoint, with examples; /api/docs shows it."""

import pytest

ENDPOINTS = {
    "/api/missions": ["get"],
    "/api/elections": ["get"],
    "/api/contests": ["get"],
    "/api/parties": ["get"],
    "/api/locations": ["get"],
    "/api/locations/{location_id}": ["get"],
    "/api/people": ["get"],
    "/api/teams": ["get"],
    "/api/teams/{team_id}": ["get"],
    "/api/meetings": ["get", "post"],
    "/api/meetings/{meeting_id}": ["get", "put"],
    "/api/forms": ["get"],
    "/api/forms/{form_id}": ["get"],
    "/api/assignments": ["get"],
    "/api/submissions": ["get", "post"],
    "/api/submissions/batch": ["post"],
    "/api/submissions/with-files": ["post"],
    "/api/submissions/{uuid}": ["get"],
    "/api/indicators": ["get"],
    "/api/lto/periods": ["get"],
    "/api/lto/reports": ["get", "post"],
    "/api/lto/reports/{report_id}": ["get", "put"],
    "/api/lto/reports/{report_id}/submit": ["post"],
    "/api/lto/reports/{report_id}/review": ["post"],
    "/api/complaints": ["get", "post"],
    "/api/complaints/{case_id}": ["get", "put"],
    "/api/media/outlets": ["get"],
    "/api/media/items": ["get", "post"],
    "/api/media/figures": ["get"],
    "/api/media/items/{item_id}": ["delete", "patch"],
    "/api/standards/commitments": ["get", "post"],
    "/api/standards/commitments/{commitment_id}": ["get"],
    "/api/standards/tags": ["post"],
    "/api/standards/recommendations": ["get", "post"],
    "/api/standards/recommendations/figures": ["get"],
    "/api/standards/recommendations/{recommendation_id}": ["get"],
    "/api/standards/recommendations/{recommendation_id}/assessment": ["put"],
    "/api/publications": ["get"],
    "/api/publications/{name}": ["get"],
}


@pytest.fixture
def schema(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_openapi_lists_every_endpoint(schema):
    assert {path: sorted(methods) for path, methods in schema["paths"].items()} == ENDPOINTS


def test_openapi_every_endpoint_requires_a_token_or_a_session(schema):
    securities = {
        (path, method): operation["security"]
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }

    assert set(map(str, securities.values())) == {"[{'BearerToken': []}, {'Session': []}]"}
    assert schema["components"]["securitySchemes"]["BearerToken"] == {
        "type": "http", "scheme": "bearer",
    }


def test_openapi_meeting_body_carries_examples(schema):
    properties = schema["components"]["schemas"]["MeetingIn"]["properties"]

    assert properties["place"]["examples"] == ["Central Election Commission, Astana"]
    assert properties["participants"]["examples"] == [["CT01", "CT03"]]


def test_openapi_filters_and_mission_are_documented(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/meetings"]["get"]["parameters"]}

    assert sorted(parameters) == [
        "date_from", "date_to", "interlocutor", "mission", "organisation", "page", "page_size",
        "q", "region", "topic",
    ]
    assert parameters["mission"]["example"] == "kz-2023-parliamentary"


def test_openapi_docs_page_loads(client, analyst):
    client.force_login(analyst)  # the page is for signed-in users (test_api_docs_require_login)

    response = client.get("/api/docs")

    assert response.status_code == 200
    assert b"/api/openapi.json" in response.content
