"""LTO teams, periods and reports for the tests of eom.lto.

`lto_scene` builds on the tests' usual tree (KZ → R1 → D1, KZ → R2 → D2): team LTO-1 (two
observers) deployed in R1, team LTO-2 in R2, week 1 of 13–19 February 2023 due on 20 February at
18:00 in the mission's time zone, with a template of three structured questions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from eom.lto import services
from eom.lto.models import Period, ReportTemplate
from eom.missions.models import Access, TeamKind
from tests.factories import make_deployment, make_person, make_team, make_user

QUESTIONS = [
    {"name": "n_meetings", "type": "integer", "label": "Meetings held this week"},
    {"name": "campaign_visible", "type": "yes_no", "label": "Is the campaign visible?"},
    {"name": "main_concern", "type": "text", "label": "Main concern in one line"},
]


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


def make_template(mission, questions=None) -> ReportTemplate:
    return ReportTemplate.objects.create(mission=mission, name="Weekly LTO report",
                                         questions=QUESTIONS if questions is None else questions)


def make_period(mission, number: int = 1, template=None, **fields) -> Period:
    starts = dt.date(2023, 2, 13) + dt.timedelta(weeks=number - 1)
    fields.setdefault("starts", starts)
    fields.setdefault("ends", starts + dt.timedelta(days=6))
    ends = fields["ends"]
    fields.setdefault("deadline", local(ends.year, ends.month, ends.day, 18) + dt.timedelta(days=1))
    return Period.objects.create(mission=mission, number=number, template=template,
                                          **fields)


def make_lto_team(mission, code: str, region, members, **deployment):
    team = make_team(mission, code, members, kind=TeamKind.LTO, area=region)
    deployment.setdefault("starts", dt.date(2023, 2, 10))
    deployment.setdefault("ends", dt.date(2023, 3, 27))
    make_deployment(team, [region], **deployment)
    return team


def weekly_data(**sections) -> services.ReportData:
    """Report contents: `sections` maps a heading to its text."""
    return services.ReportData(
        answers={"n_meetings": 4, "campaign_visible": "yes"},
        sections=[services.SectionData(heading, text) for heading, text in sections.items()],
    )


@dataclass
class LtoScene:
    mission: object
    tree: dict
    lto: object  # a user in team LTO-1 (R1)
    lto_mate: object
    other_lto: object  # a user in team LTO-2 (R2)
    core: object
    analyst: object
    administrator: object
    coordinator: object  # area R1, in no team
    observer: object  # an STO in no LTO team
    own_team: object
    other_team: object
    period: object
    template: object


def lto_scene(mission, tree) -> LtoScene:
    lto = make_user(mission, Access.OBSERVER, area=tree["R1"], role="lto")
    mate = make_user(mission, Access.OBSERVER, area=tree["R1"], role="lto")
    other = make_user(mission, Access.OBSERVER, area=tree["R2"], role="lto")
    own_team = make_lto_team(mission, "LTO-1", tree["R1"], [lto.person, mate.person])
    other_team = make_lto_team(mission, "LTO-2", tree["R2"], [other.person])
    template = make_template(mission)
    return LtoScene(
        mission=mission, tree=tree, lto=lto, lto_mate=mate, other_lto=other,
        core=make_user(mission, Access.CORE_TEAM, role="head_of_mission"),
        analyst=make_user(mission, Access.ANALYST, role="statistician"),
        administrator=make_user(mission, Access.ADMINISTRATOR, role="operations_officer"),
        coordinator=make_user(mission, Access.COORDINATOR, area=tree["R1"], role="lto"),
        observer=make_person(mission, access=Access.OBSERVER, area=tree["D1"], login=True).user,
        own_team=own_team, other_team=other_team,
        period=make_period(mission, 1, template), template=template,
    )


def write_report(scene: LtoScene, team=None, period=None, *, user=None, submit_at=None,
                 data=None, kind="weekly"):
    """A report of `team` (LTO-1) for `period` (week 1), submitted at `submit_at` if given."""
    team = team or scene.own_team
    user = user or (scene.lto if team == scene.own_team else scene.other_lto)
    data = data or weekly_data(campaign_environment="Rallies of two parties in the centre.")
    report = services.create_report(actor=user, channel="page", team=team,
                                    period=period or scene.period, kind=kind, data=data)
    if submit_at is not None:
        report = services.submit_report(actor=user, channel="page", report=report,
                                        now=submit_at)
    return report
