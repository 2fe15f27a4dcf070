"""A form reads the polling station's registered voters, kind, level and code and the sender's
team (`${location.n_registered}`, `${location.kind}`, `${team.code}` …) in relevance,
constraints, calculations, QA rules and indicators: the server checks them with the values
it holds, the web page gets the same values, and ODK Collect looks them up in two CSV files
sent with the form, `eom_places.csv` and `eom_team.csv`."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import uuid
import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from eom.missions.models import Location, Mission
from eom.observation.models import Submission
from eom.observation.services import load_form
from eom.reporting.indicators import form_indicator_figures
from eom.xlsform.reader import XLSFormError
from tests.factories import basic_auth, fill_xform_instance, make_api_token
from tests.observation.scene import set_up
from tests.observation.test_repeats import START
from tests.observation.test_repeats import workbook as repeats_workbook

SURVEY = [
    ("type", "name", "label", "relevant", "constraint", "calculation"),
    ("integer", "ballots", "Ballots received for ${location.n_registered} voters", "",
     ". <= ${location.n_registered} * 1.05", ""),
    ("text", "queue", "Queue outside (urban stations)", "${location.kind} = 'urban'", "", ""),
    ("calculate", "visit", "", "", "", "concat(${team.code}, '@', ${location.code})"),
    ("calculate", "team_kind", "", "", "", "${team.kind}"),
]
QA = [("name", "expression", "severity", "message"),
      ("few_ballots", "${ballots} < ${location.n_registered} div 2", "medium",
       "Fewer ballots than half the voters")]
INDICATORS = [("name", "label", "expression", "base"),
              ("urban", "Reports from urban stations", "${location.kind} = 'urban'",
               "${ballots} != ''")]


def workbook(path, survey=SURVEY, qa=QA, indicators=INDICATORS) -> bytes:
    return repeats_workbook(path, survey, qa=qa, indicators=indicators,
                            settings=[("form_id", "version"), ("station_form", "1")])


@pytest.fixture
def scene(mission, tree, observer, other_team, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    set_up(mission, tree, observer, other_team)
    Location.objects.filter(code="01001").update(kind="urban")
    Location.objects.filter(code="01002").update(kind="rural")
    return mission


@pytest.fixture
def version(scene, tmp_path):
    return load_form(actor=None, channel="command", mission=scene,
                     source=workbook(tmp_path / "station.xlsx"), filename="station.xlsx")


def post_api(client, user, answers, location="01001"):
    body = {"uuid": str(uuid.uuid4()), "form_id": "station_form", "location": location,
            "observed_at": "2023-03-19T10:42:00+06:00", "answers": answers}
    return client.post("/api/submissions", body, content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {make_api_token(user)}")


# --- the reader -------------------------------------------------------------------------------


def test_unknown_place_name_is_refused_naming_the_names_a_form_can_use(scene, tmp_path):
    survey = [SURVEY[0], ("integer", "ballots", "Ballots", "${location.n_voters} > 1", "", "")]

    with pytest.raises(XLSFormError) as refused:
        load_form(actor=None, channel="command", mission=scene,
                  source=workbook(tmp_path / "bad.xlsx", survey, None, None),
                  filename="bad.xlsx")

    [problem] = refused.value.problems
    assert (problem.sheet, problem.row, problem.column) == ("survey", 2, "relevant")
    assert str(problem.message) == (
        '"${location.n_voters}" is not known; a form can use ${location.code}, '
        "${location.kind}, ${location.level}, ${location.n_registered}, ${team.code}, "
        "${team.kind}")


# --- the server -------------------------------------------------------------------------------


def test_constraint_reading_registered_voters_refuses_more_ballots_than_voters(
        version, client, observer):
    # 01001 has 101 registered voters: 1.05 × 101 = 106.05
    over = post_api(client, observer, {"ballots": 107})
    within = post_api(client, observer, {"ballots": 106})

    assert over.status_code == 422
    assert list(over.json()["errors"]) == ["ballots"]
    assert within.status_code == 201, within.content.decode()


def test_question_relevant_at_urban_stations_is_dropped_at_a_rural_one(
        version, client, observer):
    urban = post_api(client, observer, {"ballots": 90, "queue": "long"}, "01001")
    rural = post_api(client, observer, {"ballots": 90, "queue": "long"}, "01002")

    assert (urban.status_code, rural.status_code) == (201, 201)
    by_place = {s.location.code: s.answers for s in Submission.objects.select_related("location")}
    assert by_place["01001"]["queue"] == "long"
    assert "queue" not in by_place["01002"]


def test_calculation_reads_the_senders_team_and_the_station_code(version, client, observer):
    response = post_api(client, observer, {"ballots": 90})

    assert response.status_code == 201, response.content.decode()
    stored = Submission.objects.get()
    assert (stored.answers["visit"], stored.answers["team_kind"]) == ("STO-1@01001", "sto")
    assert stored.team.code == "STO-1"


def test_qa_rule_reading_registered_voters_flags_few_ballots(version, client, observer):
    post_api(client, observer, {"ballots": 50})  # 101 registered: fewer than 50.5
    post_api(client, observer, {"ballots": 51})

    flagged = {s.answers["ballots"]: [f.rule for f in s.flags.all()]
               for s in Submission.objects.prefetch_related("flags")}
    assert flagged == {50: ["few_ballots"], 51: []}


def test_indicator_reading_the_station_kind_counts_reports_by_their_station(
        version, client, observer):
    for location in ("01001", "01001", "01002"):
        assert post_api(client, observer, {"ballots": 90}, location).status_code == 201

    [figure] = form_indicator_figures(version.form, Submission.objects.all())

    assert (figure.count, figure.base) == (2, 3)


# --- the web page -----------------------------------------------------------------------------


def test_checklist_page_carries_the_station_and_team_values_its_checks_read(
        version, client, observer, tree):
    client.force_login(observer)

    page = client.get(f"/observe/{tree['01001'].pk}/station_form/").content.decode()

    logic = json.loads(re.search(r'<script id="form-logic"[^>]*>(.*?)</script>', page,
                                 re.S)[1])
    assert {k: v for k, v in logic["env"].items() if k.startswith(("location.", "team."))} == {
        "location.n_registered": 101, "location.kind": "urban", "location.code": "01001",
        "location.level": "polling_station", "team.code": "STO-1", "team.kind": "sto"}


def test_label_shows_the_station_value_it_names_and_escapes_the_rest(version, client,
                                                                    observer, tree):
    client.force_login(observer)

    page = client.get(f"/observe/{tree['01002'].pk}/station_form/").content.decode()

    assert ('Ballots received for <output data-ref="location.n_registered">102</output> '
            "voters") in page


# --- ODK Collect ------------------------------------------------------------------------------

X = "{http://www.w3.org/2002/xforms}"


def odk(client, observer, path):
    return client.get(f"/openrosa/{path}", **basic_auth(observer))


def test_xform_looks_the_station_and_team_up_in_the_files_sent_with_it(
        version, client, observer):
    xform = odk(client, observer, "forms/station_form/form.xml").content
    model = ET.fromstring(xform).find(f".//{X}model")

    sources = {i.get("id"): i.get("src") for i in model.findall(f"{X}instance") if i.get("id")}
    binds = {b.get("nodeset").rsplit("/", 1)[-1]: b for b in model.findall(f"{X}bind")}
    assert sources == {"eom_places": "jr://file-csv/eom_places.csv",
                       "eom_team": "jr://file-csv/eom_team.csv"}
    assert binds["eom_location_n_registered"].get("calculate") == (
        "instance('eom_places')/root/item[code= /data/eom_location ]/n_registered")
    assert binds["eom_team_code"].get("calculate") == (
        "instance('eom_team')/root/item[location= /data/eom_location ]/code")
    assert binds["ballots"].get("constraint") == ". <=  /data/eom_location_n_registered  * 1.05"
    assert binds["queue"].get("relevant") == " /data/eom_location_kind  = 'urban'"


def test_manifest_lists_the_place_files_with_the_hash_of_what_is_served(
        version, client, observer):
    listed = odk(client, observer, "formList").content.decode()
    manifest = ET.fromstring(odk(client, observer, "forms/station_form/manifest").content)

    files = {f.findtext("{*}filename"): f.findtext("{*}hash") for f in manifest}
    assert "<manifestUrl>" in listed
    assert sorted(files) == ["eom_places.csv", "eom_team.csv"]
    for name, digest in files.items():
        served = odk(client, observer, f"forms/station_form/media/{name}")
        assert served.status_code == 200
        assert digest == "md5:" + hashlib.md5(served.content).hexdigest()


def test_places_file_holds_every_place_with_its_voters_and_kind(version, client, observer):
    served = odk(client, observer, "forms/station_form/media/eom_places.csv")

    rows = list(csv.DictReader(io.StringIO(served.content.decode())))
    by_code = {r["code"]: r for r in rows}
    assert len(rows) == Location.objects.count() == 9
    assert by_code["01001"] == {"code": "01001", "level": "polling_station", "kind": "urban",
                                "n_registered": "101"}
    assert by_code["KZ"]["n_registered"] == "606"


def test_team_file_gives_the_senders_team_where_it_reports_and_nowhere_else(
        version, client, observer, other_team):
    served = odk(client, observer, "forms/station_form/media/eom_team.csv")

    rows = list(csv.reader(io.StringIO(served.content.decode())))
    assert rows == [["location", "code", "kind"], ["01001", "STO-1", "sto"],
                    ["01002", "STO-1", "sto"], ["D1", "STO-1", "sto"],
                    ["KZ", "STO-1", "sto"], ["R1", "STO-1", "sto"]]


def test_odk_instance_with_the_looked_up_values_is_stored_without_them(
        version, client, observer):
    xform = odk(client, observer, "forms/station_form/form.xml").content
    key = str(uuid.uuid4())
    document = fill_xform_instance(xform, {
        "eom_start": START, "eom_location": "01002", "ballots": "99",
        "eom_location_n_registered": "102", "eom_location_kind": "rural",
        "eom_location_code": "01002", "eom_team_code": "STO-1", "eom_team_kind": "sto",
        "visit": "STO-1@01002", "team_kind": "sto"}, key)

    response = client.post("/openrosa/submission", {
        "xml_submission_file": SimpleUploadedFile("instance.xml", document, "text/xml")},
        **basic_auth(observer))

    assert response.status_code == 201, response.content.decode()
    assert Submission.objects.get(uuid=key).answers == {
        "ballots": 99, "visit": "STO-1@01002", "team_kind": "sto"}


def test_form_reading_no_place_data_is_served_without_the_files(scene, client, observer,
                                                                 tmp_path):
    survey = [SURVEY[0], ("integer", "ballots", "Ballots", "", ". < 1000", "")]
    load_form(actor=None, channel="command", mission=scene,
              source=workbook(tmp_path / "plain.xlsx", survey, None, None),
              filename="plain.xlsx")

    xform = odk(client, observer, "forms/station_form/form.xml").content
    manifest = odk(client, observer, "forms/station_form/manifest").content

    assert b"eom_places" not in xform and b"eom_location_" not in xform
    assert b"<mediaFile>" not in manifest
    assert odk(client, observer, "forms/station_form/media/eom_places.csv").status_code == 404


def test_place_files_of_another_mission_are_not_served(version, client, observer):
    other = Mission.objects.create(code="elsewhere", name="Elsewhere")
    Location.objects.create(mission=other, level="polling_station", code="99999",
                            path="99999/", n_registered=5)

    served = odk(client, observer, "forms/station_form/media/eom_places.csv").content

    assert b"99999" not in served


# --- the JSON API -----------------------------------------------------------------------------


def test_assignments_give_an_api_client_the_values_a_form_reads_at_each_station(
        version, client, observer):
    response = client.get("/api/assignments",
                          HTTP_AUTHORIZATION=f"Bearer {make_api_token(observer)}")

    by_code = {a["code"]: a for a in response.json()}
    assert sorted(by_code) == ["01001", "01002"]
    assert (by_code["01002"]["kind"], by_code["01002"]["team"]) == ("rural", "STO-1")
    assert by_code["01001"]["values"] == {
        "location.n_registered": 101, "location.kind": "urban", "location.code": "01001",
        "location.level": "polling_station", "team.code": "STO-1", "team.kind": "sto"}


def test_report_page_fills_in_the_labels_with_the_stations_value(version, client, observer):
    post_api(client, observer, {"ballots": 90})
    client.force_login(observer)

    page = client.get(f"/submissions/{Submission.objects.get().uuid}/").content.decode()

    assert "Ballots received for 101 voters" in page
