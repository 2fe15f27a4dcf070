"""Sums of the official protocols up the location tree, against the published totals."""

from __future__ import annotations

from eom.results.models import Protocol
from eom.results.queries import tree as results_tree
from eom.results.services import set_published_total
from tests.factories import make_protocol, make_results_contest


def test_aggregation_sums_by_region_and_compares_published(mission, tree):
    contest = make_results_contest(mission)
    for code, amanat in (("01001", 60), ("01002", 40), ("02001", 30), ("02002", 10)):
        make_protocol(contest, tree[code], votes={"AMANAT": amanat, "AUYL": 20})
    set_published_total(actor=None, channel="command", contest=contest, location=tree["R1"],
                        figures={"votes": {"AMANAT": 100, "AUYL": 40}, "n_invalid": 6})
    set_published_total(actor=None, channel="command", contest=contest, location=tree["KZ"],
                        figures={"votes": {"AMANAT": 150, "AUYL": 80}, "n_registered": 606})
    head, children = results_tree(contest, tree["KZ"], Protocol.objects.all())
    assert head.computed.n_protocols == 4
    assert head.computed.votes == {"AMANAT": 140, "AUYL": 80}
    assert [(d.line, d.official, d.observer) for d in head.comparisons()] == [
        ("AMANAT", 140, 150)]
    assert [row.location.code for row in children] == ["R1", "R2"]
    r1, r2 = children
    assert r1.computed.lines["n_invalid"] == 6 and r1.comparisons() == []
    assert r2.published is None and r2.computed.votes == {"AMANAT": 40, "AUYL": 40}


def test_aggregation_of_a_district_lists_its_stations(mission, tree):
    contest = make_results_contest(mission)
    make_protocol(contest, tree["01001"])
    head, children = results_tree(contest, tree["D1"], Protocol.objects.all())
    assert head.computed.n_protocols == 1
    assert [(row.location.code, row.computed is not None) for row in children] == [
        ("01001", True), ("01002", False)]


def test_aggregation_leaves_out_observer_copies(mission, tree):
    contest = make_results_contest(mission)
    make_protocol(contest, tree["01001"], votes={"AMANAT": 5})
    make_protocol(contest, tree["01001"], "observer", votes={"AMANAT": 500})
    head, _children = results_tree(contest, tree["KZ"], Protocol.objects.all())
    assert head.computed.votes == {"AMANAT": 5}
