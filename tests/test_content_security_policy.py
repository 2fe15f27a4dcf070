"""Every response of eom carries a Content-Security-Policy that lets scripts and styles come
from eom's own files only; the pages rendered hold no inline script or style for it to block.

The URLs come from the URL configuration (the admin's included), so a new page is covered
without anyone remembering to add it."""

from __future__ import annotations

import re
import uuid

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from eom.observation import services
from eom.standards import services as standards
from tests.factories import make_form, make_meeting, make_protocol, make_results_contest, question
from tests.inline_code import inline_code
from tests.observation import photo_files
from tests.observation.scene import at, set_up

POLICY = {"default-src": "'self'", "script-src": "'self'", "style-src": "'self'",
          "img-src": "'self'", "object-src": "'none'", "base-uri": "'self'",
          "frame-ancestors": "'none'", "form-action": "'self'"}
PHOTO_POLICY = {"default-src": "'none'", "sandbox": ""}
# Swagger UI's stylesheet draws its icons as data: images: allowed on that page only.
DOCS_POLICY = dict(POLICY, **{"img-src": "'self' data:"})
EXCEPTIONS = {"observation:attachment": PHOTO_POLICY, "api:openapi-view": DOCS_POLICY}


def directives(header: str | None) -> dict[str, str] | None:
    """The policy as {directive: its sources}; None without a header."""
    if header is None:
        return None
    return dict((part.strip().split(" ", 1) + [""])[:2] for part in header.split(";"))


def named_patterns(patterns, namespace: str = ""):
    """(name with its namespace, pattern) of every named URL pattern."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


PATTERNS = sorted(dict(named_patterns(get_resolver().url_patterns)).items())


@pytest.fixture
def scene(mission, tree, core_member, observer, other_team, settings, tmp_path):
    """One of everything a page shows: a meeting, a report with a photo, a protocol."""
    settings.MEDIA_ROOT = tmp_path
    set_up(mission, tree, observer, other_team)
    make_form(mission, "incident", "incident", [question("photo", "image")])
    meeting = make_meeting(mission, actor=core_member, place="Central Election Commission")
    report, _created = services.ingest_submission(
        actor=observer, channel="page", mission=mission, data=services.SubmissionInput(
            uuid=uuid.uuid4(), form_id="incident", location_code="01001", answers={},
            observed_at=at(12),
            attachments={"photo": SimpleUploadedFile("a.png", photo_files.png(), "image/png")}))
    protocol = make_protocol(make_results_contest(mission, name="Maslikhat"), tree["01001"])
    commitment = standards.create_commitment(
        actor=None, channel="page", mission=mission, data=standards.CommitmentData(
            source="Copenhagen Document 1990", reference="para 7.4", title="Honest count"))
    recommendation = standards.create_recommendation(
        actor=None, channel="page", mission=mission, data=standards.RecommendationData(
            report_name="Final report 2021", report_year=2021, number=1, text="Publish."))
    samples = {
        "pk": tree["R1"].pk, "location_pk": tree["01001"].pk, "form_id": "voting",
        "key": report.uuid, "object_id": meeting.pk, "app_label": "missions",
        "location_id": "01001", "team_id": "STO-1", "meeting_id": meeting.pk,
        "uuid": report.uuid, "content_type_id": 1, "url": "missing", "id": core_member.pk,
        "report_id": 1, "case_id": 1, "doc": 1, "item_id": 1,
        "commitment_id": 1, "recommendation_id": 1, "tag_id": 1, "entity_set": "Stations",
        "name": "missing", "heading": "media", "lang": "en", "fmt": "html", "number": 1,
    }
    by_name = {
        "missions:person": {"pk": core_member.person.pk},
        "missions:team": {"pk": observer.person.teams.get().pk},
        "missions:meeting": {"pk": meeting.pk},
        "missions:meeting_edit": {"pk": meeting.pk},
        "observation:attachment": {"key": report.uuid, "pk": report.attachments.get().pk},
        "results:protocol": {"pk": protocol.pk},
        "standards:commitment": {"pk": commitment.pk},
        "standards:commitment_edit": {"pk": commitment.pk},
        "standards:recommendation": {"pk": recommendation.pk},
        "standards:recommendation_edit": {"pk": recommendation.pk},
    }
    return samples, by_name


def url_of(name: str, pattern: URLPattern, samples: dict, by_name: dict) -> str:
    kwargs = by_name.get(name) or {
        group: samples[group] for group in pattern.pattern.regex.groupindex
    }
    if name.startswith("admin:") and "object_id" in kwargs:
        kwargs = dict(kwargs, object_id=_first_pk(name))
    return reverse(name, kwargs=kwargs)


def _first_pk(name: str):
    """The pk of an object of the admin page's model, else 1."""
    for model, _model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix):
            first = model._default_manager.order_by("pk").first()
            return first.pk if first else 1
    return 1


def test_every_named_url_is_covered():
    names = [name for name, _pattern in PATTERNS]
    assert {"missions:overview", "observation:attachment", "admin:index",
            "api:openapi-view"} <= set(names)
    assert len(names) > 100  # the admin's pages are many


def test_every_response_carries_the_policy_and_pages_hold_no_inline_code(
        client, scene, core_member):
    samples, by_name = scene
    client.force_login(core_member)
    client.raise_request_exception = False
    missing, inline, rendered = [], [], 0
    for name, pattern in PATTERNS:
        url = url_of(name, pattern, samples, by_name)
        response = client.get(url)
        expected = EXCEPTIONS.get(name, POLICY)
        if directives(response.get("Content-Security-Policy")) != expected:
            missing.append((name, url, response.status_code,
                            response.get("Content-Security-Policy")))
        if response.streaming:
            b"".join(response.streaming_content)  # read to its end, which closes it
        elif response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            rendered += 1
            inline += [(url, found) for found in inline_code(response.content.decode())]
    assert missing == []
    assert inline == []
    assert rendered > 60  # most pages were rendered, not answered with an error


def test_the_policy_allows_nothing_from_elsewhere(client, core_member):
    client.force_login(core_member)
    header = client.get(reverse("missions:overview"))["Content-Security-Policy"]
    assert directives(header) == POLICY
    assert not re.search(r"unsafe-|https?:|\*|data:|blob:", header)


def test_the_login_page_and_a_missing_page_carry_the_policy(client, db):
    for url in (reverse("login"), "/no-such-page/"):
        assert directives(client.get(url)["Content-Security-Policy"]) == POLICY
