"""The forensics' Monte Carlo check is computed once per import and stored; the page shows what
is stored, when and from what, says when the results have changed since, and never draws it on
a GET; the core team asks for it again with a POST, one at a time, with bounded parameters."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from eom.missions.models import AuditEntry, LocationLevel
from eom.results import forensics
from eom.results.importers import import_official_results
from eom.results.models import MonteCarloCheck
from eom.stats import integer_percent, read_station_results
from tests.factories import make_location, make_results_contest, make_table_file
from tests.results.test_forensics_page import figures, load, station_rows

N = 30
HEADER = ["location_code", "n_registered", "n_issued", "n_invalid", "n_valid", "AMANAT", "AUYL",
          "OSDP"]


def results_file(path, rows):
    return make_table_file(path, HEADER, [
        [f"B{i:03d}", r["n_registered"], r["n_issued"], r["n_invalid"], r["n_valid"],
         *r["votes"].values()] for i, r in enumerate(rows)])


def monte_carlo_of(path, leader: str, n_draws: int, seed: int = forensics.SEED):
    data = read_station_results(path, leader, preset="demo")
    return integer_percent.integer_percentages(
        data.n_registered, data.n_ballots, data.n_leader, data.n_counted, n_draws=n_draws,
        seed=seed)


@pytest.fixture
def contest(mission, tree):
    contest = make_results_contest(mission, rule="", name="Senate")
    for i in range(N):
        make_location(mission, LocationLevel.POLLING_STATION, f"B{i:03d}", tree["D2"])
    return contest


@pytest.fixture
def imported(contest, tmp_path):
    path = results_file(tmp_path / "senate.csv", station_rows(3, round_turnout=False)[:N])
    report = import_official_results(contest, path, actor=None)
    assert report.ok, report.lines()
    return path, report


@pytest.fixture
def draws_run(monkeypatch):
    """The Monte Carlo draws of eom.stats, counted as they run (each call runs them)."""
    calls: list[int] = []
    real = integer_percent._monte_carlo

    def counted(reg, bal, cnt, lead, n_draws, seed, *args, **kwargs):
        calls.append(n_draws)
        return real(reg, bal, cnt, lead, n_draws, seed, *args, **kwargs)

    monkeypatch.setattr(integer_percent, "_monte_carlo", counted)
    return calls


def page_of(client, user, **params) -> str:
    client.force_login(user)
    response = client.get(reverse("results:forensics"), params)
    assert response.status_code == 200
    return response.content.decode()


def recompute(client, user, contest, **fields):
    client.force_login(user)
    data = {"from": f"c{contest.pk}", "leader": "", "draws": "100", "seed": "7", **fields}
    return client.post(reverse("results:forensics_recompute"), data)


def test_an_import_stores_the_check_and_the_page_shows_when_and_from_what(
        client, contest, imported, analyst):
    path, report = imported
    check = MonteCarloCheck.objects.get()
    assert (check.leader, check.n_draws, check.seed, check.trigger) == (
        "AMANAT", 100, forensics.SEED, "import")
    assert (check.batch, check.latest_batch.file_name, check.n_protocols) == (
        None, "senate.csv", N)
    assert check.synthetic is False
    assert "Forensics: the Monte Carlo check (100 draws) computed in" in "\n".join(
        report.lines())
    page = page_of(client, analyst, contest=contest.pk)
    expected = monte_carlo_of(path, "AMANAT", 100)
    assert figures(page)["ip-mc-null-mean"] == f"{expected.mc_null_mean:.1f}"
    assert figures(page)["ip-mc-excess"] == f"{expected.mc_excess:.1f}"
    computed = re.search(r"<span data-computed>(.*?)</span></p>", page, re.S).group(1)
    assert f"from {N} official protocols" in computed and "after the import of senate.csv." in (
        computed)
    assert 'data-monte-carlo="fresh"' in page
    assert 'id="synthetic"' not in page and 'id="stale"' not in page
    # analysts read the check; they do not ask for it again
    assert reverse("results:forensics_recompute") not in page


def test_a_get_never_runs_the_monte_carlo(client, mission, tree, core_member, draws_run):
    contest = make_results_contest(mission, rule="")
    load(contest, tree, station_rows(1, round_turnout=False))  # stored without an import
    for params in ({}, {"contest": contest.pk, "leader": "AUYL"}, {"mc": "1"},
                   {"from": f"c{contest.pk}"}):
        page = page_of(client, core_member, **params)
        assert "The Monte Carlo check has not been computed yet for these results" in page
        assert "ip-mc-excess" not in figures(page)
    assert draws_run == [] and not MonteCarloCheck.objects.exists()
    assert recompute(client, core_member, contest).status_code == 302
    assert draws_run == [100]  # the counter sees the draws when they do run


def test_the_core_team_recomputes_with_a_post(client, contest, imported, core_member):
    path, _report = imported
    response = recompute(client, core_member, contest, leader="AUYL", seed="7")
    assert response.status_code == 302
    assert response["Location"] == (
        f"{reverse('results:forensics')}?from=c{contest.pk}&leader=AUYL#monte-carlo")
    check = MonteCarloCheck.objects.get(leader="AUYL")
    assert (check.n_draws, check.seed, check.trigger, check.requested_by) == (
        100, 7, "request", core_member)
    assert AuditEntry.objects.filter(model="results.montecarlocheck",
                                     object_id=str(check.pk)).count() == 1
    page = page_of(client, core_member, contest=contest.pk, leader="AUYL")
    expected = monte_carlo_of(path, "AUYL", 100, seed=7)
    assert figures(page)["ip-mc-excess"] == f"{expected.mc_excess:.1f}"
    assert "The Monte Carlo check was computed." in page
    assert "(seed 7)" in page and "at the request of" in page
    assert recompute(client, core_member, contest, leader="AUYL", seed="8").status_code == 302
    assert MonteCarloCheck.objects.filter(leader="AUYL").get().seed == 8  # the older forgotten


def test_only_the_core_team_asks_for_the_check_again(
        client, contest, imported, analyst, administrator, coordinator, observer):
    for user in (analyst, administrator, coordinator, observer):
        assert recompute(client, user, contest, leader="AUYL").status_code == 403
    client.logout()
    assert client.post(reverse("results:forensics_recompute"), {}).status_code == 302
    assert not MonteCarloCheck.objects.filter(leader="AUYL").exists()


@pytest.mark.parametrize(("field", "value"), [
    ("draws", "abc"), ("draws", "99"), ("draws", "10001"), ("draws", "99999999999999999999999"),
    ("seed", "-1"), ("seed", str(2**32)), ("leader", "NOBODY"), ("leader", "x" * 65),
])
def test_a_bad_parameter_is_refused_naming_it(client, contest, imported, core_member, field,
                                              value):
    response = recompute(client, core_member, contest, **{field: value})
    assert response.status_code == 400
    assert f'data-error="{field}"' in response.content.decode()
    assert MonteCarloCheck.objects.count() == 1  # the import's, untouched


def test_too_many_draws_for_the_stations_are_refused(client, contest, imported, core_member,
                                                     monkeypatch):
    monkeypatch.setattr(forensics, "MAX_STATION_DRAWS", 1000)
    response = recompute(client, core_member, contest, draws="100")
    assert response.status_code == 400
    error = re.search(r'data-error="draws">([^<]*)<', response.content.decode()).group(1)
    assert error.startswith(f"At most 33 draws for {N} stations")


def test_one_recomputation_at_a_time(client, contest, imported, core_member):
    running = MonteCarloCheck.objects.create(
        mission=contest.election.mission, contest=contest, leader="AUYL", n_draws=100, seed=1,
        inputs_digest="", trigger="request", started_at=timezone.now())
    response = recompute(client, core_member, contest, leader="AUYL")
    assert response.status_code == 409
    assert "already running" in response.content.decode()
    assert 'id="running"' in page_of(client, core_member, contest=contest.pk)
    # one that has run for longer than the timeout died with its process: it gives way
    MonteCarloCheck.objects.filter(pk=running.pk).update(
        started_at=timezone.now() - forensics.RUNNING_TIMEOUT - timedelta(seconds=1))
    assert recompute(client, core_member, contest, leader="AUYL").status_code == 302
    assert not MonteCarloCheck.objects.filter(pk=running.pk).exists()
    assert 'id="running"' not in page_of(client, core_member, contest=contest.pk)


def test_a_new_import_recomputes_the_check_and_others_say_they_are_stale(
        client, contest, imported, core_member, tmp_path):
    assert recompute(client, core_member, contest, leader="AUYL").status_code == 302
    rows = station_rows(3, round_turnout=False)[:N]
    rows[0]["votes"]["AMANAT"] -= 10
    rows[0]["votes"]["AUYL"] += 10
    second = results_file(tmp_path / "second.csv", rows)
    assert import_official_results(contest, second, actor=None).n_updated == 1
    page = page_of(client, core_member, contest=contest.pk, leader="AUYL")
    assert 'data-monte-carlo="stale"' in page
    stale = re.search(r'<p class="notice stale" id="stale">(.*?)</p>', page, re.S).group(1)
    assert "The results have changed since this Monte Carlo check was computed" in stale
    assert "The newest import when it was computed: senate.csv" in stale
    page = page_of(client, core_member, contest=contest.pk)
    assert 'data-monte-carlo="fresh"' in page and "after the import of second.csv." in page
    assert figures(page)["ip-mc-excess"] == f"{monte_carlo_of(second, 'AMANAT', 100).mc_excess:.1f}"
    assert MonteCarloCheck.objects.filter(leader="AMANAT").count() == 1
    # the same file again changes nothing: nothing is drawn again
    computed_at = MonteCarloCheck.objects.get(leader="AMANAT").computed_at
    import_official_results(contest, second, actor=None)
    assert MonteCarloCheck.objects.get(leader="AMANAT").computed_at == computed_at
