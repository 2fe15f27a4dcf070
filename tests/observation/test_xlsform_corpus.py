"""A collection of ordinary XLSForms, as missions bring them from ODK Collect and Kobo, loads into
eom and is served to ODK Collect; each filled instance is accepted by /openrosa/submission.

The workbooks are written here, cell by cell, in the style of the example forms that ODK's
documentation and pyxform's test suite publish (type names, sheets and columns as they spell
them): no stage, often no form_id or version, XLSForm's whole range of question types and
functions. A workbook pyxform refuses is refused by eom for the same reason.
"""

from __future__ import annotations

import dataclasses
import uuid
import warnings
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from pyxform.errors import PyXFormError
from pyxform.xls2xform import convert

from eom.observation.channels.openrosa import xform_of
from eom.observation.models import Attachment, Form, Submission
from eom.observation.services import load_form
from eom.xlsform.reader import XLSFormError, pyxform_workbook
from tests.factories import basic_auth, fill_xform_instance
from tests.observation.scene import set_up

START = "2023-03-19T10:02:11.123+06:00"
SURVEY = ("type", "name", "label")


@dataclasses.dataclass
class Sample:
    """One workbook of the collection and what a phone sends for it."""

    name: str
    survey: list[tuple]
    choices: list[tuple] | None = None
    settings: list[tuple] | None = None
    media: dict[str, bytes] = dataclasses.field(default_factory=dict)
    values: dict[str, str] = dataclasses.field(default_factory=dict)
    files: dict[str, bytes] = dataclasses.field(default_factory=dict)
    stored: dict[str, object] = dataclasses.field(default_factory=dict)  # answers expected


YES_NO = [("list_name", "name", "label"), ("yn", "yes", "Yes"), ("yn", "no", "No")]

SAMPLES = [
    Sample(
        "hello_world",
        [SURVEY, ("text", "name", "What is your name?"), ("integer", "age", "How old are you?"),
         ("note", "greeting", "Hello ${name}!")],
        settings=[("form_title",), ("Hello world",)],
        values={"name": "Aigerim", "age": "31"},
        stored={"name": "Aigerim", "age": 31},
    ),
    Sample(
        "widgets",
        [("type", "name", "label", "parameters", "appearance"),
         ("decimal", "weight", "Weight (kg)", "", ""),
         ("date", "visit_date", "Date", "", ""),
         ("time", "visit_time", "Time", "", ""),
         ("dateTime", "moment", "Date and time", "", ""),
         ("geopoint", "where", "Location", "", ""),
         ("barcode", "ballot_box_seal", "Seal number", "", ""),
         ("acknowledge", "consent", "I have read the code of conduct", "", ""),
         ("range", "crowding", "How crowded (0–10)?", "start=0 end=10 step=1", ""),
         ("trigger", "ready", "Ready?", "", ""),
         ("text", "notes", "Notes", "", "multiline"),
         ("image", "photo", "Photo", "", "")],
        values={"weight": "71.5", "visit_date": "2023-03-19", "visit_time": "10:15:00.000+06:00",
                "moment": "2023-03-19T10:15:00.000+06:00", "where": "43.2 76.9 800 5",
                "ballot_box_seal": "KZ-0042", "consent": "OK", "crowding": "7", "ready": "OK",
                "notes": "line one"},
        stored={"weight": 71.5, "visit_date": "2023-03-19", "crowding": 7, "consent": "OK",
                "ballot_box_seal": "KZ-0042", "where": "43.2 76.9 800 5"},
    ),
    Sample(
        "metadata",
        [SURVEY, ("start", "start", ""), ("end", "end", ""), ("today", "today", ""),
         ("deviceid", "deviceid", ""), ("username", "username", ""),
         ("phonenumber", "phonenumber", ""), ("simserial", "simserial", ""),
         ("subscriberid", "subscriberid", ""), ("email", "email", ""), ("audit", "audit", ""),
         ("text", "remark", "Remark")],
        settings=[("form_id", "version"), ("meta_sample", "2023031901")],
        values={"start": START, "end": "2023-03-19T10:20:00.000+06:00", "today": "2023-03-19",
                "deviceid": "collect:Xy12", "username": "sto1", "remark": "ok",
                "audit": "audit.csv"},
        files={"audit.csv": b"event,node,start,end\nform start,,1679205600000,\n"},
        stored={"today": "2023-03-19", "deviceid": "collect:Xy12", "username": "sto1",
                "start": "2023-03-19T10:02:11.123000+06:00", "audit": "audit.csv"},
    ),
    Sample(
        "bmi",
        [("type", "name", "label", "calculation", "constraint"),
         ("decimal", "weight", "Weight (kg)", "", ". > 0"),
         ("decimal", "height", "Height (m)", "", ". > 0 and . < 3"),
         ("calculate", "bmi", "", "round(${weight} div (${height} * ${height}), 1)", ""),
         ("note", "show", "BMI: ${bmi}", "", "")],
        values={"weight": "80", "height": "2", "bmi": "999"},  # the server works it out
        stored={"weight": 80.0, "height": 2.0, "bmi": "20"},
    ),
    Sample(
        "cascading",
        [("type", "name", "label", "choice_filter"),
         ("select_one region", "region", "Region", ""),
         ("select_one district", "district", "District", "region=${region}"),
         ("select_one station", "station", "Station", "district=${district}")],
        choices=[("list name", "name", "label", "region", "district"),
                 ("region", "north", "North", "", ""), ("region", "south", "South", "", ""),
                 ("district", "n1", "North 1", "north", ""),
                 ("district", "s1", "South 1", "south", ""),
                 ("station", "001", "Station 001", "", "n1"),
                 ("station", "002", "Station 002", "", "s1")],
        values={"region": "south", "district": "s1", "station": "002"},
        stored={"region": "south", "district": "s1", "station": "002"},
    ),
    Sample(
        "pulled_from_a_file",
        [("type", "name", "label", "calculation"),
         ("select_one fruit", "fruit", "Fruit", ""),
         ("calculate", "colour", "", "pulldata('fruits', 'colour', 'name', ${fruit})"),
         ("note", "shown", "It is ${colour}", "")],
        choices=[("list_name", "name", "label"), ("fruit", "kiwi", "Kiwi"),
                 ("fruit", "mango", "Mango")],
        media={"fruits.csv": b"name,colour\nkiwi,green\nmango,yellow\n"},
        values={"fruit": "mango"},
        stored={"fruit": "mango", "colour": "yellow"},
    ),
    Sample(
        "votes_in_a_loop",
        [SURVEY, ("begin loop over party", "votes", ""), ("integer", "n", "Votes for %(label)s"),
         ("end loop", "", "")],
        choices=[("list_name", "name", "label"), ("party", "amanat", "Amanat"),
                 ("party", "auyl", "Auyl")],
        values={"n": "12"},  # in each choice's group
        stored={"votes.amanat.n": 12, "votes.auyl.n": 12},
    ),
    Sample(
        "choices_labelled_by_earlier_answers",
        [("type", "name", "label::English", "choice_filter", "relevant"),
         ("text", "first", "First name", "", ""), ("text", "second", "Second name", "", ""),
         ("text", "third", "Third name", "", "0"),
         ("select_one names", "chosen", "Who?", "label::English != ''", "")],
        choices=[("list_name", "name", "label::English"), ("names", "n1", "${first}"),
                 ("names", "n2", "${second}"), ("names", "n3", "${third}")],
        values={"first": "Aigerim", "second": "Bolat", "chosen": "n2"},
        stored={"chosen": "n2"},
    ),
    Sample(
        "choices_with_an_english_label",
        [("type", "name", "label::English", "choice_filter"),
         ("select_one party", "party", "Party", "label::English != ''")],
        choices=[("list_name", "name", "label::English", "label::Russian"),
                 ("party", "amanat", "Amanat", "Аманат"), ("party", "other", "", "Другая")],
        values={"party": "amanat"},
        stored={"party": "amanat"},
    ),
    Sample(
        "or_other",
        [SURVEY, ("select_one colour or_other", "colour", "Colour of the ballot"),
         ("select_multiple material or_other", "material", "Materials present")],
        choices=[("list_name", "name", "label"), ("colour", "white", "White"),
                 ("colour", "blue", "Blue"), ("material", "box", "Box"),
                 ("material", "screen", "Screen")],
        values={"colour": "other", "colour_other": "green", "material": "box other",
                "material_other": "lamp"},
        stored={"colour": "other", "colour_other": "green", "material": ["box", "other"],
                "material_other": "lamp"},
    ),
    Sample(
        "stations_from_file",
        [SURVEY, ("select_one_from_file stations.csv", "station", "Polling station"),
         ("select_multiple_from_file stations.csv", "visited", "Stations visited")],
        media={"stations.csv": b"name,label,district\n01001,School 1,d1\n01002,School 2,d1\n"},
        values={"station": "01002", "visited": "01001 01002"},
        stored={"station": "01002", "visited": ["01001", "01002"]},
    ),
    Sample(
        "rank_and_shapes",
        [SURVEY, ("rank priorities", "ranking", "Rank the problems"),
         ("geotrace", "route", "Route taken"), ("geoshape", "area", "Area covered")],
        choices=[("list_name", "name", "label"), ("priorities", "queues", "Queues"),
                 ("priorities", "secrecy", "Secrecy"), ("priorities", "lists", "Voter lists")],
        values={"ranking": "secrecy queues lists",
                "route": "43.2 76.9 0 0;43.3 76.95 0 0",
                "area": "43.2 76.9 0 0;43.3 76.95 0 0;43.25 77.0 0 0;43.2 76.9 0 0"},
        stored={"ranking": ["secrecy", "queues", "lists"],
                "route": "43.2 76.9 0 0;43.3 76.95 0 0"},
    ),
    Sample(
        "functions",
        [("type", "name", "label", "calculation", "constraint", "relevant"),
         ("text", "code", "Station code", "", "regex(., '^[0-9]{5}$')", ""),
         ("select_one yn", "queue", "Queue outside?", "", "", ""),
         ("select_multiple yn", "both", "Tick", "", "", ""),
         ("integer", "n", "Voters seen", "", "", ""),
         ("date", "seen", "Day", "", "", ""),
         ("calculate", "district", "", "substr(${code}, 0, 2)", "", ""),
         ("calculate", "day", "", "format-date(${seen}, '%e %b %Y')", "", ""),
         ("calculate", "square", "", "pow(${n}, 2)", "", ""),
         ("calculate", "queue_label", "", "jr:choice-name(${queue}, '${queue}')", "", ""),
         ("calculate", "first", "", "selected-at(${both}, 0)", "", ""),
         ("calculate", "flags", "", "checklist(1, 2, ${queue} = 'yes', ${n} > 100)", "", ""),
         ("calculate", "weight", "", "weighted-checklist(2, -1, ${queue} = 'yes', 2)", "", ""),
         ("calculate", "largest", "", "max(${n}, 10, 3)", "", ""),
         ("calculate", "joined", "", "join('-', ${code}, ${n})", "", ""),
         ("calculate", "key", "", "once(uuid())", "", ""),
         ("calculate", "days", "", "decimal-date-time(${seen})", "", ""),
         ("calculate", "yes", "", "boolean-from-string('true')", "", ""),
         ("text", "why", "Why so many?", "", "", "${n} > 100")],
        choices=YES_NO,
        values={"code": "01001", "queue": "yes", "both": "no yes", "n": "150",
                "seen": "2023-03-19", "key": "3f1c", "why": "a bus"},
        stored={"district": "01", "day": "19 Mar 2023", "square": "22500",
                "queue_label": "Yes", "first": "yes", "flags": "true", "weight": "true",
                "largest": "150", "joined": "01001-150", "key": "3f1c", "days": "19435",
                "yes": "true", "why": "a bus"},
    ),
    Sample(
        "recordings",
        [SURVEY, ("file", "protocol_scan", "Protocol (PDF)"), ("audio", "interview", "Interview"),
         ("video", "clip", "Video")],
        values={"interview": "interview.m4a"},
        files={"interview.m4a": b"\x00\x00\x00\x18ftypM4A audio"},
        stored={"interview": "interview.m4a"},
    ),
    Sample(
        "defaults",
        [("type", "name", "label", "default", "read_only", "hint"),
         ("integer", "n_teams", "Teams", "2", "", "How many teams were present"),
         ("text", "country", "Country", "Kazakhstan", "yes", ""),
         ("select_one yn", "ok", "All fine?", "yes", "", "")],
        choices=YES_NO,
        values={"n_teams": "2", "country": "Kazakhstan", "ok": "yes"},
        stored={"n_teams": 2, "country": "Kazakhstan", "ok": "yes"},
    ),
    Sample(
        "lto_weekly",
        [("type", "name", "label", "relevant"),
         ("begin group", "meetings", "Meetings", ""),
         ("integer", "n_meetings", "Meetings held", ""),
         ("text", "with_whom", "With whom", "${n_meetings} > 0"),
         ("end group", "", "", ""),
         ("select_one yn", "incidents", "Any incidents?", ""),
         ("text", "incident_text", "Describe", "selected(${incidents}, 'yes')")],
        choices=YES_NO,
        settings=[("form_title", "form_id", "version"), ("LTO weekly report", "lto_weekly",
                                                         "1")],
        values={"n_meetings": "0", "with_whom": "not asked", "incidents": "no"},
        stored={"n_meetings": 0, "incidents": "no"},
    ),
]

# Workbooks pyxform refuses: eom refuses them too, for the reason pyxform gives.
REFUSED = [
    ("missing_list", [SURVEY, ("select_one colours", "c", "Colour")], YES_NO, "colours"),
    ("bad_name", [SURVEY, ("integer", "2b", "Count")], None, "name"),
]


def workbook(path: Path, survey, choices=None, settings=None) -> Path:
    book = Workbook()
    book.remove(book.active)
    for title, rows in (("survey", survey), ("choices", choices), ("settings", settings)):
        if rows is not None:
            sheet = book.create_sheet(title)
            for row in rows:
                sheet.append(list(row))
    book.save(path)
    return path


def pyxform_refusal(data: bytes) -> str | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            convert(xlsform=dataclasses.asdict(pyxform_workbook(data)), form_name="data",
                    warnings=[])
    except PyXFormError as err:
        return str(err)
    return None


@pytest.fixture
def scene(mission, tree, observer, other_team, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    set_up(mission, tree, observer, other_team)
    return mission


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.name for s in SAMPLES])
def test_ordinary_xlsform_loads_is_served_and_its_instance_is_accepted(
        sample, scene, client, observer, tmp_path):
    path = workbook(tmp_path / f"{sample.name}.xlsx", sample.survey, sample.choices,
                    sample.settings)
    data = path.read_bytes()
    assert pyxform_refusal(data) is None

    version = load_form(actor=None, channel="command", mission=scene, source=data,
                        filename=path.name, media=sample.media)
    form_id = version.form.form_id
    listed = client.get("/openrosa/formList", **basic_auth(observer)).content.decode()
    served = client.get(f"/openrosa/forms/{form_id}/form.xml", **basic_auth(observer))
    xform, _digest = xform_of(version)
    key = str(uuid.uuid4())
    document = fill_xform_instance(
        served.content, {"eom_start": START, "eom_location": "01001", **sample.values}, key)
    files = [SimpleUploadedFile(name, content) for name, content in sample.files.items()]
    response = client.post("/openrosa/submission", {
        "xml_submission_file": SimpleUploadedFile("instance.xml", document, "text/xml"),
        **{f.name: f for f in files}}, **basic_auth(observer))

    assert (served.status_code, served.content) == (200, xform)
    assert f"<formID>{form_id}</formID>" in listed
    assert response.status_code == 201, response.content.decode()
    stored = Submission.objects.get(uuid=key)
    assert {name: stored.answers.get(name) for name in sample.stored} == sample.stored
    assert stored.form.stage == ""


def test_settings_left_out_are_taken_as_pyxform_and_odk_take_them(scene, tmp_path):
    [hello] = [s for s in SAMPLES if s.name == "hello_world"]
    path = workbook(tmp_path / "hello_world.xlsx", hello.survey, settings=hello.settings)

    first = load_form(actor=None, channel="command", mission=scene, source=path.read_bytes(),
                      filename=path.name)
    again = load_form(actor=None, channel="command", mission=scene, source=path.read_bytes(),
                      filename=path.name)

    assert (first.form.form_id, first.form.title, len(first.version), again.pk) == (
        "hello_world", "Hello world", 14, first.pk)
    assert f'version="{first.version}"'.encode() in xform_of(first)[0]
    assert first.definition["notes"][0] == ('the settings give no form_id; it is "hello_world", '
                                            "from the file name, as pyxform takes it")


def test_files_a_form_reads_are_in_its_manifest(scene, client, observer, tmp_path):
    [sample] = [s for s in SAMPLES if s.name == "stations_from_file"]
    path = workbook(tmp_path / "stations_from_file.xlsx", sample.survey)
    load_form(actor=None, channel="command", mission=scene, source=path.read_bytes(),
              filename=path.name, media=sample.media)

    listed = client.get("/openrosa/formList", **basic_auth(observer)).content.decode()
    manifest = client.get("/openrosa/forms/stations_from_file/manifest", **basic_auth(observer))
    media = client.get("/openrosa/forms/stations_from_file/media/stations.csv",
                       **basic_auth(observer))

    assert "/openrosa/forms/stations_from_file/manifest</manifestUrl>" in listed
    assert "<filename>stations.csv</filename>" in manifest.content.decode()
    assert (media.status_code, media.content) == (200, sample.media["stations.csv"])


def test_select_from_file_without_its_file_is_refused_naming_the_file(scene, tmp_path):
    [sample] = [s for s in SAMPLES if s.name == "stations_from_file"]
    path = workbook(tmp_path / "stations_from_file.xlsx", sample.survey)

    with pytest.raises(XLSFormError) as refused:
        load_form(actor=None, channel="command", mission=scene, source=path.read_bytes(),
                  filename=path.name)

    assert 'the choices come from "stations.csv"; attach that file' in str(refused.value)


def test_answer_outside_the_choice_filter_is_refused(scene, client, observer, tmp_path):
    [sample] = [s for s in SAMPLES if s.name == "cascading"]
    path = workbook(tmp_path / "cascading.xlsx", sample.survey, sample.choices)
    version = load_form(actor=None, channel="command", mission=scene, source=path.read_bytes(),
                        filename=path.name)
    document = fill_xform_instance(xform_of(version)[0], {
        "eom_start": START, "eom_location": "01001", "region": "north", "district": "s1"},
        str(uuid.uuid4()))

    response = client.post("/openrosa/submission", {
        "xml_submission_file": SimpleUploadedFile("instance.xml", document, "text/xml")},
        **basic_auth(observer))

    assert response.status_code == 422
    assert "“s1” is not one of the choices offered" in response.content.decode()


def test_choice_without_a_label_in_the_language_the_filter_reads_is_refused(
        scene, client, observer, tmp_path):
    [sample] = [s for s in SAMPLES if s.name == "choices_with_an_english_label"]
    path = workbook(tmp_path / "labels.xlsx", sample.survey, sample.choices)
    version = load_form(actor=None, channel="command", mission=scene, source=path.read_bytes(),
                        filename=path.name)
    document = fill_xform_instance(xform_of(version)[0], {
        "eom_start": START, "eom_location": "01001", "party": "other"}, str(uuid.uuid4()))

    response = client.post("/openrosa/submission", {
        "xml_submission_file": SimpleUploadedFile("instance.xml", document, "text/xml")},
        **basic_auth(observer))

    columns = [c["columns"] for q in version.definition["sections"][0]["questions"]
               if q["name"] == "party" for c in q["choices"]]
    assert columns == [{"label::English": "Amanat"}, {"label::English": ""}]
    assert response.status_code == 422
    assert "“other” is not one of the choices offered" in response.content.decode()


def test_choice_labelled_by_an_unanswered_question_is_not_offered(
        scene, client, observer, tmp_path):
    [sample] = [s for s in SAMPLES if s.name == "choices_labelled_by_earlier_answers"]
    path = workbook(tmp_path / "names.xlsx", sample.survey, sample.choices)
    version = load_form(actor=None, channel="command", mission=scene, source=path.read_bytes(),
                        filename=path.name)

    def sent(chosen):
        document = fill_xform_instance(xform_of(version)[0], {
            "eom_start": START, "eom_location": "01001", "first": "Aigerim", "second": "Bolat",
            "chosen": chosen}, str(uuid.uuid4()))
        return client.post("/openrosa/submission", {"xml_submission_file": SimpleUploadedFile(
            "instance.xml", document, "text/xml")}, **basic_auth(observer))

    assert [sent("n1").status_code, sent("n3").status_code] == [201, 422]


def test_recording_is_kept_as_a_file_to_download(scene, client, observer, tmp_path):
    [sample] = [s for s in SAMPLES if s.name == "recordings"]
    path = workbook(tmp_path / "recordings.xlsx", sample.survey)
    version = load_form(actor=None, channel="command", mission=scene, source=path.read_bytes(),
                        filename=path.name)
    document = fill_xform_instance(xform_of(version)[0], {
        "eom_start": START, "eom_location": "01001", **sample.values}, str(uuid.uuid4()))

    client.post("/openrosa/submission", {
        "xml_submission_file": SimpleUploadedFile("instance.xml", document, "text/xml"),
        "interview.m4a": SimpleUploadedFile("interview.m4a", sample.files["interview.m4a"])},
        **basic_auth(observer))

    attachment = Attachment.objects.get()
    assert (attachment.question, attachment.content_type, attachment.size) == (
        "interview", "application/octet-stream", len(sample.files["interview.m4a"]))


@pytest.mark.parametrize(("name", "survey", "choices", "reason"), REFUSED,
                         ids=[r[0] for r in REFUSED])
def test_workbook_pyxform_refuses_is_refused_for_the_same_reason(
        name, survey, choices, reason, scene, tmp_path):
    data = workbook(tmp_path / f"{name}.xlsx", survey, choices).read_bytes()

    with pytest.raises(XLSFormError) as refused:
        load_form(actor=None, channel="command", mission=scene, source=data,
                  filename=f"{name}.xlsx")

    theirs = pyxform_refusal(data)
    [ours] = refused.value.problems
    assert theirs is not None and reason in theirs
    assert (ours.sheet, ours.row, ours.column) == ("survey", 2, "type" if reason != "name"
                                                    else "name")
    assert Form.objects.filter(form_id=name).exists() is False


def test_repeat_loads(scene, tmp_path):
    survey = [SURVEY, ("begin repeat", "visits", "Visits"), ("integer", "n", "Voters"),
              ("end repeat", "", "")]
    data = workbook(tmp_path / "visits.xlsx", survey).read_bytes()
    assert pyxform_refusal(data) is None

    load_form(actor=None, channel="command", mission=scene, source=data, filename="visits.xlsx")
