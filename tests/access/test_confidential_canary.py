"""A confidential meeting's words never reach anyone outside the core team.

The scene holds a confidential meeting whose place, key points, source, follow-up,
interlocutor (name and title), organisation and topic each carry a unique marker, created and
then edited (so the audit trail holds them, old and new) and touched in the admin (so the admin's
own log holds it). Every role but the core team then opens every URL the project serves —
pages, htmx parts, admin lists, change, history and delete pages, API lists and details, search
— pointed at the confidential records where a URL takes one, and searching for the markers
where a URL lists; no answer may contain a marker. The core team, on the same walk, does read
them (so the test can fail).

An LTO report's confidential passage is also its own team's: the coordinator, a member of team
LTO-1 which wrote the passage, reads that one marker (and the walk proves it does), while a
member of LTO-2, another region's team, reads none.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory

from eom.missions.models import Meeting
from tests.access.scene import CANARIES, ROLES, build
from tests.access.test_access_matrix import visits_of
from tests.access.urls import all_patterns, path_for
from tests.access.walk import Visit, auth_for, client_for, send

SEARCH = "CANARY"

# The markers a role other than the core team reads by right: the coordinator is in team LTO-1,
# whose report holds the confidential passage.
READ_BY_ITS_TEAM = {"coordinator": {"lto_passage"}}

# Where a URL takes a record that may be confidential, the walk points it at the secret one.
SECRET_ARGUMENTS = {
    "missions:meeting": lambda s: {"pk": s["secret_meeting"].pk},
    "missions:meeting_edit": lambda s: {"pk": s["secret_meeting"].pk},
    "api:get_meeting": lambda s: {"meeting_id": s["secret_meeting"].pk},
    "complaints:case_edit": lambda s: {"pk": s["own_case"].pk},
}
# The meeting form's search parts are also searched for each marker's own part ("TITLE-f08d"):
# specific to one field, yet not the marker itself, which a login redirect would echo.
SEARCHED_FOR_EACH_MARKER = {"missions:meeting_find_people", "missions:meeting_find_interlocutors"}
SECRET_ADMIN_RECORDS = {
    "missions.meeting": "secret_meeting",
    "missions.interlocutor": "secret_interlocutor",
    "missions.organisation": "secret_organisation",
    "missions.topic": "secret_topic",
    "missions.auditentry": "secret_audit",
}


def canary_visits(pattern) -> list[Visit]:
    """The GET visits of the matrix, the same pointed at secret records, and the lists
    searched for the markers."""
    visits = [visit for visit, _row in visits_of(pattern) if visit.method == "get"]
    walk = list(visits)
    if pattern.key in SECRET_ARGUMENTS:
        walk.append(Visit("secret", SECRET_ARGUMENTS[pattern.key]))
    if pattern.admin_model in SECRET_ADMIN_RECORDS:
        name = SECRET_ADMIN_RECORDS[pattern.admin_model]
        for visit in visits:
            if visit.label not in {"list", "add"}:
                key = "id" if visit.label == "password" else "object_id"
                walk.append(Visit("secret", lambda s, name=name, key=key: {key: s[name].pk}))
    for visit in visits:
        if visit.label in {"", "list"}:
            walk.append(Visit("search", visit.kwargs, data={"q": SEARCH, "search": SEARCH}))
    if pattern.key in SEARCHED_FOR_EACH_MARKER:
        walk += [Visit(f"search {field}", _none, data={"q": marker.split("-", 1)[1]})
                 for field, marker in CANARIES.items()]
    return walk


def _none(_scene) -> dict:
    return {}


def touch_in_admin(scene) -> None:
    """The core team changes the secret meeting in the admin: Django's admin log names it."""
    request = RequestFactory().get("/")
    request.user = scene.users["core"]
    meeting = Meeting.objects.get(pk=scene["secret_meeting"].pk)
    admin.site._registry[Meeting].log_change(request, meeting, "Changed key points.")


def leaks(scene, role: str, *, allowed: frozenset[str] = frozenset()) -> list[str]:
    """Every answer holding a marker other than the `allowed` ones, as a line per answer."""
    found = []
    for pattern in all_patterns():
        for visit in canary_visits(pattern):
            path = path_for(pattern, visit.kwargs(scene))
            client = client_for(scene, role, auth_for(pattern.key, visit))
            answer = send(client, path, visit)
            text = answer.body.decode("utf-8", "replace") + " ".join(
                f"{k}: {v}" for k, v in answer.headers.items())
            markers = sorted(field for field, marker in CANARIES.items()
                             if marker in text and field not in allowed)
            if markers:
                found.append(f"{pattern.key} [{visit.label}] {path} ({answer.status}): "
                             f"{', '.join(markers)}")
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("role", [role for role in ROLES if role != "core"])
def test_no_url_shows_a_confidential_marker_outside_the_core_team(role, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    scene = build()
    touch_in_admin(scene)
    found = leaks(scene, role, allowed=frozenset(READ_BY_ITS_TEAM.get(role, ())))
    assert not found, "\n".join(found)


@pytest.mark.django_db
def test_another_regions_lto_reads_no_marker(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    scene = build()
    found = leaks(scene, "other_lto")
    assert not found, "\n".join(found)


@pytest.mark.django_db
def test_the_team_that_wrote_a_passage_reads_it_on_the_walk(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    scene = build()
    seen = {line.split(" ")[0] for line in leaks(scene, "coordinator")
            if line.endswith("lto_passage")}
    assert {"lto:report", "lto:rollup", "api:get_report"} <= seen


@pytest.mark.django_db
def test_the_core_team_reads_every_marker_on_the_walk(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    scene = build()
    touch_in_admin(scene)
    seen = {line.rsplit(": ", 1)[1] for line in leaks(scene, "core")}
    fields = {field for line in seen for field in line.split(", ")}
    assert fields == set(CANARIES)
