"""Seats recomputed from the official protocols, beside the announced seats, and sensitivity."""

from __future__ import annotations

import pytest

from eom.demo import kz2023
from eom.demo import results as demo_results
from eom.missions.models import Mission
from eom.results.queries import verify_seats
from eom.results.services import party_list_contest
from tests.factories import make_protocol, make_results_contest


def test_seats_demo_results_give_the_official_seats(db):
    kz2023.load()
    mission = Mission.objects.get(code=kz2023.MISSION_CODE)
    if not mission.locations.filter(protocols__isnull=False).exists():
        demo_results.load_official_results(mission)
    verification = verify_seats(party_list_contest(mission))
    assert verification.error == ""
    assert verification.allocation.seats == {
        "AMANAT": 40, "AUYL": 8, "RESPUBLICA": 6, "AKZHOL": 6, "QHP": 5, "OSDP": 4, "BAYTAQ": 0,
    }
    assert verification.n_protocols == 10_223
    assert verification.matches
    assert [(row.code, row.recomputed, row.announced) for row in verification.rows][:2] == [
        ("AMANAT", 40, 40), ("AUYL", 8, 8)]
    assert verification.allocation.quota_formula == "votes / seats = 5,971,719 / 69"
    failed, observer, both = verification.scenarios
    assert (failed.key, failed.n_left_out, failed.changed) == ("failed", 5, False)
    assert (observer.n_left_out, observer.changed) == (0, False)


@pytest.fixture
def contest(mission, tree):
    return make_results_contest(mission)


def test_seats_leaving_out_failed_protocols_changes_seats(contest, tree):
    # A protocol whose votes do not add up (505 votes + against all, 600 valid) gives Auyl 500.
    make_protocol(contest, tree["01001"], votes={"AMANAT": 0, "AUYL": 500}, n_valid=600)
    for code in ("01002", "02001", "02002"):
        make_protocol(contest, tree[code], votes={"AMANAT": 300, "AUYL": 100})
    verification = verify_seats(contest)
    assert verification.allocation.seats["AMANAT"] == 37  # 900 of 1,700 votes
    failed = verification.scenarios[0]
    assert failed.n_left_out == 1
    assert failed.changed
    assert failed.changes == {"AMANAT": (37, 52), "AUYL": (32, 17)}


def test_seats_leaving_out_protocols_that_differ_from_the_observers(contest, tree):
    make_protocol(contest, tree["01001"], votes={"AMANAT": 100, "AUYL": 700})
    make_protocol(contest, tree["01001"], "observer", votes={"AMANAT": 700, "AUYL": 100})
    make_protocol(contest, tree["02001"], votes={"AMANAT": 300, "AUYL": 300})
    verification = verify_seats(contest)
    assert verification.allocation.seats == {"AMANAT": 20, "AUYL": 49}
    observer = verification.scenarios[1]
    # Without 01001: 300 each, 34.5 quotas each; the remainder seat goes to the list
    # registered earlier (Amanat).
    assert (observer.n_left_out, observer.changes) == (1, {"AMANAT": (20, 35), "AUYL": (49, 34)})
    assert verification.scenarios[0].changed is False


def test_seats_announced_differently_are_flagged(contest, tree):
    from eom.missions.models import AnnouncedResult, Party

    make_protocol(contest, tree["01001"], votes={"AMANAT": 600, "AUYL": 300})
    for code, seats in (("AMANAT", 45), ("AUYL", 24)):
        AnnouncedResult.objects.create(contest=contest, party=Party.objects.get(code=code),
                                       votes=1, seats=seats)
    verification = verify_seats(contest)
    rows = {row.code: row for row in verification.rows}
    assert (rows["AMANAT"].recomputed, rows["AMANAT"].announced) == (46, 45)
    assert rows["AMANAT"].differs and not verification.matches


def test_seats_without_protocols_or_law_say_why(contest, tree):
    assert verify_seats(contest).error == "No official protocols yet: import them first."
    contest.rule = ""
    assert "no counting rule" in verify_seats(contest).error
