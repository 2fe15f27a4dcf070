"""`eom export <table> FILE`: the file equals what the reader named by --user downloads from the
page, with the page's filters; the export is audited as a command."""

from __future__ import annotations

import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from eom.dataout.models import Export
from tests.access.scene import build
from tests.dataout.tables import file_rows


@pytest.fixture
def scene(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build(canaries=False)


def test_submissions_file_equals_the_download_of_the_page(scene, client, tmp_path):
    path = tmp_path / "voting.xlsx"
    call_command("export", "submissions", str(path), "--form", "voting")
    header, rows = file_rows(path.read_bytes(), "xlsx", tmp_path)
    client.force_login(scene.users["superuser"])
    response = client.get(reverse("dataout:submissions"),
                          {"form": "voting", "format": "xlsx"})
    assert (header, rows) == file_rows(response, "xlsx", tmp_path)
    assert len(rows) == 3
    assert Export.objects.filter(channel="command", table="submissions/wide").count() == 1


def test_the_user_scopes_the_rows_and_filters_narrow_them(scene, tmp_path):
    path = tmp_path / "answers.csv"
    call_command("export", "answers", str(path), "--user", scene.users["observer"].username)
    header, rows = file_rows(path.read_bytes(), "csv", tmp_path)
    assert {row[header.index("location")] for row in rows} == {"01001", "01002"}
    call_command("export", "protocols", str(path), "--filter", "region=R2")
    _header, rows = file_rows(path.read_bytes(), "csv", tmp_path)
    assert [row[0] for row in rows] == ["02001"]


def test_labels_in_a_language_and_a_figure_table(scene, tmp_path):
    path = tmp_path / "analysis.csv"
    call_command("export", "analysis", str(path), "--form", "voting", "--lang", "ru")
    header, rows = file_rows(path.read_bytes(), "csv", tmp_path)
    assert header[0] == "Вопрос" and len(rows) >= 6


def test_photos_go_to_a_zip(scene, tmp_path):
    path = tmp_path / "photos.zip"
    call_command("export", "photos", str(path), "--filter", "form=incident")
    assert zipfile.ZipFile(path).namelist()[-1] == "index.csv"


@pytest.mark.parametrize(("args", "message"), [
    (["submissions", "out.csv"], "form: choose a form"),
    (["photos", "out.csv"], "name the file .zip"),
    (["coverage", "out.pdf"], "name the file .csv or .xlsx"),
    (["analysis", "out.csv", "--user", "nobody"], '--user: no active login "nobody"'),
    (["analysis", "out.csv", "--filter", "region"], "--filter"),
])
def test_bad_arguments_end_in_a_named_error(scene, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("export", args[0], str(tmp_path / args[1]), *args[2:])
