"""/api/docs is for signed-in users with access to eom; /api/openapi.json stays public (it
describes the open-source code and holds no data; clients read it before they have a token)."""

from django_otp.plugins.otp_totp.models import TOTPDevice


def test_the_docs_page_sends_an_anonymous_visitor_to_the_login_page(client):
    response = client.get("/api/docs")

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/api/docs"


def test_the_docs_page_opens_for_a_signed_in_observer(client, observer):
    client.force_login(observer)

    response = client.get("/api/docs")

    assert response.status_code == 200
    assert b"/api/openapi.json" in response.content


def test_the_docs_page_is_refused_to_a_login_without_access(client, outsider):
    client.force_login(outsider)

    assert client.get("/api/docs").status_code == 403


def test_the_docs_page_asks_a_core_member_for_the_code_first(client, core_member):
    TOTPDevice.objects.create(user=core_member, name="phone", confirmed=True)
    client.post("/login/", {"username": core_member.username, "password": "pw-for-tests"})

    response = client.get("/api/docs")

    assert response["Location"] == "/account/two-factor/?next=%2Fapi%2Fdocs"


def test_the_schema_is_public(client):
    response = client.get("/api/openapi.json")

    assert response.status_code == 200
    assert response.json()["info"]["title"] == "eom API"
