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
CASE = ('{"filer_kind": "party", "filer_name": "Party A", "body_kind": "commission", '
        '"body_level": "district", "filed": "2023-03-01", "body_location": "D1"}')
LTO_DRAFT = '{"title": "Flash", "sections": [{"heading": "security", "text": "Calm"}]}'


def _pk(name):
    return lambda s: {"pk": s[name].pk}


def _loc(code):
    return lambda s: {"pk": s.tree[code].pk}


def _key(name):
    return lambda s: {"key": s[name].uuid}


def _name(name):
    return lambda s: {"name": name}


def _figure(name):
    return lambda s: {"name": name, "key": "media:time"}


def _file(name):
    return lambda s: {"name": name, "lang": "ru", "fmt": "pdf"}


def _section(name):
    return lambda s: {"name": name, "heading": "media"}


def _version(name):
    return lambda s: {"name": name, "heading": "media", "number": 1}


def _none(_scene):
    return {}


def V(label, kwargs=_none, **options) -> Visit:  # noqa: N802 - reads as a table
    return Visit(label, kwargs, **options)


# Pages, htmx parts, SMS, ODK Collect, the API: {pattern: [(visit, expected), ...]}.
PAGES: dict[str, list[tuple[Visit, str]]] = {
    "missions:overview": [(V(""), "302 403 200 200 200 200 200 200")],
    "missions:locations": [(V(""), "302 403 200 200 200 200 200 200")],
    "missions:location": [(V("other", _loc("02001")), "302 403 200 200 200 200 200 200")],
    "missions:people": [(V(""), "302 403 200 200 200 200 200 200")],
    "missions:person": [
        (V("own", _pk("own_person")), "302 403 200 200 200 200 200 200"),
        (V("other", _pk("other_person")), "302 403 404 404 200 200 200 200"),
    ],
    "missions:teams": [(V(""), "302 403 200 200 200 200 200 200")],
    "missions:team": [
        (V("own", _pk("own_team")), "302 403 200 200 200 200 200 200"),
        (V("other", _pk("other_team")), "302 403 404 404 200 200 200 200"),
    ],
    "missions:meetings": [(V(""), "302 403 200 200 200 200 200 200")],
    "missions:meeting_create": [(V(""), "302 403 200 200 403 200 200 200")],
    "missions:meeting_find_people": [(V(""), "302 403 200 200 403 200 200 200")],
    "missions:meeting_find_interlocutors": [(V(""), "302 403 200 200 403 200 200 200")],
    "missions:meeting": [(V("public", _pk("public_meeting")), "302 403 404 200 200 200 200 200")],
    "missions:meeting_edit": [(V("public", _pk("public_meeting")), "302 403 404 200 403 200 200 200")],
    "observation:service_worker": [(V(""), "200 200 200 200 200 200 200 200")],
    "observation:assignments": [(V(""), "302 403 200 200 200 200 200 200")],
    "observation:mine": [(V(""), "302 403 200 200 200 200 200 200")],
    "observation:checklist": [
        (V("own", lambda s: {"location_pk": s.tree["01001"].pk, "form_id": "voting"}), "302 403 200 200 403 200 200 200"),
        (V("other", lambda s: {"location_pk": s.tree["02001"].pk, "form_id": "voting"}), "302 403 403 403 403 200 200 200"),
    ],
    "observation:sent": [(V("own", _key("own_submission")), "302 403 200 200 200 200 200 200")],
    "observation:submissions": [(V(""), "302 403 200 200 200 200 200 200")],
    "observation:submission": [
        (V("own", _key("own_submission")), "302 403 200 200 200 200 200 200"),
        (V("other", _key("other_submission")), "302 403 404 404 200 200 200 200"),
    ],
    "observation:submission_edit": [(V("own", _key("own_submission")), "302 403 200 200 403 200 200 200")],
    "observation:attachment": [(V("own", lambda s: {"key": s["photo_submission"].uuid,
                                                     "pk": s["attachment"].pk}), "302 403 200 200 200 200 200 200")],
    "observation:submission_delete": [(V("own", _key("own_submission"), method="post",
                                         data={"reason": "sent twice"}), "302 403 302 302 403 302 302 302")],
    "observation:conflicts": [(V(""), "302 403 200 200 200 200 200 200")],
    "observation:conflict_resolve": [(V("", method="post"), "302 403 400 400 400 400 400 400")],
    "observation:coverage": [(V(""), "302 403 403 200 200 200 200 200")],
    "observation:coverage_node": [
        (V("own", _loc("R1")), "302 403 403 200 200 200 200 200"),
        (V("other", _loc("R2")), "302 403 403 404 200 200 200 200"),
    ],
    "observation:forms": [(V(""), "302 403 200 200 200 200 200 200")],
    "results:overview": [(V(""), "302 403 403 200 200 200 200 200")],
    "results:protocols": [(V(""), "302 403 403 200 200 200 200 200")],
    "results:protocol": [(V("own", _pk("own_protocol")), "302 403 403 200 200 200 200 200"),
                         (V("other", _pk("other_protocol")), "302 403 403 404 200 200 200 200")],
    "results:discrepancies": [(V(""), "302 403 403 200 200 200 200 200")],
    "results:aggregation": [(V(""), "302 403 403 200 200 200 200 200")],
    "results:aggregation_node": [
        (V("own", _loc("R1")), "302 403 403 200 200 200 200 200"),
        (V("other", _loc("R2")), "302 403 403 404 200 200 200 200"),
    ],
    "results:seats": [(V(""), "302 403 403 403 200 200 200 200")],
    "results:forensics": [(V(""), "302 403 403 403 200 200 200 200")],
    "results:forensics_recompute": [(V("", method="post", data={"draws": "100", "seed": "1"}),
                                     "302 403 403 403 403 403 302 403")],
    "results:import": [(V(""), "302 403 403 403 403 200 403 200")],
    "reporting:analysis": [(V(""), "302 403 200 200 200 200 200 200")],
    "reporting:quick_count": [(V(""), "302 403 403 403 200 200 200 200")],
    # The situation room: those who run the day (analysts read the same on coverage/analysis).
    "situation:room": [(V(""), "302 403 403 200 403 200 200 200")],
    "situation:live": [(V(""), "302 403 403 200 403 200 200 200")],
    "situation:summary": [(V(""), "302 403 403 200 403 200 200 200")],
    "sms:log": [(V(""), "302 403 403 403 403 200 200 200")],
    "sms:broadcast": [(V(""), "302 403 403 403 403 200 200 200")],
    "sms:inbound": [(V("", method="post"), "403 403 403 403 403 403 403 403")],
    "sms:twilio": [(V("", method="post"), "403 403 403 403 403 403 403 403")],
    "openrosa:form_list": [(V(""), "401 403 200 200 200 200 200 200")],
    "openrosa:form_xml": [(V("", lambda s: {"form_id": "opening"}), "401 403 200 200 200 200 200 200")],
    "openrosa:form_manifest": [(V("", lambda s: {"form_id": "opening"}), "401 403 200 200 200 200 200 200")],
    "openrosa:form_media": [(V("", lambda s: {"form_id": "opening", "name": "stations.csv"}), "401 403 404 404 404 404 404 404")],
    "openrosa:submission": [(V("", method="post"), "401 403 400 400 400 400 400 400")],
    "login": [(V(""), "200 200 200 200 200 200 200 200")],
    "admin/login/": [(V(""), "302 302 302 302 302 302 302 302")],
    "account:two_factor": [(V(""), "302 302 302 302 302 302 302 302")],
    "account:two_factor_enrol": [(V(""), "302 302 302 302 302 302 302 302")],
    "account:tokens": [(V(""), "302 403 200 200 200 200 200 200")],
    "account:token_revoke": [(V("own", lambda s: {"pk": s["spare_token"].pk}, method="post"), "302 403 302 404 404 404 404 404")],
    "logout": [(V("", method="post"), "302 302 302 302 302 302 302 302")],
    "set_language": [(V("", method="post", data={"language": "ru"}), "302 302 302 302 302 302 302 302")],
    "api:openapi-json": [(V(""), "200 200 200 200 200 200 200 200")],
    "api:openapi-view": [(V(""), "302 403 200 200 200 200 200 200")],
    "api:api-root": [(V(""), "404 404 404 404 404 404 404 404")],
    "api:list_missions": [(V(""), "401 403 200 200 200 200 200 200")],
    "api:list_elections": [(V(""), "401 403 200 200 200 200 200 200")],
    "api:list_contests": [(V(""), "401 403 200 200 200 200 200 200")],
    "api:list_parties": [(V(""), "401 403 200 200 200 200 200 200")],
    "api:list_locations": [(V(""), "401 403 200 200 200 200 200 200")],
    "api:get_location": [(V("other", lambda s: {"location_id": s.tree["02001"].pk}), "401 403 200 200 200 200 200 200")],
    "api:list_people": [(V(""), "401 403 200 200 200 200 200 200")],
    "api:list_teams": [(V(""), "401 403 200 200 200 200 200 200")],
    "api:get_team": [(V("own", lambda s: {"team_id": s["own_team"].pk}), "401 403 200 200 200 200 200 200"),
                     (V("other", lambda s: {"team_id": s["other_team"].pk}), "401 403 404 404 200 200 200 200")],
    "api:list_meetings": [(V(""), "401 403 200 200 200 200 200 200")],
    "api:create_meeting": [(V("", method="post", body=MEETING), "401 403 201 201 403 201 201 201")],
    "api:get_meeting": [(V("public", lambda s: {"meeting_id": s["public_meeting"].pk}), "401 403 404 200 200 200 200 200")],
    "api:update_meeting": [(V("public", lambda s: {"meeting_id": s["public_meeting"].pk},
                              method="put", body=MEETING), "401 403 404 200 403 200 200 200")],
    "api:list_forms": [(V(""), "401 403 200 200 200 200 200 200")],
    "api:get_form": [(V("", lambda s: {"form_id": "voting"}), "401 403 200 200 200 200 200 200")],
    "api:my_assignments": [(V(""), "401 403 200 200 200 200 200 200")],
    "api:create_submission": [(V("", method="post", body="{}"), "401 403 422 422 422 422 422 422")],
    "api:list_submissions": [(V(""), "401 403 200 200 200 200 200 200")],
    "api:create_submissions": [(V("", method="post", body="{}"), "401 403 422 422 422 422 422 422")],
    "api:create_submission_with_files": [(V("", method="post", data={"submission": "{}"}), "401 403 422 422 422 422 422 422")],
    "api:get_submission": [(V("own", lambda s: {"uuid": s["own_submission"].uuid}), "401 403 200 200 200 200 200 200"),
                           (V("other", lambda s: {"uuid": s["other_submission"].uuid}), "401 403 404 404 200 200 200 200")],
    "api:list_indicators": [(V(""), "401 403 200 200 200 200 200 200")],
    # LTO reports: the coordinator is a member of team LTO-1 (R1); the observer is an STO.
    "lto:reports": [(V(""), "302 403 403 200 200 200 200 200")],
    "lto:report_create": [(V(""), "302 403 403 200 403 403 403 403")],
    "lto:rollup": [(V(""), "302 403 403 200 200 200 200 200")],
    "lto:report": [(V("own", _pk("own_lto_report")), "302 403 403 200 200 200 200 200"),
                   (V("other", _pk("other_lto_report")), "302 403 403 404 200 200 200 200"),
                   (V("draft", _pk("lto_draft")), "302 403 403 200 404 404 404 404")],
    "lto:report_edit": [(V("draft", _pk("lto_draft")), "302 403 403 200 404 404 404 404"),
                        (V("own", _pk("own_lto_report")), "302 403 403 403 403 403 403 403")],
    "lto:report_submit": [(V("draft", _pk("lto_draft_page"), method="post"), "302 403 403 302 404 404 404 404")],
    "lto:report_review": [(V("own", _pk("own_lto_report"), method="post",
                             data={"kind": "comment", "text": "Noted"}), "302 403 403 403 403 403 302 403")],
    # Media monitoring: national; the core team and administrators write, analysts read.
    "media:figures": [(V(""), "302 403 403 403 200 200 200 200")],
    "media:items": [(V(""), "302 403 403 403 200 200 200 200")],
    "media:items_export": [(V(""), "302 403 403 403 200 200 200 200")],
    "media:reliability": [(V(""), "302 403 403 403 200 200 200 200")],
    "media:item_create": [(V(""), "302 403 403 403 403 200 200 200")],
    "media:item_edit": [(V("", _pk("media_item")), "302 403 403 403 403 200 200 200")],
    "media:item_delete": [(V("", _pk("media_item_page"), method="post"), "302 403 403 403 403 302 302 302")],
    "media:import": [(V(""), "302 403 403 403 403 200 200 200")],
    "api:list_outlets": [(V(""), "401 403 403 403 200 200 200 200")],
    "api:list_items": [(V(""), "401 403 403 403 200 200 200 200")],
    "api:get_figures": [(V(""), "401 403 403 403 200 200 200 200")],
    "api:create_item": [(V("", method="post", body="{}"), "401 403 422 422 422 422 422 422")],
    "api:update_item": [(V("", lambda s: {"item_id": s["media_item"].pk}, method="patch", body="{}"),
                         "401 403 403 403 403 200 200 200")],
    "api:delete_item": [(V("", lambda s: {"item_id": s["media_item_api"].pk}, method="delete"),
                         "401 403 403 403 403 204 204 204")],
    "api:list_periods": [(V(""), "401 403 403 200 200 200 200 200")],
    "api:list_reports": [(V(""), "401 403 403 200 200 200 200 200")],
    "api:get_report": [(V("own", lambda s: {"report_id": s["own_lto_report"].pk}), "401 403 403 200 200 200 200 200"),
                       (V("other", lambda s: {"report_id": s["other_lto_report"].pk}), "401 403 403 404 200 200 200 200")],
    "api:create_report": [(V("", method="post", body="{}"), "401 403 422 422 422 422 422 422")],
    "api:update_report": [(V("draft", lambda s: {"report_id": s["lto_draft"].pk}, method="put",
                             body=LTO_DRAFT), "401 403 403 200 404 404 404 404")],
    "api:submit_report": [(V("draft", lambda s: {"report_id": s["lto_draft_api"].pk}, method="post"),
                           "401 403 403 200 404 404 404 404")],
    # Complaints: the core team and administrators write; analysts read; the coordinator reads
    # the cases of bodies in R1; observers nothing.
    "complaints:cases": [(V(""), "302 403 403 200 200 200 200 200")],
    "complaints:case_create": [(V(""), "302 403 403 403 403 200 200 200")],
    "complaints:figures": [(V(""), "302 403 403 200 200 200 200 200")],
    "complaints:export": [(V(""), "302 403 403 200 200 200 200 200")],
    "complaints:import": [(V(""), "302 403 403 403 403 200 200 200")],
    "complaints:case": [(V("own", _pk("own_case")), "302 403 403 200 200 200 200 200"),
                        (V("other", _pk("other_case")), "302 403 403 404 200 200 200 200")],
    "complaints:case_edit": [(V("own", _pk("own_case")), "302 403 403 403 403 200 200 200"),
                             (V("other", _pk("other_case")), "302 403 403 404 403 200 200 200")],
    "complaints:document_upload": [(V("own", _pk("own_case"), method="post"),
                                    "302 403 403 403 403 302 302 302")],
    "complaints:document": [(V("own", lambda s: {"pk": s["own_case"].pk,
                                                 "doc": s["case_document"].pk}),
                             "302 403 403 200 200 200 200 200")],
    # Reports: drafts for the core team, analysts and administrators; the core team and
    # administrators write, the core team publishes; a published report is read by everyone.
    "publications:reports": [(V(""), "302 403 200 200 200 200 200 200")],
    "publications:new_report": [(V(""), "302 403 403 403 403 200 200 200")],
    "publications:section_version": [
        (V("draft", _version("draft-report")), "302 403 404 404 200 200 200 200"),
        (V("published", _version("published-report")), "302 403 403 403 200 200 200 200")],
    "publications:report": [(V("draft", _name("draft-report")), "302 403 404 404 200 200 200 200"),
                            (V("published", _name("published-report")), "302 403 200 200 200 200 200 200")],
    "publications:publish": [(V("published", _name("published-report"), method="post"),
                              "302 403 403 403 403 403 302 403")],
    "publications:figure": [(V("draft", _figure("draft-report")), "302 403 404 404 200 200 200 200"),
                            (V("published", _figure("published-report")), "302 403 200 200 200 200 200 200")],
    "publications:download": [(V("draft", _file("draft-report")), "302 403 404 404 200 200 200 200"),
                              (V("published", _file("published-report")), "302 403 200 200 200 200 200 200")],
    "publications:section_edit": [(V("draft", _section("draft-report")), "302 403 404 404 403 200 200 200"),
                                  (V("published", _section("published-report")), "302 403 403 403 403 403 403 403")],
    "publications:preview": [(V("draft", _section("draft-report"), method="post"),
                              "302 403 404 404 403 200 200 200")],
    "publications:comment": [(V("draft", _section("draft-report"), method="post"),
                              "302 403 404 404 302 302 302 302")],
    "api:list_publications": [(V(""), "401 403 200 200 200 200 200 200")],
    "api:get_publication": [(V("draft", _name("draft-report")), "401 403 404 404 200 200 200 200"),
                            (V("published", _name("published-report")),
                             "401 403 200 200 200 200 200 200")],
    "api:list_cases": [(V(""), "401 403 403 200 200 200 200 200")],
    "api:get_case": [(V("own", lambda s: {"case_id": s["own_case"].pk}), "401 403 403 200 200 200 200 200"),
                     (V("other", lambda s: {"case_id": s["other_case"].pk}), "401 403 403 404 200 200 200 200")],
    "api:create_case": [(V("", method="post", body="{}"), "401 403 422 422 422 422 422 422")],
    "api:update_case": [(V("own", lambda s: {"case_id": s["own_case"].pk}, method="put",
                           body=CASE), "401 403 403 403 403 200 200 200")],
    # Data out: the evidence as files, scoped as the submissions page (an observer its own
    # reports, a coordinator its region); the OData feed read with an API token.
    "dataout:submissions": [(V("", data={"shape": "long"}), "302 403 200 200 200 200 200 200")],
    "dataout:photos": [(V(""), "302 403 200 200 200 200 200 200")],
    "dataout:complaints_figures": [(V(""), "302 403 403 200 200 200 200 200")],
    "dataout:media_figures": [(V(""), "302 403 403 403 200 200 200 200")],
    "dataout:odata_service": [(V("", auth="token"), "401 403 200 200 200 200 200 200")],
    "dataout:odata_metadata": [(V("", auth="token"), "401 403 200 200 200 200 200 200")],
    "dataout:odata_entity_set": [(V("", lambda s: {"entity_set": "Submissions_voting"},
                                    auth="token"), "401 403 200 200 200 200 200 200"),
                                 (V("", lambda s: {"entity_set": "Protocols"}, auth="token"),
                                  "401 403 404 200 200 200 200 200")],
    "api:review_report": [(V("own", lambda s: {"report_id": s["own_lto_report"].pk}, method="post",
                             body='{"kind": "comment", "text": "Noted"}'), "401 403 403 403 403 403 200 403")],
    # Commitments and recommendations: analysts and administrators read, the core team writes;
    # coordinators and observers nothing.
    "standards:commitments": [(V(""), "302 403 403 403 200 200 200 200")],
    "standards:commitment": [(V("", _pk("commitment")), "302 403 403 403 200 200 200 200")],
    "standards:tag": [(V(""), "302 403 403 403 403 403 200 403")],
    "standards:commitment_create": [(V(""), "302 403 403 403 403 403 200 403")],
    "standards:commitment_edit": [(V("", _pk("commitment")), "302 403 403 403 403 403 200 403")],
    "standards:recommendation_create": [(V(""), "302 403 403 403 403 403 200 403")],
    "standards:recommendation_edit": [(V("", _pk("recommendation")),
                                       "302 403 403 403 403 403 200 403")],
    "standards:tag_delete": [(V("", _pk("spare_standards_tag"), method="post"),
                              "302 403 403 403 403 403 302 403")],
    "standards:recommendations": [(V(""), "302 403 403 403 200 200 200 200")],
    "standards:recommendation": [(V("", _pk("recommendation")), "302 403 403 403 200 200 200 200")],
    "api:list_commitments": [(V(""), "401 403 403 403 200 200 200 200")],
    "api:get_commitment": [(V("", lambda s: {"commitment_id": s["commitment"].pk}),
                            "401 403 403 403 200 200 200 200")],
    "api:create_commitment": [(V("", method="post", body="{}"), "401 403 422 422 422 422 422 422")],
    "api:create_tag": [(V("", method="post", body="{}"), "401 403 422 422 422 422 422 422")],
    "api:list_recommendations": [(V(""), "401 403 403 403 200 200 200 200")],
    "api:recommendation_figures": [(V(""), "401 403 403 403 200 200 200 200")],
    "api:get_recommendation": [(V("", lambda s: {"recommendation_id": s["recommendation"].pk}),
                                "401 403 403 403 200 200 200 200")],
    "api:create_recommendation": [(V("", method="post", body="{}"),
                                   "401 403 422 422 422 422 422 422")],
    "api:assess_recommendation": [(V("", lambda s: {"recommendation_id": s["recommendation"].pk},
                                     method="put", body='{"status": "implemented"}'),
                                   "401 403 403 403 403 403 200 403")],
}

# The admin site's own pages.
ADMIN_SITE: dict[str, list[tuple[Visit, str]]] = {
    "admin:index": [(V(""), "302 302 302 200 200 200 200 200")],
    "admin:login": [(V(""), "302 302 302 302 302 302 302 302")],
    "admin:logout": [(V("", method="post"), "302 302 302 302 302 302 302 302")],
    "admin:password_change": [(V(""), "302 302 302 200 200 200 200 200")],
    "admin:password_change_done": [(V(""), "302 302 302 200 200 200 200 200")],
    "admin:autocomplete": [(V("", data={"app_label": "missions", "model_name": "meeting",
                                        "field_name": "region", "term": ""}), "302 302 302 200 200 200 200 200")],
    "admin:jsi18n": [(V(""), "302 302 302 200 200 200 200 200")],
    "admin:view_on_site": [(V("", lambda s: {"content_type_id": "1", "object_id": "1"}), "302 302 302 404 404 404 404 404")],
    "admin:app_list": [(V("", lambda s: {"app_label": "missions"}), "302 302 302 200 200 200 200 200")],
    "admin/(?P<url>.*)$": [(V("", lambda s: {"url": "nowhere/"}), "302 302 302 404 404 404 404 404")],
}

# What the admin answers each role on a model it shows read-only, and on a mission list that the
# last three roles of each line may add to and delete from.
ADMIN_READ_ONLY = {
    "list": "302 302 302 200 200 200 200 200",
    "add": "302 302 302 403 403 403 403 403",
    "change": "302 302 302 200 200 200 200 200",
    "history": "302 302 302 200 200 200 200 200",
    "delete": "302 302 302 403 403 403 403 403",
    "redirect": "302 302 302 302 302 302 302 302",
}
ADMIN_CORE_EDITS = {
    "list": "302 302 302 200 200 200 200 200",
    "add": "302 302 302 403 403 200 200 200",
    "change": "302 302 302 200 200 200 200 200",
    "history": "302 302 302 200 200 200 200 200",
    "delete": "302 302 302 403 403 200 200 200",
    "redirect": "302 302 302 302 302 302 302 302",
}

# Each ModelAdmin: the record its change, history and delete pages open, and per page what
# each role gets: {model: (object, {"list": ..., "add": ..., "change": ..., "history": ...,
# "delete": ...})}.
ADMIN_MODELS: dict[str, tuple[object, dict[str, str]]] = {
    "auth.user": (lambda s: s.users["observer"], {
        "list": "302 302 302 403 403 403 403 200",
        "add": "302 302 302 403 403 403 403 200",
        "change": "302 302 302 403 403 403 403 200",
        "history": "302 302 302 403 403 403 403 200",
        "delete": "302 302 302 403 403 403 403 200",
        "redirect": "302 302 302 302 302 302 302 302",
        "password": "302 302 302 403 403 403 403 200",
    }),
    "missions.mission": (lambda s: s.mission, {
        "list": "302 302 302 200 200 200 200 200",
        "add": "302 302 302 403 403 200 403 200",
        "change": "302 302 302 200 200 200 200 200",
        "history": "302 302 302 200 200 200 200 200",
        "delete": "302 302 302 403 403 200 403 200",
        "redirect": "302 302 302 302 302 302 302 302",
    }),
    "missions.election": (lambda s: s["election"], {
        "list": "302 302 302 200 200 200 200 200",
        "add": "302 302 302 403 403 200 403 200",
        "change": "302 302 302 200 200 200 200 200",
        "history": "302 302 302 200 200 200 200 200",
        "delete": "302 302 302 403 403 200 403 200",
        "redirect": "302 302 302 302 302 302 302 302",
    }),
    "missions.contest": (lambda s: s["contest"], {
        "list": "302 302 302 200 200 200 200 200",
        "add": "302 302 302 403 403 200 403 200",
        "change": "302 302 302 200 200 200 200 200",
        "history": "302 302 302 200 200 200 200 200",
        "delete": "302 302 302 403 403 200 403 200",
        "redirect": "302 302 302 302 302 302 302 302",
    }),
    "missions.party": (lambda s: s["party"], {
        "list": "302 302 302 200 200 200 200 200",
        "add": "302 302 302 403 403 200 403 200",
        "change": "302 302 302 200 200 200 200 200",
        "history": "302 302 302 200 200 200 200 200",
        "delete": "302 302 302 403 403 200 403 200",
        "redirect": "302 302 302 302 302 302 302 302",
    }),
    "missions.candidate": (lambda s: s["candidate"], {
        "list": "302 302 302 200 200 200 200 200",
        "add": "302 302 302 403 403 200 403 200",
        "change": "302 302 302 200 200 200 200 200",
        "history": "302 302 302 200 200 200 200 200",
        "delete": "302 302 302 403 403 200 403 200",
        "redirect": "302 302 302 302 302 302 302 302",
    }),
    "missions.announcedresult": (lambda s: s["announced"], {
        "list": "302 302 302 200 200 200 200 200",
        "add": "302 302 302 403 403 200 403 200",
        "change": "302 302 302 200 200 200 200 200",
        "history": "302 302 302 200 200 200 200 200",
        "delete": "302 302 302 403 403 200 403 200",
        "redirect": "302 302 302 302 302 302 302 302",
    }),
    "missions.location": (lambda s: s.tree["02001"], {
        "list": "302 302 302 200 200 200 200 200",
        "add": "302 302 302 403 403 200 403 200",
        "change": "302 302 302 200 200 200 200 200",
        "history": "302 302 302 200 200 200 200 200",
        "delete": "302 302 302 403 403 200 403 200",
        "redirect": "302 302 302 302 302 302 302 302",
    }),
    "missions.role": (lambda s: s.users["observer"].person.role, {
        "list": "302 302 302 200 200 200 200 200",
        "add": "302 302 302 403 403 200 403 200",
        "change": "302 302 302 200 200 200 200 200",
        "history": "302 302 302 200 200 200 200 200",
        "delete": "302 302 302 403 403 200 403 200",
        "redirect": "302 302 302 302 302 302 302 302",
    }),
    "missions.person": (lambda s: s["other_person"], {
        "list": "302 302 302 200 200 200 200 200",
        "add": "302 302 302 200 403 200 403 200",
        "change": "302 302 302 302 200 200 200 200",
        "history": "302 302 302 302 200 200 200 200",
        "delete": "302 302 302 302 403 200 403 200",
        "redirect": "302 302 302 302 302 302 302 302",
    }),
    "missions.team": (lambda s: s["other_team"], {
        "list": "302 302 302 200 200 200 200 200",
        "add": "302 302 302 200 403 200 403 200",
        "change": "302 302 302 302 200 200 200 200",
        "history": "302 302 302 302 200 200 200 200",
        "delete": "302 302 302 302 403 200 403 200",
        "redirect": "302 302 302 302 302 302 302 302",
    }),
    "missions.meeting": (lambda s: s["public_meeting"], {
        "list": "302 302 302 200 200 200 200 200",
        "add": "302 302 302 200 403 200 200 200",
        "change": "302 302 302 200 200 200 200 200",
        "history": "302 302 302 200 200 200 200 200",
        "delete": "302 302 302 200 403 200 200 200",
        "redirect": "302 302 302 302 302 302 302 302",
    }),
    "missions.organisation": (lambda s: s["public_organisation"], {
        "list": "302 302 302 200 200 200 200 200",
        "add": "302 302 302 403 403 200 403 200",
        "change": "302 302 302 200 200 200 200 200",
        "history": "302 302 302 200 200 200 200 200",
        "delete": "302 302 302 403 403 200 403 200",
        "redirect": "302 302 302 302 302 302 302 302",
    }),
    "missions.interlocutor": (lambda s: s["public_interlocutor"], {
        "list": "302 302 302 200 200 200 200 200",
        "add": "302 302 302 403 403 200 403 200",
        "change": "302 302 302 200 200 200 200 200",
        "history": "302 302 302 200 200 200 200 200",
        "delete": "302 302 302 403 403 200 403 200",
        "redirect": "302 302 302 302 302 302 302 302",
    }),
    "missions.topic": (lambda s: s["public_topic"], {
        "list": "302 302 302 200 200 200 200 200",
        "add": "302 302 302 403 403 200 403 200",
        "change": "302 302 302 200 200 200 200 200",
        "history": "302 302 302 200 200 200 200 200",
        "delete": "302 302 302 403 403 200 403 200",
        "redirect": "302 302 302 302 302 302 302 302",
    }),
    "missions.keydate": (lambda s: s["key_date"], {
        "list": "302 302 302 200 200 200 200 200",
        "add": "302 302 302 403 403 200 403 200",
        "change": "302 302 302 200 200 200 200 200",
        "history": "302 302 302 200 200 200 200 200",
        "delete": "302 302 302 403 403 200 403 200",
        "redirect": "302 302 302 302 302 302 302 302",
    }),
    "missions.auditentry": (lambda s: s["public_audit"], {
        "list": "302 302 302 403 403 200 200 200",
        "add": "302 302 302 403 403 403 403 403",
        "change": "302 302 302 403 403 200 200 200",
        "history": "302 302 302 302 302 200 200 200",
        "delete": "302 302 302 403 403 403 403 403",
        "redirect": "302 302 302 302 302 302 302 302",
    }),
    "missions.apitoken": (lambda s: s["token"], {
        "list": "302 302 302 403 403 200 403 200",
        "add": "302 302 302 403 403 403 403 403",
        "change": "302 302 302 403 403 200 403 200",
        "history": "302 302 302 403 403 200 403 200",
        "delete": "302 302 302 403 403 403 403 403",
        "redirect": "302 302 302 302 302 302 302 302",
    }),
    "results.publishedtotal": (lambda s: s["published_total"], {
        "list": "302 302 302 200 200 200 200 200",
        "add": "302 302 302 403 403 200 403 200",
        "change": "302 302 302 302 200 200 200 200",
        "history": "302 302 302 302 200 200 200 200",
        "delete": "302 302 302 403 403 200 403 200",
        "redirect": "302 302 302 302 302 302 302 302",
    }),
    "results.protocol": (lambda s: s["other_protocol"], {
        "list": "302 302 302 200 200 200 200 200",
        "add": "302 302 302 403 403 403 403 403",
        "change": "302 302 302 302 200 200 200 200",
        "history": "302 302 302 302 200 200 200 200",
        "delete": "302 302 302 403 403 200 403 200",
        "redirect": "302 302 302 302 302 302 302 302",
    }),
    "results.importbatch": (lambda s: s["import_batch"], {
        "list": "302 302 302 403 200 200 200 200",
        "add": "302 302 302 403 403 403 403 403",
        "change": "302 302 302 403 200 200 200 200",
        "history": "302 302 302 403 200 200 200 200",
        "delete": "302 302 302 403 403 200 403 200",
        "redirect": "302 302 302 302 302 302 302 302",
    }),
    "lto.period": (lambda s: s["lto_period"], {
        "list": "302 302 302 200 200 200 200 200",
        "add": "302 302 302 403 403 200 403 200",
        "change": "302 302 302 200 200 200 200 200",
        "history": "302 302 302 200 200 200 200 200",
        "delete": "302 302 302 403 403 200 403 200",
        "redirect": "302 302 302 302 302 302 302 302",
    }),
    "standards.commitment": (lambda s: s["commitment"], {
        "list": "302 302 302 200 200 200 200 200",
        "add": "302 302 302 403 403 200 403 200",
        "change": "302 302 302 200 200 200 200 200",
        "history": "302 302 302 200 200 200 200 200",
        "delete": "302 302 302 403 403 200 403 200",
        "redirect": "302 302 302 302 302 302 302 302",
    }),
    "standards.recommendation": (lambda s: s["recommendation"], {
        "list": "302 302 302 200 200 200 200 200",
        "add": "302 302 302 403 403 200 403 200",
        "change": "302 302 302 200 200 200 200 200",
        "history": "302 302 302 200 200 200 200 200",
        "delete": "302 302 302 403 403 200 403 200",
        "redirect": "302 302 302 302 302 302 302 302",
    }),
    "lto.reporttemplate": (lambda s: s["lto_template"], {
        "list": "302 302 302 200 200 200 200 200",
        "add": "302 302 302 403 403 200 403 200",
        "change": "302 302 302 200 200 200 200 200",
        "history": "302 302 302 200 200 200 200 200",
        "delete": "302 302 302 403 403 200 403 200",
        "redirect": "302 302 302 302 302 302 302 302",
    }),
    "lto.report": (lambda s: s["own_lto_report"], ADMIN_READ_ONLY),
    "complaints.subject": (lambda s: s["complaint_subject"], ADMIN_CORE_EDITS),
    "complaints.deadlinerule": (lambda s: s["deadline_rule"], ADMIN_CORE_EDITS),
    "complaints.holiday": (lambda s: s["holiday"], ADMIN_CORE_EDITS),
    # Reports: read-only, a published one read by everyone in the mission with admin access.
    "publications.report": (lambda s: s["published_report"], ADMIN_READ_ONLY),
    "publications.section": (lambda s: s["published_report"].sections.get(heading="media"), ADMIN_READ_ONLY),
    "complaints.case": (lambda s: s["own_case"], ADMIN_READ_ONLY),
    "media.item": (lambda s: s["media_item"], {
        "list": "302 302 302 403 200 200 200 200",
        "add": "302 302 302 403 403 403 403 403",
        "change": "302 302 302 403 200 200 200 200",
        "history": "302 302 302 403 200 200 200 200",
        "delete": "302 302 302 403 403 403 403 403",
        "redirect": "302 302 302 302 302 302 302 302",
    }),
    "media.outlet": (lambda s: s["media_outlet"], {
        "list": "302 302 302 403 200 200 200 200",
        "add": "302 302 302 403 403 200 200 200",
        "change": "302 302 302 403 200 200 200 200",
        "history": "302 302 302 403 200 200 200 200",
        "delete": "302 302 302 403 403 200 200 200",
        "redirect": "302 302 302 302 302 302 302 302",
    }),
    "media.monitoringperiod": (lambda s: s["media_period"], {
        "list": "302 302 302 403 200 200 200 200",
        "add": "302 302 302 403 403 200 200 200",
        "change": "302 302 302 403 200 200 200 200",
        "history": "302 302 302 403 200 200 200 200",
        "delete": "302 302 302 403 403 200 200 200",
        "redirect": "302 302 302 302 302 302 302 302",
    }),
    "media.topic": (lambda s: s["media_topic"], {
        "list": "302 302 302 403 200 200 200 200",
        "add": "302 302 302 403 403 200 200 200",
        "change": "302 302 302 403 200 200 200 200",
        "history": "302 302 302 403 200 200 200 200",
        "delete": "302 302 302 403 403 200 200 200",
        "redirect": "302 302 302 302 302 302 302 302",
    }),
    "media.mediasettings": (lambda s: s["media_settings"], {
        "list": "302 302 302 403 200 200 200 200",
        "add": "302 302 302 403 403 200 200 200",
        "change": "302 302 302 403 200 200 200 200",
        "history": "302 302 302 403 200 200 200 200",
        "delete": "302 302 302 403 403 200 200 200",
        "redirect": "302 302 302 302 302 302 302 302",
    }),
    "missions.sample": (lambda s: s["sample"], {
        "list": "302 302 302 403 200 200 200 200",
        "add": "302 302 302 403 403 403 403 403",
        "change": "302 302 302 403 200 200 200 200",
        "history": "302 302 302 403 200 200 200 200",
        "delete": "302 302 302 403 403 200 403 200",
        "redirect": "302 302 302 302 302 302 302 302",
    }),
    "missions.sampledstation": (lambda s: s["sampled_station"], {
        "list": "302 302 302 403 200 200 200 200",
        "add": "302 302 302 403 403 403 403 403",
        "change": "302 302 302 403 200 200 200 200",
        "history": "302 302 302 403 200 200 200 200",
        "delete": "302 302 302 403 403 200 403 200",
        "redirect": "302 302 302 302 302 302 302 302",
    }),
}
