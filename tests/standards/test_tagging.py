"""Tagging evidence: each kind named by its reference, only records the tagger sees, once per
target, the core team only, an audit entry for every write (sealed for a confidential
meeting)."""

import pytest
from django.core.exceptions import PermissionDenied

from eom.missions import permissions
from eom.missions.models import AuditEntry
from eom.standards import services
from eom.standards.models import Tag


def _tag(scene, kind, reference, actor=None, note="", **target):
    target = target or {"commitment": scene.commitment}
    return services.tag(actor=actor or scene.core, channel="page", mission=scene.mission,
                        kind=kind, reference=reference, note=note, **target)


def test_every_kind_of_evidence_is_tagged_by_its_reference(scene):
    _tag(scene, "lto_section", f"{scene.submitted.pk}:campaign_environment", note="Rallies")
    _tag(scene, "complaint", str(scene.case.pk))
    _tag(scene, "meeting", str(scene.public_meeting.pk))
    _tag(scene, "indicator", "voting:voting_negative")
    tags = Tag.objects.filter(commitment=scene.commitment).order_by("pk")
    assert [(t.kind, t.report_id, t.heading, t.case_id, t.meeting_id, t.form_id, t.indicator)
            for t in tags] == [
        ("lto_section", scene.submitted.pk, "campaign_environment", None, None, "", ""),
        ("complaint", None, "", scene.case.pk, None, "", ""),
        ("meeting", None, "", None, scene.public_meeting.pk, "", ""),
        ("indicator", None, "", None, None, "voting", "voting_negative")]
    assert tags[0].note == "Rallies"


@pytest.mark.parametrize("kind, reference", [
    ("complaint", "999999"), ("meeting", "abc"), ("lto_section", "12"),
    ("lto_section", "1:no_such_heading"), ("indicator", "voting:nothing"),
    ("indicator", "voting"), ("complaint", "1:media"), ("meeting", "9" * 40)])
def test_a_reference_to_no_record_is_refused_naming_the_reference(scene, kind, reference):
    with pytest.raises(services.Rejected) as refused:
        _tag(scene, kind, reference)
    assert list(refused.value.errors) == ["reference"]


def test_a_draft_lto_passage_is_not_evidence_for_the_core_team(scene):
    with pytest.raises(services.Rejected) as refused:
        _tag(scene, "lto_section", f"{scene.draft.pk}:campaign_environment")
    assert list(refused.value.errors) == ["reference"]


def test_an_unknown_kind_is_refused_naming_the_kind(scene):
    with pytest.raises(services.Rejected) as refused:
        _tag(scene, "rumour", "1")
    assert list(refused.value.errors) == ["kind"]


def test_the_same_evidence_is_tagged_once_per_target(scene):
    _tag(scene, "complaint", str(scene.case.pk))
    with pytest.raises(services.Rejected) as refused:
        _tag(scene, "complaint", str(scene.case.pk))
    assert list(refused.value.errors) == ["reference"]
    _tag(scene, "complaint", str(scene.case.pk), recommendation=scene.recommendation)
    assert Tag.objects.filter(case=scene.case).count() == 2


def test_a_tag_names_one_target_exactly(scene):
    with pytest.raises(services.Rejected):
        _tag(scene, "complaint", str(scene.case.pk), commitment=scene.commitment,
             recommendation=scene.recommendation)


def test_a_note_longer_than_the_limit_is_refused(scene):
    with pytest.raises(services.Rejected) as refused:
        _tag(scene, "complaint", str(scene.case.pk), note="x" * 1001)
    assert list(refused.value.errors) == ["note"]


@pytest.mark.parametrize("role", ["analyst", "administrator", "coordinator", "lto"])
def test_only_the_core_team_tags(scene, role):
    with pytest.raises(PermissionDenied):
        _tag(scene, "complaint", str(scene.case.pk), actor=getattr(scene, role))
    assert Tag.objects.count() == 0


def test_tagging_and_untagging_are_audited(scene):
    made = _tag(scene, "complaint", str(scene.case.pk), note="Late decision")
    created = AuditEntry.objects.get(model="standards.tag", object_id=str(made.pk),
                                     action="create")
    assert created.changes["note"] == [None, "Late decision"]
    assert created.changes["case"] == [None, scene.case.pk]
    assert not created.confidential
    pk = made.pk
    services.untag(actor=scene.core, channel="page", tag=made)
    assert not Tag.objects.exists()
    deleted = AuditEntry.objects.get(model="standards.tag", object_id=str(pk),
                                     action="delete")
    assert deleted.changes["note"] == ["Late decision", None]


def test_a_tag_on_a_confidential_meeting_is_audited_sealed(scene):
    made = _tag(scene, "meeting", str(scene.secret_meeting.pk), note="SECRET-NOTE")
    entry = AuditEntry.objects.get(model="standards.tag", object_id=str(made.pk))
    assert entry.confidential
    assert "SECRET-NOTE" not in str(entry.changes) and "SECRET-NOTE" not in entry.object_repr


def test_a_tag_made_before_its_meeting_became_confidential_leaves_the_administrators_trail(scene):
    made = _tag(scene, "meeting", str(scene.public_meeting.pk), note="EARLY-NOTE")
    visible = permissions.audit_entries_visible_to
    tag_entries = {"model": "standards.tag", "object_id": str(made.pk)}
    assert visible(scene.administrator, scene.mission).filter(**tag_entries).count() == 1
    type(scene.public_meeting).objects.filter(pk=scene.public_meeting.pk).update(
        confidential=True)
    assert not visible(scene.administrator, scene.mission).filter(**tag_entries).exists()
    assert visible(scene.core, scene.mission).filter(**tag_entries).count() == 1
