"""The JSON API (django-ninja); OpenAPI at /api/openapi.json, documentation at /api/docs.

A caller authenticates with a bearer token (`Authorization: Bearer eom_…`, see `eom token` and
/account/tokens/) or with the session of a signed-in page (then unsafe methods need the CSRF
token; a core-team or administrator session only once it has given its two-factor code). Either
way its login must have access to eom (`permissions.access_of` not NONE), else 403.

Unknown tokens are counted per client address (missions/signin.py): at the limit, every unknown
token from that address is refused with 429 and Retry-After until the window has passed. An
expired token is refused with 401 naming its expiry.

The documentation page (/api/docs) is for signed-in users with access to eom; the schema
(/api/openapi.json) is public: it describes the open-source code, holds no data, and API
clients and code generators read it before they have a token.
"""

from __future__ import annotations

import traceback
from functools import wraps

from csp.decorators import csp_update
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError
from ninja.openapi.views import openapi_json
from ninja.security import HttpBearer, SessionAuth

from eom.complaints.api import router as complaints_router
from eom.lto.api import router as lto_router
from eom.media.api import router as media_router
from eom.missions import errors, permissions, services, signin
from eom.missions.api import router as missions_router
from eom.observation.api import router as observation_router
from eom.observation.channels.api import router as submissions_router
from eom.observation.services import SubmissionRejected
from eom.publications.api import router as publications_router
from eom.reporting.api import router as reporting_router
from eom.standards.api import router as standards_router


def _with_access(user):
    """The user if it may use eom; PermissionDenied (403) for a login without access."""
    if not permissions.can_use(user):
        raise PermissionDenied(_("This login has no access to eom."))
    return user


class BearerToken(HttpBearer):
    """`Authorization: Bearer eom_…`: a token issued by `eom token` or on /account/tokens/. A
    wrong, revoked or expired token is refused (401) even when a session cookie is present. An
    address that sent too many unknown tokens gets 429 for every unknown one; a live token still
    works from it (it cannot have been guessed, and observers share mobile networks' addresses),
    and costs no query more."""

    def authenticate(self, request: HttpRequest, token: str):
        try:
            user = services.user_for_token(token)
        except services.TokenExpired as exc:
            when = formats.date_format(timezone.localtime(exc.expires_at), "DATETIME_FORMAT")
            raise AuthenticationError(
                message=_("This API token expired on %(when)s; issue a new one.") % {"when": when}
            ) from None
        if user is None:
            address = signin.client_address(request)
            lockout = (signin.lockout_for(kind=signin.Kind.TOKEN, address=address)
                       or signin.record_failure(kind=signin.Kind.TOKEN, address=address))
            if lockout is not None:
                raise signin.SignInLocked(lockout)
            raise AuthenticationError(message=_("Unknown or revoked API token."))
        return _with_access(user)


class Session(SessionAuth):
    """The Django session of a signed-in page; CSRF is checked on unsafe methods."""

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


def _docs_for_signed_in(view):
    """ninja's decorator of its two documentation views: the schema stays public, the
    documentation page is for signed-in users with access to eom."""
    if getattr(view, "func", None) is openapi_json:
        return view

    @wraps(view)
    def signed_in_only(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        _with_access(request.user)
        return view(request, *args, **kwargs)

    return signed_in_only


# Every operation may answer these; the OpenAPI description says so for each (see EomAPI).
ERROR_ANSWERS = {
    "400": "The request cannot be read (a parameter out of range, a body that is not JSON).",
    "401": "No valid credentials: send Authorization: Bearer <token>, or log in.",
    "403": "These credentials may not do this.",
    "404": "No such record, or one the caller may not see.",
    "413": "The request body is larger than the server takes.",
    "422": "The input does not fit: `detail` or `errors` name each field and the reason.",
    "429": "Too many failed attempts from this address: wait for Retry-After seconds.",
}
ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "properties": {
        "detail": {"anyOf": [{"type": "string"}, {"type": "array", "items": {}}],
                   "description": "What went wrong: a sentence, or a list of field errors."},
        "errors": {"type": "object", "additionalProperties": True,
                   "description": "Reasons per field or question, where there are any."},
    },
    "required": ["detail"],
}


class EomAPI(NinjaAPI):
    """ninja's API whose OpenAPI description lists, for every operation, the error answers
    every endpoint can give (authentication, rights, validation, limits, throttling), with
    their body, so that clients and the schema tests know every answer."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                answers = operation.setdefault("responses", {})
                for status, answer in answers.items():
                    # An error an endpoint declares may also come in the common shape (ninja's
                    # own validation errors list the fields in `detail`).
                    content = answer.get("content", {}).get("application/json")
                    if int(status) >= 400 and content and "schema" in content:
                        content["schema"] = {"anyOf": [
                            content["schema"], {"$ref": "#/components/schemas/Error"}]}
                for status, description in ERROR_ANSWERS.items():
                    answers.setdefault(int(status), {
                        "description": description,
                        "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/Error"}}},
                    })
        return schema


api = EomAPI(
    title="eom API",
    version="1",
    description="The JSON API of an election observation mission. "
    "Authenticate with `Authorization: Bearer <token>` (see docs/api.md) or a logged-in session.",
    urls_namespace="api",
    auth=[BearerToken(), Session()],
    docs=SwaggerUnderPolicy(),
    docs_decorator=_docs_for_signed_in,
)
api.add_router("/", missions_router)
api.add_router("/", observation_router)
api.add_router("/", submissions_router)
api.add_router("/", reporting_router)
api.add_router("/", lto_router)
api.add_router("/", complaints_router)
api.add_router("/", media_router)
api.add_router("/", standards_router)
api.add_router("/", publications_router)


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


@api.exception_handler(signin.SignInLocked)
def locked(request: HttpRequest, exc: signin.SignInLocked) -> HttpResponse:
    response = api.create_response(request, {"detail": exc.lockout.message()}, status=429)
    response["Retry-After"] = str(exc.lockout.retry_after)
    return response


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Any other exception goes on to Django: the plain 500 page, or with EOM_DEBUG the
    traceback for an administrator only (missions/errors.py)."""
    if settings.DEBUG and errors.sees_tracebacks(request):
        return HttpResponse(traceback.format_exc(), status=500, content_type="text/plain")
    raise exc
