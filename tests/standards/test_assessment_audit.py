"""Assessing a recommendation: the core team sets its status and evidence; each change leaves
an audit entry with what changed, and nothing when nothing changed."""

import pytest
from django.core.exceptions import PermissionDenied

from eom.missions.models import AuditEntry
from eom.standards import services
from eom.standards.models import Assessment


def _assess(scene, status, evidence="", actor=None):
    return services.assess(actor=actor or scene.core, channel="page",
                           recommendation=scene.recommendation, status=status,
                           evidence=evidence)


def test_an_assessment_and_its_change_are_audited(scene):
    first = _assess(scene, "not_implemented", "No change in the law.")
    assert first.assessed_by == scene.core and first.assessed_at is not None
    _assess(scene, "partly", "The law was amended in part.")
    entries = AuditEntry.objects.filter(model="standards.assessment",
                                        object_id=str(first.pk)).order_by("seq")
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[0].changes["status"] == [None, "not_implemented"]
    assert entries[1].changes["status"] == ["not_implemented", "partly"]
    assert entries[1].changes["evidence"] == ["No change in the law.",
                                              "The law was amended in part."]
    assert Assessment.objects.get().status == "partly"


def test_the_same_assessment_again_writes_no_entry(scene):
    _assess(scene, "implemented")
    _assess(scene, "implemented")
    assert AuditEntry.objects.filter(model="standards.assessment").count() == 1


def test_an_unknown_status_is_refused_naming_it(scene):
    with pytest.raises(services.Rejected) as refused:
        _assess(scene, "done")
    assert list(refused.value.errors) == ["status"]
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("role", ["analyst", "administrator", "coordinator"])
def test_only_the_core_team_assesses(scene, role):
    with pytest.raises(PermissionDenied):
        _assess(scene, "implemented", actor=getattr(scene, role))


def test_the_page_saves_an_assessment_for_the_core_team_only(scene, client):
    url = f"/standards/recommendations/{scene.recommendation.pk}/"
    client.force_login(scene.analyst)
    assert client.post(url, {"status": "implemented"}).status_code == 403
    client.force_login(scene.core)
    answer = client.post(url, {"status": "implemented", "evidence": "Published."})
    assert answer.status_code == 302
    assert Assessment.objects.get().evidence == "Published."
    invalid = client.post(url, {"status": "done"})
    assert invalid.status_code == 200 and "done" in invalid.content.decode()
