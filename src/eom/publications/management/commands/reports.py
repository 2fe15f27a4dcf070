"""`eom reports list|build|publish|verify`: the mission's reports from the command line.

`verify NAME` recomputes every frozen figure of a published report and exits 0 when all are the
same, 1 when one changed (each listed with what changed and the records changed since
publication, from the audit trail)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from eom.missions.commands import command_mission
from eom.missions.models import Channel
from eom.publications import render, services
from eom.publications.models import LANGUAGES, Report


class Command(BaseCommand):
    help = "Reports: list them, build one as DOCX, PDF or HTML, publish one, verify its figures."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="the mission's reports")
        listing.add_argument("--format", choices=["text", "json"], default="text")
        build = sub.add_parser("build", help="write a report as DOCX, PDF or HTML")
        build.add_argument("name")
        build.add_argument("--lang", choices=LANGUAGES, default="en")
        build.add_argument("--format", choices=sorted(render.FORMATS), default="pdf")
        build.add_argument("--out", required=True)
        publish = sub.add_parser("publish", help="freeze the figures and publish the report")
        publish.add_argument("name")
        verify = sub.add_parser("verify", help="recompute the frozen figures (exit 1 on change)")
        verify.add_argument("name")
        for parser_ in (listing, build, publish, verify):
            parser_.add_argument("--mission", help="mission code (default: the current mission)")

    def _report(self, mission, name: str) -> Report:
        report = Report.objects.filter(mission=mission, name=name).first()
        if report is None:
            raise CommandError(f"No report named {name!r} in mission {mission.code}.")
        return report

    def handle(self, *args, action, mission, **options):
        target = command_mission(mission)
        if action == "list":
            return self.list(target, options["format"])
        report = self._report(target, options["name"])
        if action == "build":
            data = render.build(report, options["lang"], options["format"])
            Path(options["out"]).write_bytes(data)
            self.stdout.write(f"Wrote {options['out']} ({len(data):,} bytes).")
        elif action == "publish":
            try:
                services.publish(actor=None, channel=Channel.COMMAND, report=report)
            except services.ReportRejected as refused:
                raise CommandError(str(refused)) from refused
            self.stdout.write(f"Published {report.name}: {report.figures.count()} figures "
                              "frozen.")
        else:
            self.verify(report)

    def list(self, mission, fmt: str) -> None:
        reports = Report.objects.filter(mission=mission).order_by("name")
        rows = [{"name": r.name, "kind": r.kind, "title": r.title, "state": r.state,
                 "published_at": r.published_at.isoformat() if r.published_at else None,
                 "sections": r.sections.count(), "figures": len(services.figure_keys(r))}
                for r in reports]
        if fmt == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
            return
        for row in rows:
            self.stdout.write(f"{row['name']:<28} {row['kind']:<12} {row['state']:<10} "
                              f"{row['figures']:>3} figures  {row['title']}")

    def verify(self, report: Report) -> None:
        if not report.published:
            raise CommandError(f"{report.name} is a draft: only a published report has frozen "
                               "figures.")
        checks = services.verify(report)
        changed = [check for check in checks if not check.same]
        for check in checks:
            if check.same:
                note = "" if check.inputs_same else " (value the same; its input rows changed)"
                self.stdout.write(f"same     {check.key}{note}")
                continue
            self.stdout.write(f"CHANGED  {check.key}")
            if check.error:
                self.stdout.write(f"    cannot be computed now: {check.error}")
            for line in check.differences:
                self.stdout.write(f"    {line}")
            for record in check.records:
                self.stdout.write(f"    {record.action} {record.model} {record.object_id} "
                                  f"({record.name}) at {record.at:%Y-%m-%d %H:%M:%S} by "
                                  f"{record.who}")
        self.stdout.write(f"{len(checks) - len(changed)} of {len(checks)} figures the same as "
                          "published.")
        if changed:
            sys.exit(1)
