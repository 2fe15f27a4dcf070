"""Two-factor sign-in for the core team and administrators: after the password, enrolment (QR
code, secret, first code) or the code page; until then every page, the admin and the session's
API answer as not signed in; bearer tokens are their own factor; an administrator resets a lost
device."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from eom.demo import kz2023
from eom.missions import services, twofactor
from eom.missions.account import PENDING_SECRET
from eom.missions.models import AuditEntry
from tests.factories import make_api_token, make_user

RIGHT = "pw-for-tests"


def _code(key_hex: str, drift: int = 0) -> str:
    totp = TOTP(bytes.fromhex(key_hex), drift=drift)
    return f"{totp.token():06d}"


def _sign_in(client, user, **extra):
    return client.post("/login/", {"username": user.username, "password": RIGHT, **extra})


def _enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def test_a_core_member_without_a_device_is_sent_to_enrolment_after_the_password(
    client, core_member
):
    response = _sign_in(client, core_member, next="/meetings/")
    followed = client.get(response["Location"])

    assert followed.status_code == 302
    assert followed["Location"] == "/account/two-factor/enrol/?next=%2Fmeetings%2F"


def test_enrolment_shows_a_qr_code_and_the_secret_and_a_right_code_confirms_it(
    client, core_member
):
    _sign_in(client, core_member)

    page = client.get("/account/two-factor/enrol/?next=/meetings/")
    secret = client.session[PENDING_SECRET]
    device = twofactor.unsaved_device(core_member, secret)
    confirmed = client.post("/account/two-factor/enrol/",
                            {"code": _code(secret), "next": "/meetings/"})

    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    assert b"<svg" in page.content
    assert twofactor.secret_base32(device).encode() in page.content
    assert confirmed.status_code == 302
    assert confirmed["Location"] == "/meetings/"
    assert client.get("/meetings/").status_code == 200
    stored = TOTPDevice.objects.get(user=core_member)
    assert (stored.key, stored.confirmed) == (secret, True)
    entry = AuditEntry.objects.get(model="otp_totp.totpdevice")
    assert (entry.action, entry.channel, entry.actor) == ("create", "page", core_member)


def test_the_enrolment_secret_stays_the_same_until_it_is_confirmed(client, core_member):
    _sign_in(client, core_member)
    client.get("/account/two-factor/enrol/")
    first = client.session[PENDING_SECRET]

    client.get("/account/two-factor/enrol/")

    assert client.session[PENDING_SECRET] == first


def test_a_wrong_enrolment_code_stores_no_device(client, core_member):
    _sign_in(client, core_member)
    client.get("/account/two-factor/enrol/")
    secret = client.session[PENDING_SECRET]
    wrong = f"{(int(_code(secret)) + 500_000) % 1_000_000:06d}"

    response = client.post("/account/two-factor/enrol/", {"code": wrong})

    assert response.status_code == 200
    assert b"This code is not right" in response.content
    assert not TOTPDevice.objects.exists()
    assert client.get("/meetings/").status_code == 302


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "١٢٣٤٥٦", "9" * 5000])
def test_a_malformed_code_is_an_error_naming_the_field(client, core_member, code):
    _enrolled(core_member)
    _sign_in(client, core_member)

    response = client.post("/account/two-factor/", {"code": code})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]


def test_with_a_device_the_code_page_is_asked_and_a_right_code_opens_every_page(
    client, core_member
):
    device = _enrolled(core_member)
    response = _sign_in(client, core_member, next="/meetings/")
    asked = client.get("/meetings/")

    verified = client.post("/account/two-factor/",
                           {"code": f"{_code(device.key)[:3]} {_code(device.key)[3:]}",
                            "next": "/meetings/"})

    assert response.status_code == 302
    assert asked["Location"] == "/account/two-factor/?next=%2Fmeetings%2F"
    assert verified["Location"] == "/meetings/"
    assert client.get("/meetings/").status_code == 200
    assert client.get("/api/missions").status_code == 200


def test_giving_the_code_changes_the_session_key(client, core_member):
    device = _enrolled(core_member)
    _sign_in(client, core_member)
    before = client.session.session_key

    client.post("/account/two-factor/", {"code": _code(device.key)})

    assert client.session.session_key != before


def test_until_the_code_is_given_pages_admin_and_session_api_answer_as_not_signed_in(
    client, administrator, mission
):
    _enrolled(administrator)
    _sign_in(client, administrator)

    for path in ["/", "/people/", "/admin/", "/admin/missions/mission/", "/api/docs",
                 "/account/tokens/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/account/two-factor/?next="), path
    api = client.get("/api/missions")
    posted = client.post("/api/meetings", {}, content_type="application/json")
    assert (api.status_code, posted.status_code) == (401, 401)


def test_a_wrong_code_is_refused_and_the_pages_stay_closed(client, core_member):
    device = _enrolled(core_member)
    _sign_in(client, core_member)
    wrong = f"{(int(_code(device.key)) + 500_000) % 1_000_000:06d}"

    response = client.post("/account/two-factor/", {"code": wrong})

    assert b"This code is not right" in response.content
    assert client.get("/meetings/").status_code == 302


def test_after_wrong_codes_even_the_right_one_waits(client, core_member):
    device = _enrolled(core_member)
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=5, throttling_failure_timestamp=timezone.now()
    )
    _sign_in(client, core_member)

    response = client.post("/account/two-factor/", {"code": _code(device.key)})

    assert b"Too many wrong codes in a row" in response.content
    assert client.get("/meetings/").status_code == 302


def test_a_code_is_accepted_once(client, core_member):
    device = _enrolled(core_member)
    code = _code(device.key)
    _sign_in(client, core_member)
    client.post("/account/two-factor/", {"code": code})
    client.post("/logout/")

    _sign_in(client, core_member)
    replayed = client.post("/account/two-factor/", {"code": code})

    assert b"This code is not right" in replayed.content


def test_a_bearer_token_of_a_core_member_needs_no_code(client, core_member):
    _enrolled(core_member)
    token = make_api_token(core_member)

    response = client.get("/api/missions", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 200


def test_an_unverified_session_cannot_issue_a_token(client, core_member):
    _enrolled(core_member)
    _sign_in(client, core_member)

    page = client.post("/account/tokens/", {"name": "laptop", "days": 30})

    assert page.status_code == 302
    assert page["Location"].startswith("/account/two-factor/")
    with pytest.raises(PermissionDenied):
        services.issue_token(actor=core_member, channel="page", user=core_member, name="x")
    assert not core_member.api_tokens.exists()


@pytest.mark.parametrize("persona", ["observer", "coordinator", "analyst"])
def test_other_access_levels_sign_in_with_the_password_alone(client, request, persona):
    user = request.getfixturevalue(persona)

    _sign_in(client, user)

    assert client.get("/meetings/").status_code == 200


def test_eom_require_2fa_false_lets_the_core_team_in_with_the_password(
    client, core_member, settings
):
    settings.EOM_REQUIRE_2FA = False

    _sign_in(client, core_member)

    assert client.get("/meetings/").status_code == 200


def test_the_code_pages_send_a_login_that_needs_no_code_on(client, observer):
    _sign_in(client, observer)

    assert client.get("/account/two-factor/?next=/meetings/")["Location"] == "/meetings/"
    assert client.get("/account/two-factor/enrol/")["Location"].startswith("/account/two-factor/")


def test_the_code_page_does_not_follow_a_next_to_another_site(client, core_member):
    device = _enrolled(core_member)
    _sign_in(client, core_member)

    response = client.post("/account/two-factor/",
                           {"code": _code(device.key), "next": "https://evil.example/"})

    assert response["Location"] == "/"


def test_devices_have_no_admin_page(client, administrator):
    client.force_login(administrator)

    response = client.get("/admin/otp_totp/totpdevice/")

    assert response.status_code == 404


# --- resetting a lost device ----------------------------------------------------------------


def test_reset_command_removes_the_devices_and_the_next_sign_in_enrols(core_member):
    _enrolled(core_member)
    verified = Client()
    verified.force_login(core_member)
    assert verified.get("/meetings/").status_code == 200
    out = io.StringIO()

    call_command("reset_two_factor", core_member.username, stdout=out)

    assert not TOTPDevice.objects.filter(user=core_member).exists()
    assert "Removed 1 two-factor device" in out.getvalue()
    assert verified.get("/meetings/")["Location"].startswith("/account/two-factor/enrol/")
    entry = AuditEntry.objects.get(model="otp_totp.totpdevice", action="delete")
    assert (entry.channel, entry.actor) == ("command", None)


def test_reset_command_names_an_unknown_login(db):
    with pytest.raises(CommandError, match="No login 'nobody'"):
        call_command("reset_two_factor", "nobody")


def test_only_an_administrator_may_reset_a_device(core_member, administrator):
    _enrolled(core_member)

    with pytest.raises(PermissionDenied):
        twofactor.reset_devices(actor=core_member, channel="page", user=core_member)
    assert twofactor.reset_devices(actor=administrator, channel="page", user=core_member) == 1


@pytest.mark.parametrize(("language", "enrol_title", "code_title"), [
    ("ru", "Настройка двухфакторного входа", "Код для входа"),
    ("kk", "Екі факторлы кіруді баптау", "Кіру коды"),
])
def test_the_two_factor_pages_are_translated(client, core_member, language, enrol_title,
                                             code_title):
    client.cookies["django_language"] = language
    _sign_in(client, core_member)

    enrol = client.get("/account/two-factor/enrol/")
    _enrolled(core_member)
    code = client.get("/account/two-factor/")

    assert enrol_title in enrol.content.decode()
    assert code_title in code.content.decode()


def test_the_demos_core_and_admin_logins_are_enrolled_with_the_published_secret(client, mission):
    core = make_user(mission, "core", role="head_of_mission")
    get_user_model().objects.filter(pk=core.pk).update(username="core")
    kz2023.enrol_two_factor()
    kz2023.enrol_two_factor()  # once only

    device = TOTPDevice.objects.get()
    assert (device.user_id, device.key, device.confirmed) == (core.pk, kz2023.DEMO_TOTP_SECRET,
                                                             True)
    client.post("/login/", {"username": "core", "password": RIGHT})
    client.post("/account/two-factor/", {"code": kz2023.two_factor_code()})
    assert client.get("/meetings/").status_code == 200


@pytest.mark.parametrize("target", ["99999999999999999999999", "overview", "//evil.example/",
                                    "https://evil.example/"])
def test_a_next_that_is_not_a_path_of_this_site_leads_to_the_overview(client, core_member,
                                                                       target):
    client.force_login(core_member)
    response = client.get("/account/two-factor/", {"next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"
