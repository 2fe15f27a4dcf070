"""No page links to a page its reader cannot open, and the menu marks exactly one item.

Each role of the access scene walks, with Django's test client, from every page the matrix says
it opens (and from a 404 and a 403 page: their links count too), following the links of every
page it reaches (see tests/access/crawl.py). The scene is built and walked once for the module.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import override_settings

from tests.access import matrix
from tests.access.crawl import Crawl, crawl
from tests.access.scene import ROLES, build
from tests.access.urls import all_patterns, path_for
from tests.access.walk import auth_for, client_for
from tests.conftest import logins_given_their_two_factor_code

# The tests read what the module's walk found; the mark has the test database set up for it.
pytestmark = pytest.mark.django_db

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as tests/conftest.py
SIGNED_IN = [role for role in ROLES if role != "anonymous"]


def start_paths(scene, role: str) -> list[str]:
    """The pages the matrix opens for the role with its session, an unknown address, and one
    page that refuses it (if any)."""
    column = ROLES.index(role)
    opened, refused = [], []
    for pattern in all_patterns():
        for visit, row in matrix.PAGES.get(pattern.key, []):
            if visit.method != "get" or auth_for(pattern.key, visit) != "session":
                continue
            status = row.split()[column]
            path = path_for(pattern, visit.kwargs(scene))
            (opened if status == "200" else refused if status == "403" else []).append(path)
    return [*opened, "/no-such-page/", *refused[:1]]


@pytest.fixture(scope="module")
def walks(django_db_setup, django_db_blocker, tmp_path_factory) -> dict[str, Crawl]:
    media = tmp_path_factory.mktemp("media")
    with (django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=FAST_HASHER),
          logins_given_their_two_factor_code(), transaction.atomic()):
        scene = build()
        walked = {role: crawl(client_for(scene, role, "session"), start_paths(scene, role))
                  for role in ROLES}
        transaction.set_rollback(True)
    return walked


@pytest.mark.parametrize("role", ROLES)
def test_no_page_links_to_a_page_its_reader_cannot_open(walks, role):
    walk = walks[role]
    assert len(walk.pages) > (2 if role in {"anonymous", "outsider"} else 20)
    assert walk.dead_links() == []


@pytest.mark.parametrize("role", SIGNED_IN)
def test_the_menu_marks_exactly_one_item_on_every_page(walks, role):
    pages = [page for page in walks[role].pages.values() if page.has_menu]
    if role != "outsider":
        assert len(pages) > 20
    wrong = [f"{page.path} ({page.status}): {page.current_in_menu}" for page in pages
             if page.current_in_menu != (0 if page.path == "/no-such-page/" else 1)]
    assert wrong == []


def test_a_login_of_no_one_in_the_mission_gets_no_menu(walks):
    assert [page.path for page in walks["outsider"].pages.values() if page.has_menu] == []
