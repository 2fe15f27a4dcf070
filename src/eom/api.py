"""The JSON API (django-ninja); OpenAPI at /api/openapi.json, documentation at /api/docs.

A caller authenticates with a bearer token (`Authorization: Bearer eom_…`, see `eom token`)
or with the session of a logged-in page (then unsafe methods need the CSRF token). Either way
its login must have access to eom (`permissions.access_of` not NONE), else 403.
"""

from __future__ import annotations

from csp.decorators import csp_update
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from eom.missions import permissions, services
from eom.missions.api import router as missions_router
from eom.observation.api import router as observation_router
from eom.observation.services import SubmissionRejected


def _with_access(user):
    """The user if it may use eom; PermissionDenied (403) for a login without access."""
    if not permissions.can_use(user):
        raise PermissionDenied(_("This login has no access to eom."))
    return user


class BearerToken(HttpBearer):
    """`Authorization: Bearer eom_…`: a token issued by `eom token`. A wrong or revoked
    token is refused (401) even when a session cookie is present."""

    def authenticate(self, request: HttpRequest, token: str):
        user = services.user_for_token(token)
        if user is None:
            raise AuthenticationError(message=_("Unknown or revoked API token."))
        return _with_access(user)


class Session(SessionAuth):
    """The Django session of a logged-in page; CSRF is checked on unsafe methods."""

    def authenticate(self, request: HttpRequest, key: str | None):
        user = super().authenticate(request, key)
        return None if user is None else _with_access(user)


class SwaggerUnderPolicy(Swagger):
    """ninja's Swagger UI, served from eom's static files, with the one widening of eom's
    Content-Security-Policy it needs, on its page only: its stylesheet draws icons as data:
    images."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs) -> HttpResponse:
        render = csp_update({"img-src": ["data:"]})(super().render_page)
        return render(request, api, **kwargs)


api = NinjaAPI(
    title="eom API",
    version="1",
    description="The JSON API of an election observation mission. "
    "Authenticate with `Authorization: Bearer <token>` (see docs/api.md) or a logged-in session.",
    urls_namespace="api",
    auth=[BearerToken(), Session()],
    docs=SwaggerUnderPolicy(),
)
api.add_router("/", missions_router)
api.add_router("/", observation_router)


@api.exception_handler(SubmissionRejected)
def rejected(request: HttpRequest, exc: SubmissionRejected) -> HttpResponse:
    detail = {
        403: _("You may not report for this location."),
        404: _("Not found."),
        409: _("This id belongs to another record."),
    }.get(exc.status, _("The submission was not stored; see the errors per question."))
    return api.create_response(request, {"detail": detail, "errors": exc.errors}, status=exc.status)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = (
        exc.message
        if exc.message != "Unauthorized"
        else _("Authentication required: send Authorization: Bearer <token>, or log in.")
    )
    return api.create_response(request, {"detail": message}, status=401)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, {"detail": str(exc) or _("You may not do this.")}, status=403
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    message = str(exc)
    if not message or "matches the given query" in message:
        message = _("Not found.")
    return api.create_response(request, {"detail": message}, status=404)
