"""The demo mission's LTO reports: five weeks from 16 teams, some late, one missing, one flash
report, all synthetic; `eom summary` counts them."""

import io
import json

from django.core.management import call_command

from eom.demo import kz2023
from eom.lto import services
from eom.lto.models import ConfidentialPassage, Period, Report, ReportStatus
from eom.missions.models import AuditEntry


def test_the_demo_holds_five_weeks_of_synthetic_lto_reports(db):
    kz2023.load()
    assert list(Period.objects.values_list("number", flat=True)) == [1, 2, 3, 4, 5]
    reports = Report.objects.all()
    # 16 teams x 5 weeks, less the missing one, plus one flash report.
    assert reports.count() == 80
    assert not reports.filter(synthetic=False).exists()
    assert reports.filter(kind="flash").count() == 1
    assert reports.filter(status=ReportStatus.DRAFT).get().team.code == "LTO-01"
    assert reports.filter(status=ReportStatus.FOLLOW_UP).get().team.code == "LTO-03"
    week_5 = Period.objects.get(number=5)
    states = {row.team.code: row.state for row in services.board(week_5)}
    assert (states["LTO-16"], states["LTO-01"]) == ("missing", "missing")
    late = [r for r in reports.filter(kind="weekly").select_related("period") if r.lateness]
    assert 0 < len(late) < 20
    assert ConfidentialPassage.objects.count() == 3
    assert AuditEntry.objects.filter(model="lto.confidentialpassage", confidential=True).count() == 3
    assert AuditEntry.objects.filter(model="lto.report", channel="demo").count() == 80
    out = io.StringIO()
    call_command("summary", format="json", stdout=out)
    assert json.loads(out.getvalue())["lto_reports"] == 80
