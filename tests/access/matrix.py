"""The role × URL matrix: for every URL pattern the project serves, what each role gets.

Columns, in order: anonymous, outsider (a login with no person in the mission), observer (team
STO-1 in D1), coordinator (region R1), analyst, administrator, core team, superuser (a login
with no person: administrator access). A row reads "302 403 200 ...", one code per column.

Where scope matters a pattern is visited more than once: `own` points at a record inside the
coordinator's and the observer's area (R1/D1, team STO-1), `other` at one outside it
(R2/D2, team STO-2). A pattern missing here fails the test, so a new URL needs a row.
"""

from __future__ import annotations

from tests.access.walk import Visit

NONE = {}
MEETING = '{"date": "2023-03-02", "place": "Matrix hall"}'


def _pk(name):
    return lambda s: {"pk": s[name].pk}


def _loc(code):
    return lambda s: {"pk": s.tree[code].pk}


def _key(name):
    return lambda s: {"key": s[name].uuid}


def _none(_scene):
    return {}


def V(label, kwargs=_none, **options) -> Visit:  # noqa: N802 - reads as a table
    return Visit(label, kwargs, **options)


# Pages, htmx parts, SMS, ODK Collect, the API: {pattern: [(visit, expected), ...]}.
PAGES: dict[str, list[tuple[Visit, str]]] = {
    "missions:overview": [(V(""), "")],
    "missions:locations": [(V(""), "")],
    "missions:location": [(V("other", _loc("02001")), "")],
    "missions:people": [(V(""), "")],
    "missions:person": [(V("own", _pk("own_person")), ""), (V("other", _pk("other_person")), "")],
    "missions:teams": [(V(""), "")],
    "missions:team": [(V("own", _pk("own_team")), ""), (V("other", _pk("other_team")), "")],
    "missions:meetings": [(V(""), "")],
    "missions:meeting_create": [(V(""), "")],
    "missions:meeting": [(V("public", _pk("public_meeting")), "")],
    "missions:meeting_edit": [(V("public", _pk("public_meeting")), "")],
    "observation:service_worker": [(V(""), "")],
    "observation:assignments": [(V(""), "")],
    "observation:checklist": [
        (V("own", lambda s: {"location_pk": s.tree["01001"].pk, "form_id": "voting"}), ""),
        (V("other", lambda s: {"location_pk": s.tree["02001"].pk, "form_id": "voting"}), ""),
    ],
    "observation:sent": [(V("own", _key("own_submission")), "")],
    "observation:submissions": [(V(""), "")],
    "observation:submission": [
        (V("own", _key("own_submission")), ""), (V("other", _key("other_submission")), ""),
    ],
    "observation:submission_edit": [(V("own", _key("own_submission")), "")],
    "observation:attachment": [(V("own", lambda s: {"key": s["photo_submission"].uuid,
                                                     "pk": s["attachment"].pk}), "")],
    "observation:submission_delete": [(V("own", _key("own_submission"), method="post",
                                         data={"reason": "sent twice"}), "")],
    "observation:conflicts": [(V(""), "")],
    "observation:conflict_resolve": [(V("", method="post"), "")],
    "observation:coverage": [(V(""), "")],
    "observation:coverage_node": [(V("own", _loc("R1")), ""), (V("other", _loc("R2")), "")],
    "observation:forms": [(V(""), "")],
    "results:overview": [(V(""), "")],
    "results:protocols": [(V(""), "")],
    "results:protocol": [(V("own", _pk("own_protocol")), ""),
                         (V("other", _pk("other_protocol")), "")],
    "results:discrepancies": [(V(""), "")],
    "results:aggregation": [(V(""), "")],
    "results:aggregation_node": [(V("own", _loc("R1")), ""), (V("other", _loc("R2")), "")],
    "results:seats": [(V(""), "")],
    "results:forensics": [(V(""), "")],
    "results:import": [(V(""), "")],
    "reporting:analysis": [(V(""), "")],
    "reporting:quick_count": [(V(""), "")],
    "sms:log": [(V(""), "")],
    "sms:broadcast": [(V(""), "")],
    "sms:inbound": [(V("", method="post"), "")],
    "sms:twilio": [(V("", method="post"), "")],
    "openrosa:form_list": [(V(""), "")],
    "openrosa:form_xml": [(V("", lambda s: {"form_id": "opening"}), "")],
    "openrosa:submission": [(V("", method="post"), "")],
    "login": [(V(""), "")],
    "admin/login/": [(V(""), "")],
    "account:two_factor": [(V(""), "")],
    "account:two_factor_enrol": [(V(""), "")],
    "account:tokens": [(V(""), "")],
    "account:token_revoke": [(V("own", lambda s: {"pk": s["spare_token"].pk}, method="post"), "")],
    "logout": [(V("", method="post"), "")],
    "set_language": [(V("", method="post", data={"language": "ru"}), "")],
    "api:openapi-json": [(V(""), "")],
    "api:openapi-view": [(V(""), "")],
    "api:api-root": [(V(""), "")],
    "api:list_missions": [(V(""), "")],
    "api:list_elections": [(V(""), "")],
    "api:list_contests": [(V(""), "")],
    "api:list_parties": [(V(""), "")],
    "api:list_locations": [(V(""), "")],
    "api:get_location": [(V("other", lambda s: {"location_id": s.tree["02001"].pk}), "")],
    "api:list_people": [(V(""), "")],
    "api:list_teams": [(V(""), "")],
    "api:get_team": [(V("own", lambda s: {"team_id": s["own_team"].pk}), ""),
                     (V("other", lambda s: {"team_id": s["other_team"].pk}), "")],
    "api:list_meetings": [(V(""), "")],
    "api:create_meeting": [(V("", method="post", body=MEETING), "")],
    "api:get_meeting": [(V("public", lambda s: {"meeting_id": s["public_meeting"].pk}), "")],
    "api:update_meeting": [(V("public", lambda s: {"meeting_id": s["public_meeting"].pk},
                              method="put", body=MEETING), "")],
    "api:list_forms": [(V(""), "")],
    "api:get_form": [(V("", lambda s: {"form_id": "voting"}), "")],
    "api:my_assignments": [(V(""), "")],
    "api:create_submission": [(V("", method="post", body="{}"), "")],
    "api:list_submissions": [(V(""), "")],
    "api:create_submissions": [(V("", method="post", body="{}"), "")],
    "api:get_submission": [(V("own", lambda s: {"uuid": s["own_submission"].uuid}), ""),
                           (V("other", lambda s: {"uuid": s["other_submission"].uuid}), "")],
}

# The admin site's own pages.
ADMIN_SITE: dict[str, list[tuple[Visit, str]]] = {
    "admin:index": [(V(""), "")],
    "admin:login": [(V(""), "")],
    "admin:logout": [(V("", method="post"), "")],
    "admin:password_change": [(V(""), "")],
    "admin:password_change_done": [(V(""), "")],
    "admin:autocomplete": [(V("", data={"app_label": "missions", "model_name": "meeting",
                                        "field_name": "region", "term": ""}), "")],
    "admin:jsi18n": [(V(""), "")],
    "admin:view_on_site": [(V("", lambda s: {"content_type_id": "1", "object_id": "1"}), "")],
    "admin:app_list": [(V("", lambda s: {"app_label": "missions"}), "")],
    "admin/(?P<url>.*)$": [(V("", lambda s: {"url": "nowhere/"}), "")],
}

# Each ModelAdmin: the record its change, history and delete pages open, and per page what
# each role gets: {model: (object, {"list": ..., "add": ..., "change": ..., "history": ...,
# "delete": ...})}.
ADMIN_MODELS: dict[str, tuple[object, dict[str, str]]] = {
    "auth.group": (lambda s: s["group"], {}),
    "auth.user": (lambda s: s.users["observer"], {}),
    "missions.mission": (lambda s: s.mission, {}),
    "missions.election": (lambda s: s["election"], {}),
    "missions.contest": (lambda s: s["contest"], {}),
    "missions.party": (lambda s: s["party"], {}),
    "missions.candidate": (lambda s: s["candidate"], {}),
    "missions.announcedresult": (lambda s: s["announced"], {}),
    "missions.location": (lambda s: s.tree["02001"], {}),
    "missions.role": (lambda s: s.users["observer"].person.role, {}),
    "missions.person": (lambda s: s["other_person"], {}),
    "missions.team": (lambda s: s["other_team"], {}),
    "missions.meeting": (lambda s: s["public_meeting"], {}),
    "missions.organisation": (lambda s: s["public_organisation"], {}),
    "missions.interlocutor": (lambda s: s["public_interlocutor"], {}),
    "missions.topic": (lambda s: s["public_topic"], {}),
    "missions.keydate": (lambda s: s["key_date"], {}),
    "missions.auditentry": (lambda s: s["public_audit"], {}),
    "missions.apitoken": (lambda s: s["token"], {}),
    "results.publishedtotal": (lambda s: s["published_total"], {}),
    "results.protocol": (lambda s: s["other_protocol"], {}),
    "results.importbatch": (lambda s: s["import_batch"], {}),
    "reporting.sample": (lambda s: s["sample"], {}),
    "reporting.sampledstation": (lambda s: s["sampled_station"], {}),
}
