"""An OData v4 feed of the mission's data, read by Excel (Data → Get Data → From OData Feed) and
Power BI without code, as ODK Central and NEMO offer theirs.

    GET /data/odata/               the service document: the entity sets the reader may read
    GET /data/odata/$metadata      their types as CSDL XML (EDMX 4.0)
    GET /data/odata/<Set>          rows as JSON, `$top` and `$skip` (a page is at most
                                   PAGE_SIZE rows; `@odata.nextLink` points at the next page),
                                   `$count=true` adds `@odata.count`

Entity sets: `Stations` (the polling stations), `Submissions_<form>` (one per form, one row per
report, flattened: the report's columns, then one per question, answers as codes), `Answers`
(one row per answer), `QAFlags`, and the figure tables `Analysis` (every choice question of
every form, as the analysis page counts them over the reader's reports) and, for readers of
the results, `Protocols`. Every set is scoped as the reader's pages are: the reports are those
the submissions page lists to it.

Authentication: `Authorization: Bearer <API token>`, or HTTP Basic with the API token as the
password (what Excel and Power BI ask for in their "Basic" dialog; the user name is not read),
or the session of a signed-in browser. Unknown tokens count towards the address's lockout like
the API's. Every page read is recorded and audited as an export (`odata/<Set>`).

`$filter` and `$orderby` take the subset Excel and Power BI send (odata_query.py: comparisons
eq ne gt ge lt le of a property with a literal, and, or, not, parentheses; properties asc|desc).
They are applied in eom to the set's rows, for sets of at most MAX_QUERIED_ROWS rows (a larger
set answers 400: read it whole, or take it page by page). Not implemented: `$select`,
`$expand`, `$search`, `$apply` and anything outside that subset (answered 400 naming the
option), so that a client never takes an unfiltered answer for a filtered one.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode
from xml.etree import ElementTree as ET

from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from eom.missions import services as mission_services
from eom.missions import signin
from eom.missions.models import Channel, Location, LocationLevel, Mission
from eom.missions.permissions import can_use
from eom.observation.filters import filter_submissions
from eom.observation.models import Form
from eom.observation.permissions import submissions_listed_to
from eom.results.permissions import can_read_results, protocols_visible_to

from . import submissions as tables
from .odata_query import QueryError, ordered, parse_filter, parse_orderby
from .services import record_export

PAGE_SIZE = 1000
NAMESPACE = "eom"
REALM = "eom OData"
UNSUPPORTED = ("$select", "$expand", "$search", "$apply")
MAX_QUERIED_ROWS = 50_000
EDMX = "http://docs.oasis-open.org/odata/ns/edmx"
EDM = "http://docs.oasis-open.org/odata/ns/edm"


@dataclass
class EntitySet:
    """One entity set: its name, its type's properties (name, Edm type) with the key first,
    and a reader of rows: rows(skip, top) -> dicts, count() -> int."""

    name: str
    type_name: str
    properties: list[tuple[str, str]]
    rows: Callable[[int, int], list[dict[str, Any]]]
    count: Callable[[], int]
    key: str = field(default="")

    def __post_init__(self) -> None:
        self.key = self.key or self.properties[0][0]


def identifier(text: str) -> str:
    """An OData identifier from a form's or question's name."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", text)[:120]
    return name if re.match(r"[A-Za-z_]", name) else f"_{name}"


# --- sets ---------------------------------------------------------------------------------

STATION_PROPERTIES = [("Code", "Edm.String"), ("Name", "Edm.String"), ("Parent", "Edm.String"),
                      ("Path", "Edm.String"), ("Registered", "Edm.Int64")]


def _stations(mission: Mission) -> EntitySet:
    found = (Location.objects.filter(mission=mission, level=LocationLevel.POLLING_STATION)
             .select_related("parent").order_by("path"))

    def rows(skip: int, top: int) -> list[dict]:
        return [{"Code": s.code, "Name": s.name, "Parent": s.parent.code if s.parent else None,
                 "Path": s.path, "Registered": s.n_registered} for s in found[skip:skip + top]]

    return EntitySet("Stations", "Station", STATION_PROPERTIES, rows, found.count)


COMMON_PROPERTIES = {"uuid": "Edm.String", "n_flags": "Edm.Int64", "n_revisions": "Edm.Int64"}
EDM_OF_QUESTION = {"integer": "Edm.Int64", "decimal": "Edm.Double"}


def _typed(value: Any, edm: str) -> Any:
    if value in (None, ""):
        return None
    try:
        if edm == "Edm.Int64":
            return int(value)
        if edm == "Edm.Double":
            return float(value)
    except (TypeError, ValueError):
        return None
    return str(value)


def _page_of(reports, skip: int, top: int):
    ordered = reports.order_by("observed_at", "pk").values_list("pk", flat=True)
    return reports.filter(pk__in=list(ordered[skip:skip + top]))


def _submissions(form: Form, reports) -> EntitySet:
    reports = reports.filter(form=form)
    asked = tables.question_columns(form, reports)
    common = [(identifier(c), COMMON_PROPERTIES.get(c, "Edm.String")) for c in tables.COMMON]
    taken = {name for name, _edm in common}
    questions = []
    for q in asked:
        name = identifier(q["name"])
        name = f"{name}_q" if name in taken else name
        taken.add(name)
        questions.append((name, EDM_OF_QUESTION.get(q.get("type", ""), "Edm.String")))
    properties = common + questions

    def rows(skip: int, top: int) -> list[dict]:
        _header, found = tables.wide(_page_of(reports, skip, top), form, tables.Choices(),
                                     instances=False)
        return [{name: _typed(value, edm) for (name, edm), value in zip(properties, row,
                                                                        strict=True)}
                for row in found]

    return EntitySet(f"Submissions_{identifier(form.form_id)}",
                     f"Submission_{identifier(form.form_id)}", properties, rows, reports.count)


ANSWER_PROPERTIES = [("Id", "Edm.String"), ("Uuid", "Edm.String"), ("Form", "Edm.String"),
                     ("Location", "Edm.String"), ("Team", "Edm.String"),
                     ("ObservedAt", "Edm.String"), ("Question", "Edm.String"),
                     ("QuestionLabel", "Edm.String"), ("Answer", "Edm.String")]


def _answers(reports) -> EntitySet:
    def rows(skip: int, top: int) -> list[dict]:
        # a page of reports gives its answers; skip and top count answers, so read reports
        # from the start of the page's reports and cut
        out: list[dict] = []
        _header, found = tables.long(reports, tables.Choices())
        for number, row in enumerate(found):
            if number < skip:
                continue
            if len(out) == top:
                break
            uuid, form, location, team, observed = row[0], row[1], row[3], row[5], row[7]
            repeat, instance, question, label, answer = row[-5:]
            if repeat:  # a question inside a repeat: its path names the instance
                question = f"{repeat}[{instance}]/{question}"
            out.append({"Id": f"{uuid}:{question}", "Uuid": uuid, "Form": form,
                        "Location": location, "Team": team or None, "ObservedAt": observed,
                        "Question": question, "QuestionLabel": label,
                        "Answer": None if answer is None else str(answer)})
        return out

    def count() -> int:
        return sum(tables.answer_count(answers) for answers in reports.values_list(
            "answers", flat=True).iterator(chunk_size=2000))

    return EntitySet("Answers", "Answer", ANSWER_PROPERTIES, rows, count)


FLAG_PROPERTIES = [("Id", "Edm.String"), ("Uuid", "Edm.String"), ("Form", "Edm.String"),
                   ("Location", "Edm.String"), ("Team", "Edm.String"),
                   ("ObservedAt", "Edm.String"), ("Rule", "Edm.String"),
                   ("Severity", "Edm.String"), ("Message", "Edm.String")]


def _flags(reports) -> EntitySet:
    def rows(skip: int, top: int) -> list[dict]:
        _header, found = tables.flags(reports, tables.Choices())
        out = []
        for number, row in enumerate(found):
            if number < skip:
                continue
            if len(out) == top:
                break
            out.append(dict(zip([n for n, _e in FLAG_PROPERTIES],
                                [f"{row[0]}:{row[5]}", *row[:8]], strict=True)))
        return out

    def count() -> int:
        return reports.aggregate(n=Sum("n_flags"))["n"] or 0

    return EntitySet("QAFlags", "QAFlag", FLAG_PROPERTIES, rows, count)


ANALYSIS_PROPERTIES = [("Id", "Edm.String"), ("Form", "Edm.String"), ("Question", "Edm.String"),
                       ("QuestionLabel", "Edm.String"), ("Answer", "Edm.String"),
                       ("AnswerLabel", "Edm.String"), ("Reports", "Edm.Int64"),
                       ("Answered", "Edm.Int64"), ("Share", "Edm.Double"),
                       ("Lower", "Edm.Double"), ("Upper", "Edm.Double")]


def _analysis(mission: Mission, reports) -> EntitySet:
    from eom.reporting.analysis import analyse  # the figures of the analysis page

    def all_rows() -> list[dict]:
        out = []
        forms = Form.objects.filter(mission=mission, current_version__isnull=False)
        for form in forms.select_related("current_version"):
            result = analyse(form, filter_submissions(reports, form=form))
            for q in result.questions:
                for f in q.figures:
                    out.append({"Id": f"{form.form_id}:{q.name}:{f.name}",
                                "Form": form.form_id, "Question": q.name,
                                "QuestionLabel": q.label, "Answer": f.name,
                                "AnswerLabel": f.label, "Reports": f.n_yes, "Answered": f.n,
                                "Share": f.share if f.n else None,
                                "Lower": f.lower if f.n else None,
                                "Upper": f.upper if f.n else None})
        return out

    return EntitySet("Analysis", "AnalysisFigure", ANALYSIS_PROPERTIES,
                     lambda skip, top: all_rows()[skip:skip + top], lambda: len(all_rows()))


PROTOCOL_PROPERTIES = [("Id", "Edm.Int64"), ("Contest", "Edm.String"), ("Station", "Edm.String"),
                       ("Source", "Edm.String"), ("Registered", "Edm.Int64"),
                       ("InBoxes", "Edm.Int64"), ("Valid", "Edm.Int64"),
                       ("Invalid", "Edm.Int64"), ("ChecksFailed", "Edm.String"),
                       ("Votes", "Edm.String")]


def _protocols(user, mission: Mission) -> EntitySet:
    found = (protocols_visible_to(user, mission).select_related("location", "contest")
             .order_by("location__path", "source", "pk"))

    def rows(skip: int, top: int) -> list[dict]:
        return [{"Id": p.pk, "Contest": str(p.contest), "Station": p.location.code,
                 "Source": p.source, "Registered": p.n_registered, "InBoxes": p.n_in_boxes,
                 "Valid": p.n_valid, "Invalid": p.n_invalid,
                 "ChecksFailed": " ".join(p.failed),
                 "Votes": json.dumps(p.votes, sort_keys=True)}
                for p in found[skip:skip + top]]

    return EntitySet("Protocols", "Protocol", PROTOCOL_PROPERTIES, rows, found.count)


def entity_sets(user, mission: Mission) -> dict[str, EntitySet]:
    """The sets the reader may read, by name."""
    reports = filter_submissions(submissions_listed_to(user, mission))
    sets = [_stations(mission)]
    forms = Form.objects.filter(mission=mission).order_by("order", "form_id")
    sets += [_submissions(form, reports) for form in forms]
    sets += [_answers(reports), _flags(reports), _analysis(mission, reports)]
    if can_read_results(user, mission):
        sets.append(_protocols(user, mission))
    return {s.name: s for s in sets}


# --- authentication -----------------------------------------------------------------------


def _token_of(request: HttpRequest) -> str | None:
    scheme, _sep, value = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() == "bearer":
        return value.strip()
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return ""
        return decoded.partition(":")[2]
    return None


def _challenge(message: str, status: int = 401) -> HttpResponse:
    response = _error(message, status)
    if status == 401:
        response["WWW-Authenticate"] = f'Basic realm="{REALM}", charset="UTF-8"'
    return response


def _error(message: str, status: int) -> HttpResponse:
    response = JsonResponse({"error": {"code": str(status), "message": message}}, status=status)
    response["OData-Version"] = "4.0"
    return response


def odata_view(view):
    """A feed view: GET only; the reader from its token (Bearer, or Basic's password) or its
    session; 401 with a Basic challenge without credentials; the current mission."""

    @csrf_exempt
    def wrapper(request: HttpRequest, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return _error(_("The feed is read-only: use GET."), 405)
        token = _token_of(request)
        user = request.user if token is None and request.user.is_authenticated else None
        if token:
            try:
                user = mission_services.user_for_token(token)
            except mission_services.TokenExpired:
                return _challenge(_("This API token expired; issue a new one."))
            if user is None:
                address = signin.client_address(request)
                lockout = (signin.lockout_for(kind=signin.Kind.TOKEN, address=address)
                           or signin.record_failure(kind=signin.Kind.TOKEN, address=address))
                if lockout is not None:
                    return _error(lockout.message(), 429)
                return _challenge(_("Unknown or revoked API token."))
        if user is None:
            return _challenge(_("Send an API token: Authorization: Bearer <token>, or Basic "
                                "with the token as the password."))
        mission = mission_services.current_mission()
        if mission is None or not can_use(user, mission):
            return _error(_("This login has no access to the mission."), 403)
        response = view(request, user, mission, **kwargs)
        response["OData-Version"] = "4.0"
        return response

    return wrapper


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/data/odata/")


# --- views --------------------------------------------------------------------------------


@odata_view
def service(request: HttpRequest, user, mission: Mission) -> HttpResponse:
    sets = entity_sets(user, mission)
    return JsonResponse({
        "@odata.context": _base(request) + "$metadata",
        "value": [{"name": name, "kind": "EntitySet", "url": name} for name in sets],
    }, json_dumps_params={"ensure_ascii": False})


def metadata_xml(sets: dict[str, EntitySet]) -> bytes:
    """The CSDL document of the sets."""
    ET.register_namespace("edmx", EDMX)
    root = ET.Element(f"{{{EDMX}}}Edmx", {"Version": "4.0"})
    services = ET.SubElement(root, f"{{{EDMX}}}DataServices")
    schema = ET.SubElement(services, f"{{{EDM}}}Schema", {"Namespace": NAMESPACE})
    for entity in sets.values():
        kind = ET.SubElement(schema, f"{{{EDM}}}EntityType", {"Name": entity.type_name})
        key = ET.SubElement(kind, f"{{{EDM}}}Key")
        ET.SubElement(key, f"{{{EDM}}}PropertyRef", {"Name": entity.key})
        for name, edm in entity.properties:
            attributes = {"Name": name, "Type": edm}
            if name == entity.key:
                attributes["Nullable"] = "false"
            ET.SubElement(kind, f"{{{EDM}}}Property", attributes)
    container = ET.SubElement(schema, f"{{{EDM}}}EntityContainer", {"Name": "Container"})
    for entity in sets.values():
        ET.SubElement(container, f"{{{EDM}}}EntitySet",
                      {"Name": entity.name, "EntityType": f"{NAMESPACE}.{entity.type_name}"})
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8")


@odata_view
def metadata(request: HttpRequest, user, mission: Mission) -> HttpResponse:
    return HttpResponse(metadata_xml(entity_sets(user, mission)),
                        content_type="application/xml; charset=utf-8")


def _queried(chosen: EntitySet, where: str | None, order: str | None) -> EntitySet:
    """The set with `$filter` and `$orderby` applied to its rows (read whole, at most
    MAX_QUERIED_ROWS); the set itself without either. QueryError names what is refused."""
    if where is None and order is None:
        return chosen
    properties = dict(chosen.properties)
    keep = parse_filter(where, properties) if where is not None else None
    keys = parse_orderby(order, properties) if order is not None else []
    total = chosen.count()
    if total > MAX_QUERIED_ROWS:
        option = "$filter" if where is not None else "$orderby"
        raise QueryError(option, _("%(set)s has %(n)s rows; eom filters and sorts at most "
                                   "%(max)s: read the set without it") % {
            "set": chosen.name, "n": total, "max": MAX_QUERIED_ROWS})
    found = chosen.rows(0, total + 1)
    if keep is not None:
        found = [row for row in found if keep(row)]
    found = ordered(found, keys)
    return EntitySet(chosen.name, chosen.type_name, chosen.properties,
                     lambda skip, top: found[skip:skip + top], lambda: len(found), chosen.key)


def _bounded(request: HttpRequest, option: str, default: int) -> int | None:
    text = request.GET.get(option, "")
    if not text:
        return default
    if not text.isdigit() or len(text) > 9:
        return None
    return int(text)


@odata_view
def entity_set(request: HttpRequest, user, mission: Mission, entity_set: str) -> HttpResponse:
    for option in UNSUPPORTED:
        if option in request.GET:
            return _error(_("%(option)s: not supported by this feed; read the set and filter "
                            "in the client.") % {"option": option}, 400)
    sets = entity_sets(user, mission)
    chosen = sets.get(entity_set)
    if chosen is None:
        return _error(_("No entity set %(name)s.") % {"name": entity_set[:60]}, 404)
    skip = _bounded(request, "$skip", 0)
    top = _bounded(request, "$top", PAGE_SIZE)
    if skip is None or top is None:
        bad = "$skip" if skip is None else "$top"
        return _error(_("%(option)s: give a whole number.") % {"option": bad}, 400)
    try:
        chosen = _queried(chosen, request.GET.get("$filter"), request.GET.get("$orderby"))
    except QueryError as refused:
        return _error(f"{refused.option}: {refused.message}", 400)
    wanted = top if "$top" in request.GET else None  # None: every row, page by page
    page = min(top, PAGE_SIZE)
    rows = chosen.rows(skip, page + 1)
    body: dict[str, Any] = {"@odata.context": f"{_base(request)}$metadata#{chosen.name}"}
    if request.GET.get("$count") == "true":
        body["@odata.count"] = chosen.count()
    more = len(rows) > page
    rows = rows[:page]
    body["value"] = rows
    if more and (wanted is None or wanted > page):
        query: dict[str, Any] = {"$skip": skip + page}
        if wanted is not None:
            query["$top"] = wanted - page
        for option in ("$filter", "$orderby"):
            if request.GET.get(option):
                query[option] = request.GET[option]
        body["@odata.nextLink"] = (f"{_base(request)}{chosen.name}?"
                                   f"{urlencode(query, safe='$', quote_via=quote)}")
    record_export(actor=user, channel=Channel.API, mission=mission, table=f"odata/{chosen.name}",
                  format="odata", filters={k: v[:200] for k, v in list(request.GET.items())[:30]},
                  n_rows=len(rows))
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})
