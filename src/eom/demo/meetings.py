"""Synthetic meetings for the demo log (marked as such in their source), so that the log's
filters, follow-ups and confidentiality can be tried. Only the meeting of 8 February 2023 is real.
"""

from __future__ import annotations

import datetime as dt

from eom.missions.models import FollowUp, Location, OrganisationKind, Person
from eom.missions.services import FollowUpData, InterlocutorData, MeetingData

SYNTHETIC = "Synthetic demo record (not a real meeting)"


def synthetic_meetings(staff: dict[str, Person], by_code: dict[str, Location]) -> list[MeetingData]:
    hom, deputy = staff["head_of_mission"], staff["deputy_head"]
    legal, political, media = staff["legal_analyst"], staff["political_analyst"], staff["media_analyst"]
    lto_astana = Person.objects.filter(role__code="lto", area=by_code["KZ-01"]).order_by("code")
    lto_almaty = Person.objects.filter(role__code="lto", area=by_code["KZ-02"]).order_by("code")
    return [
        MeetingData(
            date=dt.date(2023, 2, 9),
            time=dt.time(10, 0),
            place="Central Election Commission, Astana",
            region=by_code["KZ-01"],
            participants=[hom, deputy, legal],
            interlocutors=[
                InterlocutorData(
                    "Chairperson of the CEC", "Chairperson",
                    "Central Election Commission", OrganisationKind.ELECTION_ADMINISTRATION,
                ),
            ],
            topics=["election administration", "accreditation of observers", "voter lists"],
            key_points="The CEC described the calendar and the accreditation procedure.\n"
            "Voter lists are finalised 15 days before election day.",
            follow_ups=[
                FollowUpData("Obtain the CEC's decision on the accreditation of observers",
                             owner=legal, due=dt.date(2023, 2, 13), status=FollowUp.Status.DONE),
                FollowUpData("Ask for the number of polling stations per region", owner=deputy),
            ],
            source=SYNTHETIC,
            synthetic=True,
        ),
        MeetingData(
            date=dt.date(2023, 2, 14),
            place="Party headquarters, Astana",
            region=by_code["KZ-01"],
            participants=[political],
            interlocutors=[
                InterlocutorData("Party secretary", "Secretary", "Respublica", OrganisationKind.PARTY),
            ],
            topics=["campaign environment", "candidate registration"],
            key_points="The party reported no obstacles to registration of its list.",
            source=SYNTHETIC,
            synthetic=True,
        ),
        MeetingData(
            date=dt.date(2023, 2, 21),
            place="Media monitoring NGO office, Almaty",
            region=by_code["KZ-02"],
            participants=[media, *lto_almaty],
            interlocutors=[
                InterlocutorData("Director", "Director", "Independent media NGO",
                                 OrganisationKind.CIVIL_SOCIETY),
            ],
            topics=["media environment", "campaign coverage"],
            key_points="Interlocutors described pressure on independent online media.\n"
            "They asked that their names not be published.",
            follow_ups=[FollowUpData("Cross-check the monitoring sample with the media analyst",
                                     owner=media)],
            confidential=True,
            source=SYNTHETIC,
            synthetic=True,
        ),
        MeetingData(
            date=dt.date(2023, 2, 24),
            place="Territorial election commission, Astana",
            region=by_code["KZ-01"],
            participants=list(lto_astana),
            interlocutors=[
                InterlocutorData("TEC secretary", "Secretary", "Astana city territorial election commission",
                                 OrganisationKind.ELECTION_ADMINISTRATION),
            ],
            topics=["election administration", "training of precinct commissions"],
            key_points="Training of precinct commissions is scheduled for the first week of March.",
            follow_ups=[FollowUpData("Attend a training session of precinct commissions",
                                     owner=lto_astana.first(), due=dt.date(2023, 3, 3))],
            source=SYNTHETIC,
            synthetic=True,
        ),
    ]
