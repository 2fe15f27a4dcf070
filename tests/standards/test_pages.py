"""The pages: the tag form filled from an evidence page's link, a tag posted and removed, the
link shown on evidence pages to the core team only."""

from eom.standards.models import Tag


def test_the_link_on_a_meeting_page_opens_the_filled_tag_form(scene, client):
    client.force_login(scene.core)
    page = client.get(f"/meetings/{scene.public_meeting.pk}/").content.decode()
    link = f"/standards/tag/?kind=meeting&amp;reference={scene.public_meeting.pk}"
    assert link in page
    form = client.get("/standards/tag/", {"kind": "meeting",
                                          "reference": scene.public_meeting.pk})
    assert form.context["form"].initial["reference"] == str(scene.public_meeting.pk)


def test_the_link_is_not_shown_to_analysts(scene, client):
    client.force_login(scene.analyst)
    page = client.get(f"/complaints/{scene.case.pk}/").content.decode()
    assert "/standards/tag/" not in page


def test_a_tag_posted_on_the_page_and_removed(scene, client):
    client.force_login(scene.core)
    answer = client.post("/standards/tag/", {
        "commitment": scene.commitment.pk, "kind": "complaint",
        "reference": scene.case.pk, "note": "Decided late"})
    assert answer.status_code == 302
    assert answer["Location"] == f"/standards/commitments/{scene.commitment.pk}/"
    made = Tag.objects.get()
    page = client.get(answer["Location"]).content.decode()
    assert "Decided late" in page
    assert client.post(f"/standards/tag/{made.pk}/delete/").status_code == 302
    assert not Tag.objects.exists()


def test_a_tag_naming_no_record_re_renders_the_form_with_the_reason(scene, client):
    client.force_login(scene.core)
    answer = client.post("/standards/tag/", {
        "commitment": scene.commitment.pk, "kind": "complaint", "reference": "999999"})
    assert answer.status_code == 200
    assert answer.context["form"].errors["reference"] == ["names no record you can see"]


def test_a_submitted_lto_passage_links_to_the_tag_form_with_its_heading(scene, client):
    client.force_login(scene.core)
    page = client.get(f"/lto/{scene.submitted.pk}/").content.decode()
    assert (f"/standards/tag/?kind=lto_section&amp;reference={scene.submitted.pk}"
            "%3Acampaign_environment") in page
