"""Synthetic media monitoring for the demo mission (every item marked synthetic): eight
Kazakh outlets followed over the campaign, 20 February to 17 March 2023, coded by six monitors,
with about one unit in eight coded a second time for inter-coder reliability.

The outlets are real; what is said of them is not. Ownership: Khabar, Qazaqstan, Egemen
Qazaqstan and Kazakhstanskaya Pravda are state-owned; 31 Kanal, KTK, Tengrinews and Vlast.kz are
taken as private, which the demo marks as assumed (`ownership_assumed`). The coding is
generated (fixed seed): state outlets give more and warmer time to the ruling party and to
officials, as a pattern for the figures to show, not as a finding. Written in bulk, with their
audit entries (channel demo), so that `make demo` stays quick.
"""

from __future__ import annotations

import datetime as dt
import random

from eom.media.models import Item, MediaSettings, MonitoringPeriod, Outlet, Topic, unit_key
from eom.missions import audit, bulk
from eom.missions.models import Channel, Mission, Party

SEED = 20230220
STARTS, ENDS = dt.date(2023, 2, 20), dt.date(2023, 3, 17)
# (name, kind, ownership, assumed, language, programmes or sections)
OUTLETS = [
    ("Khabar", "tv", "state", False, "kk+ru", ["Kazakhstan Today", "Evening news"]),
    ("Qazaqstan", "tv", "state", False, "kk", ["Aqparat", "Evening news"]),
    ("31 Kanal", "tv", "private", True, "ru", ["Informburo", "Evening news"]),
    ("KTK", "tv", "private", True, "ru", ["Bugin", "Evening news"]),
    ("Egemen Qazaqstan", "print", "state", False, "kk", ["Page 1", "Politics"]),
    ("Kazakhstanskaya Pravda", "print", "state", False, "ru", ["Page 1", "Elections 2023"]),
    ("Tengrinews", "online", "private", True, "kk+ru", ["Politics", "Kazakhstan"]),
    ("Vlast.kz", "online", "private", True, "ru", ["Politics", "Analysis"]),
]
# The topic list, in English, Russian and Kazakh (ours).
TOPICS = [
    ("election", "Election administration", "Организация выборов", "Сайлауды ұйымдастыру"),
    ("campaign", "Campaign", "Предвыборная агитация", "Сайлауалды үгіт"),
    ("economy", "Economy", "Экономика", "Экономика"),
    ("social", "Social affairs", "Социальная сфера", "Әлеуметтік сала"),
    ("reform", "Political reform", "Политическая реформа", "Саяси реформа"),
    ("foreign", "Foreign affairs", "Внешняя политика", "Сыртқы саясат"),
]
OFFICIALS = ["President", "Government"]
MONITORS = ["MM-01", "MM-02", "MM-03", "MM-04", "MM-05", "MM-06"]
SECOND_CODING = 0.125  # the share of units a second monitor codes again


def _tone(rng: random.Random, warm: float) -> str:
    roll = rng.random()
    return "positive" if roll < warm else "negative" if roll > 0.9 - warm / 4 else "neutral"


def load_media(mission: Mission, core_user) -> dict[str, int]:
    """Outlets, the campaign period, topics and coded items; returns how many items."""
    rng = random.Random(SEED)
    outlets = Outlet.objects.bulk_create(
        Outlet(mission=mission, name=name, kind=kind, ownership=ownership,
               ownership_assumed=assumed, language=language)
        for name, kind, ownership, assumed, language, _programmes in OUTLETS)
    period = MonitoringPeriod.objects.create(mission=mission, name="Campaign", starts=STARTS,
                                             ends=ENDS)
    topics = Topic.objects.bulk_create(
        Topic(mission=mission, code=code, name=name, name_ru=name_ru, name_kk=name_kk)
        for code, name, name_ru, name_kk in TOPICS)
    settings = MediaSettings.objects.create(mission=mission)
    parties = list(Party.objects.filter(election__mission=mission).order_by(
        "registration_order"))
    ruling = next((p for p in parties if p.code.upper().startswith("AMANAT")),
                  parties[0] if parties else None)
    items: list[Item] = []
    days = (ENDS - STARTS).days + 1
    for outlet, (_n, kind, ownership, _a, _l, programmes) in zip(outlets, OUTLETS, strict=True):
        state = ownership == "state"
        broadcast = kind in ("tv", "radio")
        for day in range(days):
            date = STARTS + dt.timedelta(days=day)
            if kind == "print" and date.weekday() == 6:
                continue  # no Sunday issue
            for programme in programmes:
                subjects = rng.sample(parties, k=min(len(parties), rng.randint(1, 3)))
                if state and ruling is not None and ruling not in subjects:
                    subjects.append(ruling)
                if rng.random() < (0.7 if state else 0.3):
                    subjects.append(rng.choice(OFFICIALS))
                for subject in subjects:
                    official = isinstance(subject, str)
                    favoured = official or subject == ruling
                    size = rng.randint(20, 240) if broadcast else rng.randint(40, 600)
                    if state and favoured:
                        size *= 2
                    warm = 0.45 if state and favoured else 0.2
                    coder = MONITORS[(outlets.index(outlet) + day) % len(MONITORS)]
                    fields = dict(
                        mission=mission, outlet=outlet, period=period, date=date,
                        programme=programme, subject_kind="official" if official else "party",
                        party=None if official else subject,
                        subject_name=subject if official else "",
                        topic=rng.choice(topics), language=outlet.language, synthetic=True,
                        created_by=core_user,
                        unit=unit_key(outlet.pk, date, programme,
                                      f"official:{subject.casefold()}" if official
                                      else f"party:{subject.pk}"))
                    amount = {"seconds": size} if broadcast else {"cm2": size}
                    items.append(Item(**fields, **amount, tone=_tone(rng, warm), coder=coder))
                    if rng.random() < SECOND_CODING:
                        # A second monitor codes the unit again: mostly alike, not always.
                        again = max(1, round(size * rng.uniform(0.9, 1.1)))
                        tone = items[-1].tone if rng.random() < 0.85 else _tone(rng, 0.3)
                        other = dict(fields, topic=fields["topic"] if rng.random() < 0.8
                                     else rng.choice(topics))
                        second = MONITORS[(MONITORS.index(coder) + 3) % len(MONITORS)]
                        items.append(Item(**other, **({"seconds": again} if broadcast
                                                      else {"cm2": again}),
                                          tone=tone, coder=second, second_coding=True))
    bulk.insert_many(Item, items)
    entries = [("create", obj, {"name": [None, obj.name]}) for obj in (*outlets, *topics)]
    entries.append(("create", period, {"name": [None, period.name]}))
    entries.append(("create", settings, {"alpha_threshold": [None, str(settings.alpha_threshold)]}))
    entries += [("create", item, {"unit": [None, item.unit], "coder": [None, item.coder]})
                for item in items]
    audit.record_many(actor=None, channel=Channel.DEMO, entries=entries, mission=mission)
    return {"media_items": len(items)}
