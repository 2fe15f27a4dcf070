"""A confidential passage is read by the core team and by the team that wrote it: not by
another region's team, nor by analysts, coordinators or administrators; sealed in the database
and the audit trail (whose entries are the core team's alone)."""

from django.db import connection

from eom.lto import services
from eom.lto.models import ConfidentialPassage
from eom.lto.permissions import can_read_passages, reports_visible_to
from eom.missions.models import AuditEntry
from eom.missions.permissions import audit_entries_visible_to
from tests.lto.factories import local, write_report

SECRET = "SECRET-PASSAGE the akim's deputy spoke of pressure on teachers"


def _report(scene):
    data = services.ReportData(
        sections=[services.SectionData("campaign_environment", "Open text on the campaign.")],
        passages={"campaign_environment": SECRET})
    return write_report(scene, submit_at=local(2023, 2, 20), data=data)


def _rolled_up(scene, who, **filters):
    user = getattr(scene, who)
    found = services.rollup(reports_visible_to(user, scene.mission), reader=user,
                            mission=scene.mission, heading="campaign_environment", **filters)
    return [(p.text, p.confidential) for p in found]


def test_the_core_team_and_the_writing_team_roll_up_confidential_passages(scene):
    _report(scene)
    for who in ("core", "lto", "lto_mate"):
        assert _rolled_up(scene, who) == [("Open text on the campaign.", False),
                                          (SECRET, True)], who
    for who in ("analyst", "administrator", "coordinator"):
        assert _rolled_up(scene, who) == [("Open text on the campaign.", False)], who
    assert _rolled_up(scene, "other_lto") == []  # another region's team: not even the report


def test_who_reads_a_reports_passages(scene):
    report = _report(scene)
    readers = {who for who in ("core", "lto", "lto_mate", "other_lto", "analyst",
                               "administrator", "coordinator", "observer")
               if can_read_passages(getattr(scene, who), report)}
    assert readers == {"core", "lto", "lto_mate"}


def test_the_core_team_finds_a_confidential_passage_by_its_words(scene):
    _report(scene)
    assert _rolled_up(scene, "core", text="TEACHERS") == [(SECRET, True)]
    assert _rolled_up(scene, "analyst", text="teachers") == []


def test_the_passage_is_sealed_in_the_database(scene):
    _report(scene)
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM lto_confidentialpassage")
        (stored,), = cursor.fetchall()
    assert "teachers" not in stored
    assert ConfidentialPassage.objects.get().text == SECRET


def test_its_audit_entries_are_sealed_and_for_the_core_team_only(scene):
    report = _report(scene)
    passage = report.passages.get()
    entry = AuditEntry.objects.get(model="lto.confidentialpassage")
    assert entry.confidential
    assert entry.object_repr == f"confidential passage {passage.pk}"
    assert "teachers" not in str(AuditEntry.objects.filter(pk=entry.pk).values_list(
        "changes", flat=True)[0])
    assert entry.plain_changes["text"] == [None, SECRET]
    report_entries = AuditEntry.objects.filter(model="lto.report")
    assert all("teachers" not in str(e.changes) for e in report_entries)
    assert audit_entries_visible_to(scene.core, scene.mission).filter(pk=entry.pk).exists()
    assert not audit_entries_visible_to(scene.administrator, scene.mission).filter(
        pk=entry.pk).exists()


def test_the_team_replaces_or_removes_its_passage(scene):
    report = write_report(scene, data=services.ReportData(passages={"security": SECRET}))
    services.update_report(actor=scene.lto, channel="page", report=report,
                           data=services.ReportData(passages={}))
    assert report.passages.get().text == SECRET  # a heading left out keeps its passage
    services.update_report(actor=scene.lto, channel="page", report=report,
                           data=services.ReportData(passages={"security": "Replaced."}))
    assert report.passages.get().text == "Replaced."
    services.update_report(actor=scene.lto, channel="page", report=report,
                           data=services.ReportData(passages={"security": ""}))
    assert not report.passages.exists()
    actions = list(AuditEntry.objects.filter(model="lto.confidentialpassage")
                   .order_by("pk").values_list("action", flat=True))
    assert actions == ["create", "update", "delete"]
