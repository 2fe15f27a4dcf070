"""select_one_from_file / select_multiple_from_file read their choices from an attached XML file
in the shape ODK Collect reads (`<root><item><name/><label/>…</item></root>`), as they do from a
CSV: the file is served with the form, answers outside it are refused, and a file that is not
such XML is refused naming the file and the item."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from eom.observation.channels.openrosa import xform_of
from eom.observation.services import load_form
from eom.xlsform.reader import MAX_FILE_CHOICES, XLSFormError
from tests.factories import basic_auth, fill_xform_instance
from tests.observation.test_xlsform_corpus import START, SURVEY, pyxform_refusal, workbook
from tests.observation.test_xlsform_corpus import scene as scene  # noqa: F401 (fixture)

STATIONS = """<?xml version='1.0' encoding='UTF-8'?>
<root>
  <item><name>01001</name><label>School 1</label><district>d1</district></item>
  <item><name>01002</name><label>Школа 2</label><district>d1</district></item>
  <item><name>02001</name><label>School 3</label><district>d2</district></item>
</root>
""".encode()
FORM = [SURVEY, ("select_one_from_file stations.xml", "station", "Polling station"),
        ("select_multiple_from_file stations.xml", "visited", "Stations visited")]


def load(scene, tmp_path, files: dict[str, bytes]):  # noqa: F811
    path = workbook(tmp_path / "stations_xml.xlsx", FORM)
    return load_form(actor=None, channel="command", mission=scene, source=path.read_bytes(),
                     filename=path.name, media=files)


def send(client, observer, version, values: dict[str, str]):
    document = fill_xform_instance(xform_of(version)[0], {
        "eom_start": START, "eom_location": "01001", **values}, str(uuid.uuid4()))
    return client.post("/openrosa/submission", {
        "xml_submission_file": SimpleUploadedFile("instance.xml", document, "text/xml")},
        **basic_auth(observer))


def test_choices_are_the_items_of_the_xml_file(scene, tmp_path):  # noqa: F811
    version = load(scene, tmp_path, {"stations.xml": STATIONS})

    station = version.definition["sections"][0]["questions"][0]
    assert [(c["name"], c["label"], c["columns"]) for c in station["choices"]] == [
        ("01001", {"en": "School 1"}, {"district": "d1"}),
        ("01002", {"en": "Школа 2"}, {"district": "d1"}),
        ("02001", {"en": "School 3"}, {"district": "d2"})]
    assert version.definition["media"] == ["stations.xml"]
    assert pyxform_refusal(workbook(tmp_path / "again.xlsx", FORM).read_bytes()) is None


def test_xml_file_is_served_with_the_form(scene, client, observer, tmp_path):  # noqa: F811
    load(scene, tmp_path, {"stations.xml": STATIONS})

    manifest = client.get("/openrosa/forms/stations_xml/manifest", **basic_auth(observer))
    media = client.get("/openrosa/forms/stations_xml/media/stations.xml", **basic_auth(observer))

    assert "<filename>stations.xml</filename>" in manifest.content.decode()
    assert (media.status_code, media.content) == (200, STATIONS)


def test_answer_from_the_xml_file_is_accepted_and_one_outside_it_refused(
        scene, client, observer, tmp_path):  # noqa: F811
    version = load(scene, tmp_path, {"stations.xml": STATIONS})

    accepted = send(client, observer, version, {"station": "01002", "visited": "01001 02001"})
    refused = send(client, observer, version, {"station": "09999"})

    assert accepted.status_code == 201, accepted.content.decode()
    assert refused.status_code == 422
    assert "Polling station (station): “09999” is not one of the choices" in \
        refused.content.decode()


@pytest.mark.parametrize(("data", "reason"), [
    (b"<root><item><name>01001</name>", '"stations.xml" cannot be read as XML ('),
    (b"<root><item><name>01001</name></item><item><label>No code</label></item></root>",
     '"stations.xml": item 2 has no <name>'),
    (b"<root><item><name>01001</name></item><station><name>2</name></station></root>",
     '"stations.xml": element 2 is <station>; the choices are <item> elements of the root'),
    (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">]>'
     b"<root><item><name>&a;</name></item></root>", '"stations.xml" cannot be read as XML ('),
    (b"<root>" + b"<item><name>1</name></item>" * (MAX_FILE_CHOICES + 1) + b"</root>",
     f'"stations.xml" has more than {MAX_FILE_CHOICES:,} items'),
    (b"<root><item><name>1</name>" + b"<x>1</x>" * 60 + b"</item></root>",
     '"stations.xml": item 1 has more than 50 elements'),
], ids=["unclosed", "item-without-name", "not-an-item", "entities", "too-many-items",
        "too-many-elements"])
def test_xml_file_that_is_not_a_list_of_items_is_refused_naming_file_and_item(
        data, reason, scene, tmp_path):  # noqa: F811
    with pytest.raises(XLSFormError) as refused:
        load(scene, tmp_path, {"stations.xml": data})

    messages = [str(problem) for problem in refused.value.problems]
    assert any(reason in message for message in messages), messages
    assert {(problem.sheet, problem.row) for problem in refused.value.problems} == {
        ("survey", 2), ("survey", 3)}  # each question that reads the file


def test_choices_from_a_file_of_another_kind_are_refused(scene, tmp_path):  # noqa: F811
    survey = [SURVEY, ("select_one_from_file stations.geojson", "station", "Station")]
    path = workbook(tmp_path / "geo.xlsx", survey)

    with pytest.raises(XLSFormError) as refused:
        load_form(actor=None, channel="command", mission=scene, source=path.read_bytes(),
                  filename=path.name, media={"stations.geojson": b"{}"})

    assert [str(p) for p in refused.value.problems] == [
        'survey sheet, row 2, column "type": eom reads choices from CSV and XML files; '
        '"stations.geojson" is neither']
