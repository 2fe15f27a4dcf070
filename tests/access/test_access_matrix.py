"""Every URL pattern answers each role as the matrix in tests/access/matrix.py says."""

from __future__ import annotations

import pytest

from tests.access import matrix
from tests.access.scene import ROLES, build
from tests.access.urls import Pattern, all_patterns, path_for
from tests.access.walk import Visit, auth_for, client_for, send

ADMIN_PAGES = {
    "": "list", "add/": "add", "<path:object_id>/history/": "history",
    "<path:object_id>/delete/": "delete", "<path:object_id>/change/": "change",
    "<path:object_id>/": "redirect", "<id>/password/": "password",
}


def admin_page(pattern: Pattern) -> str:
    prefix = "admin/{}/{}/".format(*pattern.admin_model.split("."))
    return ADMIN_PAGES[pattern.route.removeprefix(prefix)]


def visits_of(pattern: Pattern) -> list[tuple[Visit, str | None]]:
    """How the tests visit a pattern, each visit with its expected row (None: no row yet)."""
    if pattern.admin_model is None:
        return matrix.PAGES.get(pattern.key) or matrix.ADMIN_SITE.get(pattern.key) or [
            (Visit("", matrix._none), None)]
    record, pages = matrix.ADMIN_MODELS.get(pattern.admin_model, (None, {}))
    page = admin_page(pattern)
    if page in {"list", "add"}:
        kwargs = matrix._none
    elif record is None:
        return [(Visit(page, matrix._none), None)]
    elif page == "password":
        kwargs = lambda s: {"id": record(s).pk}  # noqa: E731
    else:
        kwargs = lambda s: {"object_id": record(s).pk}  # noqa: E731
    return [(Visit(page, kwargs), pages.get(page))]


def test_every_url_pattern_has_a_row_in_the_matrix():
    missing = [p.key if p.admin_model is None else f"{p.admin_model} {admin_page(p)}"
               for p in all_patterns() if any(row is None for _visit, row in visits_of(p))]
    assert missing == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_the_role_as_the_matrix_says(role, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    scene = build()
    column = ROLES.index(role)
    wrong = []
    for pattern in all_patterns():
        for visit, row in visits_of(pattern):
            path = path_for(pattern, visit.kwargs(scene))
            client = client_for(scene, role, auth_for(pattern.key, visit))
            status = send(client, path, visit).status
            expected = row.split()[column] if row else "(no row)"
            if str(status) != expected:
                wrong.append(f"{pattern.key} [{visit.label}] {visit.method.upper()} {path}: "
                             f"{status}, expected {expected}")
    assert wrong == [], "\n".join(wrong)
