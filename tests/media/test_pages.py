"""The media pages: figures whose numbers open their items, one item's form, the sheet
upload, the export."""

from eom.media.models import Item
from tests.factories import make_api_token, make_table_file
from tests.media.factories import code


def test_the_figures_page_links_each_figure_to_its_items(media, client, analyst):
    code(media, media.khabar, party="AMANAT", seconds=120, programme="News")
    code(media, media.ktk, party="AUYL", seconds=80)
    client.force_login(analyst)
    page = client.get("/media/").content.decode()
    assert "<svg" in page and "60.0 %" in page and "40.0 %" in page
    amanat = media.parties["AMANAT"].pk
    link = f"/media/items/?counted=1&amp;measure=time&amp;subject=party%3A{amanat}"
    assert link in page
    listed = client.get(link.replace("&amp;", "&")).content.decode()
    assert "<td>News</td>" in listed and "<td>KTK</td>" not in listed


def test_a_writer_codes_an_item_on_the_page(media, client, core_member):
    client.force_login(core_member)
    response = client.post("/media/items/new/", {
        "outlet": media.paper.pk, "date": "2023-02-21", "programme": "Page 1", "cm2": "250",
        "subject_kind": "official", "subject_name": "Akim", "tone": "neutral",
        "coder": "M1"})
    assert response.status_code == 302
    assert Item.objects.get().cm2 == 250


def test_the_form_names_a_field_that_does_not_fit(media, client, core_member):
    client.force_login(core_member)
    page = client.post("/media/items/new/", {
        "outlet": media.khabar.pk, "date": "2023-02-21", "programme": "News", "cm2": "250",
        "subject_kind": "party", "tone": "neutral", "coder": "M1"}).content.decode()
    assert "is required for television and radio" in page
    assert not Item.objects.exists()


def test_a_sheet_uploaded_on_the_page_is_imported(media, client, core_member, tmp_path):
    path = make_table_file(tmp_path / "s.csv", ["outlet", "date", "programme", "seconds",
                                                 "subject_kind", "subject", "tone", "coder"],
                           [["Khabar", "2023-02-21", "News", "60", "party", "AUYL",
                             "negative", "M3"]])
    client.force_login(core_member)
    with open(path, "rb") as handle:
        page = client.post("/media/import/", {"file": handle, "dry_run": ""})
    assert page.status_code == 200
    assert Item.objects.get().coder == "M3"


def test_the_items_export_as_csv(media, client, analyst):
    code(media, media.khabar, seconds=30, programme="Morning")
    client.force_login(analyst)
    response = client.get("/media/items/export/?format=csv")
    body = response.content.decode("utf-8-sig")
    assert body.splitlines()[0].startswith("outlet,date,programme,seconds")
    assert "Morning" in body
    assert client.get("/media/items/export/?format=pdf").status_code == 400


def test_an_analyst_reads_but_does_not_write(media, client, analyst):
    client.force_login(analyst)
    assert client.get("/media/reliability/").status_code == 200
    assert client.get("/media/items/new/").status_code == 403
    assert client.get("/media/import/").status_code == 403


def test_filters_out_of_range_list_nothing_rather_than_fail(media, client, analyst):
    code(media, media.khabar, seconds=30)
    client.force_login(analyst)
    for query in ("subject=party:99999999999999999999999", "subject=candidate:-1",
                  "subject=official", "week=9999-12-31", "week=0001-01-01", "outlet=2"):
        response = client.get(f"/media/items/?{query}")
        assert response.status_code == 200, query
        assert "<td>News</td>" not in response.content.decode(), query
    assert client.get("/api/media/items?subject=party:99999999999999999999999",
                      HTTP_AUTHORIZATION=f"Bearer {make_api_token(analyst)}").status_code == 200
