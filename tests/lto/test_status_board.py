"""The core team's board: per period, which teams reported on time, late (by how long) or not."""

import datetime as dt

from eom.lto import services
from tests.factories import make_person
from tests.lto.factories import local, make_lto_team, make_period, write_report


def test_the_board_lists_on_time_late_and_missing_reports(scene, mission, tree):
    third = make_lto_team(mission, "LTO-3", tree["R2"], [make_person(mission, login=True)])
    write_report(scene, submit_at=local(2023, 2, 20, 10))
    write_report(scene, scene.other_team, submit_at=local(2023, 2, 22, 19, 15))
    rows = services.board(scene.period, now=local(2023, 2, 23, 18))
    assert [(r.team.code, r.state, r.late_by) for r in rows] == [
        ("LTO-1", "on_time", None),
        ("LTO-2", "late", dt.timedelta(days=2, hours=1, minutes=15)),
        ("LTO-3", "missing", dt.timedelta(days=3)),
    ]
    assert third.code == "LTO-3"


def test_a_draft_is_not_a_submitted_report(scene):
    write_report(scene)
    rows = services.board(scene.period, now=local(2023, 2, 21, 18))
    assert [(r.team.code, r.state) for r in rows] == [("LTO-1", "missing"), ("LTO-2", "missing")]


def test_before_the_deadline_an_unsent_report_is_due_not_missing(scene):
    rows = services.board(scene.period, now=local(2023, 2, 20, 17))
    assert [r.state for r in rows] == ["due", "due"]


def test_a_team_not_deployed_during_the_period_owes_no_report(scene, mission, tree):
    make_lto_team(mission, "LTO-late", tree["R2"], [make_person(mission)],
                  starts=dt.date(2023, 3, 1), ends=dt.date(2023, 3, 27))
    rows = services.board(scene.period, now=local(2023, 2, 21))
    assert [r.team.code for r in rows] == ["LTO-1", "LTO-2"]
    week_4 = make_period(mission, 4)
    assert [r.team.code for r in services.board(week_4, now=local(2023, 3, 14))] == [
        "LTO-1", "LTO-2", "LTO-late"]


def test_lateness_is_measured_from_the_first_submission_not_a_resubmission(scene):
    report = write_report(scene, submit_at=local(2023, 2, 20, 12))
    services.review_report(actor=scene.core, channel="page", report=report, kind="follow_up",
                           text="Add the number of rallies.")
    services.submit_report(actor=scene.lto, channel="page", report=report,
                           now=local(2023, 2, 24, 12))
    rows = services.board(scene.period, now=local(2023, 2, 25))
    assert (rows[0].state, rows[0].late_by) == ("on_time", None)


def test_a_coordinator_sees_the_board_rows_of_its_area_only(scene):
    from eom.lto.permissions import board_rows_for

    rows = services.board(scene.period, now=local(2023, 2, 21))
    assert [r.team.code for r in board_rows_for(scene.coordinator, scene.mission, rows)] == [
        "LTO-1"]
    assert [r.team.code for r in board_rows_for(scene.analyst, scene.mission, rows)] == [
        "LTO-1", "LTO-2"]
    assert board_rows_for(scene.lto, scene.mission, rows) == []
