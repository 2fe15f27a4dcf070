"""The submissions as tables: wide (a row per report, a column per question) and long (a row
per answer), with codes or labels in a chosen language, QA flags and revisions; scoped and
filtered as the submissions page lists them; and the incident photos as a ZIP with an index."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.urls import reverse

from eom.dataout.models import Export
from eom.observation import services as observation_services
from tests.access.scene import build
from tests.dataout.tables import file_rows

URL = "dataout:submissions"


@pytest.fixture
def scene(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build(canaries=False)


def download(client, tmp_path, **query):
    response = client.get(reverse(URL), query)
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    return file_rows(content, query.get("format", "csv"), tmp_path)


def test_wide_has_a_row_per_report_and_a_column_per_question(scene, client, tmp_path):
    client.force_login(scene.users["core"])
    header, rows = download(client, tmp_path, form="voting", shape="wide")
    assert header[:3] == ["uuid", "form", "form_version"]
    assert {"registered", "voted", "secrecy", "assessment"} <= set(header)
    by_place = {row[header.index("location")]: row for row in rows}
    assert sorted(by_place) == ["01001", "01002", "02001"]
    assert by_place["02001"][header.index("assessment")] == "very_bad"
    assert by_place["02001"][header.index("secrecy_details")] == "open booth"
    assert by_place["01001"][header.index("voted")] == "40"


def test_wide_and_long_agree_answer_for_answer_in_xlsx_too(scene, client, tmp_path):
    client.force_login(scene.users["analyst"])
    header, wide = download(client, tmp_path, form="voting", shape="wide", format="xlsx")
    long_header, long = download(client, tmp_path, form="voting", shape="long", format="xlsx")
    assert long_header[-3:] == ["question", "question_label", "answer"]
    from_wide = {(row[0], name, value) for row in wide
                 for name, value in zip(header[15:], row[15:], strict=False) if value != ""}
    from_long = {(row[0], row[-3], row[-1]) for row in long}
    assert from_wide == from_long and len(from_long) == 13


def test_labels_come_in_the_language_asked(scene, client, tmp_path):
    version = scene.mission.forms.get(form_id="voting").current_version
    for _section in version.definition["sections"]:
        for q in _section["questions"]:
            if q["name"] == "secrecy":
                q["label"]["ru"] = "Тайна голосования"
                q["choices"] = [{"name": "yes", "label": {"en": "Yes", "ru": "Да"}},
                                {"name": "no", "label": {"en": "No", "ru": "Нет"}}]
    version.save()
    client.force_login(scene.users["core"])

    def secrecy(**query):
        _header, rows = download(client, tmp_path, form="voting", shape="long", **query)
        return sorted({(row[-2], row[-1]) for row in rows if row[-3] == "secrecy"})

    assert secrecy(values="labels", lang="ru") == [("Тайна голосования", "Да"),
                                                   ("Тайна голосования", "Нет")]
    assert secrecy(values="labels", lang="en") == [("secrecy", "No"), ("secrecy", "Yes")]
    assert secrecy() == [("secrecy", "no"), ("secrecy", "yes")]


def test_an_observer_exports_only_its_own_reports(scene, client, tmp_path):
    client.force_login(scene.users["observer"])
    header, rows = download(client, tmp_path, form="voting")
    assert sorted(row[header.index("location")] for row in rows) == ["01001", "01002"]


def test_a_coordinator_exports_only_its_region(scene, client, tmp_path):
    client.force_login(scene.users["coordinator"])
    header, rows = download(client, tmp_path, shape="long")
    assert {row[header.index("location")] for row in rows} == {"01001", "01002"}


def test_filters_of_the_submissions_page_apply(scene, client, tmp_path):
    client.force_login(scene.users["core"])
    header, rows = download(client, tmp_path, form="voting", region="R2")
    assert [row[header.index("location")] for row in rows] == ["02001"]


def test_revisions_and_flags_are_exported(scene, client, tmp_path):
    own = scene["own_submission"]
    observation_services.edit_submission(
        actor=scene.users["core"], channel="page", submission=own,
        answers={**own.answers, "voted": 41}, reason="typo")
    client.force_login(scene.users["core"])
    header, rows = download(client, tmp_path, form="voting")
    row = next(r for r in rows if r[0] == str(own.uuid))
    assert row[header.index("n_revisions")] == "1" and row[header.index("voted")] == "41"
    header, rows = download(client, tmp_path, shape="revisions")
    assert [(r[0], r[3], r[6]) for r in rows] == [(str(own.uuid), "1", "typo")]
    assert '"voted"' in rows[0][7]
    _header, flags = download(client, tmp_path, shape="flags")
    # the "negative" rule flags the reports assessed bad and very bad
    assert sorted((r[2], r[5], r[6]) for r in flags) == [("01002", "negative", "medium"),
                                                         ("02001", "negative", "medium")]


@pytest.mark.parametrize(("query", "field"), [
    ({"shape": "wide"}, "form"), ({"shape": "tall"}, "shape"), ({"format": "pdf"}, "format"),
    ({"lang": "de", "shape": "long"}, "lang"), ({"region": "NOWHERE"}, "region")])
def test_a_bad_export_request_is_refused_naming_the_field(scene, client, query, field):
    client.force_login(scene.users["core"])
    response = client.get(reverse(URL), query)
    assert response.status_code == 400
    assert response.content.decode().startswith(f"{field}:")


def test_each_export_is_audited_with_its_filters_and_rows(scene, client, tmp_path):
    client.force_login(scene.users["core"])
    download(client, tmp_path, form="voting", shape="wide", format="xlsx")
    export = Export.objects.get()
    assert (export.table, export.format, export.n_rows) == ("submissions/wide", "xlsx", 3)
    assert export.filters == {"form": "voting", "shape": "wide"}


def test_photos_come_as_a_zip_with_an_index(scene, client):
    client.force_login(scene.users["observer"])
    response = client.get(reverse("dataout:photos"), {"form": "incident"})
    assert response.status_code == 200
    bundle = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = bundle.namelist()
    assert names[-1] == "index.csv" and len(names) == 2
    index = list(csv.reader(io.StringIO(bundle.read("index.csv").decode("utf-8-sig"))))
    assert index[1][0] == names[0] and index[1][1] == str(scene["photo_submission"].uuid)
    with scene["attachment"].file.open("rb") as photo:
        assert bundle.read(names[0]) == photo.read()
    assert Export.objects.get().table == "photos"


def test_photos_outside_the_readers_scope_stay_out(scene, client):
    client.force_login(scene.users["coordinator"])
    response = client.get(reverse("dataout:photos"), {"region": "R2"})
    bundle = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert bundle.namelist() == ["index.csv"]


def test_too_many_photos_are_refused_before_a_byte_is_sent(scene, client, monkeypatch):
    from eom.dataout import photos

    monkeypatch.setattr(photos, "MAX_PHOTOS", 0)
    client.force_login(scene.users["core"])
    response = client.get(reverse("dataout:photos"))
    assert response.status_code == 400
    assert response.content.decode().startswith("filters:")


@pytest.mark.parametrize("shape", ["wide", "long", "flags", "revisions"])
def test_the_answer_filter_narrows_every_shape(scene, client, tmp_path, shape):
    client.force_login(scene.users["core"])
    header, rows = download(client, tmp_path, form="voting", shape=shape, question="secrecy",
                            answer="no")
    assert {row[header.index("location")] for row in rows} <= {"02001"}
    if shape in ("wide", "long", "flags"):
        assert rows


def test_photos_follow_the_answer_filter_too(scene, client):
    client.force_login(scene.users["core"])
    response = client.get(reverse("dataout:photos"), {"form": "voting", "question": "secrecy",
                                                      "answer": "no"})
    assert response.status_code == 200
    bundle = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert bundle.namelist() == ["index.csv"]  # the voting reports carry no photo
