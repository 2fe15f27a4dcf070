"""The migration that encrypts meetings' text seals the rows already stored, empties the search
text of confidential meetings, and its reverse gives both back."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from eom.missions import crypto


def _migrations() -> tuple[tuple[str, str], tuple[str, str]]:
    """(the migration before, the encrypting migration), found by name."""
    loader = MigrationExecutor(connection).loader
    (name,) = [n for app, n in loader.disk_migrations
               if app == "missions" and n.endswith("_encrypted_meeting_text")]
    (before,) = [d for d in loader.disk_migrations["missions", name].dependencies
                 if d[0] == "missions"]
    return before, ("missions", name)


def _migrate(target: list[tuple[str, str]]):
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def _raw(table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db(transaction=True)
def test_the_migration_seals_stored_text_and_its_reverse_opens_it():
    before, encrypting = _migrations()
    try:
        apps = _migrate([before])
        mission = apps.get_model("missions", "Mission").objects.create(
            code="m", name="M", country="KZ")
        Meeting = apps.get_model("missions", "Meeting")
        secret = Meeting.objects.create(
            mission=mission, date=dt.date(2023, 3, 1), place="Safe house", confidential=True,
            key_points="Ballot stuffing seen", search_text="safe house\nballot stuffing seen")
        Meeting.objects.create(mission=mission, date=dt.date(2023, 3, 2), place="Akimat",
                               key_points="", search_text="akimat")
        organisation = apps.get_model("missions", "Organisation").objects.create(
            mission=mission, name="PEC 12")
        secret.interlocutors.add(apps.get_model("missions", "Interlocutor").objects.create(
            organisation=organisation, name="Aigerim", title="Secretary"))
        apps.get_model("missions", "FollowUp").objects.create(meeting=secret, text="Call back")

        apps = _migrate([encrypting])
        places = _raw("missions_meeting", "place")
        assert [crypto.decrypt(token) for token in places] == ["Safe house", "Akimat"]
        assert _raw("missions_meeting", "key_points")[1] == ""  # blank stays blank
        assert crypto.decrypt(_raw("missions_interlocutor", "name")[0]) == "Aigerim"
        assert crypto.decrypt(_raw("missions_interlocutor", "title")[0]) == "Secretary"
        assert crypto.decrypt(_raw("missions_followup", "text")[0]) == "Call back"
        assert _raw("missions_meeting", "search_text") == ["", "akimat"]
        assert apps.get_model("missions", "Meeting").objects.get(pk=secret.pk).key_points == (
            "Ballot stuffing seen")

        _migrate([before])
        assert _raw("missions_meeting", "place") == ["Safe house", "Akimat"]
        assert _raw("missions_interlocutor", "name") == ["Aigerim"]
        assert _raw("missions_followup", "text") == ["Call back"]
        rebuilt = _raw("missions_meeting", "search_text")[0]
        for words in ("safe house", "ballot stuffing seen", "aigerim", "secretary", "call back"):
            assert words in rebuilt
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
