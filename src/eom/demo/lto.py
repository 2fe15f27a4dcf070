"""Synthetic long-term observers' reports for the demo mission (every one marked synthetic):
five weekly reporting periods from 13 February to 17 March 2023, a report from each of the 16
LTO teams for each week (some submitted late, one missing, one sent back for follow-up, LTO-01's
last one still a draft for the demo's LTO login to finish), a few confidential passages and one
flash report. Written in bulk, with their audit entries (channel demo), so that `make demo` stays
quick; deterministic (fixed seed).
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from eom.lto.models import (
    ConfidentialPassage,
    Heading,
    Period,
    Report,
    ReportKind,
    ReportStatus,
    ReportTemplate,
    ReviewNote,
    Section,
)
from eom.missions import audit
from eom.missions.models import Channel, Mission, Team, TeamKind

SEED = 20230207
QUESTIONS = [
    {"name": "n_meetings", "type": "integer", "label": "Meetings held this week",
     "label_ru": "Встреч проведено за неделю", "label_kk": "Аптада өткізілген кездесулер"},
    {"name": "n_campaign_events", "type": "integer", "label": "Campaign events observed",
     "label_ru": "Наблюдалось предвыборных мероприятий",
     "label_kk": "Бақыланған науқан іс-шаралары"},
    {"name": "campaign_visible", "type": "yes_no", "label": "Is the campaign visible?",
     "label_ru": "Заметна ли кампания?", "label_kk": "Науқан байқала ма?"},
    {"name": "main_concern", "type": "text", "label": "Main concern, in one line",
     "label_ru": "Главная озабоченность, одной строкой",
     "label_kk": "Басты алаңдаушылық, бір жолмен"},
]
# (number, first day, last day, deadline day): deadlines at 18:00 in the mission's time zone.
WEEKS = [
    (1, dt.date(2023, 2, 13), dt.date(2023, 2, 19), dt.date(2023, 2, 20)),
    (2, dt.date(2023, 2, 20), dt.date(2023, 2, 26), dt.date(2023, 2, 27)),
    (3, dt.date(2023, 2, 27), dt.date(2023, 3, 5), dt.date(2023, 3, 6)),
    (4, dt.date(2023, 3, 6), dt.date(2023, 3, 12), dt.date(2023, 3, 13)),
    (5, dt.date(2023, 3, 13), dt.date(2023, 3, 17), dt.date(2023, 3, 17)),
]
SYNTHETIC = "[Synthetic demo text] "
# Sentences per heading; each report takes two, with the region's name where {region} stands.
TEXTS = {
    Heading.ELECTION_ADMINISTRATION: [
        "The regional election commission in {region} met twice; its sessions were open.",
        "District commissions in {region} received their ballot papers on schedule.",
        "Training of precinct commission members in {region} was attended by about 80 per cent.",
        "The commission in {region} published its decisions on its website within a day.",
    ],
    Heading.CANDIDATE_REGISTRATION: [
        "All nominated single-member candidates in {region} were registered.",
        "One self-nominated candidate in {region} was refused registration over signatures.",
        "Candidates in {region} said the registration procedure was clear.",
    ],
    Heading.CAMPAIGN_ENVIRONMENT: [
        "The campaign in {region} was calm and low-key; few posters outside the centre.",
        "Amanat held the largest rallies in {region}; other parties met voters indoors.",
        "Interlocutors in {region} reported pressure on public employees to attend events.",
        "Door-to-door canvassing by Respublica and Ak Zhol was observed in {region}.",
    ],
    Heading.MEDIA: [
        "Regional TV in {region} covered mostly the activities of officials.",
        "Paid advertising in the {region} press was dominated by one party.",
        "Online outlets in {region} gave space to several candidates' debates.",
    ],
    Heading.COMPLAINTS: [
        "No complaints were lodged with the commission in {region} this week.",
        "Two complaints on campaign materials were filed in {region}; one was upheld.",
    ],
    Heading.OBSERVERS: [
        "Citizen observer groups in {region} were accredited without difficulty.",
        "Party observers in {region} were trained by two parties only.",
    ],
    Heading.SECURITY: [
        "The security situation in {region} was calm.",
        "Police presence at campaign events in {region} was discreet.",
    ],
    Heading.OTHER: [
        "The team travelled to three districts of {region}.",
        "Winter roads limited the team's travel in the north of {region}.",
    ],
}
TAGS = {
    Heading.CAMPAIGN_ENVIRONMENT: ["rallies", "administrative resources", "women"],
    Heading.MEDIA: ["television", "online"],
    Heading.COMPLAINTS: ["complaints"],
}
CONCERNS = ["Pressure on public employees", "Low campaign visibility", "Uneven media coverage",
            ""]


def _local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def load_lto_reports(mission: Mission, core_user) -> dict[str, int]:
    """Periods, template and reports for the demo mission; returns how many of each."""
    rng = random.Random(SEED)
    entries: list[tuple[str, object, dict]] = []
    template = ReportTemplate.objects.create(mission=mission, name="Weekly LTO report",
                                             questions=QUESTIONS)
    periods = Period.objects.bulk_create(
        Period(mission=mission, number=n, starts=starts, ends=ends,
                        deadline=_local(due, 18), template=template)
        for n, starts, ends, due in WEEKS)
    entries += [("create", template, {"name": [None, template.name]})]
    entries += [("create", p, {"number": [None, p.number]}) for p in periods]
    teams = list(Team.objects.filter(mission=mission, kind=TeamKind.LTO)
                 .select_related("area").prefetch_related("memberships__person")
                 .order_by("code"))
    leaders = {m.team_id: m.person.user_id for t in teams for m in t.memberships.all()
               if m.is_leader}
    reports, contents = [], []
    for period in periods:
        for number, team in enumerate(teams, start=1):
            if (period.number, team.code) == (5, "LTO-16"):
                continue  # missing: the board shows it overdue
            roll = rng.random()
            late = roll < 0.15 and period.number < 5
            submitted = period.deadline + (dt.timedelta(hours=rng.randint(2, 40)) if late
                                           else -dt.timedelta(hours=rng.randint(1, 20),
                                                              minutes=5 * number))
            draft = (period.number, team.code) == (5, "LTO-01")
            status = (ReportStatus.DRAFT if draft else ReportStatus.ACCEPTED
                      if period.number <= 3 else ReportStatus.SUBMITTED)
            if (period.number, team.code) == (4, "LTO-03"):
                status = ReportStatus.FOLLOW_UP
            answers = {"n_meetings": rng.randint(2, 9), "n_campaign_events": rng.randint(0, 6),
                       "campaign_visible": "yes" if rng.random() < 0.6 else "no"}
            concern = rng.choice(CONCERNS)
            if concern:
                answers["main_concern"] = concern
            reports.append(Report(
                mission=mission, kind=ReportKind.WEEKLY, period=period, team=team,
                region=team.area, status=status, answers=answers, synthetic=True,
                submitted_at=None if draft else submitted,
                first_submitted_at=None if draft else submitted,
                reviewed_at=submitted + dt.timedelta(days=1) if status in {
                    ReportStatus.ACCEPTED, ReportStatus.FOLLOW_UP} else None,
                created_by_id=leaders.get(team.pk)))
            contents.append(_sections(rng, team.area.name_en))
    flash_team = teams[4]
    reports.append(Report(
        mission=mission, kind=ReportKind.FLASH, period=periods[2], team=flash_team,
        region=flash_team.area, status=ReportStatus.SUBMITTED, synthetic=True,
        title="Campaign office of a candidate vandalised",
        submitted_at=_local(dt.date(2023, 3, 2), 7, 40),
        first_submitted_at=_local(dt.date(2023, 3, 2), 7, 40),
        created_by_id=leaders.get(flash_team.pk)))
    contents.append([(Heading.SECURITY, SYNTHETIC + (
        f"Overnight, the windows of a single-member candidate's office in "
        f"{flash_team.area.name_en} were broken and campaign posters torn down. The police "
        "opened a case; the candidate links it to his campaign. The team will meet the "
        "candidate and the police today."), "vandalism")])
    reports = Report.objects.bulk_create(reports)
    sections = [Section(report=report, heading=heading, text=text,
                        tags=f",{tags}," if tags else "",
                        search_text="\n".join([text, *tags.split(",")]).lower())
                for report, items in zip(reports, contents, strict=True)
                for heading, text, tags in items]
    Section.objects.bulk_create(sections, batch_size=500)
    passages = _passages(reports)
    notes = _notes(reports, core_user)
    by_report: dict[int, dict] = {}
    for section in sections:
        by_report.setdefault(section.report_id, {})[f"section:{section.heading}"] = [
            None, section.text]
    entries += [("create", r, {"status": [None, r.status], "team": [None, r.team.code],
                               "period": [None, r.period.number], **by_report.get(r.pk, {})})
                for r in reports]
    entries += [("create", p, {"heading": [None, p.heading], "text": [None, p.text]})
                for p in passages]
    entries += [("create", n, {"kind": [None, n.kind], "text": [None, n.text]}) for n in notes]
    audit.record_many(actor=None, channel=Channel.DEMO, entries=entries, mission=mission)
    return {"lto_reports": len(reports), "lto_sections": len(sections)}


def _sections(rng: random.Random, region: str) -> list[tuple[str, str, str]]:
    items = []
    for heading, sentences in TEXTS.items():
        chosen = rng.sample(sentences, k=min(2, len(sentences)))
        tags = [tag for tag in TAGS.get(heading, []) if rng.random() < 0.4]
        items.append((heading, SYNTHETIC + " ".join(s.format(region=region) for s in chosen),
                      ",".join(tags)))
    return items


def _passages(reports: list[Report]) -> list[ConfidentialPassage]:
    """Three confidential passages, weeks 2 to 4 of LTO-01, LTO-02 and LTO-06."""
    chosen = {(2, "LTO-01"), (3, "LTO-02"), (4, "LTO-06")}
    passages = [
        ConfidentialPassage(
            report=report, heading=Heading.CAMPAIGN_ENVIRONMENT,
            text=SYNTHETIC + "A school director, who asked not to be named, said teachers were "
            "told to attend the ruling party's rally and to report who else came.")
        for report in reports
        if report.kind == ReportKind.WEEKLY and (report.period.number, report.team.code) in chosen
    ]
    return ConfidentialPassage.objects.bulk_create(passages)


def _notes(reports: list[Report], core_user) -> list[ReviewNote]:
    notes = []
    for report in reports:
        if report.status == ReportStatus.ACCEPTED:
            notes.append(ReviewNote(report=report, kind=ReviewNote.Kind.ACCEPTED,
                                    author=core_user, at=report.reviewed_at))
        elif report.status == ReportStatus.FOLLOW_UP:
            notes.append(ReviewNote(
                report=report, kind=ReviewNote.Kind.FOLLOW_UP, author=core_user,
                at=report.reviewed_at, text=SYNTHETIC + "Please name the districts where "
                "public employees were told to attend rallies, and how many people told you so."))
    return ReviewNote.objects.bulk_create(notes)
