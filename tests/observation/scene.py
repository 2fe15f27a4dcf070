"""Election day in the test mission: a voting form, STO-1 deployed to 01001 and 01002 in D1,
STO-2 deployed to 02001 in D2, election on 19 March 2023."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from eom.observation import services
from tests.factories import make_deployment, make_election, voting_form

ELECTION_DAY = dt.date(2023, 3, 19)


def at(hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2023, 3, 19, hour, minute))


def set_up(mission, tree, observer, other_team):
    make_election(mission, date=ELECTION_DAY)
    form = voting_form(mission)
    days = {"starts": dt.date(2023, 3, 17), "ends": dt.date(2023, 3, 20)}
    make_deployment(observer.person.teams.get(), [tree["01001"], tree["01002"]], **days)
    make_deployment(other_team, [tree["02001"]], **days)
    return form


def send(actor, mission, location="01001", answers=None, *, key=None, when=None,
         channel="api", form_id="voting"):
    data = services.SubmissionInput(
        uuid=key or uuid.uuid4(), form_id=form_id, location_code=location,
        answers=answers if answers is not None else {"registered": 100, "voted": 40,
                                                     "secrecy": "yes", "assessment": "good"},
        observed_at=when or at(10),
    )
    return services.ingest_submission(actor=actor, channel=channel, mission=mission, data=data)
