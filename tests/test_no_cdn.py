"""Missions work on bad connections: no page loads anything from another server."""

import re
from pathlib import Path

import eom

ASSET = re.compile(r"""<(?:script|link|img)[^>]+(?:src|href)=["'](?:https?:)?//""", re.I)


def test_templates_load_no_remote_asset():
    templates = Path(eom.__file__).parent / "templates"
    offenders = [
        str(path) for path in templates.rglob("*.html") if ASSET.search(path.read_text("utf-8"))
    ]
    assert offenders == []


def test_api_docs_page_serves_swagger_from_our_server(client, core_member):
    client.force_login(core_member)
    page = client.get("/api/docs").content.decode()
    assert "swagger" in page.lower()
    assert ASSET.search(page) is None
