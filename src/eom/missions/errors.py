"""Error pages: tracebacks and Django's technical pages for administrators only.

With EOM_DEBUG on, Django shows every visitor the technical 500 page (the traceback, local
variables, settings) and a technical 404 page that lists the URL patterns. Here only a signed-in
administrator (having given its code when two-factor sign-in applies) sees them; everyone else
sees the plain pages, 500.html and 404.html, as without debug:

- 500: `AdministratorOnlyReporter` (settings.DEFAULT_EXCEPTION_REPORTER) draws the technical
  page; e-mailed reports to the ADMINS keep the traceback.
- the 500 page itself (`server_error`, the project's handler500) is drawn in the site's layout,
  with the reader's menu and language, unlike Django's, which draws it without the request; when
  drawing the layout fails too (the database is down, say), the plain page 500_plain.html.
- 404: `DebugPagesMiddleware` answers a view's Http404 and an address that matches no URL.
- the API: eom/api.py lets an exception through to the same reporter.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import Http404, HttpResponseServerError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.debug import ExceptionReporter
from django.views.defaults import page_not_found

logger = logging.getLogger(__name__)


def sees_tracebacks(request) -> bool:
    """Is this request's user an administrator (verified when two-factor applies)?"""
    from . import permissions, twofactor

    user = getattr(request, "user", None)
    if user is None:
        return False
    try:
        return permissions.is_administrator(user) and (
            not twofactor.required_for(user) or twofactor.is_verified(user)
        )
    except Exception:  # the database may be what failed
        logger.debug("Could not tell whether the user is an administrator", exc_info=True)
        return False


def server_error_html(request) -> str:
    """The 500 page in the layout; the plain one if the layout cannot be drawn."""
    try:
        return render_to_string("500.html", request=request)
    except Exception:
        logger.exception("The 500 page could not be drawn in the layout; the plain one is sent")
        return render_to_string("500_plain.html")


def server_error(request):
    """The project's handler500."""
    return HttpResponseServerError(server_error_html(request))


class AdministratorOnlyReporter(ExceptionReporter):
    """Django's technical 500 report, replaced by the plain 500 page for anyone but an
    administrator."""

    def _full(self) -> bool:
        return self.is_email or sees_tracebacks(self.request)

    def get_traceback_html(self):
        return super().get_traceback_html() if self._full() else server_error_html(self.request)

    def get_traceback_text(self):
        if self._full():
            return super().get_traceback_text()
        return _("Server error. The mission's technical team has been told; try again later.")


class DebugPagesMiddleware:
    """With DEBUG, the plain 404 page instead of the technical one (which lists every URL
    pattern) for anyone but an administrator."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (settings.DEBUG and response.status_code == 404 and request.resolver_match is None
                and not sees_tracebacks(request)):
            # No URL pattern matched: Django drew its technical page.
            return page_not_found(request, Http404())
        return response

    def process_exception(self, request, exception):
        if settings.DEBUG and isinstance(exception, Http404) and not sees_tracebacks(request):
            return page_not_found(request, exception)
        return None
