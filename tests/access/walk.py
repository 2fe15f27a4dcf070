"""How the access tests visit a URL as a role: pages with the role's session, the JSON API with
the role's bearer token (the way scripts and phones call it), anonymous with neither."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

from django.test import Client

from tests.access.scene import PASSWORD, Scene


@dataclass(frozen=True)
class Visit:
    """One request: GET unless `method` says otherwise; `data` is the query (GET) or the body."""

    label: str
    kwargs: object  # Scene -> dict of the pattern's arguments
    method: str = "get"
    data: dict = field(default_factory=dict)
    body: str | None = None  # a raw JSON body (API writes)
    auth: str = ""  # "session", "token" or "basic"; by default from the URL (api/, openrosa/)


def auth_for(key: str, visit: Visit) -> str:
    if visit.auth:
        return visit.auth
    if key.startswith("api:") and key not in {"api:openapi-view", "api:openapi-json"}:
        return "token"
    return "basic" if key.startswith("openrosa:") else "session"


def client_for(scene: Scene, role: str, auth: str) -> Client:
    client = Client(raise_request_exception=False)
    user = scene.users[role]
    if user is None:
        return client
    if auth == "token":
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {scene.tokens[role]}"
    elif auth == "basic":
        token = base64.b64encode(f"{user.username}:{PASSWORD}".encode()).decode()
        client.defaults["HTTP_AUTHORIZATION"] = f"Basic {token}"
    else:
        client.force_login(user)
    return client


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    headers: dict


def send(client: Client, path: str, visit: Visit) -> Answer:
    """The answer's status, whole body and headers. A streamed body is read to its end, which
    closes its file (the test client then finishes the request without closing connections)."""
    if visit.method == "get":
        response = client.get(path, visit.data)
    elif visit.body is not None:
        response = getattr(client, visit.method)(path, visit.body,
                                                 content_type="application/json")
    else:
        response = getattr(client, visit.method)(path, visit.data)
    if response.streaming:
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    return Answer(response.status_code, body, dict(response.headers))
