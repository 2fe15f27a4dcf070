"""The OData v4 feed read back by a small client, as Excel and Power BI read it: the service
document, the $metadata (CSDL XML) and every entity set page by page through @odata.nextLink;
scoped by the reader's access, authenticated by an API token."""

from __future__ import annotations

import base64
from urllib.parse import urlsplit

import pytest
from defusedxml import ElementTree
from django.test import Client

from eom.dataout import odata
from eom.dataout.models import Export
from tests.access.scene import build

EDM = "{http://docs.oasis-open.org/odata/ns/edm}"
ROOT = "/data/odata/"


@pytest.fixture
def scene(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build(canaries=False)


class FeedClient:
    """What an OData consumer does: read the service document, the metadata, then each set
    following nextLink until there is none."""

    def __init__(self, authorization: str) -> None:
        self.http = Client(HTTP_AUTHORIZATION=authorization)

    def get(self, url: str, **query):
        parts = urlsplit(url)
        response = self.http.get(parts.path + (f"?{parts.query}" if parts.query else ""), query)
        assert response.status_code == 200, response.content
        assert response["OData-Version"] == "4.0"
        return response

    def sets(self) -> list[str]:
        return [entry["url"] for entry in self.get(ROOT).json()["value"]]

    def metadata(self) -> dict[str, list[tuple[str, str]]]:
        """{entity set: [(property, type), ...]} from the CSDL."""
        root = ElementTree.fromstring(self.get(ROOT + "$metadata").content)
        types = {t.get("Name"): [(p.get("Name"), p.get("Type"))
                                 for p in t.findall(f"{EDM}Property")]
                 for t in root.iter(f"{EDM}EntityType")}
        return {s.get("Name"): types[s.get("EntityType").split(".", 1)[1]]
                for s in root.iter(f"{EDM}EntitySet")}

    def read(self, name: str, **query) -> list[dict]:
        rows, url, pages = [], ROOT + name, 0
        while url:
            body = self.get(url, **query).json()
            query = {}
            rows += body["value"]
            url = body.get("@odata.nextLink")
            pages += 1
            assert pages < 100
        return rows


def bearer(scene, role: str) -> str:
    return f"Bearer {scene.tokens[role]}"


def test_the_feed_reads_back_with_its_metadata(scene):
    feed = FeedClient(bearer(scene, "core"))
    sets = feed.sets()
    assert sets[:4] == ["Stations", "Submissions_opening", "Submissions_voting",
                        "Submissions_incident"]
    assert {"Answers", "QAFlags", "Analysis", "Protocols"} <= set(sets)
    metadata = feed.metadata()
    assert set(metadata) == set(sets)
    for name in sets:
        rows = feed.read(name)
        properties = [p for p, _type in metadata[name]]
        assert all(list(row) == properties for row in rows), name
    stations = feed.read("Stations")
    assert [s["Code"] for s in stations] == ["01001", "01002", "02001", "02002"]
    voting = feed.read("Submissions_voting")
    assert sorted((r["location"], r["voted"]) for r in voting) == [
        ("01001", 40), ("01002", 30), ("02001", 50)]
    assert dict(metadata["Submissions_voting"])["voted"] == "Edm.Int64"
    analysis = {(r["Question"], r["Answer"]): (r["Reports"], r["Answered"])
                for r in feed.read("Analysis") if r["Form"] == "voting"}
    assert analysis[("assessment", "bad")] == (1, 3)


def test_pages_follow_next_links_to_the_last_row(scene, monkeypatch):
    monkeypatch.setattr(odata, "PAGE_SIZE", 2)
    feed = FeedClient(bearer(scene, "core"))
    first = feed.get(ROOT + "Stations").json()
    assert len(first["value"]) == 2 and "$skip=2" in first["@odata.nextLink"]
    assert [s["Code"] for s in feed.read("Stations")] == ["01001", "01002", "02001", "02002"]
    assert [s["Code"] for s in feed.read("Stations", **{"$top": "3", "$skip": "1"})] == [
        "01002", "02001", "02002"]
    counted = feed.get(ROOT + "Stations", **{"$count": "true", "$top": "1"}).json()
    assert counted["@odata.count"] == 4 and "@odata.nextLink" not in counted


def test_an_observer_reads_its_own_reports_and_no_protocols(scene):
    feed = FeedClient(bearer(scene, "observer"))
    assert "Protocols" not in feed.sets()
    assert sorted(r["location"] for r in feed.read("Submissions_voting")) == ["01001", "01002"]
    assert {r["Location"] for r in feed.read("Answers")} == {"01001", "01002"}


def test_a_coordinator_reads_its_region_only(scene):
    feed = FeedClient(bearer(scene, "coordinator"))
    assert {r["Station"] for r in feed.read("Protocols")} == {"01001"}
    assert {r["location"] for r in feed.read("Submissions_voting")} == {"01001", "01002"}


def test_basic_with_the_token_as_password_is_what_excel_sends(scene):
    credentials = base64.b64encode(f"anyone:{scene.tokens['analyst']}".encode()).decode()
    feed = FeedClient(f"Basic {credentials}")
    assert len(feed.read("Submissions_voting")) == 3


@pytest.mark.parametrize("authorization", ["", "Bearer eom_wrong",
                                           "Basic " + base64.b64encode(b"x:wrong").decode()])
def test_without_a_valid_token_the_feed_asks_for_one(scene, authorization):
    response = Client(HTTP_AUTHORIZATION=authorization).get(ROOT + "Stations")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic ")


def test_an_outsider_is_refused(scene):
    response = Client(HTTP_AUTHORIZATION=bearer(scene, "outsider")).get(ROOT)
    assert response.status_code == 403


@pytest.mark.parametrize(("query", "option"), [({"$select": "Code"}, "$select"),
                                               ({"$filter": "startswith(Code,'0')"},
                                                "$filter"),
                                               ({"$top": "-1"}, "$top"),
                                               ({"$skip": "x"}, "$skip")])
def test_unsupported_or_bad_options_are_refused_by_name(scene, query, option):
    response = Client(HTTP_AUTHORIZATION=bearer(scene, "core")).get(ROOT + "Stations", query)
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith(option)


def test_each_page_read_is_audited(scene):
    FeedClient(bearer(scene, "analyst")).read("Stations")
    export = Export.objects.get()
    assert (export.table, export.format, export.n_rows, export.channel) == (
        "odata/Stations", "odata", 4, "api")
    assert export.actor == scene.users["analyst"]
