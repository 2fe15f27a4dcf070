"""A confidential meeting whose every text holds a marker that must never reach a reader
outside the core team."""

from __future__ import annotations

from eom.missions import services
from tests.factories import make_meeting

CANARY = "CANARY"


def make_secret_meeting(mission, core_member, *, also_interlocutors=(), also_topics=(),
                        **fields):
    """A confidential meeting: place, key points, source, an interlocutor (name, title,
    organisation), a topic and a follow-up, each marked with CANARY (and the interlocutors
    and topics given, which need not be secret)."""
    fields.setdefault("place", f"{CANARY}-PLACE safe house")
    return make_meeting(
        mission, actor=core_member, confidential=True,
        key_points=f"{CANARY}-KEYPOINTS the source fears for her safety",
        source=f"{CANARY}-SOURCE",
        interlocutors=[services.InterlocutorData(f"{CANARY}-NAME", f"{CANARY}-TITLE",
                                                 f"{CANARY}-ORG", "civil_society"),
                       *also_interlocutors],
        topics=[f"{CANARY}-TOPIC", *also_topics],
        follow_ups=[services.FollowUpData(f"{CANARY}-FOLLOWUP call back in a week")],
        participants=[core_member.person],
        **fields,
    )
