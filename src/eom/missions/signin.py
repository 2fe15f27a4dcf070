"""Signing in: throttling of wrong passwords and unknown API tokens, and the session's lifetime.

Throttling. Every refused sign-in is a row of `SignInFailure` (in the database, so that every app
process counts the same rows). Over a sliding window of EOM_SIGNIN_WINDOW_MINUTES (15):

- a user name with EOM_SIGNIN_FAILURES_PER_USERNAME (5) wrong passwords is locked;
- a client address with EOM_SIGNIN_FAILURES_PER_ADDRESS (30) wrong passwords is locked for
  every user name, and one with as many unknown API tokens for every token.

While locked, nothing is checked (the right password and a live token are refused too) and
nothing more is counted, so the lock ends when the window has passed since the failure that
reached the limit. A right password forgets the user name's failures (not the address's). Rows
older than the window are deleted whenever a failure is recorded.

The login page, the admin's login (which sends to it) and ODK Collect's HTTP Basic sign-in all
go through `ThrottledModelBackend`; the API's bearer tokens through `lockout_for` and
`record_failure` (eom/api.py). SMS carries no password.

Remembered passwords. ODK Collect sends the observer's password with every request, and checking
it is the password hash, deliberately slow (about 220 ms of CPU): at that cost two cores take
fewer than ten reports a second. A password checked right is therefore remembered by the app
process for EOM_BASIC_REMEMBER_SECONDS (600; 0 turns it off): the process keeps, per user name,
an HMAC-SHA-256 of the user name, the password and the login's stored password hash, under a
key drawn at random when the process starts and never written anywhere. The same credentials
within that time are compared with it instead of hashed again (`remembered_user`); the lockout
is checked first all the same. A new password, a login made inactive or a wrong password is
never matched (the stored hash is part of the HMAC; the login is read afresh every time). What
this gives up: someone who reads the process's memory gets fingerprints that are quick to test
against guessed passwords, for the logins used in the last ten minutes.

Session lifetime. A session ends EOM_SESSION_HOURS (10) after its sign-in, whatever it does in
between (`SessionLifetimeMiddleware`), and its cookie when the browser closes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import logging
import math
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Access, SignInFailure
from .permissions import access_of

logger = logging.getLogger(__name__)

Kind = SignInFailure.Kind
SIGNED_IN_AT = "eom_signed_in_at"  # session key: when the session's user signed in (Unix time)


def _window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.EOM_SIGNIN_WINDOW_MINUTES)


def clean_username(username) -> str:
    """The form a user name is counted under: no NUL, no surrounding spaces, lower case, at
    most 150 characters (a login named `Core` and one named `core` share one count)."""
    return str(username or "").replace("\x00", "").strip().lower()[:150]


def client_address(request) -> str:
    """The client's IP address: REMOTE_ADDR, or behind the TLS proxy (EOM_BEHIND_TLS_PROXY) the
    last address of X-Forwarded-For, the one the proxy itself appended. Empty when unknown."""
    if request is None:
        return ""
    address = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.SECURE_PROXY_SSL_HEADER and forwarded.strip():
        address = forwarded.split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return ""


@dataclass(frozen=True)
class Lockout:
    """A refusal: until when, and whether the user name or the address reached its limit."""

    until: dt.datetime
    by: str  # "username" or "address"

    @property
    def retry_after(self) -> int:
        """Whole seconds until the lock ends (at least 1): the HTTP Retry-After value."""
        return max(1, math.ceil((self.until - timezone.now()).total_seconds()))

    def message(self) -> str:
        minutes = max(1, math.ceil(self.retry_after / 60))
        values = {"time": time_format(timezone.localtime(self.until), "H:i"), "n": minutes}
        if self.by == "address":
            text = ngettext(
                "Too many failed sign-ins from your network. Try again at %(time)s "
                "(in %(n)s minute).",
                "Too many failed sign-ins from your network. Try again at %(time)s "
                "(in %(n)s minutes).",
                minutes,
            )
        else:
            text = ngettext(
                "Too many failed sign-ins for this user name. Try again at %(time)s "
                "(in %(n)s minute).",
                "Too many failed sign-ins for this user name. Try again at %(time)s "
                "(in %(n)s minutes).",
                minutes,
            )
        return text % values


class SignInLocked(PermissionDenied):
    """Raised while a user name or an address is locked; carries the `Lockout`."""

    def __init__(self, lockout: Lockout):
        super().__init__(lockout.message())
        self.lockout = lockout


def _lock_end(failures, limit: int) -> dt.datetime | None:
    """When the count in the window falls below `limit`: the window after the oldest of the
    latest `limit` failures; None when there are fewer."""
    latest = list(failures.order_by("-at").values_list("at", flat=True)[:limit])
    return latest[-1] + _window() if len(latest) == limit else None


def lockout_for(*, kind: str = Kind.PASSWORD, username: str | None = None,
                address: str = "") -> Lockout | None:
    """The lock on this user name (passwords only) or this address, whichever ends later;
    None when neither is locked."""
    now = timezone.now()
    recent = SignInFailure.objects.filter(kind=kind, at__gt=now - _window())
    locks = []
    if username is not None and kind == Kind.PASSWORD:
        until = _lock_end(recent.filter(username=clean_username(username)),
                          settings.EOM_SIGNIN_FAILURES_PER_USERNAME)
        if until is not None and until > now:
            locks.append(Lockout(until, "username"))
    if address:
        until = _lock_end(recent.filter(address=address), settings.EOM_SIGNIN_FAILURES_PER_ADDRESS)
        if until is not None and until > now:
            locks.append(Lockout(until, "address"))
    return max(locks, key=lambda lock: lock.until) if locks else None


def record_failure(*, kind: str, username: str = "", address: str = "") -> Lockout | None:
    """Count one refused sign-in; returns the lock it starts, if it reaches a limit.

    Side effects: deletes the failures older than the window; logs a warning on a new lock."""
    now = timezone.now()
    SignInFailure.objects.filter(at__lte=now - _window()).delete()
    name = clean_username(username) if kind == Kind.PASSWORD else ""
    SignInFailure.objects.create(at=now, kind=kind, username=name, address=address)
    lockout = lockout_for(kind=kind, username=name if name else None, address=address)
    if lockout is not None:
        logger.warning("Sign-in locked (%s, %s) until %s: user name %r, address %s",
                       kind, lockout.by, lockout.until.isoformat(), name, address or "-")
    return lockout


def forget_failures(username: str) -> None:
    """A right password: the user name starts its count anew (the address does not)."""
    SignInFailure.objects.filter(kind=Kind.PASSWORD, username=clean_username(username)).delete()


class ThrottledModelBackend(ModelBackend):
    """Django's user-name-and-password check, refused while the user name or the client
    address is locked, and counting every wrong password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self._username_field())
        if username is None or password is None:
            return None
        address = client_address(request)
        lockout = lockout_for(username=username, address=address)
        if lockout is not None:
            raise SignInLocked(lockout)  # authenticate() stops here and answers None
        user = None
        if "\x00" not in str(username) + str(password):  # PostgreSQL refuses NUL in text
            user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            record_failure(kind=Kind.PASSWORD, username=username, address=address)
        else:
            forget_failures(username)
        return user

    @staticmethod
    def _username_field() -> str:
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD


_PROCESS_KEY = os.urandom(32)
_REMEMBERED: OrderedDict[str, tuple[bytes, int, float]] = OrderedDict()
_REMEMBERED_LOCK = threading.Lock()
REMEMBERED_AT_MOST = 20_000  # user names; the least recently used are forgotten first


def _fingerprint(username: str, password: str, stored_hash: str) -> bytes:
    text = "\x00".join((username, password, stored_hash)).encode("utf-8", "surrogatepass")
    return hmac.new(_PROCESS_KEY, text, hashlib.sha256).digest()


def remember(user, username: str, password: str) -> None:
    """`password` was just checked right for `user`: remember it for this process."""
    seconds = settings.EOM_BASIC_REMEMBER_SECONDS
    if seconds <= 0:
        return
    entry = (_fingerprint(username, password, user.password), user.pk, time.monotonic() + seconds)
    with _REMEMBERED_LOCK:
        _REMEMBERED[username] = entry
        _REMEMBERED.move_to_end(username)
        while len(_REMEMBERED) > REMEMBERED_AT_MOST:
            _REMEMBERED.popitem(last=False)


def remembered_user(username: str, password: str):
    """The active login whose password `password` was checked right in this process within
    EOM_BASIC_REMEMBER_SECONDS, and has not changed since; otherwise None (check it)."""
    with _REMEMBERED_LOCK:
        found = _REMEMBERED.get(username)
    if found is None:
        return None
    digest, user_id, until = found
    if time.monotonic() > until:
        with _REMEMBERED_LOCK:
            _REMEMBERED.pop(username, None)
        return None
    from django.contrib.auth import get_user_model

    user = get_user_model()._default_manager.filter(pk=user_id, is_active=True).first()
    if user is None or user.get_username() != username:
        return None
    if not hmac.compare_digest(digest, _fingerprint(username, password, user.password)):
        return None
    return user


class SignInForm(AuthenticationForm):
    """The login page's form: a locked user name or address is told when to try again."""

    def clean(self):
        username = self.cleaned_data.get("username")
        address = client_address(self.request)
        lockout = lockout_for(username=username, address=address) if username else None
        if lockout is not None:
            raise forms.ValidationError(lockout.message(), code="locked")
        try:
            return super().clean()
        except forms.ValidationError:
            lockout = lockout_for(username=username, address=address) if username else None
            if lockout is not None:  # this failure reached the limit
                raise forms.ValidationError(lockout.message(), code="locked") from None
            raise


class SignInView(LoginView):
    """The login page. Without a `next`, an observer lands on its Observe page (its home on
    election day), everyone else on the mission's overview."""

    authentication_form = SignInForm

    def get_default_redirect_url(self):
        if access_of(self.request.user) is Access.OBSERVER:
            return resolve_url("observation:assignments")
        return super().get_default_redirect_url()


# --- the session's lifetime ---------------------------------------------------------------


@receiver(user_logged_in, dispatch_uid="eom_session_signed_in_at")
def _stamp_sign_in(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        session[SIGNED_IN_AT] = int(time.time())


def session_ended(request) -> bool:
    """True when the signed-in session is older than EOM_SESSION_HOURS, or carries no
    sign-in time (a session from before eom kept one)."""
    signed_in_at = request.session.get(SIGNED_IN_AT)
    if not isinstance(signed_in_at, int):
        return True
    return time.time() - signed_in_at >= settings.EOM_SESSION_HOURS * 3600


class SessionLifetimeMiddleware:
    """Ends (logs out) a session EOM_SESSION_HOURS after its sign-in; the request goes on as
    not signed in (a page sends to the login page, the API answers 401)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and session_ended(request):
            logout(request)
            messages.info(request, _("Your session has ended. Please sign in again."),
                          fail_silently=True)
        return self.get_response(request)
