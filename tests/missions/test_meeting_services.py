"""Recording meetings: contents, audit trail, full-text search, and the confidentiality guard."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from eom.missions import services
from eom.missions.models import AuditEntry, Interlocutor, Meeting, Organisation
from tests.factories import make_meeting


def ministry_meeting(mission, actor, **extra):
    return make_meeting(
        mission,
        actor=actor,
        interlocutors=[
            services.InterlocutorData(
                "Roman Vassilenko", "Deputy Minister of Foreign Affairs",
                "Ministry of Foreign Affairs", "state",
            )
        ],
        topics=["conditions for observers", "reform agenda"],
        key_points="The ministry welcomed the quick deployment of the mission.",
        follow_ups=[services.FollowUpData("Request the consolidated election law")],
        **extra,
    )


def test_create_meeting_stores_interlocutors_topics_and_follow_ups(mission, core_member):
    meeting = ministry_meeting(mission, core_member)
    assert [str(i) for i in meeting.interlocutors.all()] == [
        "Roman Vassilenko, Deputy Minister of Foreign Affairs"
    ]
    assert sorted(t.name for t in meeting.topics.all()) == ["conditions for observers", "reform agenda"]
    assert [f.text for f in meeting.follow_ups.all()] == ["Request the consolidated election law"]
    assert meeting.created_by == core_member


def test_create_meeting_reuses_known_organisations_and_interlocutors(mission, core_member):
    ministry_meeting(mission, core_member)
    ministry_meeting(mission, core_member, date=dt.date(2023, 3, 1))
    assert Organisation.objects.count() == 1
    assert Interlocutor.objects.count() == 1


def test_create_meeting_is_audited_with_channel_and_fields(mission, core_member):
    meeting = ministry_meeting(mission, core_member)
    entry = AuditEntry.objects.get(model="missions.meeting", object_id=str(meeting.pk))
    assert (entry.action, entry.channel, entry.actor) == ("create", "page", core_member)
    assert entry.changes["place"] == [None, "Ministry of Foreign Affairs, Astana"]
    assert entry.changes["follow_ups"][1] == ["Request the consolidated election law |  |  | open"]


def test_update_meeting_audits_only_what_changed(mission, core_member):
    meeting = ministry_meeting(mission, core_member)
    data = services.MeetingData(
        date=meeting.date, place="MFA, Astana", topics=["reform agenda"],
        key_points=meeting.key_points,
        interlocutors=[services.InterlocutorData(
            "Roman Vassilenko", "Deputy Minister of Foreign Affairs",
            "Ministry of Foreign Affairs", "state",
        )],
        follow_ups=[services.FollowUpData("Request the consolidated election law")],
    )
    services.update_meeting(actor=core_member, channel="api", meeting=meeting, data=data)
    entry = AuditEntry.objects.filter(action="update").get()
    assert entry.channel == "api"
    assert sorted(entry.changes) == ["place", "topics"]
    assert entry.changes["place"] == ["Ministry of Foreign Affairs, Astana", "MFA, Astana"]


def test_delete_meeting_is_audited(mission, core_member):
    meeting = ministry_meeting(mission, core_member)
    services.delete_meeting(actor=core_member, channel="page", meeting=meeting)
    assert Meeting.objects.count() == 0
    assert AuditEntry.objects.filter(action="delete", model="missions.meeting").count() == 1


def test_observer_cannot_record_a_confidential_meeting(mission, observer):
    with pytest.raises(PermissionDenied):
        make_meeting(mission, actor=observer, confidential=True)
    assert Meeting.objects.count() == 0


def test_analyst_cannot_record_a_meeting(mission, analyst):
    with pytest.raises(PermissionDenied):
        make_meeting(mission, actor=analyst)


def test_search_matches_every_word_in_any_field_and_case(mission, core_member):
    ministry_meeting(mission, core_member)
    make_meeting(mission, actor=core_member, place="CEC", key_points="Voter lists")
    meetings = Meeting.objects.filter(mission=mission)
    assert [m.place for m in services.search_meetings(meetings, "VASSILENKO reform")] == [
        "Ministry of Foreign Affairs, Astana"
    ]
    assert [m.place for m in services.search_meetings(meetings, "voter")] == ["CEC"]
    assert list(services.search_meetings(meetings, "vassilenko voter")) == []


def test_search_folds_cyrillic_case(mission, core_member):
    make_meeting(mission, actor=core_member, place="ЦИК", key_points="Списки избирателей")
    meetings = Meeting.objects.filter(mission=mission)
    assert services.search_meetings(meetings, "СПИСКИ").count() == 1
