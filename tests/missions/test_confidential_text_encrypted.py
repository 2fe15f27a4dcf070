"""Meetings' text is encrypted in the database with the data key, kept apart from it: a copy of
the database alone does not reveal a confidential meeting's place, key points, follow-ups or
interlocutors; the core team still reads and searches them."""

import datetime as dt
import io
import os
import subprocess
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.db import connection

from eom.missions import crypto, queries, services
from eom.missions.models import FollowUp, Interlocutor, Meeting, Organisation
from tests.factories import make_meeting, make_mission, make_user

# One marker per encrypted value; none of them may appear in the database's bytes.
MARKERS = {
    "place": "Safe house on Kenesary street PLACEMARK71",
    "key_points": "The witness named the ballot stuffers KEYPOINTMARK72",
    "follow_up": "Call the witness back on the second phone FOLLOWUPMARK73",
    "name": "Aigerim INTERLOCUTORMARK74",
    "title": "Precinct secretary TITLEMARK75",
}


def confidential_meeting(mission, actor) -> Meeting:
    return make_meeting(
        mission, actor=actor, confidential=True,
        place=MARKERS["place"], key_points=MARKERS["key_points"],
        interlocutors=[services.InterlocutorData(MARKERS["name"], MARKERS["title"], "PEC 12")],
        follow_ups=[services.FollowUpData(MARKERS["follow_up"])],
    )


def _stored(model, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {model._meta.db_table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_the_database_holds_tokens_and_the_orm_reads_the_text(mission, core_member):
    meeting = confidential_meeting(mission, core_member)
    interlocutor, follow_up = meeting.interlocutors.get(), meeting.follow_ups.get()
    stored = {
        "place": _stored(Meeting, "place", meeting.pk),
        "key_points": _stored(Meeting, "key_points", meeting.pk),
        "follow_up": _stored(FollowUp, "text", follow_up.pk),
        "name": _stored(Interlocutor, "name", interlocutor.pk),
        "title": _stored(Interlocutor, "title", interlocutor.pk),
    }
    for field, token in stored.items():
        assert token.startswith("gAAAAA"), field
        assert crypto.decrypt(token) == MARKERS[field]
    fresh = Meeting.objects.get(pk=meeting.pk)
    assert (fresh.place, fresh.key_points) == (MARKERS["place"], MARKERS["key_points"])
    assert str(Interlocutor.objects.get()) == f"{MARKERS['name']}, {MARKERS['title']}"
    assert FollowUp.objects.get().text == MARKERS["follow_up"]


def test_the_same_text_is_sealed_differently_each_time(mission, core_member):
    first = make_meeting(mission, actor=core_member, place="Akimat")
    second = make_meeting(mission, actor=core_member, place="Akimat")
    assert _stored(Meeting, "place", first.pk) != _stored(Meeting, "place", second.pk)


def test_blank_text_stays_blank(mission, core_member):
    meeting = make_meeting(mission, actor=core_member, key_points="")
    assert _stored(Meeting, "key_points", meeting.pk) == ""
    assert Meeting.objects.get(pk=meeting.pk).key_points == ""


def test_the_database_cannot_be_asked_to_compare_encrypted_text(mission):
    with pytest.raises(FieldError, match="Meeting.place is encrypted"):
        list(Meeting.objects.filter(place="Akimat"))
    with pytest.raises(FieldError, match="Interlocutor.name is encrypted"):
        list(Interlocutor.objects.filter(name__icontains="aigerim"))


def test_an_interlocutor_met_twice_is_one_record_though_names_are_sealed(mission, core_member):
    confidential_meeting(mission, core_member)
    confidential_meeting(mission, core_member)
    make_meeting(mission, actor=core_member, interlocutors=[
        services.InterlocutorData(MARKERS["name"], "", "Another organisation")])
    assert Interlocutor.objects.filter(organisation__name="PEC 12").count() == 1
    assert Interlocutor.objects.count() == 2


def test_a_confidential_meeting_keeps_no_search_text(mission, core_member):
    secret = confidential_meeting(mission, core_member)
    open_meeting = make_meeting(mission, actor=core_member, place="Akimat of Astana")
    secret.refresh_from_db()
    open_meeting.refresh_from_db()
    assert secret.search_text == ""
    assert "akimat of astana" in open_meeting.search_text


def test_a_meeting_made_confidential_loses_its_search_text(mission, core_member):
    meeting = make_meeting(mission, actor=core_member, place="Akimat of Astana")
    services.update_meeting(
        actor=core_member, channel="page", meeting=meeting,
        data=services.MeetingData(date=meeting.date, place="Akimat of Astana", confidential=True),
    )
    meeting.refresh_from_db()
    assert meeting.search_text == ""


@pytest.mark.parametrize("words", [
    "placemark71 kenesary", "KEYPOINTMARK72", "second phone followupmark73",
    "interlocutormark74", "titlemark75 precinct",
])
def test_the_core_team_finds_a_confidential_meeting_by_its_words(mission, core_member, words):
    secret = confidential_meeting(mission, core_member)
    make_meeting(mission, actor=core_member, place="Akimat of Astana")
    visible = Meeting.objects.filter(mission=mission)
    assert list(services.search_meetings(visible, words)) == [secret]


def test_search_needs_every_word_in_a_confidential_meeting_too(mission, core_member):
    confidential_meeting(mission, core_member)
    visible = Meeting.objects.filter(mission=mission)
    assert list(services.search_meetings(visible, "placemark71 akimat")) == []


def test_search_finds_open_and_confidential_meetings_together(mission, core_member):
    secret = confidential_meeting(mission, core_member)
    open_meeting = make_meeting(mission, actor=core_member, place="Street of the witness")
    visible = Meeting.objects.filter(mission=mission)
    assert set(services.search_meetings(visible, "witness")) == {secret, open_meeting}


def test_search_outside_the_core_team_never_reaches_confidential_meetings(
    mission, core_member, analyst
):
    from eom.missions import permissions

    confidential_meeting(mission, core_member)
    visible = permissions.meetings_visible_to(analyst, mission)
    assert list(services.search_meetings(visible, "kenesary")) == []


def test_the_interlocutor_filter_matches_sealed_names(mission, core_member, analyst):
    from eom.missions import permissions

    secret = confidential_meeting(mission, core_member)
    open_meeting = make_meeting(mission, actor=core_member, interlocutors=[
        services.InterlocutorData("Nurlan Abdirov", "Chair", "CEC")])
    core_sees = permissions.meetings_visible_to(core_member, mission)
    assert list(queries.filter_meetings(core_sees, interlocutor="aigerim")) == [secret]
    assert list(queries.filter_meetings(core_sees, interlocutor="ABDIROV")) == [open_meeting]
    analyst_sees = permissions.meetings_visible_to(analyst, mission)
    assert list(queries.filter_meetings(analyst_sees, interlocutor="aigerim")) == []


def test_the_admins_meeting_search_finds_a_confidential_meeting_for_the_core_team_only(
    client, mission, core_member, administrator
):
    from django.urls import reverse

    confidential_meeting(mission, core_member)
    url = reverse("admin:missions_meeting_changelist") + "?q=kenesary"
    client.force_login(core_member)
    assert "PLACEMARK71" in client.get(url).content.decode()
    client.force_login(administrator)
    assert "PLACEMARK71" not in client.get(url).content.decode()


def test_encrypt_json_round_trips_an_audit_entrys_changes():
    changes = {
        "key_points": [None, MARKERS["key_points"]],
        "follow_ups": [[], ["Позвонить свидетелю | 12 |  | open"]],
        "confidential": [False, True],
        "n": [1, 2.5],
    }
    token = crypto.encrypt_json(changes)
    assert token.startswith("gAAAAA")
    assert crypto.decrypt_json(token) == changes


def test_a_sealed_json_token_shows_none_of_its_text():
    token = crypto.encrypt_json({"key_points": [None, MARKERS["key_points"]]})
    assert "KEYPOINTMARK72" not in token
    assert "key_points" not in token


def test_a_token_sealed_with_another_key_is_refused(settings):
    token = crypto.encrypt_json({"key_points": ["a", "b"]})
    settings.EOM_DATA_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(crypto.SealedValueError, match="EOM_DATA_KEY"):
        crypto.decrypt_json(token)


def test_an_altered_token_is_refused():
    token = crypto.encrypt("Akimat")
    altered = token[:40] + ("A" if token[40] != "A" else "B") + token[41:]
    with pytest.raises(crypto.SealedValueError):
        crypto.decrypt(altered)


def test_a_meeting_cannot_be_read_without_its_key(mission, core_member, settings):
    meeting = confidential_meeting(mission, core_member)
    settings.EOM_DATA_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(crypto.SealedValueError):
        Meeting.objects.get(pk=meeting.pk)


# --- a copy of the database ---------------------------------------------------------------


def _database_bytes() -> bytes:
    """Every byte of the test database as a thief with a copy would have it: the SQLite file
    with its write-ahead log, or a pg_dump of the PostgreSQL database."""
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        name = Path(params["NAME"])
        return b"".join(p.read_bytes() for p in (name, Path(f"{name}-wal")) if p.exists())
    environment = dict(os.environ, PGHOST=params["HOST"] or "", PGPORT=str(params["PORT"] or ""),
                       PGUSER=params["USER"] or "", PGPASSWORD=params["PASSWORD"] or "")
    return subprocess.run(
        ["pg_dump", "--format=plain", params["NAME"]], env=environment, capture_output=True,
        check=True,
    ).stdout


def _markers_in(raw: bytes) -> list[str]:
    lowered = raw.lower()
    return [field for field, text in MARKERS.items()
            if text.split()[-1].lower().encode() in lowered]


@pytest.mark.django_db(transaction=True)
def test_a_copy_of_the_database_holds_no_meeting_text():
    """Written through the ORM, as the services and the admin write them (the audit trail,
    which records the changes too, is checked by the next test)."""
    mission = make_mission()
    meeting = Meeting.objects.create(
        mission=mission, date=dt.date(2023, 3, 1), place=MARKERS["place"],
        key_points=MARKERS["key_points"], confidential=True,
    )
    organisation = Organisation.objects.create(mission=mission, name="PEC 12")
    meeting.interlocutors.add(Interlocutor.objects.create(
        organisation=organisation, name=MARKERS["name"], title=MARKERS["title"]))
    FollowUp.objects.create(meeting=meeting, text=MARKERS["follow_up"])
    services.refresh_search_text(meeting)
    assert Meeting.objects.get().key_points == MARKERS["key_points"]  # readable with the key
    assert _markers_in(_database_bytes()) == []


@pytest.mark.django_db(transaction=True)
def test_a_copy_of_the_database_holds_no_text_of_a_meeting_recorded_through_the_services():
    mission = make_mission()
    core = make_user(mission, "core", role="head_of_mission")
    meeting = confidential_meeting(mission, core)
    services.update_meeting(
        actor=core, channel="page", meeting=meeting,
        data=services.MeetingData(date=meeting.date, place=MARKERS["place"], confidential=True,
                                  key_points=MARKERS["key_points"] + " (revised)"),
    )
    assert _markers_in(_database_bytes()) == []


def test_a_confidential_entry_is_sealed_names_no_place_and_keeps_the_chain_through_rotation(
    db, settings,
):
    """The audit entry of a confidential meeting holds its changes sealed and a neutral name;
    the core team reads them in clear; rotating the key reseals them and the chain holds."""
    from django.core.management import call_command

    from eom.missions import audit, crypto
    from eom.missions.models import AuditEntry

    mission = make_mission()
    core = make_user(mission, "core", role="head_of_mission")
    meeting = confidential_meeting(mission, core)
    entry = AuditEntry.objects.get(model="missions.meeting", object_id=str(meeting.pk))
    assert set(entry.changes) == {"sealed"}
    assert entry.object_repr == f"meeting {meeting.pk}"
    assert MARKERS["key_points"] in entry.plain_changes["key_points"][1]
    old_token = entry.changes["sealed"]
    new = crypto.generate_key()
    settings.EOM_DATA_KEYS = [new, *settings.EOM_DATA_KEYS]
    call_command("keys", "rotate", stdout=io.StringIO())
    settings.EOM_DATA_KEYS = [new]
    entry.refresh_from_db()
    assert entry.changes["sealed"] != old_token
    assert MARKERS["key_points"] in entry.plain_changes["key_points"][1]
    assert audit.verify_chain().intact
