"""The roll-up by commitment shows each reader only the evidence it may see, each kind through
its own access helper; its queries do not grow with the evidence."""

import pytest

from eom.standards import permissions, services


def _tag_everything(scene):
    for kind, reference, note in [
            ("lto_section", f"{scene.submitted.pk}:campaign_environment", "lto"),
            ("complaint", str(scene.case.pk), "case"),
            ("meeting", str(scene.public_meeting.pk), "public"),
            ("meeting", str(scene.secret_meeting.pk), "SECRET-TAG-NOTE"),
            ("indicator", "voting:voting_negative", "indicator")]:
        services.tag(actor=scene.core, channel="page", mission=scene.mission, kind=kind,
                     reference=reference, note=note, commitment=scene.commitment)


def _rolled(scene, user):
    commitments = permissions.commitments_visible_to(user, scene.mission)
    return services.rollup(user, scene.mission, commitments)


def test_the_core_team_reads_every_piece_of_evidence_grouped_by_kind(scene):
    _tag_everything(scene)
    [rolled] = _rolled(scene, scene.core)
    assert [(g.kind, [e.note for e in g.items]) for g in rolled.groups] == [
        ("lto_section", ["lto"]), ("complaint", ["case"]),
        ("meeting", ["public", "SECRET-TAG-NOTE"]), ("indicator", ["indicator"])]
    assert rolled.n_evidence == 5
    lto = rolled.groups[0].items[0]
    assert lto.url == f"/lto/{scene.submitted.pk}/"
    assert lto.excerpt == "Rallies of two parties in the centre."
    assert rolled.groups[3].items[0].label == "Voting assessed negatively"


@pytest.mark.parametrize("role", ["analyst", "administrator"])
def test_readers_outside_the_core_team_miss_the_confidential_meeting(scene, role):
    _tag_everything(scene)
    [rolled] = _rolled(scene, getattr(scene, role))
    notes = [e.note for g in rolled.groups for e in g.items]
    assert notes == ["lto", "case", "public", "indicator"]
    assert "SECRET" not in repr(rolled)


@pytest.mark.parametrize("role", ["coordinator", "lto"])
def test_coordinators_and_observers_read_no_commitment(scene, role):
    _tag_everything(scene)
    assert _rolled(scene, getattr(scene, role)) == []
    assert not permissions.tags_visible_to(getattr(scene, role), scene.mission).exists()


def test_the_roll_up_page_hides_the_confidential_note_from_analysts(scene, client):
    _tag_everything(scene)
    client.force_login(scene.analyst)
    page = client.get("/standards/").content.decode()
    assert "public" in page and "SECRET" not in page
    client.force_login(scene.core)
    page = client.get("/standards/").content.decode()
    assert "SECRET-TAG-NOTE" in page and "SECRET-POINTS" in page


def test_the_roll_up_filters_by_source(scene, client):
    services.create_commitment(actor=scene.core, channel="page", mission=scene.mission,
                               data=services.CommitmentData(source="ICCPR", reference="art. 25",
                                                            title="Take part"))
    client.force_login(scene.analyst)
    answer = client.get("/standards/", {"source": "ICCPR"})
    assert [r.target.reference for r in answer.context["rolled"]] == ["art. 25"]


@pytest.mark.parametrize("n", [1, 3])
def test_the_roll_up_takes_a_fixed_number_of_queries(scene, n, django_assert_num_queries):
    for k in range(n):
        commitment = services.create_commitment(
            actor=scene.core, channel="page", mission=scene.mission,
            data=services.CommitmentData(source="Doc", reference=f"para {k}", title="T"))
        services.tag(actor=scene.core, channel="page", mission=scene.mission, kind="complaint",
                     reference=str(scene.case.pk), commitment=commitment)
        services.tag(actor=scene.core, channel="page", mission=scene.mission,
                     kind="lto_section", commitment=commitment,
                     reference=f"{scene.submitted.pk}:campaign_environment")
    commitments = permissions.commitments_visible_to(scene.analyst, scene.mission)
    assert scene.analyst.person.access == "analyst"  # loaded once per request, as a page does
    with django_assert_num_queries(3):
        rolled = services.rollup(scene.analyst, scene.mission, commitments)
    assert sum(r.n_evidence for r in rolled) == 2 * n
