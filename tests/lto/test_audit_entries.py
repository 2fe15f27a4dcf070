"""Every write to an LTO report leaves an audit entry naming the actor and the channel."""

from eom.lto import services
from eom.missions.models import AuditEntry
from tests.lto.factories import local, weekly_data, write_report


def _entries(model):
    return list(AuditEntry.objects.filter(model=model).order_by("pk").values_list(
        "action", "channel", "actor_username"))


def test_drafting_submitting_and_reviewing_are_audited(scene):
    report = write_report(scene)
    services.update_report(actor=scene.lto_mate, channel="api", report=report,
                           data=weekly_data(media="One channel covered the campaign."))
    services.submit_report(actor=scene.lto, channel="page", report=report,
                           now=local(2023, 2, 20))
    services.review_report(actor=scene.core, channel="page", report=report, kind="accepted")
    lto, mate, core = (u.username for u in (scene.lto, scene.lto_mate, scene.core))
    assert _entries("lto.report") == [
        ("create", "page", lto), ("update", "api", mate), ("update", "page", lto),
        ("update", "page", core)]
    assert _entries("lto.reviewnote") == [("create", "page", core)]
    update = AuditEntry.objects.filter(model="lto.report", channel="api").get()
    assert update.changes["section:media"] == [None, "One channel covered the campaign."]
    assert update.changes["section:campaign_environment"] == [
        "Rallies of two parties in the centre.", None]


def test_a_period_created_by_an_administrator_is_audited(scene):
    period = services.create_period(
        actor=scene.administrator, channel="page", mission=scene.mission, number=9,
        starts=scene.period.starts, ends=scene.period.ends,
        deadline=scene.period.deadline)
    entry = AuditEntry.objects.get(model="lto.period", object_id=str(period.pk))
    assert entry.changes["number"] == [None, 9]
