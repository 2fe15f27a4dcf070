"""Import of the commission's published list: a column mapping, labels in Russian, appeals by
reference, one transaction; a bad row names its row, column and reason and nothing is written."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from eom.complaints.importers import import_cases
from eom.complaints.models import Case
from eom.missions.models import AuditEntry
from tests.complaints.factories import make_rules, make_subject
from tests.factories import make_table_file

HEADER = ["Номер", "Заявитель", "Тип заявителя", "Орган", "Уровень", "Место", "Тема",
          "Подана", "Решено", "Решение", "Обжалует"]
MAPPING = {"reference": "Номер", "filer_name": "Заявитель", "filer_kind": "Тип заявителя",
           "body_kind": "Орган", "body_level": "Уровень", "body_location": "Место",
           "subject": "Тема", "filed": "Подана", "decided": "Решено", "decision": "Решение",
           "appeal_of": "Обжалует"}
GOOD = [
    ["A-1", "Party A", "party", "commission", "district", "D1", "campaign", "01.03.2023",
     "03.03.2023", "отклонено", ""],
    ["A-2", "Party A", "кандидат", "суд", "district", "D1", "Campaign", "2023-03-06", "", "", "A-1"],
]


@pytest.fixture
def ready(mission, tree):
    make_rules(mission)
    make_subject(mission)


def test_a_good_file_is_imported_whole(mission, ready, core_member, tmp_path):
    path = make_table_file(tmp_path / "cec.xlsx", HEADER, GOOD)
    report = import_cases(mission, path, actor=core_member, mapping=MAPPING)
    assert report.ok and report.n_created == 2, report.lines()
    first, appeal = Case.objects.get(reference="A-1"), Case.objects.get(reference="A-2")
    assert (first.decision, str(first.deadline), first.body_location.code) == (
        "rejected", "2023-03-06", "D1")
    assert (appeal.filer_kind, appeal.body_kind, appeal.appeal_of) == ("candidate", "court", first)
    assert AuditEntry.objects.filter(model="complaints.case", channel="import").count() == 2
    again = import_cases(mission, path, actor=core_member, mapping=MAPPING)
    assert (again.n_created, again.n_updated, again.n_unchanged) == (0, 0, 2)


def test_a_bad_row_names_row_column_and_reason_and_nothing_is_written(
        mission, ready, core_member, tmp_path):
    bad = [GOOD[0], ["A-3", "Voter", "voter", "commission", "district", "D9", "weather",
                     "2023-03-05", "", "", ""],
           ["A-4", "Voter", "voter", "commission", "district", "D1", "", "2023-03-05",
            "2023-03-01", "upheld", ""]]
    path = make_table_file(tmp_path / "cec.csv", HEADER, bad)
    report = import_cases(mission, path, actor=core_member, mapping=MAPPING)
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [
        (3, "body_location"), (3, "subject"), (4, "decided")]
    assert "D9" in report.errors[0].reason
    assert not Case.objects.exists()
    assert not AuditEntry.objects.filter(model="complaints.case").exists()


def test_a_missing_column_is_named(mission, ready, core_member, tmp_path):
    path = make_table_file(tmp_path / "cec.csv", ["filer_name"], [["X"]])
    report = import_cases(mission, path, actor=core_member)
    assert {e.column for e in report.errors} == {"filer_kind", "body_kind", "body_level", "filed"}


def test_readers_may_not_import(mission, ready, analyst, tmp_path):
    path = make_table_file(tmp_path / "cec.csv", HEADER, GOOD)
    with pytest.raises(PermissionDenied):
        import_cases(mission, path, actor=analyst, mapping=MAPPING)


def test_the_command_imports_with_a_map(mission, ready, tmp_path, capsys):
    path = make_table_file(tmp_path / "cec.csv", HEADER, GOOD)
    mapping = ",".join(f"{ours}={theirs}" for ours, theirs in MAPPING.items())
    call_command("complaints", "import", str(path), "--map", mapping)
    assert Case.objects.count() == 2
    bad = make_table_file(tmp_path / "bad.csv", HEADER, [[*GOOD[1][:7], "yesterday", "", "",
                                                          "A-1"]])
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("complaints", "import", str(bad), "--map", mapping)
