"""Two-factor sign-in (TOTP, django-otp) for the core team and administrators.

After the password, a login whose access is core team or administrator (EOM_REQUIRE_2FA, on by
default) must give a 6-digit code from an authenticator app: on `account:two_factor` when it
has a confirmed device, else on `account:two_factor_enrol`, which shows a new secret (QR code
and base32) and confirms it with a first code. Until then `TwoFactorMiddleware` answers every
page and the admin with a redirect to that page, and the API as not signed in (401 for the
session; a bearer token is its own factor and is unaffected).

The verification lives in the session (django-otp's OTPMiddleware sets `user.is_verified()`),
so it ends with the session. `reset_devices` (the `eom reset_two_factor` command) removes a
login's devices: its next sign-in enrols a new one.
"""

from __future__ import annotations

import base64
import time
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import VerifyNotAllowed
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from . import audit, permissions
from .models import Access

TWO_FACTOR_ACCESS = {Access.ADMINISTRATOR, Access.CORE_TEAM}
DEVICE_NAME = "authenticator app"


def required_for(user) -> bool:
    """Does this login need a second factor (core team or administrator, EOM_REQUIRE_2FA)?"""
    return bool(settings.EOM_REQUIRE_2FA) and permissions.access_of(user) in TWO_FACTOR_ACCESS


def is_verified(user) -> bool:
    """Has this request's session been confirmed with a code?"""
    check = getattr(user, "is_verified", None)
    return bool(check is not None and check())


def has_device(user) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def new_secret() -> str:
    """A new random secret (hex, 20 bytes) for a device being enrolled."""
    return random_hex(20)


def unsaved_device(user, secret: str) -> TOTPDevice:
    """The device a secret would make, not yet stored (for its QR code and base32 form)."""
    return TOTPDevice(user=user, name=DEVICE_NAME, key=secret, confirmed=False)


def secret_base32(device: TOTPDevice) -> str:
    """The secret as an authenticator app takes it when typed in."""
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// URI as an inline SVG QR code (drawn here, no outside service)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#111", light="#fff")


def wait_message(user) -> str | None:
    """Why codes are not checked now (too many wrong ones in a row), or None."""
    for device in TOTPDevice.objects.devices_for_user(user, confirmed=True):
        allowed, data = device.verify_is_allowed()
        if allowed:
            return None
        if data and data.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
            return _("Too many wrong codes in a row. Wait a little, then try the next code.")
    return None


def _check(device: TOTPDevice, code: str) -> bool:
    """Whether `code` is the device's current code (each code is accepted once)."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        return device.verify_token(code)


def verify_code(user, code: str) -> TOTPDevice | None:
    """The confirmed device of `user` whose current code this is, else None (django-otp counts
    the failure and makes the next attempt wait 1, 2, 4 … seconds)."""
    for device in TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk"):
        if _check(device, code):
            return device
    return None


@transaction.atomic
def confirm_device(*, actor, channel: str, secret: str, code: str) -> TOTPDevice | None:
    """Enrol an authenticator app for `actor`: store the secret it was shown as a confirmed
    device if `code` is its current code; None (nothing stored) otherwise.

    Side effects: a new confirmed device (its first code cannot be used again), the login's
    unconfirmed devices deleted, an audit entry."""
    device = unsaved_device(actor, secret)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not code.isdigit() or not totp.verify(int(code), device.tolerance):
        return None
    device.confirmed, device.last_t = True, totp.t()
    device.save()
    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
    audit.record(actor=actor, channel=channel, action="create", obj=device,
                 changes={"user": [None, actor.get_username()], "confirmed": [None, True]},
                 mission=_mission_of(actor))
    return device


@transaction.atomic
def reset_devices(*, actor, channel: str, user) -> int:
    """Remove every two-factor device of `user` (a lost phone); returns how many.

    Only the server's operator (actor None) or an administrator may. Side effects: the devices
    are deleted, one audit entry each; the login's sessions are no longer verified, and its next
    sign-in enrols a new device."""
    if actor is not None and not permissions.is_administrator(actor):
        raise PermissionDenied(_("Only an administrator may reset two-factor sign-in."))
    devices = list(TOTPDevice.objects.filter(user=user))
    for device in devices:
        audit.record(actor=actor, channel=channel, action="delete", obj=device,
                     changes={"user": [user.get_username(), None]}, mission=_mission_of(user))
    TOTPDevice.objects.filter(pk__in=[device.pk for device in devices]).delete()
    return len(devices)


def _mission_of(user):
    person = permissions.person_of(user)
    return person.mission if person is not None else None


def mark_verified(request, device: TOTPDevice) -> None:
    """The session is confirmed by `device`: a new session key (the privilege changed)."""
    request.session.cycle_key()
    request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    request.user.otp_device = device


# --- enforcement ----------------------------------------------------------------------------

# Reached by a login that has not given its code yet: the second step itself, and logging out.
SECOND_STEP = {"account:two_factor", "account:two_factor_enrol", "logout"}
# Answered as to someone not signed in: the API (401 unless a bearer token is sent), the
# OpenAPI schema, the login page and the language switch.
AS_ANONYMOUS = {"login", "set_language", "api:openapi-json"}


def _view_name(path: str) -> str:
    try:
        match = resolve(path)
    except Resolver404:
        return ""
    return match.view_name


class TwoFactorMiddleware:
    """Until a core-team or administrator login has given its code, its session is not signed
    in: pages and the admin send to the code page (or the enrolment page), the API answers as
    to an anonymous caller."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and required_for(user) and not is_verified(user):
            name = _view_name(request.path_info)
            if name in SECOND_STEP:
                pass
            elif name in AS_ANONYMOUS or (name.startswith("api:") and name != "api:openapi-view"):
                request.user = AnonymousUser()
            else:
                step = "account:two_factor" if has_device(user) else "account:two_factor_enrol"
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse(step)}?{query}")
        return self.get_response(request)
