"""The pages that write commitments and recommendations: new and edit forms for the core team
only, through the services; refusals named at the field, nothing half written; every change
audited, none when nothing changed."""

import pytest

from eom.missions.models import AuditEntry
from eom.standards import services
from eom.standards.models import Commitment, Recommendation

COMMITMENT = {"source": "Copenhagen Document 1990", "reference": "para 7.7",
              "title": "Free campaign", "title_ru": "", "title_kk": "", "text": "",
              "source_url": ""}
RECOMMENDATION = {"report_name": "Final report 2021", "report_year": "2021", "number": "2",
                  "text": "Publish protocols.", "text_ru": "", "text_kk": "", "priority": "",
                  "source_url": ""}


def test_the_roll_up_links_to_the_new_commitment_form_for_the_core_team_only(scene, client):
    client.force_login(scene.core)
    assert "/standards/commitments/new/" in client.get("/standards/").content.decode()
    assert "/standards/recommendations/new/" in client.get(
        "/standards/recommendations/").content.decode()
    client.force_login(scene.analyst)
    assert "/standards/commitments/new/" not in client.get("/standards/").content.decode()
    assert "/standards/recommendations/new/" not in client.get(
        "/standards/recommendations/").content.decode()
    assert client.post("/standards/commitments/new/", COMMITMENT).status_code == 403
    assert Commitment.objects.count() == 1


def test_a_commitment_posted_on_the_page_is_made_and_audited(scene, client):
    client.force_login(scene.core)
    answer = client.post("/standards/commitments/new/", COMMITMENT)
    made = Commitment.objects.get(reference="para 7.7")
    assert answer.status_code == 302
    assert answer["Location"] == f"/standards/commitments/{made.pk}/"
    assert made.title == "Free campaign" and made.mission == scene.mission
    entry = AuditEntry.objects.get(model="standards.commitment", object_id=str(made.pk))
    assert entry.action == "create" and entry.channel == "page"


def test_a_paragraph_listed_twice_is_refused_at_the_reference_and_nothing_written(
        scene, client):
    client.force_login(scene.core)
    answer = client.post("/standards/commitments/new/",
                         dict(COMMITMENT, reference="para 7.4"))
    assert answer.status_code == 200
    assert answer.context["form"].errors["reference"] == [
        "the mission lists this paragraph of this source already"]
    assert Commitment.objects.count() == 1


def test_a_quoted_commitment_without_its_address_is_refused_at_the_address(scene, client):
    client.force_login(scene.core)
    answer = client.post("/standards/commitments/new/", dict(COMMITMENT, quoted="on"))
    assert answer.context["form"].errors["source_url"] == [
        "a quoted text needs the address it was quoted from"]
    assert Commitment.objects.count() == 1


def test_a_commitment_edited_on_the_page_changes_and_audits_what_changed(scene, client):
    client.force_login(scene.core)
    page = client.get(f"/standards/commitments/{scene.commitment.pk}/edit/")
    assert page.context["form"].initial["title"] == "Honest count"
    answer = client.post(f"/standards/commitments/{scene.commitment.pk}/edit/", {
        "source": "Copenhagen Document 1990", "reference": "para 7.4",
        "title": "Honest count and tabulation", "title_ru": "Честный подсчёт"})
    assert answer.status_code == 302
    scene.commitment.refresh_from_db()
    assert scene.commitment.title == "Honest count and tabulation"
    entry = AuditEntry.objects.get(model="standards.commitment", action="update")
    assert set(entry.changes) == {"title", "title_ru"}


def test_a_commitment_saved_unchanged_writes_no_entry(scene):
    services.update_commitment(actor=scene.core, channel="page", commitment=scene.commitment,
                               data=services.commitment_data(scene.commitment))
    assert not AuditEntry.objects.filter(model="standards.commitment", action="update").exists()


def test_an_edit_onto_another_commitments_paragraph_is_refused_and_nothing_changes(scene):
    other = services.create_commitment(
        actor=scene.core, channel="page", mission=scene.mission, data=services.CommitmentData(
            source="Copenhagen Document 1990", reference="para 7.7", title="Free campaign"))
    data = services.commitment_data(other)
    data.reference, data.title = "para 7.4", "Changed"
    with pytest.raises(services.Rejected) as refused:
        services.update_commitment(actor=scene.core, channel="page", commitment=other,
                                   data=data)
    assert set(refused.value.errors) == {"reference"}
    other.refresh_from_db()
    assert (other.reference, other.title) == ("para 7.7", "Free campaign")


def test_a_recommendation_posted_and_edited_on_the_page(scene, client):
    client.force_login(scene.core)
    answer = client.post("/standards/recommendations/new/", RECOMMENDATION)
    made = Recommendation.objects.get(number=2)
    assert answer["Location"] == f"/standards/recommendations/{made.pk}/"
    answer = client.post(f"/standards/recommendations/{made.pk}/edit/",
                         dict(RECOMMENDATION, priority="priority"))
    assert answer.status_code == 302
    made.refresh_from_db()
    assert made.priority == "priority"
    actions = list(AuditEntry.objects.filter(model="standards.recommendation",
                                             object_id=str(made.pk)).values_list(
        "action", flat=True).order_by("pk"))
    assert actions == ["create", "update"]


def test_a_recommendation_number_taken_is_refused_at_the_number(scene, client):
    client.force_login(scene.core)
    answer = client.post("/standards/recommendations/new/", dict(RECOMMENDATION, number="1"))
    assert answer.status_code == 200
    assert answer.context["form"].errors["number"] == [
        "the report's recommendation of this number is listed already"]
    assert Recommendation.objects.count() == 1


def test_a_year_out_of_range_is_refused_at_the_year(scene, client):
    client.force_login(scene.core)
    answer = client.post("/standards/recommendations/new/",
                         dict(RECOMMENDATION, report_year="99999999999999"))
    assert answer.status_code == 200
    assert "report_year" in answer.context["form"].errors
    assert Recommendation.objects.count() == 1


def test_a_synthetic_text_marked_quoted_is_refused_at_quoted(scene, client):
    client.force_login(scene.core)
    answer = client.post(f"/standards/recommendations/{scene.recommendation.pk}/edit/", dict(
        RECOMMENDATION, number="1", synthetic="on", quoted="on",
        source_url="https://example.org/report"))
    assert answer.context["form"].errors["quoted"] == ["a synthetic text is never quoted"]
    scene.recommendation.refresh_from_db()
    assert scene.recommendation.text == "Publish results by polling station."


@pytest.mark.parametrize("role", ["analyst", "administrator", "coordinator"])
def test_only_the_core_team_edits(scene, role):
    with pytest.raises(services.PermissionDenied):
        services.update_recommendation(
            actor=getattr(scene, role), channel="page", recommendation=scene.recommendation,
            data=services.recommendation_data(scene.recommendation))
