"""A mission with voting reports, one indicator and a draft report quoting it."""

from __future__ import annotations

from eom.missions.models import Channel
from eom.observation.models import Submission
from eom.publications import services
from eom.publications.models import Kind, Report
from tests.factories import indicator
from tests.observation.scene import send, set_up

NEGATIVE = "${assessment} = 'bad' or ${assessment} = 'very_bad'"
KEY = "indicator:voting.negative"


def reports_with_an_indicator(mission, tree, observer, other_team, core_member) -> None:
    """Five live reports: 2 negative of 4 assessed (one without an assessment)."""
    form = set_up(mission, tree, observer, other_team)
    version = form.current_version
    version.definition["indicators"] = [
        indicator("negative", NEGATIVE, label="Voting assessed negatively")]
    version.save()
    for assessment in ("good", "good", "bad", None):
        answers = {"registered": 100, "secrecy": "yes"}
        if assessment:
            answers["assessment"] = assessment
        send(observer, mission, answers=answers)
    send(core_member, mission, location="02001",
         answers={"registered": 100, "secrecy": "no", "secrecy_details": "open booths",
                  "assessment": "very_bad"})


def draft_statement(mission, core_member) -> Report:
    report = services.create_report(actor=core_member, channel=Channel.PAGE, mission=mission,
                                    name="statement", kind=Kind.PRELIMINARY,
                                    title="Statement of preliminary findings")
    voting = report.sections.get(heading="voting")
    services.save_section(
        actor=core_member, channel=Channel.PAGE, section=voting,
        text=f"Voting was calm. [[figure:{KEY}]].",
        text_ru=f"Голосование прошло спокойно. [[figure:{KEY}]].", text_kk="")
    return report


def bad_report() -> Submission:
    return Submission.objects.get(answers__assessment="bad", deleted_at__isnull=True)
