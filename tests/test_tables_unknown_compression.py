"""An uploaded workbook with a part packed by a compression method zipfile does not know (it
raises NotImplementedError) is refused as unreadable, naming the file, never a server error;
nothing is written. `eom.tables._read_xlsx` catches it where the workbook is opened."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest

from eom.complaints.models import Case
from eom.missions.models import AuditEntry
from eom.tables import TableError, read_table
from tests.complaints.factories import make_rules, make_subject

UNKNOWN_METHOD = 99  # no method zipfile knows (WinZip's AES marker)


def workbook_with_unknown_method(path: Path, member: str) -> Path:
    """A good workbook whose `member` claims an unknown compression method, in its local
    header and in the central directory (where zipfile reads it)."""
    book = openpyxl.Workbook()
    book.active.append(["reference", "filer_name"])
    book.active.append(["A-1", "Party A"])
    buffer = io.BytesIO()
    book.save(buffer)
    data = bytearray(buffer.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        struct.pack_into("<H", data, archive.getinfo(member).header_offset + 8, UNKNOWN_METHOD)
    position = data.find(b"PK\x01\x02")
    while position >= 0:
        length = struct.unpack_from("<H", data, position + 28)[0]
        if data[position + 46:position + 46 + length].decode() == member:
            struct.pack_into("<H", data, position + 10, UNKNOWN_METHOD)
        position = data.find(b"PK\x01\x02", position + 46)
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as archive:  # the file is what the test says it is
        with pytest.raises(NotImplementedError):
            archive.read(member)
    return path


@pytest.mark.parametrize("member", ["xl/workbook.xml", "xl/worksheets/sheet1.xml",
                                    "[Content_Types].xml"])
def test_a_part_packed_by_an_unknown_method_is_refused_naming_the_file(tmp_path, member):
    path = workbook_with_unknown_method(tmp_path / "cec.xlsx", member)
    with pytest.raises(TableError) as refused:
        read_table(path)
    assert str(refused.value) == ("cec.xlsx is not a readable Excel workbook (XLSX): That "
                                  "compression method is not supported.")


def test_the_import_page_answers_the_refusal_and_writes_nothing(
        client, mission, tree, core_member, tmp_path):
    make_rules(mission)
    make_subject(mission)
    path = workbook_with_unknown_method(tmp_path / "cec.xlsx", "xl/worksheets/sheet1.xml")
    client.force_login(core_member)
    with path.open("rb") as handle:
        answer = client.post("/complaints/import/", {"file": handle, "mapping": ""})
    assert answer.status_code == 200
    assert "cec.xlsx is not a readable Excel workbook (XLSX)" in answer.content.decode()
    assert not Case.objects.exists()
    assert not AuditEntry.objects.filter(model="complaints.case").exists()
