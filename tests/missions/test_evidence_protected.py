"""The meetings log, the audit trail and the quick-count sample are evidence: a mission holding
any of them cannot be deleted (in the ORM or the admin), while a deliberate, audited deletion of
one meeting by the service still works."""

from __future__ import annotations

import pytest
from django.db.models import ProtectedError, RestrictedError
from django.urls import reverse

from eom.missions import audit, services
from eom.missions.models import AuditEntry, Channel, Meeting, Mission, Sample, SampledStation
from tests.factories import make_meeting, make_mission


def test_deleting_a_mission_with_meetings_is_refused(mission, core_member):
    meeting = make_meeting(mission, actor=core_member)

    with pytest.raises(ProtectedError):
        mission.delete()

    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_deleting_a_mission_with_an_audit_trail_is_refused(mission, tree):
    audit.record(actor=None, channel=Channel.COMMAND, action="update", obj=tree["KZ"],
                 changes={"name_en": ["KZ", "Kazakhstan"]}, mission=mission)

    with pytest.raises(ProtectedError):
        mission.delete()

    assert AuditEntry.objects.filter(mission=mission).count() == 1


def test_deleting_a_mission_in_the_admin_is_refused_with_the_reason(
    client, administrator, mission, core_member
):
    make_meeting(mission, actor=core_member, place="Central Election Commission")
    client.force_login(administrator)
    url = reverse("admin:missions_mission_delete", args=[mission.pk])

    page = client.get(url)
    posted = client.post(url, {"post": "yes"})

    assert page.status_code == posted.status_code == 200
    text = page.content.decode()
    assert "Cannot delete mission" in text
    assert "would require deleting the following protected related objects" in text
    assert "<li>Audit entries: 1</li>" in text
    assert "<li>Meetings: 1</li>" in text
    assert Mission.objects.filter(pk=mission.pk).exists()


def test_a_sample_protects_its_stations_and_its_mission(mission, tree):
    sample = Sample.objects.create(mission=mission, name="PVT", seed=1, size=1,
                                   population_size=4)
    SampledStation.objects.create(sample=sample, location=tree["01001"], stratum="R1")

    with pytest.raises(ProtectedError):
        tree["01001"].delete()
    with pytest.raises(RestrictedError):
        sample.delete()
    with pytest.raises(ProtectedError):
        mission.delete()

    assert SampledStation.objects.filter(sample=sample).count() == 1


def test_the_meeting_service_still_deletes_one_meeting_and_audits_it(mission, core_member):
    meeting = make_meeting(mission, actor=core_member)

    services.delete_meeting(actor=core_member, channel="page", meeting=meeting)

    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert AuditEntry.objects.filter(model="missions.meeting", action="delete").count() == 1


def test_a_mission_that_holds_nothing_can_be_deleted(db):
    empty = make_mission("empty")

    empty.delete()

    assert not Mission.objects.filter(code="empty").exists()
