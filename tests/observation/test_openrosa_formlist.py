"""The OpenRosa form list ODK Collect reads, and the XForms it links to: structure, headers,
hashes, and who may read them."""

import hashlib
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from eom.missions.models import Access
from eom.observation.models import Form
from tests.factories import basic_auth, load_checklist, make_mission, make_user

URL = "/openrosa/formList"
NS = "{http://openrosa.org/xforms/xformsList}"
XF = "{http://www.w3.org/2002/xforms}"


@pytest.fixture
def checklists(mission):
    return {name: load_checklist(mission, name) for name in ("opening", "voting", "incident")}


def entries(response) -> list[dict[str, str]]:
    root = ET.fromstring(response.content)
    assert root.tag == f"{NS}xforms"
    return [
        {child.tag.removeprefix(NS): child.text for child in xform}
        for xform in root.findall(f"{NS}xform")
    ]


def test_form_list_lists_each_checklist_with_id_name_version_hash_and_url(
    client, observer, checklists
):
    response = client.get(URL, **basic_auth(observer))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response["X-OpenRosa-Version"] == "1.0"
    assert response["Date"].endswith(" GMT")
    listed = entries(response)
    assert [(e["formID"], e["name"], e["version"]) for e in listed] == [  # the day's order
        ("opening", "Opening of the polling station", "2023031901"),
        ("voting", "Voting (one per visit)", "2023031901"),
        ("incident", "Incident report", "2023031901"),
    ]
    assert [sorted(e) for e in listed] == [
        ["downloadUrl", "formID", "hash", "name", "version"]] * 3
    assert listed[1]["downloadUrl"] == "http://testserver/openrosa/forms/voting/form.xml"


def test_form_list_hash_is_the_md5_of_the_xform_served(client, observer, checklists):
    for entry in entries(client.get(URL, **basic_auth(observer))):
        response = client.get(urlsplit(entry["downloadUrl"]).path, **basic_auth(observer))
        assert response.status_code == 200
        assert response["Content-Type"] == "text/xml; charset=utf-8"
        assert response["X-OpenRosa-Version"] == "1.0"
        assert entry["hash"] == "md5:" + hashlib.md5(response.content).hexdigest()
        model = ET.fromstring(response.content).find(f".//{XF}model")
        data = next(iter(model.find(f"{XF}instance")))
        assert (data.get("id"), data.get("version")) == (entry["formID"], entry["version"])


def test_form_list_with_form_id_lists_only_that_form(client, observer, checklists):
    response = client.get(URL, {"formID": "voting"}, **basic_auth(observer))
    assert [e["formID"] for e in entries(response)] == ["voting"]


def test_form_list_leaves_out_forms_without_version_and_other_missions_forms(
    client, observer, checklists
):
    Form.objects.create(mission=checklists["voting"].form.mission, form_id="draft",
                        title="Draft", stage="voting")
    other = make_mission("other-mission")
    load_checklist(other, "counting")
    listed = [e["formID"] for e in entries(client.get(URL, **basic_auth(observer)))]
    assert listed == ["opening", "voting", "incident"]


def test_form_list_reads_as_many_queries_for_one_form_as_for_three(client, observer, mission):
    def count() -> int:
        client.get(URL, **basic_auth(observer))  # the XForms are generated once per process
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, **basic_auth(observer)).status_code == 200
        return len(queries)

    load_checklist(mission, "voting")
    one = count()
    load_checklist(mission, "opening")
    load_checklist(mission, "counting")
    assert len(entries(client.get(URL, **basic_auth(observer)))) == 3
    assert count() == one


def test_form_list_without_credentials_asks_for_them(client, observer, checklists):
    response = client.get(URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="eom", charset="UTF-8"'
    assert response["X-OpenRosa-Version"] == "1.0"


def test_form_list_with_a_wrong_password_asks_again(client, observer, checklists):
    response = client.get(URL, **basic_auth(observer, "not-the-password"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="eom", charset="UTF-8"'


@pytest.mark.parametrize("header", ["Basic !!!", "Basic " + "dXNlcg==", "Digest username=x",
                                    "Bearer abc"])
def test_form_list_with_a_malformed_or_other_authorization_asks_for_basic(
    client, observer, checklists, header
):
    response = client.get(URL, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_form_list_refuses_an_inactive_login(client, observer, checklists):
    observer.is_active = False
    observer.save()
    assert client.get(URL, **basic_auth(observer)).status_code == 401


def test_form_list_refuses_a_login_without_access_to_the_mission(client, outsider, checklists):
    response = client.get(URL, **basic_auth(outsider))
    assert response.status_code == 403
    assert response["X-OpenRosa-Version"] == "1.0"
    assert b"Your login has no access to the mission." in response.content


def test_form_list_refuses_a_person_with_no_access(client, mission, checklists):
    user = make_user(mission, Access.NONE)
    assert client.get(URL, **basic_auth(user)).status_code == 403


def test_form_list_over_plain_http_from_another_machine_is_refused(
    client, observer, checklists
):
    response = client.get(URL, REMOTE_ADDR="192.0.2.10", **basic_auth(observer))
    assert response.status_code == 403
    assert "over HTTPS only" in response.content.decode()


def test_form_list_over_https_from_another_machine_links_https_urls(
    client, observer, checklists
):
    response = client.get(URL, REMOTE_ADDR="192.0.2.10", secure=True, **basic_auth(observer))
    assert response.status_code == 200
    assert entries(response)[0]["downloadUrl"].startswith("https://testserver/openrosa/")


def test_form_list_behind_a_tls_proxy_on_this_machine_links_https_urls(
    client, observer, checklists
):
    response = client.get(URL, HTTP_X_FORWARDED_PROTO="https", **basic_auth(observer))
    assert entries(response)[0]["downloadUrl"].startswith("https://testserver/openrosa/")


def test_forwarded_proto_from_another_machine_is_not_trusted(client, observer, checklists):
    response = client.get(URL, REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_PROTO="https",
                          **basic_auth(observer))
    assert response.status_code == 403


def test_form_list_over_plain_http_is_allowed_when_configured(
    client, observer, checklists, settings
):
    settings.EOM_OPENROSA_ALLOW_HTTP = True
    response = client.get(URL, REMOTE_ADDR="192.0.2.10", **basic_auth(observer))
    assert response.status_code == 200


def test_form_list_over_plain_http_is_allowed_in_debug(client, observer, checklists, settings):
    settings.DEBUG = True
    response = client.get(URL, REMOTE_ADDR="192.0.2.10", **basic_auth(observer))
    assert response.status_code == 200


def test_xform_of_an_unknown_form_is_not_found(client, observer, checklists):
    response = client.get("/openrosa/forms/counting/form.xml", **basic_auth(observer))
    assert response.status_code == 404
    assert response["X-OpenRosa-Version"] == "1.0"


def test_xform_requires_credentials(client, observer, checklists):
    assert client.get("/openrosa/forms/voting/form.xml").status_code == 401


def test_form_list_refuses_post(client, observer, checklists):
    response = client.post(URL, **basic_auth(observer))
    assert (response.status_code, response["Allow"]) == (405, "GET, HEAD")
