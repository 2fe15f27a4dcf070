"""Who reads which reports: the team its own (drafts too), the core team, analysts and
administrators every submitted one, a coordinator its area's, an observer none."""

from eom.lto.permissions import can_read_reports, reports_visible_to
from tests.lto.factories import local, write_report


def _codes(scene, who):
    user = getattr(scene, who)
    return sorted((r.team.code, r.status) for r in reports_visible_to(user, scene.mission))


def test_each_role_reads_the_reports_of_its_scope(scene):
    write_report(scene, submit_at=local(2023, 2, 20))
    write_report(scene, scene.other_team)
    submitted, draft = ("LTO-1", "submitted"), ("LTO-2", "draft")
    assert _codes(scene, "lto") == [submitted]
    assert _codes(scene, "other_lto") == [draft]
    for who in ("core", "analyst", "administrator", "coordinator"):
        assert _codes(scene, who) == [submitted], who
    assert _codes(scene, "observer") == []
    assert not can_read_reports(scene.observer, scene.mission)
    assert can_read_reports(scene.lto, scene.mission)


def test_a_coordinator_does_not_read_submitted_reports_outside_its_area(scene):
    write_report(scene, scene.other_team, submit_at=local(2023, 2, 20))
    assert _codes(scene, "coordinator") == []
    assert _codes(scene, "analyst") == [("LTO-2", "submitted")]
