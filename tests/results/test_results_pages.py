"""The results pages: who reads them, what they show, a coordinator's area, the import page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from eom.missions.models import Access
from eom.results.models import Protocol
from tests.factories import make_protocol, make_results_contest, make_table_file, make_user

PAGES = ["overview", "protocols", "discrepancies", "aggregation", "seats"]


@pytest.fixture
def results(mission, tree):
    contest = make_results_contest(mission)
    good = make_protocol(contest, tree["01001"], votes={"AMANAT": 61, "AUYL": 20})
    bad = make_protocol(contest, tree["02001"], votes={"AMANAT": 70, "AUYL": 24}, n_valid=120)
    copy = make_protocol(contest, tree["02001"], "observer", votes={"AMANAT": 30, "AUYL": 64},
                         n_valid=120)
    return {"contest": contest, "good": good, "bad": bad, "copy": copy}


def get(client, user, name, *args, **params):
    client.force_login(user)
    return client.get(reverse(f"results:{name}", args=args), params)


@pytest.mark.parametrize("name", PAGES)
def test_results_pages_open_for_core_analyst_and_administrator(
        client, results, core_member, analyst, administrator, name):
    for user in (core_member, analyst, administrator):
        assert get(client, user, name).status_code == 200


@pytest.mark.parametrize("name", [*PAGES, "import"])
def test_results_pages_refuse_an_observer(client, results, observer, name):
    assert get(client, observer, name).status_code == 403


def test_results_pages_send_an_outsider_to_403_or_login(client, results, outsider):
    assert get(client, outsider, "overview").status_code == 403
    client.logout()
    assert client.get(reverse("results:overview")).status_code == 302


def test_results_overview_counts_sources_and_failures(client, results, core_member):
    page = get(client, core_member, "overview").content.decode()
    assert "official protocols failing a check" in page
    assert "The votes for the lists and against all add up to the valid ballots" in page


def test_results_protocol_page_explains_the_failure_beside_the_copy(client, results, analyst):
    page = get(client, analyst, "protocol", results["bad"].pk).content.decode()
    assert "votes 94 + against all 5 = 99 ≠ valid 120 (difference 21, tolerance 0)" in page
    assert "observer copy" in page and "<strong>30</strong>" in page


def test_results_protocol_list_filters_failing_and_region(client, results, core_member, tree):
    page = get(client, core_member, "protocols", failed="votes_sum").content.decode()
    assert "02001" in page and "01001" not in page
    page = get(client, core_member, "protocols", region="R1").content.decode()
    assert "01001" in page and "02001" not in page


def test_results_discrepancies_rank_the_differing_copy(client, results, core_member):
    page = get(client, core_member, "discrepancies").content.decode()
    assert "02001" in page and ">40<" in page


def test_results_coordinator_sees_its_area_only(client, results, coordinator):
    assert get(client, coordinator, "protocol", results["good"].pk).status_code == 200
    assert get(client, coordinator, "protocol", results["bad"].pk).status_code == 404
    page = get(client, coordinator, "protocols").content.decode()
    assert "01001" in page and "02001" not in page
    assert "02001" not in get(client, coordinator, "discrepancies").content.decode()
    assert get(client, coordinator, "seats").status_code == 403
    page = get(client, coordinator, "aggregation").content.decode()
    # Without the random CSRF token, in which "R2" may well occur.
    page = re.sub(r'(X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]*', "", page)
    assert "R1" in page and "R2" not in page


def test_results_coordinator_without_area_sees_nothing(client, results, mission):
    user = make_user(mission, Access.COORDINATOR)
    page = get(client, user, "protocols").content.decode()
    assert "01001" not in page and "02001" not in page


def test_results_seats_page_shows_recomputed_and_sensitivity(client, results, core_member):
    page = get(client, core_member, "seats").content.decode()
    assert "Seats recomputed under the law from the sum of 2 official protocols" in page
    assert "without the protocols that fail a check" in page


def test_results_aggregation_drills_down_to_a_region(client, results, core_member, tree):
    page = get(client, core_member, "aggregation_node", tree["R2"].pk).content.decode()
    assert "D2" in page


def test_results_import_page_dry_run_then_import(client, results, administrator, tree, tmp_path):
    path = make_table_file(tmp_path / "o.csv", ["location_code", "AMANAT", "AUYL"],
                           [["01002", 10, 5]])
    client.force_login(administrator)
    data = {"contest": results["contest"].pk, "preset": "demo", "dry_run": "on"}
    with path.open("rb") as handle:
        page = client.post(reverse("results:import"), {**data, "file": handle})
    assert "Dry run: the file is valid; nothing was written." in page.content.decode()
    assert not Protocol.objects.filter(location=tree["01002"]).exists()
    del data["dry_run"]
    with path.open("rb") as handle:
        page = client.post(reverse("results:import"), {**data, "file": handle})
    assert page.status_code == 200
    assert Protocol.objects.get(location=tree["01002"]).votes == {"AMANAT": 10, "AUYL": 5}


def test_results_import_page_shows_row_errors(client, results, administrator, tmp_path):
    path = make_table_file(tmp_path / "o.csv", ["location_code", "AMANAT"], [["X1", 1]])
    client.force_login(administrator)
    with path.open("rb") as handle:
        page = client.post(reverse("results:import"), {
            "contest": results["contest"].pk, "preset": "demo", "file": handle})
    assert "row 2, column location_code: unknown polling station code “X1”" in \
        page.content.decode()


def test_results_import_page_refuses_a_core_member(client, results, core_member):
    assert get(client, core_member, "import").status_code == 403


def test_results_seats_page_names_parties_and_groups_thousands(client, mission, tree, core_member):
    contest = make_results_contest(mission)
    # 01001 does not add up (valid 600 ≠ 50,000 + 5 against all): leaving it out changes seats.
    make_protocol(contest, tree["01001"], votes={"AMANAT": 0, "AUYL": 50_000}, n_valid=600)
    for code in ("01002", "02001", "02002"):
        make_protocol(contest, tree[code], votes={"AMANAT": 412_000, "AUYL": 137_000},
                      n_registered=1_000_000)
    page = get(client, core_member, "seats", contest=contest.pk).content.decode()
    assert "AMANAT" not in page and "AUYL" not in page
    assert "from the sum of 4 official protocols" in page
    assert '<td>Amanat</td><td class="num" data-label="votes (protocols)">1,236,000</td>' in page
    assert '<td>Auyl</td><td class="num" data-label="votes (protocols)">461,000</td>' in page
    assert "<strong>Amanat</strong> 50 → 52; <strong>Auyl</strong> 19 → 17" in page
    assert "Seat 69: Auyl (largest remainder)" in page
