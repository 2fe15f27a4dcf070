"""The first look at every request: sizes, and text that no page or endpoint may receive.

`RequestLimits` answers before any view runs:

- 413 when the body is larger than EOM_MAX_REQUEST_BYTES (by its Content-Length), or, without
  its files, than DATA_UPLOAD_MAX_MEMORY_SIZE; 400 when a form has more fields or files than
  DATA_UPLOAD_MAX_NUMBER_FIELDS / DATA_UPLOAD_MAX_NUMBER_FILES. The answer names the limit and
  its setting.
- 400 naming the parameter when the address, a query parameter or a field of a posted form
  (url-encoded) holds a NUL character, when a query parameter is longer than
  EOM_MAX_PARAMETER_CHARS, or when a search (`q`) has more words or characters than
  EOM_MAX_SEARCH_WORDS / EOM_MAX_SEARCH_CHARS (each word is one more condition of the query).
- 422 (API) or 400 naming the field when a JSON body holds a string that is not valid Unicode
  (a lone surrogate, `"\\ud800"`) or a NUL character (`"\\u0000"`).

Multipart bodies (files) are left to their views: reading them here would take the choice of
upload handlers away from those views. What the forms inside them say goes through Django's
form fields, which refuse NUL, and through the ingestion's checks.

The answer is JSON for the API and for JSON requests, plain text otherwise.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from . import validators

# The JSON escapes that may stand for a NUL or a surrogate (in lower case). Only a body that
# holds one is decoded and walked: an emoji written as a surrogate pair, or `\\u0000` (the text
# "\u0000"), are then found to be valid.
_SUSPECT_ESCAPES = (b"\\u0000", *(b"\\ud" + bytes([c]) for c in b"89abcdef"))
SEARCH_PARAMETER = "q"


def _suspect(body: bytes) -> bool:
    """Whether a JSON body may hold a NUL or a lone surrogate (a few substring searches)."""
    if b"\\u" not in body:
        return False
    lower = body.lower()
    return any(escape in lower for escape in _SUSPECT_ESCAPES)


class RequestLimits:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = self.refusal(request)
        return refusal if refusal is not None else self.get_response(request)

    def refusal(self, request: HttpRequest) -> HttpResponse | None:
        too_big = _content_length(request) > settings.EOM_MAX_REQUEST_BYTES
        if too_big:
            return _too_large(request, settings.EOM_MAX_REQUEST_BYTES, "EOM_MAX_REQUEST_BYTES")
        if "\x00" in request.path:
            return _refuse(request, "path", _("the address holds a NUL character"))
        for name, values in request.GET.lists():
            problem = _parameter_problem(name, values)
            if problem:
                return _refuse(request, name, problem, where="query")
        try:
            return self._body_refusal(request)
        except RequestDataTooBig:
            return _too_large(request, settings.DATA_UPLOAD_MAX_MEMORY_SIZE, "EOM_MAX_BODY_BYTES")
        except TooManyFieldsSent:
            return _refuse(request, "body", _(
                "a form of more than %(max)d fields is refused (setting %(setting)s)") % {
                "max": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS, "setting": "EOM_MAX_FORM_FIELDS"})
        except TooManyFilesSent:
            return _refuse(request, "body", _(
                "a form of more than %(max)d files is refused (setting %(setting)s)") % {
                "max": settings.DATA_UPLOAD_MAX_NUMBER_FILES, "setting": "EOM_MAX_FORM_FILES"})

    def _body_refusal(self, request: HttpRequest) -> HttpResponse | None:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        if request.content_type == "application/x-www-form-urlencoded":
            for name, values in request.POST.lists():
                if "\x00" in name or any("\x00" in value for value in values):
                    return _refuse(request, name, _("holds a NUL character"), where="body")
        elif request.content_type == "application/json" or request.content_type.endswith(
                "+json"):
            body = request.body
            if not _suspect(body):
                return None
            try:
                data = json.loads(body)
            except (ValueError, RecursionError):
                return None  # not JSON: the view says so
            for path, problem in validators.bad_texts(data):
                return _refuse(request, validators.printable_path(path) or "body", problem,
                               where="body", path=path)
        return None


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _parameter_problem(name: str, values: list[str]) -> str | None:
    if "\x00" in name:
        return _("the name holds a NUL character")
    for value in values:
        if "\x00" in value:
            return _("holds a NUL character")
        if len(value) > settings.EOM_MAX_PARAMETER_CHARS:
            return _("is %(n)d characters long; at most %(max)d are allowed") % {
                "n": len(value), "max": settings.EOM_MAX_PARAMETER_CHARS}
        if name == SEARCH_PARAMETER:
            problem = validators.search_problem(value)
            if problem:
                return problem
    return None


def _wants_json(request: HttpRequest) -> bool:
    return (request.path.startswith("/api/") or request.content_type == "application/json"
            or "application/json" in request.headers.get("Accept", ""))


def _refuse(request: HttpRequest, field: str, problem: str, *, where: str = "",
            path: tuple = ()) -> HttpResponse:
    """400 (422 for a field of an API body) naming the field and the reason."""
    message = f"{field}: {problem}"
    if not _wants_json(request):
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    if request.path.startswith("/api/"):
        status = 422 if where == "body" else 400
        loc = [where or "request", *(path or (field,))]
        return JsonResponse({"detail": [{"type": "invalid_input", "loc": loc, "msg": problem}]},
                            status=status)
    return JsonResponse({"errors": {field: [problem]}}, status=400)


def _too_large(request: HttpRequest, limit: int, setting: str) -> HttpResponse:
    message = _("The request is larger than the limit of %(limit)s bytes (setting %(setting)s).") % {
        "limit": f"{limit:,}", "setting": setting}
    if _wants_json(request):
        return JsonResponse({"detail": message}, status=413)
    return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")

