"""Coding sheets imported all or nothing: a good file creates its items (second codings
marked, audit entries in bulk); a bad row writes nothing and is named with its column."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from eom.media.importer import import_items
from eom.media.models import Item
from eom.missions.models import AuditEntry
from tests.factories import make_table_file

HEADER = ["Outlet", "Date", "Programme", "Seconds", "cm2", "Subject type", "Subject", "Tone",
          "Topic", "Language", "Monitor"]
MAP = {"outlet": "Outlet", "date": "Date", "programme": "Programme", "seconds": "Seconds",
       "subject_kind": "Subject type", "subject": "Subject", "tone": "Tone", "topic": "Topic",
       "language": "Language", "coder": "Monitor"}
GOOD = [
    ["Khabar", "2023-02-21", "News", "120", "", "party", "AMANAT", "positive", "economy", "kk",
     "M1"],
    ["Khabar", "21.02.2023", "News", "110", "", "party", "amanat", "positive", "Economy", "",
     "M2"],
    ["Vremya", "2023-02-22", "Page 2", "", "300", "official", "Akim of Almaty", "neutral", "",
     "ru", "M1"],
]


def test_a_good_sheet_creates_its_items(media, tmp_path, core_member):
    path = make_table_file(tmp_path / "sheet.csv", HEADER, GOOD)
    report = import_items(media.mission, path, actor=core_member, mapping=MAP)
    assert report.ok, report.lines()
    assert report.n_created == 3
    items = Item.objects.order_by("pk")
    assert [(i.coder, i.second_coding) for i in items] == [("M1", False), ("M2", True),
                                                            ("M1", False)]
    assert items[1].language == "kk"  # the outlet's, when the sheet says none
    assert items[2].cm2 == 300 and items[2].seconds is None
    entries = AuditEntry.objects.filter(model="media.item", channel="import")
    assert entries.count() == 3


def test_a_bad_row_writes_nothing_and_names_row_column_and_reason(media, tmp_path, core_member):
    rows = [*GOOD, ["Khabar", "2023-02-23", "News", "", "40", "party", "NOPE", "glowing", "",
                    "", "M1"]]
    path = make_table_file(tmp_path / "sheet.csv", HEADER, rows)
    report = import_items(media.mission, path, actor=core_member, mapping=MAP)
    assert not report.ok
    assert not Item.objects.exists()
    assert not AuditEntry.objects.filter(model="media.item").exists()
    lines = [str(e) for e in report.errors]
    assert "row 5, column seconds (Seconds): is required for television and radio" in lines
    assert "row 5, column cm2: is for print and online outlets only" in lines
    assert any(line.startswith("row 5, column subject (Subject): no party") for line in lines)
    assert "row 5, column tone (Tone): must be positive, neutral or negative" in lines


def test_a_monitor_codes_a_unit_once(media, tmp_path, core_member):
    path = make_table_file(tmp_path / "sheet.csv", HEADER, [GOOD[0], GOOD[0]])
    report = import_items(media.mission, path, actor=core_member, mapping=MAP)
    assert [str(e) for e in report.errors] == [
        "row 3, column coder (Monitor): has coded this unit already"]


def test_a_missing_column_is_named(media, tmp_path, core_member):
    path = make_table_file(tmp_path / "sheet.csv", ["outlet", "date"], [["Khabar", "x"]])
    report = import_items(media.mission, path, actor=core_member)
    assert {e.column for e in report.errors} == {"programme", "subject_kind", "tone", "coder"}


def test_an_analyst_cannot_import(media, tmp_path, analyst):
    path = make_table_file(tmp_path / "sheet.csv", HEADER, GOOD)
    with pytest.raises(PermissionDenied):
        import_items(media.mission, path, actor=analyst, mapping=MAP)


def test_eom_media_import_reads_a_sheet_with_a_column_mapping(media, tmp_path):
    path = make_table_file(tmp_path / "sheet.csv", HEADER, GOOD)
    out = io.StringIO()
    call_command("media", "import", str(path), "--map",
                 ",".join(f"{ours}={theirs}" for ours, theirs in MAP.items()), stdout=out)
    assert "created" in out.getvalue()
    assert Item.objects.count() == 3
    assert AuditEntry.objects.filter(model="media.item", channel="command").count() == 3


def test_eom_media_import_fails_naming_the_bad_row(media, tmp_path):
    rows = [["Nowhere TV", "2023-02-21", "News", "10", "", "other", "Voters", "neutral", "",
             "", "M1"]]
    path = make_table_file(tmp_path / "sheet.csv", HEADER, rows)
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 error; nothing was written"):
        call_command("media", "import", str(path), "--map",
                     ",".join(f"{o}={t}" for o, t in MAP.items()), stderr=err)
    assert "row 2, column outlet (Outlet): no outlet" in err.getvalue()
    assert not Item.objects.exists()
