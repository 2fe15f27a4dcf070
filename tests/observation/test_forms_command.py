"""`eom forms load FILE.xlsx [FILE.csv …] [--stage S]` and the Forms page load workbooks without
an eom stage (general forms), give a stage on request, and keep the files a form reads."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from eom.observation.models import Form, FormMediaFile

SURVEY = [("type", "name", "label"), ("text", "where", "Where was the rally?"),
          ("integer", "n_people", "How many people?")]
FROM_FILE = [("type", "name", "label"),
             ("select_one_from_file stations.csv", "station", "Polling station")]
STATIONS = b"name,label\n01001,School 1\n01002,School 2\n"


def load(mission, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("forms", "load", *args, "--mission", mission.code, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_workbook_without_settings_loads_as_a_general_form(xlsform, mission):
    path = xlsform(SURVEY, name="rally.xlsx", settings=None)

    out, _err = load(mission, str(path))

    form = Form.objects.get(mission=mission)
    assert (form.form_id, form.stage, form.order, form.title) == ("rally", "", 60, "rally")
    assert f"{path}: rally version {form.current_version.version} loaded (a general form)" in out
    assert 'the settings give no form_id; it is "rally", from the file name' in out


def test_stage_given_on_the_command_is_the_forms_stage(xlsform, mission):
    path = xlsform(SURVEY, name="rally.xlsx", settings=None)

    load(mission, str(path), "--stage", "incident")

    assert Form.objects.get(mission=mission).stage == "incident"


def test_stage_that_contradicts_the_workbook_is_refused(xlsform, mission):
    path = xlsform(SURVEY, name="voting.xlsx")  # settings: stage voting

    with pytest.raises(CommandError):
        load(mission, str(path), "--stage", "counting")

    assert Form.objects.filter(mission=mission).exists() is False


def test_files_named_after_the_workbook_are_stored_with_its_version(xlsform, mission, tmp_path):
    path = xlsform(FROM_FILE, name="stations_form.xlsx", settings=None)
    (tmp_path / "stations.csv").write_bytes(STATIONS)

    load(mission, str(path), str(tmp_path / "stations.csv"))

    form = Form.objects.get(mission=mission)
    [stored] = FormMediaFile.objects.filter(version=form.current_version)
    question = form.current_version.definition["sections"][0]["questions"][0]
    assert (stored.name, bytes(stored.data)) == ("stations.csv", STATIONS)
    assert [c["name"] for c in question["choices"]] == ["01001", "01002"]


def test_forms_page_takes_the_files_a_form_reads(xlsform, mission, client, core_member):
    path = xlsform(FROM_FILE, name="stations_form.xlsx", settings=None)
    client.force_login(core_member)

    with path.open("rb") as workbook:
        response = client.post(reverse("observation:forms"), {
            "workbook": workbook, "media": [SimpleUploadedFile("stations.csv", STATIONS)]})
    page = client.get(reverse("observation:forms")).content.decode()

    assert response.status_code == 302
    assert FormMediaFile.objects.get().name == "stations.csv"
    assert "general form" in page


def test_two_workbooks_without_a_version_loaded_in_one_second_get_two_versions(
        xlsform, mission, monkeypatch):
    moment = dt.datetime(2023, 3, 19, 4, 2, 11, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)  # the clock stands still
    load(mission, str(xlsform(SURVEY, name="rally.xlsx", settings=None)))

    load(mission, str(xlsform([*SURVEY, ("text", "speakers", "Who spoke?")], name="rally.xlsx",
                              settings=None)))

    assert sorted(Form.objects.get(mission=mission).versions.values_list("version", flat=True)
                  ) == ["20230319040211", "20230319040211-2"]
