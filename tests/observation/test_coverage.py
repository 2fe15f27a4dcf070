"""Coverage of the tree: stations reported per stage against those expected, silent teams."""

import pytest

from eom.observation import queries
from tests.factories import make_form, question
from tests.observation.scene import at, send, set_up


@pytest.fixture
def form(mission, tree, observer, other_team):
    return set_up(mission, tree, observer, other_team)


def by_code(rows):
    return {row.location.code: row for row in rows}


def voting(row):
    stage = next(s for s in row.stages if s.stage == "voting")
    return (stage.received, stage.expected)


def test_coverage_counts_stations_reported_against_those_assigned(mission, tree, form, observer):
    send(observer, mission, location="01001", when=at(9))
    send(observer, mission, location="01001", when=at(11))  # a second visit: still one station
    total, rows, _ = queries.coverage(mission, tree["KZ"])
    assert voting(by_code(rows)["R1"]) == (1, 2)
    assert voting(by_code(rows)["R2"]) == (0, 1)
    assert voting(total) == (1, 3)
    assert by_code(rows)["R1"].stages[0].percent == 0  # opening: nothing yet
    assert next(s for s in total.stages if s.stage == "voting").percent == 33


def test_coverage_drills_down_to_stations(mission, tree, form, observer):
    send(observer, mission, location="01002")
    _total, rows, _ = queries.coverage(mission, tree["D1"])
    assert {code: voting(row) for code, row in by_code(rows).items()} == {
        "01001": (0, 1), "01002": (1, 1),
    }


def test_coverage_names_teams_silent_for_too_long(mission, tree, form, observer, other_team):
    send(observer, mission, when=at(9))
    import datetime as dt

    from django.utils import timezone

    last = timezone.now()
    total, rows, reference = queries.coverage(mission, tree["KZ"], silent_minutes=60)
    # The election is over: silence is measured from the last report (09:00).
    assert reference == at(9)
    assert [t.code for t in total.silent] == ["STO-2"]
    assert last > reference - dt.timedelta(days=1)


def test_coverage_leaves_deleted_submissions_out(mission, tree, form, observer, core_member):
    from eom.observation import services

    submission, _ = send(observer, mission)
    services.delete_submission(actor=core_member, channel="page", submission=submission,
                               reason="test")
    total, _rows, _ = queries.coverage(mission, tree["KZ"])
    assert voting(total) == (0, 3)


def test_coverage_counts_incidents(mission, tree, form, observer):
    make_form(mission, "incident", "incident", [question("what", "text")])
    send(observer, mission, answers={"what": "ballot stuffing"}, form_id="incident")
    total, rows, _ = queries.coverage(mission, tree["KZ"])
    assert (total.n_incidents, by_code(rows)["R1"].n_incidents) == (1, 1)


def test_a_team_that_has_sent_its_tabulation_report_is_never_silent(mission, tree, form,
                                                                     observer, core_member):
    make_form(mission, "tabulation", "tabulation", [question("note", "text")])
    send(observer, mission, location="D1", answers={"note": "done"}, when=at(9),
         form_id="tabulation")
    send(core_member, mission, location="01001", when=at(12))  # the day goes on elsewhere
    total, _rows, _ = queries.coverage(mission, tree["KZ"], silent_minutes=60)
    assert [t.code for t in total.silent] == ["STO-2"]
    assert total.last_reports == {}  # STO-2 has sent nothing
