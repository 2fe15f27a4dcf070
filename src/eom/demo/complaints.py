"""Synthetic complaints and appeals for the demo mission (every case marked synthetic): about 50
cases before commissions and courts from 6 February to 31 March 2023, some decided late, some
appealed, with the mission's subjects, deadline rules and holidays. Written in bulk with their
audit entries (channel demo), deterministic (fixed seed).

The deadline rules name their source. Verified: the Constitutional Law on Elections, art. 48(3)
(ACE Project's English translation), has law-enforcement bodies decide on a commission's request
within three days, immediately when it comes less than five days before election day or on it.
The days the law gives commissions and courts to decide a complaint could not be verified in a
text at hand: the figures below are marked as the mission's assumption (`assumption=True`).
"""

from __future__ import annotations

import datetime as dt
import random

from eom.complaints import services
from eom.complaints.models import Case, DeadlineRule, Decision, Holiday, Subject
from eom.missions import audit
from eom.missions.models import Channel, Location, LocationLevel, Mission

SEED = 20230319
ELECTION_DAY = dt.date(2023, 3, 19)
# The mission's categories, in English, Russian and Kazakh (ours).
SUBJECTS = [
    ("registration", "Candidate registration", "Регистрация кандидатов", "Кандидаттарды тіркеу"),
    ("campaign", "Campaign", "Предвыборная агитация", "Сайлауалды үгіт"),
    ("media", "Media", "СМИ", "БАҚ"),
    ("voter_lists", "Voter lists", "Списки избирателей", "Сайлаушылар тізімдері"),
    ("election_day", "Election day", "День голосования", "Дауыс беру күні"),
    ("results", "Results", "Итоги голосования", "Дауыс беру қорытындылары"),
]
HOLIDAYS = [(dt.date(2023, 3, 8), "International Women's Day"),
            (dt.date(2023, 3, 21), "Nauryz"), (dt.date(2023, 3, 22), "Nauryz"),
            (dt.date(2023, 3, 23), "Nauryz")]
LAW = "Constitutional Law on Elections"
RULES = [
    dict(body_kind="commission", days=5, counting="calendar", assumption=True,
         source=f"{LAW}, art. 20 (mission's assumption: five calendar days, not verified)"),
    dict(body_kind="commission", days=0, counting="calendar", moves_off_weekends=False,
         period_starts=ELECTION_DAY - dt.timedelta(days=5), period_ends=ELECTION_DAY,
         assumption=True,
         source=f"{LAW}, art. 48(3) sets 'immediately' in the last five days for law-"
                "enforcement checks; applied to commissions as the mission's assumption"),
    dict(body_kind="court", days=5, counting="working", assumption=True,
         source=f"{LAW}, art. 20 (mission's assumption: five working days, not verified)"),
]
FILERS = [("party", "Party {}"), ("candidate", "Candidate {}"), ("voter", "Voter {}"),
          ("observer", "Citizen observer group {}"), ("other", "Public association {}")]
OUTCOMES = [Decision.REJECTED] * 5 + [Decision.NOT_CONSIDERED] * 3 + [
    Decision.PARTLY_UPHELD, Decision.UPHELD, Decision.UPHELD, Decision.WITHDRAWN]


def load_complaints(mission: Mission, actor) -> int:
    """The demo's register; returns how many cases."""
    rng = random.Random(SEED)
    subjects = Subject.objects.bulk_create(
        [Subject(mission=mission, code=code, name=name, name_ru=name_ru, name_kk=name_kk)
         for code, name, name_ru, name_kk in SUBJECTS])
    Holiday.objects.bulk_create([Holiday(mission=mission, date=d, name=n) for d, n in HOLIDAYS])
    rules = DeadlineRule.objects.bulk_create([DeadlineRule(mission=mission, **r) for r in RULES])
    holidays = {d for d, _n in HOLIDAYS}
    regions = list(Location.objects.filter(mission=mission, level=LocationLevel.REGION))
    districts = list(Location.objects.filter(mission=mission, level=LocationLevel.DISTRICT)[:60])
    cases: list[Case] = []
    for number in range(1, 41):
        filed = dt.date(2023, 2, 6) + dt.timedelta(days=rng.randrange(0, 54))
        level = rng.choice(["central", "regional", "regional", "district", "district",
                            "precinct"])
        location = None if level == "central" else rng.choice(
            regions if level == "regional" else districts or regions)
        kind, name = rng.choice(FILERS)
        subject = subjects[3 if filed < dt.date(2023, 2, 20) and rng.random() < .4 else
                           4 if filed >= ELECTION_DAY else rng.randrange(0, 4)]
        case = Case(mission=mission, reference=f"DEMO-{number:03d}", filer_kind=kind,
                    filer_name=name.format(rng.randint(1, 7)), body_kind="commission",
                    body_level=level, body_location=location, subject=subject, filed=filed,
                    against=rng.choice(["District election commission", "Akimat",
                                        "Precinct commission", "Another candidate"]),
                    legal_basis=f"{LAW}, art. 20", synthetic=True, created_by=actor,
                    summary="Synthetic case for the demo.")
        cases.append(case)
    for case in cases:
        case.deadline = services.deadline_for(mission, case.body_kind, case.body_level,
                                              case.filed, holidays)
        _decide(rng, case)
    Case.objects.bulk_create(cases)
    appeals = []
    for number, appealed in enumerate([c for c in cases if c.decision in (
            Decision.REJECTED, Decision.NOT_CONSIDERED)][:10], start=41):
        appeal = Case(mission=mission, reference=f"DEMO-{number:03d}",
                      filer_kind=appealed.filer_kind, filer_name=appealed.filer_name,
                      body_kind="court", body_level="district" if appealed.body_level in (
                          "district", "precinct") else "regional",
                      body_location=appealed.body_location, subject=appealed.subject,
                      filed=appealed.decided + dt.timedelta(days=rng.randint(1, 4)),
                      against=f"Decision on {appealed.reference}", appeal_of=appealed,
                      legal_basis=f"{LAW}, art. 20", synthetic=True, created_by=actor,
                      summary="Synthetic appeal for the demo.")
        appeal.deadline = services.deadline_for(mission, "court", appeal.body_level,
                                                appeal.filed, holidays)
        _decide(rng, appeal)
        appeals.append(appeal)
    Case.objects.bulk_create(appeals)
    written = [*subjects, *rules, *cases, *appeals]
    audit.record_many(actor=None, channel=Channel.DEMO, mission=mission, entries=[
        ("create", obj, audit.diff({}, audit.snapshot(obj))) for obj in written])
    return len(cases) + len(appeals)


def _decide(rng: random.Random, case: Case) -> None:
    """Most cases decided, about one in six late, a few pending (after 25 March)."""
    if case.filed > dt.date(2023, 3, 25) and rng.random() < .6:
        return
    late = rng.random() < .17
    base = case.deadline or case.filed + dt.timedelta(days=5)
    spare = max((base - case.filed).days, 0)
    case.decided = base + dt.timedelta(days=rng.randint(1, 4)) if late else \
        case.filed + dt.timedelta(days=rng.randint(0, spare))
    case.decision = rng.choice(OUTCOMES)
    case.reasons = "Synthetic reasons." if case.decision != Decision.WITHDRAWN else ""
    case.published = rng.random() < .7
