"""Entries written before the audit trail was chained are chained by the migration: in id
order, with their login's name, those of confidential meetings marked confidential."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from eom.missions import audit, permissions
from eom.missions.models import Access, AuditEntry
from tests.factories import make_mission, make_user

BEFORE = [("missions", "0006_signin_tokens")]
AFTER = [("missions", "0007_audit_chain_confidential")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_the_latest_schema():
    """Later tests need every migration applied: migrate forward again whatever happened."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_migration_chains_the_entries_written_before_it(back_to_the_latest_schema):
    mission = make_mission()
    administrator = make_user(mission, Access.ADMINISTRATOR)
    apps = migrate(BEFORE)
    try:
        Meeting = apps.get_model("missions", "Meeting")
        OldEntry = apps.get_model("missions", "AuditEntry")
        secret = Meeting.objects.create(mission_id=mission.pk, date=dt.date(2023, 2, 8),
                                        place="Hidden", confidential=True)
        public = Meeting.objects.create(mission_id=mission.pk, date=dt.date(2023, 2, 9),
                                        place="Open")
        for meeting, changes in ((secret, {"key_points": [None, "said in confidence"]}),
                                 (public, {"place": [None, "Open"]}),
                                 (public, {"confidential": [True, False]})):
            OldEntry.objects.create(actor_id=administrator.pk, channel="page", action="create",
                                    model="missions.meeting", object_id=str(meeting.pk),
                                    object_repr=meeting.place, changes=changes,
                                    mission_id=mission.pk)
    finally:
        migrate(AFTER)
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [e.seq for e in entries] == [1, 2, 3]
    assert [e.confidential for e in entries] == [True, False, True]
    assert {e.actor_username for e in entries} == {administrator.username}
    assert audit.verify_chain().intact
    executor = MigrationExecutor(connection)  # today's reading of the trail needs every table
    migrate(executor.loader.graph.leaf_nodes())
    visible = permissions.audit_entries_visible_to(administrator, mission)
    assert list(visible) == []  # the public meeting was confidential before its last entry
    audit.record(actor=administrator, channel="admin", action="update", obj=mission,
                 mission=mission)
    assert audit.verify_chain().n_entries == 4
