"""The register's pages and API: who reads and writes, the coordinator's area, the confidential
note for the core team only, 422 naming the field, figures opening their lists, export."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from eom.complaints.models import Case, Document
from tests.complaints.factories import make_case, make_rules
from tests.factories import make_api_token


@pytest.fixture
def cases(mission, tree, core_member):
    make_rules(mission)
    in_area = make_case(mission, core_member, body_location=tree["D1"], reference="IN-1",
                        note="CONFIDENTIAL-NOTE-1")
    outside = make_case(mission, core_member, body_location=tree["D2"], reference="OUT-1",
                        decided=dt.date(2023, 3, 10), decision="rejected")
    return in_area, outside


def _api(client, user, method, path, body=None):
    headers = {"Authorization": f"Bearer {make_api_token(user)}"}
    send = getattr(client, method)
    if body is None:
        return send(f"/api{path}", headers=headers)
    return send(f"/api{path}", body, content_type="application/json", headers=headers)


def test_the_coordinator_reads_its_area_only(client, cases, coordinator):
    client.force_login(coordinator)
    page = client.get("/complaints/").content.decode()
    assert "IN-1" in page.replace(">IN-1", ">IN-1") or cases[0].filer_name in page
    assert client.get(f"/complaints/{cases[0].pk}/").status_code == 200
    assert client.get(f"/complaints/{cases[1].pk}/").status_code == 404
    assert client.get("/complaints/new/").status_code == 403
    ids = [c["id"] for c in _api(client, coordinator, "get", "/complaints").json()["items"]]
    assert ids == [cases[0].pk]


def test_observers_read_nothing(client, cases, observer):
    client.force_login(observer)
    assert client.get("/complaints/").status_code == 403
    assert _api(client, observer, "get", "/complaints").status_code == 403


def test_the_note_is_for_the_core_team_only(client, cases, core_member, analyst):
    client.force_login(analyst)
    assert "CONFIDENTIAL-NOTE-1" not in client.get(f"/complaints/{cases[0].pk}/").content.decode()
    assert _api(client, analyst, "get", f"/complaints/{cases[0].pk}").json()["note"] is None
    client.force_login(core_member)
    assert "CONFIDENTIAL-NOTE-1" in client.get(f"/complaints/{cases[0].pk}/").content.decode()


def test_the_api_creates_and_answers_422_naming_the_field(client, cases, core_member, analyst):
    body = {"filer_kind": "voter", "filer_name": "A voter", "body_kind": "court",
            "body_level": "district", "filed": "2023-03-13", "appeal_of": cases[1].pk}
    answer = _api(client, core_member, "post", "/complaints", body)
    assert answer.status_code == 201, answer.content
    assert answer.json()["deadline"] == "2023-03-16" and answer.json()["appeal_of"] == cases[1].pk
    assert _api(client, analyst, "post", "/complaints", body).status_code == 403
    for bad, field in (({"decided": "2023-03-01", "decision": "upheld"}, "decided"),
                       ({"decision": "maybe"}, "decision"),
                       ({"summary": "x" * 20_001}, "summary"),
                       ({"filed": "2023-02-30"}, "filed")):
        answer = _api(client, core_member, "post", "/complaints", {**body, **bad})
        assert answer.status_code == 422, answer.content
        assert field in str(answer.json()["detail"][0]["loc"])
    case_id = answer and Case.objects.get(filer_name="A voter").pk
    update = {**body, "decided": "2023-03-14", "decision": "upheld"}
    answer = _api(client, core_member, "put", f"/complaints/{case_id}", update)
    assert answer.json()["within_deadline"] is True


def test_pages_record_a_case_and_the_figures_open_their_lists(client, cases, core_member):
    client.force_login(core_member)
    answer = client.post("/complaints/new/", {
        "filer_kind": "candidate", "filer_name": "Candidate B", "body_kind": "commission",
        "body_level": "district", "filed": "2023-03-01", "decided": "2023-03-02",
        "decision": "upheld", "note": ""})
    assert answer.status_code == 302, answer.content
    page = client.get("/complaints/figures/").content.decode()
    assert "?decision=upheld" in page and "?timing=late" in page
    late = client.get("/complaints/?timing=late").content.decode()
    assert f'/complaints/{cases[1].pk}/' in late
    assert f'/complaints/{cases[0].pk}/' not in late
    assert client.get("/complaints/?decision=zzz").status_code == 200


def test_export_csv_and_xlsx(client, cases, analyst):
    client.force_login(analyst)
    csv = client.get("/complaints/export/?decision=rejected")
    assert csv.status_code == 200 and b"OUT-1" in csv.content and b"IN-1" not in csv.content
    xlsx = client.get("/complaints/export/?format=xlsx")
    assert xlsx.content[:2] == b"PK"


def test_documents_are_bounded_and_downloaded(client, cases, core_member, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EOM_MAX_COMPLAINT_DOCUMENT_BYTES = 10
    client.force_login(core_member)
    url = f"/complaints/{cases[0].pk}/documents/"
    client.post(url, {"file": SimpleUploadedFile("big.pdf", b"x" * 11)})
    assert not Document.objects.exists()
    client.post(url, {"file": SimpleUploadedFile("../decision.pdf", b"%PDF-1")})
    document = Document.objects.get()
    assert document.name == "decision.pdf"
    answer = client.get(f"/complaints/{cases[0].pk}/documents/{document.pk}/")
    assert answer["Content-Disposition"].startswith("attachment")
    assert b"".join(answer.streaming_content) == b"%PDF-1"
