"""`eom keys rotate` reseals every encrypted value with the new data key: afterwards the old
key can be dropped and everything still reads."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from eom.missions import crypto, services
from eom.missions.models import FollowUp, Interlocutor, Meeting
from tests.factories import make_meeting

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


@pytest.fixture
def sealed_with_the_old_key(settings, mission, core_member):
    settings.EOM_DATA_KEYS = [OLD]
    for confidential in (True, False):
        make_meeting(
            mission, actor=core_member, confidential=confidential,
            place=f"Place {confidential}", key_points=f"Key points {confidential}",
            interlocutors=[services.InterlocutorData(f"Name {confidential}", "Title", "NGO")],
            follow_ups=[services.FollowUpData(f"Follow-up {confidential}")],
        )
    return settings


@pytest.fixture
def sealed_json(monkeypatch):
    """A value kept outside the encrypted fields (as the audit trail keeps its sealed changes),
    reached through a registered resealer."""
    monkeypatch.setattr(crypto, "_resealers", [])
    store = {"changes": crypto.encrypt_json({"key_points": ["old", "new"]})}

    def reseal_store(change):
        store["changes"] = change(store["changes"])
        return 1

    crypto.register_resealer("audit", reseal_store)
    return store


def _everything() -> list[str]:
    return sorted(
        [m.place for m in Meeting.objects.all()] + [m.key_points for m in Meeting.objects.all()]
        + [str(i) for i in Interlocutor.objects.all()] + [f.text for f in FollowUp.objects.all()]
    )


def _tokens() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT place, key_points FROM missions_meeting ORDER BY id")
        return [value for row in cursor.fetchall() for value in row]


def test_after_rotating_the_old_key_can_be_dropped(sealed_with_the_old_key, sealed_json):
    settings = sealed_with_the_old_key
    readable = _everything()
    settings.EOM_DATA_KEYS = [NEW, OLD]
    out = io.StringIO()
    call_command("keys", "rotate", stdout=out)
    assert "missions.meeting" in out.getvalue()
    settings.EOM_DATA_KEYS = [NEW]
    assert _everything() == readable
    assert crypto.decrypt_json(sealed_json["changes"]) == {"key_points": ["old", "new"]}


def test_without_rotating_dropping_the_old_key_loses_the_text(sealed_with_the_old_key):
    settings = sealed_with_the_old_key
    settings.EOM_DATA_KEYS = [NEW]
    with pytest.raises(crypto.SealedValueError):
        _everything()


def test_a_new_key_put_first_still_reads_values_sealed_with_the_old_one(
    sealed_with_the_old_key,
):
    settings = sealed_with_the_old_key
    readable = _everything()
    settings.EOM_DATA_KEYS = [NEW, OLD]
    assert _everything() == readable


def test_keys_check_counts_the_values_each_key_opens(sealed_with_the_old_key, sealed_json):
    settings = sealed_with_the_old_key
    settings.EOM_DATA_KEYS = [NEW, OLD]
    out = io.StringIO()
    call_command("keys", "check", stdout=out)
    assert "missions.meeting         key 1: 0, key 2: 4" in out.getvalue()
    assert "audit                    key 1: 0, key 2: 1" in out.getvalue()
    assert "run `eom keys rotate`" in out.getvalue()
    call_command("keys", "rotate", stdout=io.StringIO())
    out = io.StringIO()
    call_command("keys", "check", stdout=out)
    assert "missions.meeting         key 1: 4, key 2: 0" in out.getvalue()
    assert "the others may be dropped" in out.getvalue()


def test_rotate_refuses_and_changes_nothing_when_no_key_opens_a_value(sealed_with_the_old_key):
    settings = sealed_with_the_old_key
    before = _tokens()
    settings.EOM_DATA_KEYS = [NEW]
    with pytest.raises(CommandError, match="none of the configured data keys"):
        call_command("keys", "rotate", stdout=io.StringIO())
    assert _tokens() == before


def test_keys_generate_prints_a_new_data_key():
    out = io.StringIO()
    call_command("keys", "generate", stdout=out)
    key = out.getvalue().strip()
    assert Fernet(key).decrypt(Fernet(key).encrypt(b"x")) == b"x"
