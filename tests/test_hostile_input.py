"""Hostile values sent to every page, every admin list and every API endpoint: the answer is a
refusal (400, 404, 413, 422) or the page, never a server error.

The URLs come from the URL configuration and from /api/openapi.json, so a page or an endpoint
added later is probed too; a page whose path takes a value this module cannot fill fails
`test_every_page_has_path_values` until one is given in `path_values`. For each page, the query
parameters (and posted fields) are those the view reads, found by sending one request that
records what the view asks for; each then gets each hostile value in turn.

Each request runs in a savepoint: on PostgreSQL a database error would otherwise hide the
failures that follow it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from django.contrib import admin
from django.db import transaction
from django.http import QueryDict
from django.urls import URLPattern, URLResolver, get_resolver

from eom.api import api
from tests.factories import (
    basic_auth,
    load_checklist,
    make_api_token,
    make_meeting,
    make_protocol,
    make_results_contest,
)
from tests.observation.scene import send, set_up

HUGE = "99999999999999999999999"  # beyond 64 bits
# Values a query parameter or a form field gets, one at a time: a number beyond 64 bits, a
# word, NUL, a search of 2,000 words, a long text, dates at the calendar's ends, nothing.
HOSTILE = [HUGE, "abc", "\x00", " ".join(["w"] * 2000), "x" * 1999, "9999-12-31",
           "0001-01-01", ""]
# Values a numeric path segment gets.
HOSTILE_IDS = [HUGE, str(2**63)]
SKIPPED = {"logout"}  # posting it ends the session the sweep runs in


# --- the URL configuration ----------------------------------------------------------------


def patterns(resolvers=None, prefix="", namespace="") -> Iterator[tuple[str, str, URLPattern]]:
    """(route, name with its namespace, pattern) of every URL the project serves."""
    for entry in get_resolver().url_patterns if resolvers is None else resolvers:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else (
                entry.namespace or namespace)
            yield from patterns(entry.url_patterns, prefix + str(entry.pattern), inner)
        else:
            name = f"{namespace}:{entry.name}" if namespace else (entry.name or "")
            yield prefix + str(entry.pattern), name, entry


def pages() -> list[tuple[str, str]]:
    """(route, name) of the pages: everything but the admin and the API, which have their own
    sweeps."""
    return [(route, name) for route, name, _p in patterns()
            if not route.startswith(("admin/", "api/")) and name.split(":")[-1] not in SKIPPED]


PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")


def fill(route: str, values: dict) -> str:
    return "/" + PARAMETER.sub(lambda m: str(values[m.group(2)]), route)


# --- the scene ------------------------------------------------------------------------------


@pytest.fixture
def scene(mission, tree, observer, other_team, core_member, coordinator, settings, tmp_path):
    """Election day with a report, a meeting (one confidential), a contest with a protocol."""
    settings.MEDIA_ROOT = tmp_path
    set_up(mission, tree, observer, other_team)
    submission, _created = send(observer, mission)
    load_checklist(mission, "voting")  # a workbook, from which ODK Collect's XForm is made
    meeting = make_meeting(mission, actor=core_member, key_points="Accreditation on track.")
    make_meeting(mission, actor=core_member, confidential=True, key_points="In confidence.")
    contest = make_results_contest(mission, name="Results")
    protocol = make_protocol(contest, tree["01001"])
    return {"tree": tree, "submission": submission, "meeting": meeting, "protocol": protocol,
            "lto_report": _lto_report(mission, tree, coordinator),
            "case": _case(mission, tree, core_member),
            **_standards(mission, meeting, core_member), "report": _report(mission, core_member)}


def _standards(mission, meeting, core_member):
    """A commitment with a meeting given as evidence, and a recommendation."""
    from eom.standards import services as standards

    commitment = standards.create_commitment(
        actor=None, channel="page", mission=mission, data=standards.CommitmentData(
            source="ICCPR", reference="art. 25", title="Genuine elections"))
    recommendation = standards.create_recommendation(
        actor=None, channel="page", mission=mission, data=standards.RecommendationData(
            report_name="Final report 2021", report_year=2021, number=1, text="Publish.",
            synthetic=True))
    tag = standards.tag(actor=core_member, channel="page", mission=mission, kind="meeting",
                        reference=str(meeting.pk), commitment=commitment)
    return {"commitment": commitment, "recommendation": recommendation, "tag": tag}


def _report(mission, core_member):
    """A draft statement of the mission."""
    from eom.publications import services as publications

    return publications.create_report(actor=core_member, channel="page", mission=mission,
                                      name="statement", kind="interim", title="Statement")


def _case(mission, tree, core_member):
    """A complaint before the district commission of D1, with a confidential note."""
    from tests.complaints.factories import make_case

    return make_case(mission, core_member, body_location=tree["D1"], note="In confidence")


def _lto_report(mission, tree, coordinator):
    """A submitted LTO report of the coordinator's team (R1), with a confidential passage."""
    from eom.lto import services as lto_services
    from tests.lto.factories import make_lto_team, make_period, make_template

    team = make_lto_team(mission, "LTO-1", tree["R1"], [coordinator.person])
    period = make_period(mission, 1, make_template(mission))
    report = lto_services.create_report(
        actor=coordinator, channel="page", team=team, period=period,
        data=lto_services.ReportData(
            answers={"n_meetings": 2},
            sections=[lto_services.SectionData("media", "State TV only", "tv")],
            passages={"security": "In confidence"}))
    return lto_services.submit_report(actor=coordinator, channel="page", report=report)


@pytest.fixture
def path_values(scene, observer):
    """The path values of each page that takes some: real records, so that the view runs."""
    tree = scene["tree"]
    key = scene["submission"].uuid
    return {
        "missions:location": {"pk": tree["D1"].pk},
        "missions:person": {"pk": observer.person.pk},
        "missions:team": {"pk": observer.person.teams.get().pk},
        "missions:meeting": {"pk": scene["meeting"].pk},
        "missions:meeting_edit": {"pk": scene["meeting"].pk},
        "observation:checklist": {"location_pk": tree["01001"].pk, "form_id": "voting"},
        "observation:sent": {"key": key},
        "observation:submission": {"key": key},
        "observation:submission_edit": {"key": key},
        "observation:attachment": {"key": key, "pk": 1},
        "observation:submission_delete": {"key": key},
        "observation:coverage_node": {"pk": tree["D1"].pk},
        "results:protocol": {"pk": scene["protocol"].pk},
        "results:aggregation_node": {"pk": tree["R1"].pk},
        "openrosa:form_xml": {"form_id": "voting"},
        "account:token_revoke": {"pk": 1},
        "lto:report": {"pk": scene["lto_report"].pk},
        "lto:report_edit": {"pk": scene["lto_report"].pk},
        "lto:report_submit": {"pk": scene["lto_report"].pk},
        "lto:report_review": {"pk": scene["lto_report"].pk},
        "complaints:case": {"pk": scene["case"].pk},
        "complaints:case_edit": {"pk": scene["case"].pk},
        "complaints:document_upload": {"pk": scene["case"].pk},
        "complaints:document": {"pk": scene["case"].pk, "doc": 1},
        "media:item_edit": {"pk": 1},  # none: the view answers 404 for a bad or missing item
        "media:item_delete": {"pk": 1},
        "dataout:odata_entity_set": {"entity_set": "Stations"},
        "standards:commitment": {"pk": scene["commitment"].pk},
        "standards:commitment_edit": {"pk": scene["commitment"].pk},
        "standards:recommendation_edit": {"pk": scene["recommendation"].pk},
        "standards:tag_delete": {"pk": scene["tag"].pk},
        "standards:recommendation": {"pk": scene["recommendation"].pk},
        "publications:report": {"name": "statement"},
        "publications:publish": {"name": "statement"},
        "publications:figure": {"name": "statement", "key": "seats"},
        "publications:download": {"name": "statement", "lang": "en", "fmt": "html"},
        "publications:section_edit": {"name": "statement", "heading": "media"},
        "publications:preview": {"name": "statement", "heading": "media"},
        "publications:comment": {"name": "statement", "heading": "media"},
        "publications:section_version": {"name": "statement", "heading": "media", "number": 1},
        "openrosa:form_manifest": {"form_id": "voting"},
        "openrosa:form_media": {"form_id": "voting", "name": "stations.csv"},
    }


# --- recording what a view reads ------------------------------------------------------------

READ: set[str] = set()


class RecordingQueryDict(QueryDict):
    """A QueryDict that notes each name a view asks for."""

    def get(self, key, default=None):
        READ.add(key)
        return super().get(key, default)

    def __getitem__(self, key):
        READ.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        READ.add(key)
        return super().__contains__(key)

    def getlist(self, key, default=None):
        READ.add(key)
        return super().getlist(key, default)


class RecordReads:
    """Middleware of this test only: the request's query and form as RecordingQueryDicts."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        request.GET = RecordingQueryDict(request.META.get("QUERY_STRING", ""))
        if request.method == "POST" and request.content_type == (
                "application/x-www-form-urlencoded"):
            request._post = RecordingQueryDict(request.body.decode("utf-8", "replace"))
        return self.get_response(request)


@pytest.fixture
def recording(settings):
    settings.MIDDLEWARE = ["tests.test_hostile_input.RecordReads", *settings.MIDDLEWARE]


def finish(response):
    """Read a download to its end, as a server sends it: its file is then closed (the test
    client's wrapper closes it without ending the test's database connection)."""
    if response.streaming:
        b"".join(response.streaming_content)
    return response


def reads(call) -> set[str]:
    READ.clear()
    with transaction.atomic():
        finish(call())
    return set(READ)


def probe(failures: list, description: str, call):
    """Run one request in a savepoint; note a server error (or an exception) as a failure."""
    try:
        with transaction.atomic():
            response = call()
    except Exception as error:  # a server error, as the test client raises it
        failures.append(f"{description}: {type(error).__name__}: {str(error)[:200]}")
        return None
    if response.status_code >= 500:
        failures.append(f"{description}: {response.status_code}")
    return finish(response)


def shown(value: str) -> str:
    return repr(value if len(value) < 30 else value[:20] + f"…({len(value)})")


# --- the sweeps -----------------------------------------------------------------------------


def test_every_page_has_path_values(path_values):
    missing = [name for route, name in pages()
               if PARAMETER.search(route) and name not in path_values]

    assert missing == [], "give path values for these pages in path_values"


def test_no_query_value_makes_a_page_fail(client, path_values, core_member, recording):
    client.force_login(core_member)
    auth = basic_auth(core_member)  # ODK Collect's pages take HTTP Basic
    failures: list[str] = []
    for route, name in pages():
        url = fill(route, path_values.get(name, {}))
        names = reads(lambda url=url: client.get(url, {"_": "1"}, **auth)) | {"page", "q"}
        for parameter in sorted(names - {"_"}):
            for value in HOSTILE:
                probe(failures, f"GET {url}?{parameter}={shown(value)}",
                      lambda url=url, p=parameter, v=value: client.get(url, {p: v}, **auth))

    assert failures == []


def test_no_posted_value_makes_a_page_fail(client, path_values, core_member, recording):
    auth = basic_auth(core_member)
    failures: list[str] = []
    for route, name in pages():
        url = fill(route, path_values.get(name, {}))
        client.force_login(core_member)
        names = reads(lambda url=url: client.post(
            url, "_=1", content_type="application/x-www-form-urlencoded", **auth))
        for field in sorted(names - {"_", "csrfmiddlewaretoken"}):
            for value in HOSTILE:
                # multipart, as a browser sends a form with files: the views' own checks see
                # the values (url-encoded, NUL is refused before any view runs)
                probe(failures, f"POST {url} {field}={shown(value)}",
                      lambda url=url, f=field, v=value: client.post(url, {f: v}, **auth))

    assert failures == []


def test_ids_beyond_64_bits_in_a_page_path_never_fail(client, path_values, core_member):
    client.force_login(core_member)
    failures: list[str] = []
    for route, name in pages():
        numeric = [m.group(2) for m in PARAMETER.finditer(route) if m.group(1) == "int"]
        for parameter in numeric:
            for value in HOSTILE_IDS:
                url = fill(route, {**path_values.get(name, {}), parameter: value})
                response = probe(failures, f"GET {url}", lambda url=url: client.get(url))
                # 405: a page that only takes POST answers a GET before reading its path.
                if response is not None and response.status_code not in {404, 405}:
                    failures.append(f"GET {url}: {response.status_code}, not 404")

    assert failures == []


def test_no_hostile_value_makes_an_admin_page_fail(client, scene, core_member):
    """Every list's search and ordering; the other parameters of a list, and the object views,
    run the same code for every model: a few models stand for all."""
    client.force_login(core_member)
    failures: list[str] = []
    models = list(admin.site._registry)
    for number, model in enumerate(models):
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        parameters = ["q", "o"] + (["p", "all", "e", "_facets", "_to_field", "_popup",
                                    "_changelist_filters"] if number < 3 else [])
        for parameter in parameters:
            for value in HOSTILE:
                probe(failures, f"GET {base}?{parameter}={shown(value)}",
                      lambda b=base, p=parameter, v=value: client.get(b, {p: v}))
        stored = model._default_manager.order_by("pk").first()
        for object_id in ([HUGE, "abc"] if number < 3 else []) + ([str(stored.pk)] if stored
                                                                  else []):
            for view in ("change/", "history/", "delete/"):
                url = f"{base}{quote(object_id)}/{view}"
                probe(failures, f"GET {url}?_to_field=",
                      lambda url=url: client.get(url, {"_to_field": ""}))

    assert failures == []


# --- the API --------------------------------------------------------------------------------


def operations() -> Iterator[tuple[str, str, dict]]:
    """(path, method, operation) of every operation in the OpenAPI document."""
    for path, methods in api.get_openapi_schema(path_prefix="/api")["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def api_path(path: str, scene, over: dict | None = None) -> str:
    known = {"location_id": scene["tree"]["D1"].pk, "team_id": 1,
             "meeting_id": scene["meeting"].pk, "uuid": scene["submission"].uuid,
             "form_id": "voting", **(over or {})}
    return re.sub(r"\{(\w+)\}", lambda m: quote(str(known.get(m.group(1), 1)), safe=""), path)


def kind(parameter: dict) -> str:
    schema = parameter.get("schema", {})
    kinds = [schema.get("type")] + [s.get("type") for s in schema.get("anyOf", [])]
    return "integer" if "integer" in kinds else "other"


def test_no_parameter_value_makes_an_endpoint_fail(client, scene, core_member):
    """Each path and query parameter of each GET operation; a number beyond 64 bits answers
    422 naming the parameter."""
    token = {"HTTP_AUTHORIZATION": f"Bearer {make_api_token(core_member)}"}
    failures: list[str] = []

    def get(url: str, query: dict):
        return lambda: client.get(url, query, **token)

    for path, method, operation in operations():
        if method != "get":
            continue
        for parameter in operation.get("parameters", []):
            name = parameter["name"]
            for value in HOSTILE:
                if parameter["in"] == "path" and value in ("", "\x00"):
                    continue  # not a path segment; NUL is refused before routing
                if parameter["in"] == "path":
                    url, query = api_path(path, scene, {name: value}), {}
                else:
                    url, query = api_path(path, scene), {name: value}
                response = probe(failures, f"GET {url} {name}={shown(value)}", get(url, query))
                if response is None or kind(parameter) != "integer" or value != HUGE:
                    continue
                if response.status_code != 422 or name not in response.content.decode():
                    failures.append(f"GET {url} {name}={value}: {response.status_code} "
                                    f"{response.content[:100]!r}, not 422 naming it")

    assert failures == []


HOSTILE_BODIES = [
    "[" * 100_000 + "]" * 100_000,  # nested beyond the parser's depth
    '{"a": ' * 50_000 + "1" + "}" * 50_000,
    '"\\ud800"', '{"x": "\\u0000"}', "1e999999", "9" * 100_000, "not json", "{}", "[]",
    "null", '{"submissions": 5}', '{"date": "9999-99-99", "place": 5}',
    '{"uuid": "x", "form_id": 5, "location": [], "answers": "none"}',
]


def test_no_hostile_body_makes_an_endpoint_fail(client, scene, core_member):
    token = {"HTTP_AUTHORIZATION": f"Bearer {make_api_token(core_member)}"}
    failures: list[str] = []
    for path, method, _operation in operations():
        if method not in ("post", "put", "patch"):
            continue
        url = api_path(path, scene)
        for body in HOSTILE_BODIES:
            probe(failures, f"{method.upper()} {url} {shown(body)}",
                  lambda url=url, m=method, b=body: getattr(client, m)(
                      url, b, content_type="application/json", **token))

    assert failures == []


def test_hostile_values_inside_valid_bodies_never_fail(client, scene, core_member):
    """Each field of a meeting and of a report given each hostile value (as JSON)."""
    token = {"HTTP_AUTHORIZATION": f"Bearer {make_api_token(core_member)}"}
    meeting = {"date": "2023-02-08", "time": "10:00", "place": "CEC", "region": "R1",
               "participants": [], "interlocutors": [{"name": "N", "title": "T"}],
               "topics": ["t"], "key_points": "k", "follow_ups": [{"text": "x", "due": None}],
               "source": "s"}
    report = {"uuid": "00000000-0000-4000-8000-000000000001", "form_id": "voting",
              "location": "01001", "observed_at": "2023-03-19T10:00:00+06:00",
              "answers": {"registered": 1, "voted": 1, "secrecy": "yes", "problems": ["queue"],
                          "assessment": "good"}}
    values = [*HOSTILE, 2**70, -(2**70), 1e308, None, True, [], {}, ["x"] * 300, {"a": {"b": 1}},
              "10:00+06:00"]
    failures: list[str] = []
    for url, method, body in [("/api/meetings", "post", meeting),
                              (f"/api/meetings/{scene['meeting'].pk}", "put", meeting),
                              ("/api/submissions", "post", report)]:
        fields = [(k, None) for k in body] + [("answers", k) for k in report["answers"]
                                               if body is report]
        for field, inner in fields:
            for value in values:
                changed = json.loads(json.dumps(body))
                if inner is None:
                    changed[field] = value
                else:
                    changed[field][inner] = value
                probe(failures, f"{method.upper()} {url} {field}.{inner}={shown(str(value))}",
                      lambda url=url, m=method, b=changed: getattr(client, m)(
                          url, b, content_type="application/json", **token))
        batch = {"submissions": [report]}
        probe(failures, "POST batch", lambda b=batch: client.post(
            "/api/submissions/batch", b, content_type="application/json", **token))

    assert failures == []


def test_no_hostile_report_part_or_file_name_makes_the_files_endpoint_fail(
        client, scene, core_member):
    """POST /api/submissions/with-files (multipart): each hostile body as the report's part,
    and files under hostile names beside a valid report."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    token = {"HTTP_AUTHORIZATION": f"Bearer {make_api_token(core_member)}"}
    url = "/api/submissions/with-files"
    report = json.dumps({"uuid": "00000000-0000-4000-8000-000000000002", "form_id": "voting",
                         "location": "01001", "observed_at": "2023-03-19T10:00:00+06:00",
                         "answers": {"registered": 1}})
    failures: list[str] = []
    for body in [*HOSTILE_BODIES, *HOSTILE]:
        probe(failures, f"POST {url} submission={shown(body)}",
              lambda b=body: client.post(url, {"submission": b}, **token))
    for name in [*HOSTILE, "visits[99999999999999999999]/photo", "a[1]/" * 500 + "photo",
                 "../../photo", "photo/", "/photo", "[1]/photo"]:
        probe(failures, f"POST {url} file {shown(name)}",
              lambda n=name: client.post(url, {"submission": report, n: SimpleUploadedFile(
                  "x.png", b"\x89PNG", "image/png")}, **token))
    probe(failures, f"POST {url} no report", lambda: client.post(url, {}, **token))

    assert failures == []
