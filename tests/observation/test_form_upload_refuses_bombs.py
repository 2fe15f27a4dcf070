"""An XLSForm upload over the form limits (a zip bomb, one huge cell, too many rows, too large a
file) is refused before openpyxl or pyxform open it: the forms page answers 422 naming the
reason, and no form is stored. The limits are settings (EOM_FORM_LIMITS)."""

from __future__ import annotations

import dataclasses
import random
import string
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eom.filelimits import FORM_LIMITS, MB
from eom.observation.models import Form, FormVersion
from eom.xlsform.reader import XLSFormError, read_xlsform
from tests.factories import make_workbook, sheet_with_cell
from tests.observation.conftest import SETTINGS, write_xlsform

SURVEY = [("type", "name", "label"), ("integer", "registered", "Registered voters")]


def _upload(client, user, name: str, data: bytes):
    client.force_login(user)
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(reverse("observation:forms"), {"workbook": upload})


def test_a_workbook_bomb_upload_is_refused_with_the_reason(client, core_member, tmp_path):
    path = make_workbook(tmp_path / "bomb.xlsx", sheet_with_cell(b"A" * (60 * MB)))

    response = _upload(client, core_member, "bomb.xlsx", path.read_bytes())

    assert response.status_code == 422
    assert response.context["problems"] == [
        '"bomb.xlsx" is refused: the archive unpacks to 60.0 MB; the limit is 50.0 MB'
    ]
    assert (Form.objects.count(), FormVersion.objects.count()) == (0, 0)


def test_a_bomb_under_the_size_limit_is_refused_by_its_ratio(tmp_path):
    path = make_workbook(tmp_path / "bomb.xlsx", sheet_with_cell(b"A" * (20 * MB)))

    with pytest.raises(XLSFormError) as refused:
        read_xlsform(path)

    [problem] = refused.value.problems
    assert problem.message.startswith('"bomb.xlsx" is refused: xl/worksheets/sheet1.xml unpacks')
    assert problem.message.endswith("times its packed size; the limit is 100 (a zip bomb?)")


def test_one_huge_cell_in_a_form_is_refused(tmp_path):
    text = "".join(random.Random(3).choices(string.ascii_letters, k=2 * MB)).encode()
    path = make_workbook(tmp_path / "cell.xlsx", sheet_with_cell(text))

    with pytest.raises(XLSFormError) as refused:
        read_xlsform(path)

    assert [p.message for p in refused.value.problems] == [
        '"cell.xlsx" is refused: xl/worksheets/sheet1.xml holds a text of more than 1,048,576 '
        "bytes in one piece (one cell); a spreadsheet's cell holds at most 32,767 characters"
    ]


def test_a_form_over_the_row_limit_is_refused_naming_the_sheet_and_row(tmp_path):
    survey = SURVEY + [("integer", f"q{n}", f"Question {n}") for n in range(30)]
    path = write_xlsform(tmp_path / "long.xlsx", survey, settings=SETTINGS)

    with pytest.raises(XLSFormError) as refused:
        read_xlsform(path, limits=dataclasses.replace(FORM_LIMITS, max_rows=20))

    assert [str(p) for p in refused.value.problems] == [
        "survey sheet, row 21: the sheet has more than 20 rows; a form has far fewer"
    ]


def test_a_form_file_over_the_size_limit_is_refused_unread(client, core_member, settings):
    settings.EOM_FORM_LIMITS = dataclasses.replace(FORM_LIMITS, max_file_bytes=MB)

    response = _upload(client, core_member, "large.xlsx", b"\x00" * (MB + 1))

    assert response.status_code == 422
    assert response.context["problems"] == [
        '"large.xlsx" is larger than 1 MB; a form is far smaller'
    ]


def test_a_form_within_the_limits_still_loads(tmp_path):
    path: Path = write_xlsform(tmp_path / "voting.xlsx", SURVEY, settings=SETTINGS)

    definition = read_xlsform(path)

    assert [q.name for q in definition.questions()] == ["registered"]
