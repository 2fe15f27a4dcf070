"""Who may call the JSON API: bearer tokens, sessions (with CSRF), logins without access."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from eom.missions.models import Access, ApiToken, Meeting
from tests.factories import make_api_token, make_meeting, make_mission, make_user

MEETING = {"date": "2023-02-10", "place": "Central Election Commission, Astana"}


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_api_without_credentials_is_401(client, mission):
    response = client.get("/api/missions")

    assert response.status_code == 401
    assert response.json() == {
        "detail": "Authentication required: send Authorization: Bearer <token>, or log in."
    }


def test_api_unknown_token_is_401(client, core_member):
    make_api_token(core_member)

    response = client.get("/api/missions", headers=_bearer("eom_not-a-token"))

    assert response.status_code == 401
    assert response.json() == {"detail": "Unknown or revoked API token."}


def test_api_revoked_token_is_401(client, core_member):
    token = make_api_token(core_member)
    ApiToken.objects.update(revoked=True)

    response = client.get("/api/missions", headers=_bearer(token))

    assert response.status_code == 401


def test_api_token_of_inactive_login_is_401(client, core_member):
    token = make_api_token(core_member)
    get_user_model().objects.filter(pk=core_member.pk).update(is_active=False)

    response = client.get("/api/missions", headers=_bearer(token))

    assert response.status_code == 401


def test_api_bad_token_is_401_even_with_a_session(client, core_member):
    client.force_login(core_member)

    response = client.get("/api/missions", headers=_bearer("eom_not-a-token"))

    assert response.status_code == 401


def test_api_token_works_and_records_its_use(client, mission, core_member):
    token = make_api_token(core_member)

    response = client.get("/api/missions", headers=_bearer(token))

    assert response.status_code == 200
    assert [m["code"] for m in response.json()] == ["test-mission"]
    assert ApiToken.objects.get().last_used_at <= timezone.now()


@pytest.mark.parametrize("scheme", ["Token", "Basic"])
def test_api_other_authorization_scheme_is_401(client, core_member, scheme):
    token = make_api_token(core_member)

    response = client.get("/api/missions", headers={"Authorization": f"{scheme} {token}"})

    assert response.status_code == 401


def test_api_token_of_login_without_person_is_403(client, outsider):
    token = make_api_token(outsider)

    response = client.get("/api/missions", headers=_bearer(token))

    assert response.status_code == 403
    assert response.json() == {"detail": "This login has no access to eom."}


def test_api_token_of_person_without_access_is_403(client, mission):
    user = make_user(mission, Access.NONE)
    token = make_api_token(user)

    response = client.get("/api/meetings", headers=_bearer(token))

    assert response.status_code == 403


def test_api_session_of_login_without_person_is_403(client, outsider):
    client.force_login(outsider)

    response = client.get("/api/missions")

    assert response.status_code == 403
    assert response.json() == {"detail": "This login has no access to eom."}


def test_api_session_works(client, mission, analyst):
    client.force_login(analyst)

    response = client.get("/api/missions")

    assert response.status_code == 200


def test_api_session_post_without_csrf_token_is_403(mission, coordinator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)

    response = client.post("/api/meetings", MEETING, content_type="application/json")

    assert response.status_code == 403
    assert response.json() == {"detail": "CSRF check Failed"}
    assert Meeting.objects.count() == 0


def test_api_session_post_with_csrf_token_is_201(mission, coordinator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    secret = "abcdefghijklmnopqrstuvwxyzABCDEF"  # as a page's csrftoken cookie holds it
    client.cookies["csrftoken"] = secret

    response = client.post(
        "/api/meetings", MEETING, content_type="application/json",
        headers={"X-CSRFToken": secret},
    )

    assert response.status_code == 201
    assert Meeting.objects.count() == 1


def test_api_bearer_post_needs_no_csrf_token(mission, coordinator):
    client = Client(enforce_csrf_checks=True)
    token = make_api_token(coordinator)

    response = client.post(
        "/api/meetings", MEETING, content_type="application/json", headers=_bearer(token)
    )

    assert response.status_code == 201


def test_api_missions_lists_only_the_callers_mission(client, mission, analyst):
    other = make_mission("other-mission", name="Other mission")
    make_meeting(other, actor=make_user(other, Access.CORE_TEAM, role="head_of_mission"))
    token = make_api_token(analyst)

    response = client.get("/api/missions", headers=_bearer(token))

    assert [m["code"] for m in response.json()] == ["test-mission"]


def test_api_another_missions_data_is_404(client, mission, core_member):
    other = make_mission("other-mission", name="Other mission")
    make_meeting(other, actor=make_user(other, Access.CORE_TEAM, role="head_of_mission"))
    token = make_api_token(core_member)

    response = client.get("/api/meetings?mission=other-mission", headers=_bearer(token))

    assert response.status_code == 404
    assert response.json() == {"detail": "No mission other-mission."}


def test_api_superuser_without_person_sees_every_mission(client, mission):
    make_mission("other-mission", name="Other mission", deployment_start=None)
    root = get_user_model().objects.create_superuser("root", password="pw-for-tests")
    token = make_api_token(root)

    response = client.get("/api/missions", headers=_bearer(token))

    assert sorted(m["code"] for m in response.json()) == ["other-mission", "test-mission"]
