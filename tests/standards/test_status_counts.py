"""Recommendations by status: every status counted, a recommendation never assessed as "not
yet assessed"; each count opens its list."""

from eom.standards import services
from eom.standards.models import Recommendation


def _recommendation(scene, number):
    return services.create_recommendation(
        actor=scene.core, channel="page", mission=scene.mission,
        data=services.RecommendationData(report_name="Final report 2021", report_year=2021,
                                         number=number, text=f"Recommendation {number}"))


def test_every_status_is_counted_with_the_unassessed(scene):
    more = [_recommendation(scene, n) for n in (2, 3, 4)]
    for recommendation, status in zip(more, ["partly", "partly", "not_assessed"], strict=True):
        services.assess(actor=scene.core, channel="page", recommendation=recommendation,
                        status=status)
    counts = {c.status: c.n for c in services.status_counts(
        Recommendation.objects.filter(mission=scene.mission))}
    assert counts == {"not_assessed": 2, "implemented": 0, "partly": 2, "not_implemented": 0,
                      "no_longer_relevant": 0}


def test_an_empty_list_counts_zero_everywhere(scene):
    counts = services.status_counts(Recommendation.objects.none())
    assert [c.n for c in counts] == [0, 0, 0, 0, 0]


def test_each_count_opens_its_list(scene, client):
    partly = _recommendation(scene, 2)
    services.assess(actor=scene.core, channel="page", recommendation=partly, status="partly")
    client.force_login(scene.analyst)
    page = client.get("/standards/recommendations/").content.decode()
    assert "?status=partly" in page
    listed = client.get("/standards/recommendations/", {"status": "partly"})
    assert [r.pk for r in listed.context["recommendations"]] == [partly.pk]
    unassessed = client.get("/standards/recommendations/", {"status": "not_assessed"})
    assert [r.pk for r in unassessed.context["recommendations"]] == [scene.recommendation.pk]
