"""The JSON API against its own OpenAPI description, fuzzed (schemathesis, bounded).

Every operation of /api/openapi.json is called with generated bodies, paths and queries — valid
and invalid — with a core-team token and with an observer's token, in process through the WSGI
application. Every answer must be documented (status code, content type, body schema), no
answer may be a server error, and nothing the observer sends may change a confidential meeting.
The run is bounded (a fixed number of examples per operation, derandomised, so CI is
repeatable); `EOM_FUZZ_EXAMPLES` sets the number for a longer run by hand.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi import checks

from eom.api import api
from eom.missions.models import Meeting
from tests.access.scene import build

EXAMPLES = int(os.environ.get("EOM_FUZZ_EXAMPLES", "12"))
CHECKS = [
    not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture
def wsgi(settings, tmp_path):
    """The WSGI application, run inside the test's transaction: requests must not close the
    test's database connection (Django's own test client does the same)."""
    settings.MEDIA_ROOT = tmp_path
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(db, wsgi):
    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema())
    loaded.app = wsgi
    return loaded


@pytest.fixture
def scene(db):
    return build()


def _confidential(scene) -> dict:
    meeting = Meeting.objects.get(pk=scene["secret_meeting"].pk)
    return {
        "meeting": (meeting.place, meeting.key_points, meeting.source, meeting.confidential),
        "interlocutors": sorted(meeting.interlocutors.values_list("name", "title")),
        "topics": sorted(meeting.topics.values_list("name", flat=True)),
        "follow_ups": sorted(meeting.follow_ups.values_list("text", flat=True)),
    }


BOUNDED = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                   suppress_health_check=list(HealthCheck))


def fuzz(api_schema, scene, role: str, after=None) -> list[str]:
    """Every operation, with data that fits its schema and data that does not; returns the
    operations that failed, each with hypothesis's smallest failing request."""
    headers = {"Authorization": f"Bearer {scene.tokens[role]}"}
    failed = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @BOUNDED
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                case.call_and_validate(headers=headers, checks=CHECKS)
                if after is not None:
                    after()

            try:
                run()
            except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - reported together
                failed.append(f"{operation.label} ({mode}): {error}")
    return failed


def test_api_answers_a_core_team_token_as_documented_without_a_server_error(api_schema, scene):
    failed = fuzz(api_schema, scene, "core")
    assert not failed, "\n\n".join(failed)


def test_api_answers_an_observer_as_documented_and_changes_no_confidential_meeting(
    api_schema, scene
):
    before = _confidential(scene)

    def unchanged():
        assert _confidential(scene) == before

    failed = fuzz(api_schema, scene, "observer", after=unchanged)
    assert not failed, "\n\n".join(failed)
