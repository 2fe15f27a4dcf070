"""The quick-count sample moved from the reporting app to the registry (missions): a database
made before the move keeps its samples, their stations and the teams sent to them, read through
the new models; the tables are renamed, new samples are still numbered after the old ones, and
the content types change app label so that permissions and admin log entries still hold."""

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from eom.missions import audit
from eom.missions.models import Access, LocationLevel, Sample, SampledStation
from tests.factories import make_mission, make_person, make_team, make_tree, make_user

BEFORE = [("missions", "0012_verbose_names_in_every_language"),
          ("reporting", "0003_verbose_names_in_every_language")]


def migrate(targets=None):
    """Migrates to `targets` (the latest schema when None); the models as the migrations then
    applied (every app's, not only the targets' ancestors) leave them."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()
    loader = MigrationLoader(connection)
    return loader.project_state([key for key in loader.applied_migrations
                                 if key in loader.graph.nodes]).apps


@pytest.fixture
def back_to_the_latest_schema():
    """Later tests need every migration applied: migrate forward again whatever happened."""
    yield
    migrate()


def table_names() -> set[str]:
    return set(connection.introspection.table_names())


@pytest.mark.django_db(transaction=True)
def test_a_sample_drawn_before_the_move_is_read_through_the_registry(client,
                                                                   back_to_the_latest_schema):
    mission = make_mission()
    tree = make_tree(mission)
    drawer = make_user(mission, Access.CORE_TEAM)
    team = make_team(mission, "STO-1", [make_person(mission)])
    clerk = get_user_model().objects.create_user("clerk", password="pw-for-tests")
    old = migrate(BEFORE)
    try:
        assert {"reporting_sample", "reporting_sampledstation"} <= table_names()
        assert not {"missions_sample", "missions_sampledstation"} & table_names()
        old_sample = old.get_model("reporting", "Sample").objects.create(
            mission_id=mission.pk, name="PVT", seed=20230319, stratum_level="region", size=2,
            population_size=4, stratum_sizes={"R1": 2, "R2": 2}, drawn_by_id=drawer.pk)
        old_station = old.get_model("reporting", "SampledStation")
        old_station.objects.create(sample_id=old_sample.pk, location_id=tree["01001"].pk,
                                   stratum="R1", team_id=team.pk)
        old_station.objects.create(sample_id=old_sample.pk, location_id=tree["02002"].pk,
                                   stratum="R2", team_id=None)
        old_type, _ = old.get_model("contenttypes", "ContentType").objects.get_or_create(
            app_label="reporting", model="sample")
        change, _ = Permission.objects.get_or_create(
            content_type_id=old_type.pk, codename="change_sample",
            defaults={"name": "Can change sample"})
        clerk.user_permissions.add(change)
        drawn = audit.record(actor=drawer, channel="command", action="create", obj=old_sample,
                             changes={"seed": [None, 20230319]}, mission=mission)
        LogEntry.objects.create(user=clerk, content_type_id=old_type.pk,
                                object_id=str(old_sample.pk), object_repr="PVT",
                                action_flag=ADDITION)
    finally:
        migrate()

    assert {"missions_sample", "missions_sampledstation"} <= table_names()
    assert not {"reporting_sample", "reporting_sampledstation"} & table_names()
    sample = Sample.objects.get()
    assert (sample.pk, sample.mission, sample.name, sample.seed) == (
        old_sample.pk, mission, "PVT", 20230319)
    assert (sample.stratum_level, sample.size, sample.population_size) == (
        LocationLevel.REGION, 2, 4)
    assert sample.stratum_sizes == {"R1": 2, "R2": 2} and sample.drawn_by == drawer
    stations = SampledStation.objects.filter(sample=sample).order_by("location__code")
    assert [(s.location.code, s.stratum, s.team) for s in stations] == [
        ("01001", "R1", team), ("02002", "R2", None)]
    assert list(sample.stations.order_by("pk")) == list(stations.order_by("pk"))

    # The content type is the same row under its new label: the permission and log entry hold.
    moved = ContentType.objects.get_for_model(Sample)
    assert moved.pk == old_type.pk and moved.app_label == "missions"
    assert not ContentType.objects.filter(app_label="reporting").exists()
    assert get_user_model().objects.get(pk=clerk.pk).has_perm("missions.change_sample")
    entry = LogEntry.objects.get()
    assert entry.get_edited_object() == sample
    assert entry.get_admin_url() == f"/admin/missions/sample/{sample.pk}/change/"

    # The audit trail keeps the label its entry was written under (it is hashed into the
    # chain); the sample's history in the admin reads it beside the entries written since.
    assert drawn.model == "reporting.sample"
    retied = audit.record(actor=drawer, channel="admin", action="update", obj=sample,
                          changes={"name": ["PVT", "PVT"]}, mission=mission)
    assert retied.model == "missions.sample"
    assert audit.verify_chain().intact
    client.force_login(drawer)
    history = client.get(f"/admin/missions/sample/{sample.pk}/history/")
    assert history.status_code == 200
    assert [e.pk for e in history.context["entries"]] == [drawn.pk, retied.pk]

    # The renamed table numbers new samples after the old ones.
    again = Sample.objects.create(mission=mission, name="PVT 2", seed=1, size=1,
                                  population_size=4)
    assert again.pk > sample.pk


@pytest.mark.django_db(transaction=True)
def test_the_move_can_be_undone_with_the_rows(back_to_the_latest_schema):
    mission = make_mission()
    tree = make_tree(mission)
    sample = Sample.objects.create(mission=mission, name="PVT", seed=7, size=1,
                                   population_size=4, stratum_sizes={"R1": 2, "R2": 2})
    SampledStation.objects.create(sample=sample, location=tree["01002"], stratum="R1")
    type_pk = ContentType.objects.get_for_model(SampledStation).pk
    old = migrate(BEFORE)
    try:
        old_sample = old.get_model("reporting", "Sample").objects.get()
        assert (old_sample.pk, old_sample.name, old_sample.seed) == (sample.pk, "PVT", 7)
        station = old.get_model("reporting", "SampledStation").objects.get()
        assert (station.sample_id, station.location_id, station.stratum) == (
            sample.pk, tree["01002"].pk, "R1")
        content_type = old.get_model("contenttypes", "ContentType").objects.get(pk=type_pk)
        assert (content_type.app_label, content_type.model) == ("reporting", "sampledstation")
    finally:
        migrate()
    assert SampledStation.objects.get().sample == sample
