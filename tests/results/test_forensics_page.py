"""The forensics page: the figures are eom.stats' on the same protocols, for a contest's official
results and for one import; who may read it; what it says when nothing is unusual. (The stored
Monte Carlo check: test_forensics_monte_carlo.py.)"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from django.urls import reverse

from eom.missions.models import LocationLevel
from eom.results.importers import import_official_results
from eom.results.models import ImportBatch, Protocol, Source
from eom.stats import read_station_results, summary
from eom.stats.forensics import flags
from tests.factories import make_location, make_results_contest, make_table_file

N_STATIONS = 240


def station_rows(seed: int, *, round_turnout: bool) -> list[dict]:
    """Per-station lines: honest binomial draws, or turnouts written as whole percentages."""
    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(N_STATIONS):
        if round_turnout:
            registered = 100 * int(rng.integers(5, 25))
            issued = registered // 100 * int(rng.integers(45, 80))
        else:
            registered = int(rng.integers(300, 2500))
            issued = int(rng.binomial(registered, rng.uniform(0.5, 0.7)))
        invalid = int(rng.binomial(issued, 0.02))
        valid = issued - invalid
        amanat = int(rng.binomial(valid, 0.55))
        auyl = int(rng.binomial(valid - amanat, 0.5))
        against = int(rng.binomial(valid - amanat - auyl, 0.05))
        rows.append({"n_registered": registered, "n_issued": issued, "n_in_boxes": issued,
                     "n_invalid": invalid, "n_valid": valid, "n_against_all": against,
                     "votes": {"AMANAT": amanat, "AUYL": auyl,
                               "OSDP": valid - amanat - auyl - against}})
    return rows


def load(contest, tree, rows, prefix="S"):
    mission = contest.election.mission
    protocols = []
    for i, row in enumerate(rows):
        station = make_location(mission, LocationLevel.POLLING_STATION, f"{prefix}{i:04d}",
                                tree["D1"], n_registered=row["n_registered"])
        protocols.append(Protocol(mission=mission, contest=contest, location=station,
                                  source=Source.OFFICIAL, **row))
    Protocol.objects.bulk_create(protocols)


def expected(rows, leader="AMANAT", n_draws=0):
    """eom.stats' summary of the rows; the Monte Carlo null with `n_draws` draws (0: none, as
    on a page with no stored check)."""
    column = {k: np.array([r[k] for r in rows], dtype=np.int64)
              for k in ("n_registered", "n_issued", "n_invalid", "n_valid")}
    n_leader = np.array([r["votes"][leader] for r in rows], dtype=np.int64)
    return summary(column["n_registered"], column["n_issued"], n_leader,
                   column["n_valid"] + column["n_invalid"], n_draws=n_draws)


def figures(page: str) -> dict[str, str]:
    """The page's figures, English thousands separators taken out ("10,223" → "10223")."""
    return {name: re.sub(r",(?=\d{3}(?!\d))", "", value)
            for name, value in re.findall(r'data-figure="([\w-]+)">([^<]*)<', page)}


def open_page(client, user, **params):
    client.force_login(user)
    return client.get(reverse("results:forensics"), params)


@pytest.fixture
def honest(mission, tree):
    contest = make_results_contest(mission, rule="")
    rows = station_rows(1, round_turnout=False)
    load(contest, tree, rows)
    return contest, rows


@pytest.fixture
def rounded(mission, tree):
    contest = make_results_contest(mission, rule="", name="Maslikhat")
    rows = station_rows(2, round_turnout=True)
    load(contest, tree, rows, prefix="M")
    return contest, rows


def assert_page_equals_stats(page: str, result) -> None:
    """The page's figures are the result's; its Monte Carlo figures too when the result drew
    some (then the page shows a stored check of as many draws), else the page shows none."""
    shown = figures(page)
    ip = result.integer_percent
    assert shown["turnout"] == f"{result.headline.turnout_percent:.2f}"
    assert shown["leader-share"] == f"{result.headline.leader_percent:.2f}"
    assert shown["ip-observed"] == str(ip.observed)
    assert shown["ip-null-mean"] == f"{ip.null_mean:.1f}"
    assert shown["ip-null-sd"] == f"{ip.null_sd:.1f}"
    assert shown["ip-excess"] == f"{ip.excess:.1f}"
    if ip.mc_draws:
        assert shown["ip-mc-null-mean"] == f"{ip.mc_null_mean:.1f}"
        assert shown["ip-mc-excess"] == f"{ip.mc_excess:.1f}"
    else:
        assert "ip-mc-excess" not in shown
    assert shown["ip-z"] == f"{ip.z_score:.1f}"
    assert shown["shpilkin-votes"] == f"{result.shpilkin.anomalous_votes:.0f}"
    assert shown["benford-chi2"] == f"{result.benford.chi2:.1f}"
    assert shown["benford-mean"] == f"{result.benford.mean_digit:.3f}"
    assert shown["benford-low"] == f"{result.benford.mean_interval[0]:.3f}"
    assert shown["benford-high"] == f"{result.benford.mean_interval[1]:.3f}"
    assert shown["slope-leader"] == f"{result.slope.leader_slope:.3f}"
    assert shown["slope-others"] == f"{result.slope.others_slope:.3f}"


def test_forensics_figures_equal_eom_stats_on_the_same_protocols(client, honest, analyst):
    contest, rows = honest
    page = open_page(client, analyst, contest=contest.pk).content.decode()
    assert figures(page)["n-used"] == str(N_STATIONS)
    assert_page_equals_stats(page, expected(rows))


def test_forensics_flags_integer_percentages_written_to_a_target(client, rounded, core_member):
    contest, rows = rounded
    page = open_page(client, core_member, contest=contest.pk).content.decode()
    result = expected(rows)
    assert_page_equals_stats(page, result)
    assert result.integer_percent.observed == N_STATIONS
    assert result.integer_percent.z_score > 3
    assert re.search(r'class="error" data-flag="integer_percent">look closer', page)
    assert "of the five checks point" in page or "of the five checks points" in page
    # The finding names exactly the checks that fire, separated by commas, then a full stop.
    finding = re.search(r'<p class="message" id="finding">(.*?)</p>', page, re.S).group(1)
    named = re.findall(r'<a href="#(\w+)">', finding)
    assert named == [f.name for f in flags(result) if f.anomalous]
    assert finding.endswith("</a>.") and ", ." not in finding


def test_forensics_says_plainly_when_no_check_finds_anything(client, honest, analyst):
    contest, rows = honest
    page = open_page(client, analyst, contest=contest.pk).content.decode()
    verdicts = {f.name: f.anomalous for f in flags(expected(rows))}
    assert verdicts["integer_percent"] is False
    for name, anomalous in verdicts.items():
        word = "look closer" if anomalous else "nothing unusual"
        assert re.search(rf'data-flag="{name}">{word}', page)
    assert not any(verdicts.values())  # honest binomial counts: every check is quiet
    assert "None of the five checks finds anything unusual in these results." in page


def test_forensics_picks_the_party_with_most_votes_and_takes_another_on_request(
        client, honest, analyst):
    contest, rows = honest
    page = open_page(client, analyst, contest=contest.pk).content.decode()
    assert '<option value="AMANAT" selected>' in page
    page = open_page(client, analyst, contest=contest.pk, leader="AUYL").content.decode()
    assert '<option value="AUYL" selected>' in page
    assert_page_equals_stats(page, expected(rows, leader="AUYL"))


def test_forensics_fingerprint_is_an_inline_svg_counting_every_station(client, honest, analyst):
    contest, _rows = honest
    page = open_page(client, analyst, contest=contest.pk).content.decode()
    svg = re.search(r"<svg .*?</svg>", page, re.S).group()
    root = ET.fromstring(svg)
    titles = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")]
    stations = sum(int(re.search(r": ([\d,]+) stations?$", t).group(1).replace(",", ""))
                   for t in titles)
    assert stations == N_STATIONS
    assert root.get("width") == "100%"


def test_forensics_counts_protocols_left_out_and_why(client, honest, tree, analyst):
    contest, _rows = honest
    Protocol.objects.filter(location__code="S0000").update(n_registered=None)
    Protocol.objects.filter(location__code="S0001").update(n_registered=80, n_issued=50,
                                                           n_valid=50, n_invalid=0)
    shown = figures(open_page(client, analyst, contest=contest.pk).content.decode())
    assert shown["n-used"] == str(N_STATIONS - 1)
    assert shown["n-incomplete"] == "1"
    assert shown["dropped-small"] == "1"


def test_forensics_on_an_imported_batch_equals_the_command_line_on_its_file(
        client, mission, tree, administrator, tmp_path):
    contest = make_results_contest(mission, rule="", name="Senate")
    for i in range(30):
        make_location(mission, LocationLevel.POLLING_STATION, f"B{i:03d}", tree["D2"])
    rows = station_rows(3, round_turnout=False)[:30]
    header = ["location_code", "n_registered", "n_issued", "n_invalid", "n_valid", "AMANAT",
              "AUYL", "OSDP"]
    path = make_table_file(tmp_path / "senate.csv", header, [
        [f"B{i:03d}", r["n_registered"], r["n_issued"], r["n_invalid"], r["n_valid"],
         *r["votes"].values()] for i, r in enumerate(rows)])
    report = import_official_results(contest, path, actor=None)
    assert report.ok, report.lines()
    batch = ImportBatch.objects.get()
    page = open_page(client, administrator, batch=batch.pk).content.decode()
    assert "senate.csv" in page
    data = read_station_results(path, "AMANAT", preset="demo")
    result = summary(data.n_registered, data.n_ballots, data.n_leader, data.n_counted,
                     n_draws=100)  # as many as the import drew (tests/conftest.py)
    assert figures(page)["n-used"] == "30"
    assert_page_equals_stats(page, result)


def test_forensics_picker_offers_official_results_and_each_import(client, honest, analyst):
    contest, _rows = honest
    batch = ImportBatch.objects.create(mission=contest.election.mission, contest=contest,
                                       file_name="second.csv")
    page = open_page(client, analyst, contest=contest.pk).content.decode()
    assert f'<option value="c{contest.pk}" selected>' in page
    assert f'<option value="b{batch.pk}" >' in page
    page = open_page(client, analyst, **{"from": f"b{batch.pk}"}).content.decode()
    assert "none gives registered voters" in page


def test_forensics_is_for_core_team_analysts_and_administrators(
        client, honest, core_member, analyst, administrator, coordinator, observer, outsider):
    contest, _rows = honest
    for user in (core_member, analyst, administrator):
        assert open_page(client, user, contest=contest.pk).status_code == 200
    for user in (coordinator, observer, outsider):
        assert open_page(client, user, contest=contest.pk).status_code == 403


def test_results_overview_links_to_forensics_for_readers_of_everything(
        client, honest, analyst, coordinator):
    client.force_login(analyst)
    assert reverse("results:forensics") in client.get(reverse("results:overview")).content.decode()
    client.force_login(coordinator)
    page = client.get(reverse("results:overview")).content.decode()
    assert reverse("results:forensics") not in page
