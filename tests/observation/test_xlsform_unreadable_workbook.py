"""A form workbook that cannot be opened is refused naming the file, never a server error:
a part packed by a compression method zipfile does not know (NotImplementedError), and an
old-format (.xls) file whose compound document is broken (xlrd's errors)."""

from __future__ import annotations

import pytest

from eom.xlsform.reader import _OLE2, XLSFormError, read_xlsform
from tests.test_tables_unknown_compression import workbook_with_unknown_method


@pytest.mark.parametrize("member", ["xl/workbook.xml", "xl/worksheets/sheet1.xml"])
def test_a_form_workbook_with_an_unknown_compression_method_is_refused_naming_it(
        tmp_path, member):
    path = workbook_with_unknown_method(tmp_path / "voting.xlsx", member)
    with pytest.raises(XLSFormError) as refused:
        read_xlsform(path.read_bytes(), filename="voting.xlsx")
    [problem] = refused.value.problems
    assert "voting.xlsx" in str(problem.message)
    assert "compression method is not supported" in str(problem.message)


def test_a_broken_xls_workbook_is_refused_naming_it():
    data = _OLE2 + b"\x00" * 504 + b"not a compound document" * 20
    with pytest.raises(XLSFormError) as refused:
        read_xlsform(data, filename="voting.xls")
    [problem] = refused.value.problems
    assert '"voting.xls" is not an Excel workbook' in str(problem.message)
