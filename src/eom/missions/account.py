"""Pages of one's own account: the two-factor code, enrolling an authenticator app, API tokens."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import permissions, services, twofactor
from .models import ApiToken, Channel

PENDING_SECRET = "eom_2fa_pending_secret"  # session key: the secret shown while enrolling


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"), max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                      "autofocus": True}),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())  # "123 456", as apps show it
        if not re.fullmatch(r"[0-9]{6}", code):
            raise forms.ValidationError(_("Enter the 6 digits of the code."), code="format")
        return code


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("What the token is for"), max_length=100)
    days = forms.IntegerField(label=gettext_lazy("Valid for (days)"), min_value=1,
                              max_value=365, initial=90)


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    # A path of this site only: anything else (another host, or a bare word that redirect()
    # would take for a view's name) goes to the overview.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return reverse("missions:overview")


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


@login_required
def two_factor(request):
    user, next_url = request.user, _next(request)
    if not twofactor.required_for(user) or twofactor.is_verified(user):
        return redirect(next_url)
    if not twofactor.has_device(user):
        return redirect(_with_next("account:two_factor_enrol", next_url))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = twofactor.wait_message(user)
        device = None if wait else twofactor.verify_code(user, form.cleaned_data["code"])
        if device is not None:
            twofactor.mark_verified(request, device)
            return redirect(next_url)
        form.add_error("code", wait or _("This code is not right. Try the code shown now."))
    context = {"form": form, "next": next_url, "signing_in": True}
    return render(request, "account/two_factor.html", context)


@login_required
def two_factor_enrol(request):
    user, next_url = request.user, _next(request)
    if not twofactor.required_for(user) or twofactor.has_device(user):
        return redirect(_with_next("account:two_factor", next_url))
    secret = request.session.get(PENDING_SECRET) or twofactor.new_secret()
    request.session[PENDING_SECRET] = secret
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = twofactor.confirm_device(actor=user, channel=Channel.PAGE, secret=secret,
                                          code=form.cleaned_data["code"])
        if device is not None:
            del request.session[PENDING_SECRET]
            twofactor.mark_verified(request, device)
            messages.success(request, _("Your authenticator app is set up."))
            return redirect(next_url)
        form.add_error("code", _("This code is not right. Check the app shows eom, then try "
                                 "the code shown now."))
    device = twofactor.unsaved_device(user, secret)
    context = {"form": form, "next": next_url, "signing_in": True,
               "qr_svg": twofactor.qr_svg(device), "secret": twofactor.secret_base32(device)}
    response = render(request, "account/two_factor_enrol.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _account_user(request):
    if not permissions.can_use(request.user):
        raise PermissionDenied(_("This login has no access to eom."))
    return request.user


@login_required
def tokens(request):
    user = _account_user(request)
    form, plain = TokenForm(request.POST or None), None
    if request.method == "POST" and form.is_valid():
        _token, plain = services.issue_token(
            actor=user, channel=Channel.PAGE, user=user, name=form.cleaned_data["name"],
            days=form.cleaned_data["days"],
        )
        form = TokenForm()
    context = {"form": form, "plain": plain, "tokens": services.tokens_of(user)}
    response = render(request, "account/tokens.html", context)
    response["Cache-Control"] = "no-store"  # the new token is shown once, never kept
    return response


@require_POST
@login_required
def token_revoke(request, pk: int):
    user = _account_user(request)
    token = get_object_or_404(ApiToken, pk=pk, user=user)
    services.revoke_token(actor=user, channel=Channel.PAGE, token=token)
    messages.success(request, _("The token %(prefix)s… is revoked.") % {"prefix": token.prefix})
    return redirect("account:tokens")
