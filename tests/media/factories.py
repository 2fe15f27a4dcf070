"""Media monitoring test data: two parties, a state television channel, a private one and a
private newspaper, a topic list, the campaign as the monitoring period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from eom.media import services
from eom.media.models import Outlet, Topic
from tests.factories import make_election, make_party

DAY = dt.date(2023, 2, 20)  # a Monday


@dataclass
class MediaScene:
    mission: object
    writer: object
    parties: dict
    khabar: Outlet
    ktk: Outlet
    paper: Outlet
    topics: dict[str, Topic]


def make_media_scene(mission, writer) -> MediaScene:
    election = make_election(mission)
    parties = {code: make_party(election, code, n, short_name=code)
               for n, code in enumerate(["AMANAT", "AUYL"], start=1)}

    def outlet(name, kind, ownership):
        return services.create_outlet(actor=writer, channel="command", mission=mission,
                                      name=name, kind=kind, ownership=ownership, language="kk")

    services.create_period(actor=writer, channel="command", mission=mission, name="Campaign",
                           starts=dt.date(2023, 2, 20), ends=dt.date(2023, 3, 17))
    topics = services.create_topics(actor=writer, channel="command", mission=mission,
                                    topics=[("economy", "Economy"), ("campaign", "Campaign")])
    return MediaScene(mission, writer, parties, outlet("Khabar", "tv", "state"),
                      outlet("KTK", "tv", "private"), outlet("Vremya", "print", "private"),
                      {t.code: t for t in topics})


def code(scene: MediaScene, outlet, *, party="AMANAT", tone="neutral", seconds=None, cm2=None,
         coder="M1", date=DAY, programme="News", topic=None, subject_kind="party",
         subject_name=""):
    """One coded item, written as the page writes it."""
    data = services.ItemData(
        outlet=outlet, date=date, programme=programme, subject_kind=subject_kind, tone=tone,
        coder=coder, seconds=seconds, cm2=cm2,
        party=scene.parties[party] if subject_kind == "party" else None,
        subject_name=subject_name, topic=scene.topics[topic] if topic else None)
    return services.create_item(actor=scene.writer, channel="page", mission=scene.mission,
                                data=data)
