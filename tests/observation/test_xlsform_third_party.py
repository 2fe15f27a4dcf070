"""XLSForms written by others load into eom, are served to ODK Collect and a filled instance of
each is accepted by /openrosa/submission; a workbook pyxform refuses is refused by eom too.

The workbooks are pyxform's own published example forms (tests/data/xlsforms/pyxform/, with
their licence and source in the README there), as they are: .xlsx and the older .xls, pyxform's
other spellings of types and columns, no stage, often no form_id or version. The instance of
each form is made from its XForm as ODK Collect would fill it: a value of the right kind for
every required question, the rest left empty.
"""

from __future__ import annotations

import json
import re
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eom.observation.models import Attachment, Form, Submission
from eom.observation.services import load_form
from eom.xlsform.reader import XLSFormError
from tests.factories import basic_auth, fill_xform_instance
from tests.observation.test_xlsform_corpus import START, pyxform_refusal
from tests.observation.test_xlsform_corpus import scene as scene  # noqa: F401 (fixture)

CORPUS = Path(__file__).resolve().parents[1] / "data" / "xlsforms" / "pyxform"
X = "{http://www.w3.org/2002/xforms}"

LOADS = [
    "allow_comment_rows_test.xls", "blank_second_row.xls", "calculate.xls", "cascading_select_test_equivalent.xls",
    "choice_filter_test.xlsx", "choice_name_as_type.xls", "default_time_demo.xls",
    "extra_sheet_names.xlsx", "field-list.xlsx", "gps.xls", "group.xlsx", "hidden.xls",
    "ict_survey_fails.xls", "or_other.xlsx", "sms_info.xls", "specify_other.xlsx",
    "style_settings.xls", "table-list.xls", "text_and_integer.xlsx", "widgets.xls",
    "xml_escaping.xls", "yes_or_no_question.xlsx",
    # with repeats
    "tutorial.xls", "repeat_date_test.xls",
    # a form_id with a space, in eom's addresses and XForm with "_"
    "xlsform_spec_test.xlsx", "flat_xlsform_test.xlsx",
    # a choice's label in one language (label::English) in a choice_filter
    "xl_date_ambiguous.xlsx",
    # an osm question (an OpenStreetMap file), sheets and columns in capitals
    "case_insensitivity.xlsx",
    # pyxform's loop over a choice list
    "loop.xlsx",
    # pulldata() from the attached fruits.csv
    "pull_data.xlsx",
]
# What eom does not read yet, each named by what it lacks (none: every workbook pyxform
# converts loads).
GAPS: dict[str, str] = {}
# The files a form reads, attached when it is loaded.
MEDIA = {"pull_data.xlsx": {"fruits.csv": b"name,colour\nkiwi,green\nmango,yellow\n"}}
# Answers an observer gives where the form's default would break its own constraint.
ANSWERS = {"widgets.xls": {"my_date": "2100-01-01"}}  # ". >= today()", default 2010-06-15
REFUSED_BY_PYXFORM = ["calculate_without_calculation.xls", "group_name_test.xls"]

CASES = [pytest.param(name, id=name) for name in LOADS] + [
    pytest.param(name, id=name, marks=pytest.mark.xfail(strict=True, reason=reason))
    for name, reason in GAPS.items()
]


def filled_instance(xform: bytes, key: str, answers: dict[str, str]) -> bytes:
    """The form's instance with a value for every required question, as a phone fills it."""
    model = ET.fromstring(xform).find(f".//{X}model")
    controls = {c.get("ref"): c for c in ET.fromstring(xform).iter()
                if c.get("ref") and c.tag.rsplit("}", 1)[-1] in ("select1", "select",
                                                                  "odk:rank", "input", "upload")}
    values = {"eom_start": START, "eom_location": "01001", **answers}
    for bind in model.findall(f"{X}bind"):
        if bind.get("required") != "true()" or bind.get("calculate") is not None:
            continue
        path = bind.get("nodeset", "")
        name = path.rsplit("/", 1)[-1]
        if name not in values:
            values[name] = _value(bind.get("type", "string"), controls.get(path), model)
    return fill_xform_instance(xform, values, key)


def _value(kind: str, control: ET.Element | None, model: ET.Element) -> str:
    by_type = {"int": "1", "decimal": "1.5", "date": "2023-03-19", "time": "10:00:00.000+06:00",
               "dateTime": START, "geopoint": "43.2 76.9 800 5", "barcode": "KZ-0042"}
    if kind in by_type:
        return by_type[kind]
    if control is not None and control.tag.endswith(("select1", "select")):
        return _first_choice(control, model)
    return "text"


def _first_choice(control: ET.Element, model: ET.Element) -> str:
    item = control.find(f"{X}item/{X}value")
    if item is not None:
        return item.text or ""
    itemset = control.find(f"{X}itemset")
    assert itemset is not None
    source = re.match(r"instance\('([^']+)'\)", itemset.get("nodeset", ""))
    assert source is not None
    instance = next(i for i in model.findall(f"{X}instance") if i.get("id") == source[1])
    value_ref = itemset.find(f"{X}value").get("ref")
    first = next(instance.iter(f"{X}item"))
    return first.find(f"{X}{value_ref}").text or ""


@pytest.mark.parametrize("name", CASES)
def test_published_xlsform_loads_is_served_and_its_instance_is_accepted(
        name, scene, client, observer):  # noqa: F811
    data = (CORPUS / name).read_bytes()
    assert pyxform_refusal(data) is None

    version = load_form(actor=None, channel="command", mission=scene, source=data,
                        filename=name, media=MEDIA.get(name))
    form_id = version.form.form_id
    listed = client.get("/openrosa/formList", **basic_auth(observer)).content.decode()
    served = client.get(f"/openrosa/forms/{form_id}/form.xml", **basic_auth(observer))
    key = str(uuid.uuid4())
    response = client.post("/openrosa/submission", {
        "xml_submission_file": SimpleUploadedFile(
            "instance.xml", filled_instance(served.content, key, ANSWERS.get(name, {})), "text/xml")},
        **basic_auth(observer))

    assert served.status_code == 200
    assert f"<formID>{form_id}</formID>" in listed
    assert response.status_code == 201, response.content.decode()
    assert Submission.objects.get(uuid=key).form == version.form


@pytest.mark.parametrize("name", REFUSED_BY_PYXFORM)
def test_published_xlsform_pyxform_refuses_is_refused_at_the_row_pyxform_names(
        name, scene):  # noqa: F811
    data = (CORPUS / name).read_bytes()
    theirs = pyxform_refusal(data)

    with pytest.raises(XLSFormError) as refused:
        load_form(actor=None, channel="command", mission=scene, source=data, filename=name)

    row = re.match(r"\[row : (\d+)\]", theirs or "")
    assert row is not None, theirs
    assert int(row[1]) in {problem.row for problem in refused.value.problems}
    assert Form.objects.filter(form_id=Path(name).stem).exists() is False


def test_osm_answer_is_kept_as_a_file_of_the_report(scene, client, observer):  # noqa: F811
    name = "case_insensitivity.xlsx"
    load_form(actor=None, channel="command", mission=scene,
              source=(CORPUS / name).read_bytes(), filename=name)
    served = client.get("/openrosa/forms/YesNo/form.xml", **basic_auth(observer))
    osm = (b"<?xml version='1.0' encoding='UTF-8' ?><osm version='0.6' generator='OpenMapKit'>"
           b"<node id='-1' lat='43.2' lon='76.9'><tag k='n1-o' v='yes'/></node></osm>")
    key = str(uuid.uuid4())

    response = client.post("/openrosa/submission", {
        "xml_submission_file": SimpleUploadedFile("instance.xml", filled_instance(
            served.content, key, {"q3": "building.osm"}), "text/xml"),
        "building.osm": SimpleUploadedFile("building.osm", osm)}, **basic_auth(observer))

    assert b'mediatype="osm/*"' in served.content
    assert response.status_code == 201, response.content.decode()
    attachment = Attachment.objects.get(submission__uuid=key)
    assert (attachment.question, attachment.size) == ("q3", len(osm))
    assert Submission.objects.get(uuid=key).answers["q3"] == "building.osm"


def test_loop_answers_are_kept_under_the_loop_the_choice_and_the_question(
        scene, client, observer):  # noqa: F811
    version = load_form(actor=None, channel="command", mission=scene,
                        source=(CORPUS / "loop.xlsx").read_bytes(), filename="loop.xlsx")
    served = client.get("/openrosa/forms/loop/form.xml", **basic_auth(observer)).content
    root = ET.fromstring(filled_instance(served, str(uuid.uuid4()), {}))
    groups = root.find("loop_toilet_types")
    for choice, number in (("pit_latrine_with_slab", "2"), ("bucket_system", "1")):
        groups.find(f"{choice}/number").text = number
    key = root.find("meta/instanceID").text.removeprefix("uuid:")

    response = client.post("/openrosa/submission", {"xml_submission_file": SimpleUploadedFile(
        "instance.xml", ET.tostring(root), "text/xml")}, **basic_auth(observer))

    assert response.status_code == 201, response.content.decode()
    assert version.definition["loops"] == ["loop_toilet_types"]
    assert [q["label"]["en"] for q in version.definition["sections"][1]["questions"]] == [
        f"How many {label} are on the premises?" for label in (
            "Pit latrine with slab", "Pit latrine without slab/open pit", "Bucket system",
            "Other")]
    answers = Submission.objects.get(uuid=key).answers
    assert {k: v for k, v in answers.items() if k.startswith("loop")} == {
        "loop_toilet_types.pit_latrine_with_slab.number": 2,
        "loop_toilet_types.bucket_system.number": 1}


def test_pulldata_reads_the_attached_csv_which_odk_collect_gets_in_the_manifest(
        scene, client, observer):  # noqa: F811
    name = "pull_data.xlsx"
    version = load_form(actor=None, channel="command", mission=scene,
                        source=(CORPUS / name).read_bytes(), filename=name, media=MEDIA[name])
    form_id = version.form.form_id
    served = client.get(f"/openrosa/forms/{form_id}/form.xml", **basic_auth(observer)).content
    manifest = client.get(f"/openrosa/forms/{form_id}/manifest", **basic_auth(observer))
    key = str(uuid.uuid4())

    response = client.post("/openrosa/submission", {"xml_submission_file": SimpleUploadedFile(
        "instance.xml", filled_instance(served, key, {}), "text/xml")}, **basic_auth(observer))

    assert response.status_code == 201, response.content.decode()
    assert "<filename>fruits.csv</filename>" in manifest.content.decode()
    assert version.definition["data"] == {"fruits": [{"name": "kiwi"}, {"name": "mango"}]}
    assert Submission.objects.get(uuid=key).answers["fruit"] == "mango"


def test_pulldata_without_its_csv_is_refused_naming_the_file(scene):  # noqa: F811
    name = "pull_data.xlsx"

    with pytest.raises(XLSFormError) as refused:
        load_form(actor=None, channel="command", mission=scene,
                  source=(CORPUS / name).read_bytes(), filename=name)

    assert [p.message for p in refused.value.problems] == [
        'pulldata() reads "fruits.csv"; attach that file to the form']


def test_checklist_page_asks_a_loop_per_choice_and_gives_pulldata_its_rows(
        scene, client, observer, tree):  # noqa: F811
    for name in ("loop.xlsx", "pull_data.xlsx"):
        load_form(actor=None, channel="command", mission=scene, media=MEDIA.get(name),
                  source=(CORPUS / name).read_bytes(), filename=name)
    client.force_login(observer)
    station = tree["01001"].pk

    loop = client.get(reverse("observation:checklist", args=[station, "loop"]))
    pulled = client.get(reverse("observation:checklist", args=[station, "pull_data"]))
    sent = client.post(reverse("observation:checklist", args=[station, "loop"]), {
        "uuid": str(uuid.uuid4()), "observed_at": "2023-03-19T10:30",
        "loop_toilet_types.bucket_system.number": "3"})

    assert (loop.status_code, pulled.status_code) == (200, 200)
    assert 'name="loop_toilet_types.bucket_system.number"' in loop.content.decode()
    assert "How many Bucket system are on the premises?" in loop.content.decode()
    logic = json.loads(re.search(r'id="form-logic"[^>]*>(.*?)</script>',
                                 pulled.content.decode(), re.S)[1])
    assert logic["env"]["data:fruits"] == [{"name": "kiwi"}, {"name": "mango"}]
    assert sent.status_code == 302
    stored = Submission.objects.get(form__form_id="loop")
    assert stored.answers == {"loop_toilet_types.bucket_system.number": 3}


def test_every_workbook_of_the_collection_is_tested():
    tested = set(LOADS) | set(GAPS) | set(REFUSED_BY_PYXFORM)
    on_disk = {p.name for p in CORPUS.iterdir() if p.suffix in (".xls", ".xlsx")}

    assert on_disk == tested
    assert len(tested) == 32
