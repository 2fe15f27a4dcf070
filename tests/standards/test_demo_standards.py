"""The demo's commitments and recommendations: the paragraphs listed, ICCPR art. 25 quoted,
the rest marked as paraphrase; the 2021 recommendations synthetic, never quoted; evidence of
every kind tagged."""

from eom.demo.standards import load_standards
from eom.standards.models import AssessmentStatus, Commitment, Recommendation, Tag
from tests.factories import load_checklist, make_meeting
from tests.lto.factories import local, lto_scene, write_report


def test_the_demo_lists_commitments_recommendations_and_tags(mission, tree, core_member):
    scene = lto_scene(mission, tree)
    write_report(scene, submit_at=local(2023, 2, 20, 9))
    make_meeting(mission, actor=core_member)
    load_checklist(mission, "voting")
    n = load_standards(mission, core_member)
    assert n == {"commitments": 20, "recommendations": 12, "assessments": 10,
                 "evidence_tags": 5}
    quoted = Commitment.objects.filter(mission=mission, quoted=True)
    assert [(c.source, c.reference) for c in quoted] == [("ICCPR", "art. 25")]
    assert not Commitment.objects.filter(quoted=False).exclude(
        text__startswith="Paraphrase:").exists()
    assert all(c.source_url.startswith("https://") for c in Commitment.objects.all())
    recommendations = Recommendation.objects.filter(mission=mission)
    assert not recommendations.filter(synthetic=False).exists()
    assert not recommendations.filter(quoted=True).exists()
    assert recommendations.filter(assessment__status=AssessmentStatus.NO_LONGER_RELEVANT).count() == 1
    assert sorted(Tag.objects.values_list("kind", flat=True)) == [
        "indicator", "indicator", "lto_section", "meeting", "meeting"]
