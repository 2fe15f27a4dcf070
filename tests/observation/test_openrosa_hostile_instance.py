"""What ODK Collect's channel refuses before anything is stored: an instance nested deeper than
any checklist (a crash before: RecursionError), credentials holding NUL (a database error on
PostgreSQL before)."""

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from eom.observation.models import Submission
from eom.xlsform.xform import MAX_DEPTH, InstanceError, parse_instance
from tests.factories import basic_auth, load_checklist
from tests.observation.scene import set_up

KEY = "5d6f0a9e-1c2b-4e3f-8a7b-9c0d1e2f3a4b"


def nested(depth: int) -> bytes:
    """An instance whose one answer lies `depth` elements below the root."""
    opening = "".join(f"<g{i}>" for i in range(depth - 1))
    closing = "".join(f"</g{i}>" for i in reversed(range(depth - 1)))
    return (f'<data id="voting">{opening}<n_voted>4</n_voted>{closing}'
            f"<meta><instanceID>uuid:{KEY}</instanceID></meta></data>").encode()


def test_an_instance_as_deep_as_allowed_is_read():
    assert parse_instance(nested(MAX_DEPTH)).answers == {"n_voted": "4"}


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 5000])
def test_an_instance_nested_deeper_is_refused_with_the_reason(depth):
    with pytest.raises(InstanceError, match=f"more than {MAX_DEPTH} deep"):
        parse_instance(nested(depth))


def test_odk_collect_is_told_why_an_instance_nested_5000_deep_is_refused(
        client, mission, tree, observer, other_team):
    set_up(mission, tree, observer, other_team)
    load_checklist(mission, "voting")

    response = client.post("/openrosa/submission", {
        "xml_submission_file": SimpleUploadedFile("instance.xml", nested(5000), "text/xml")},
        **basic_auth(observer))

    assert response.status_code == 400
    assert f"nests elements more than {MAX_DEPTH} deep" in response.content.decode()
    assert Submission.objects.count() == 0


@pytest.mark.parametrize("credentials", ["user\x00:pw", "user:pw\x00"])
def test_basic_credentials_holding_nul_are_asked_again(client, mission, observer, credentials):
    token = base64.b64encode(credentials.encode()).decode()

    response = client.get("/openrosa/formList", HTTP_AUTHORIZATION=f"Basic {token}")

    assert response.status_code == 401
