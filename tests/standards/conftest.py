"""A mission with evidence of every kind: an LTO report submitted and a draft (lto_scene), a
case before D1's commission, a public and a confidential meeting, a checklist with an
indicator; a commitment and a recommendation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from eom.standards import services
from tests.complaints.factories import make_case
from tests.factories import indicator, make_form, make_meeting, question
from tests.lto.factories import local, lto_scene, weekly_data, write_report


@dataclass
class Scene:
    mission: object
    lto: object
    core: object
    analyst: object
    administrator: object
    coordinator: object
    submitted: object
    draft: object
    case: object
    public_meeting: object
    secret_meeting: object
    commitment: object
    recommendation: object


@pytest.fixture
def scene(mission, tree):
    s = lto_scene(mission, tree)
    submitted = write_report(s, submit_at=local(2023, 2, 20, 9))
    data = weekly_data(campaign_environment="DRAFT-WORDS")
    data.title = "Flash"
    draft = write_report(s, kind="flash", data=data)
    make_form(mission, "voting", "voting", [
        question("assessment", "select_one", choices=("good", "bad"))],
        indicators=[indicator("voting_negative", "${assessment} = 'bad'",
                              label="Voting assessed negatively")])
    commitment = services.create_commitment(
        actor=s.core, channel="page", mission=mission, data=services.CommitmentData(
            source="Copenhagen Document 1990", reference="para 7.4", title="Honest count"))
    recommendation = services.create_recommendation(
        actor=s.core, channel="page", mission=mission, data=services.RecommendationData(
            report_name="Final report 2021", report_year=2021, number=1,
            text="Publish results by polling station.", synthetic=True))
    return Scene(
        mission=mission, lto=s.lto, core=s.core, analyst=s.analyst,
        administrator=s.administrator, coordinator=s.coordinator, submitted=submitted,
        draft=draft, case=make_case(mission, s.core, body_location=tree["D1"],
                                    summary="Posters torn down", filed=dt.date(2023, 3, 1)),
        public_meeting=make_meeting(mission, actor=s.core, key_points="PUBLIC-POINTS"),
        secret_meeting=make_meeting(mission, actor=s.core, confidential=True,
                                    key_points="SECRET-POINTS"),
        commitment=commitment, recommendation=recommendation)
