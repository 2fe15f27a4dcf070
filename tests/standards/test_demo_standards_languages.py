"""The demo's commitments, recommendations and assessments in Russian and Kazakh: each has its
translation, a Russian or Kazakh page shows it and none of the English words, and a quoted
text's translation is never shown as the document's words."""

import html

import pytest

from eom.demo.standards import load_standards
from eom.standards import services
from eom.standards.models import Assessment, Commitment, Recommendation
from tests.lto.factories import lto_scene

TRANSLATED = [(Commitment, "text"), (Commitment, "title"), (Recommendation, "text"),
              (Assessment, "evidence")]


@pytest.fixture
def demo(mission, tree):
    scene = lto_scene(mission, tree)
    load_standards(mission, scene.core)
    return scene


def page(client, user, url: str, language: str) -> str:
    client.cookies["django_language"] = language
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_every_demo_text_has_a_russian_and_a_kazakh_translation(demo):
    for model, field in TRANSLATED:
        records = list(model.objects.all())
        assert records, model
        for record in records:
            english, ru, kk = (getattr(record, f) for f in (field, f"{field}_ru", f"{field}_kk"))
            assert ru and kk and len({english, ru, kk}) == 3, (record, field)
    assert Commitment.objects.filter(quoted=False).count() == 19
    assert not Commitment.objects.filter(quoted=False).exclude(
        text_ru__startswith="Пересказ:").exists()
    assert not Commitment.objects.filter(quoted=False).exclude(
        text_kk__startswith="Мазмұндама:").exists()
    assert Assessment.objects.exclude(
        evidence_ru__startswith="Синтетическая оценка для демонстрации:").count() == 0


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_recommendation_pages_show_the_readers_language_and_no_english(
        demo, client, language):
    # An analyst reads (the core team's page also holds the form, with every language's text).
    listed = page(client, demo.analyst, "/standards/recommendations/", language)
    for recommendation in Recommendation.objects.select_related("assessment"):
        translated = getattr(recommendation, f"text_{language}")
        assert translated.split()[0] in listed
        assert recommendation.text.split(",")[0] not in listed
        shown = page(client, demo.analyst, f"/standards/recommendations/{recommendation.pk}/",
                     language)
        assert translated in shown
        assert recommendation.text not in shown
        assessment = getattr(recommendation, "assessment", None)
        if assessment is not None:
            assert getattr(assessment, f"evidence_{language}") in shown
            assert assessment.evidence not in shown


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_commitment_pages_show_the_translation_never_as_a_quotation(demo, client, language):
    for commitment in Commitment.objects.all():
        shown = page(client, demo.analyst, f"/standards/commitments/{commitment.pk}/", language)
        assert getattr(commitment, f"text_{language}").split("\n")[0] in shown
        assert commitment.text.split("\n")[0] not in shown
    iccpr = Commitment.objects.get(source="ICCPR")
    shown = page(client, demo.analyst, f"/standards/commitments/{iccpr.pk}/", language)
    badge = {"ru": "перевод цитируемого текста, а не слова документа",
             "kk": "дәйексөздің аудармасы, құжаттың өз сөздері емес"}[language]
    assert badge in shown
    assert '<blockquote lang="en">' not in shown
    english = page(client, demo.analyst, f"/standards/commitments/{iccpr.pk}/", "en")
    assert '<blockquote lang="en">Every citizen shall have the right' in english
    assert badge not in english


def test_an_assessment_in_three_languages_is_saved_with_its_audit_entry(demo):
    recommendation = Recommendation.objects.get(number=7)
    assessment = services.assess(
        actor=demo.core, channel="page", recommendation=recommendation, status="partly",
        evidence="Some progress.", evidence_ru="Есть продвижение.",
        evidence_kk="Біраз ілгерілеу бар.")
    assert (assessment.evidence_ru, assessment.evidence_kk) == (
        "Есть продвижение.", "Біраз ілгерілеу бар.")
    with pytest.raises(services.Rejected) as refused:
        services.assess(actor=demo.core, channel="page", recommendation=recommendation,
                        status="partly", evidence_kk="Қ" * 20_001)
    assert list(refused.value.errors) == ["evidence_kk"]
