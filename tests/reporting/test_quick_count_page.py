"""The quick-count page: estimates from the counting reports of the sampled stations, equal to
eom.stats.quick_count on the same rows; strata without reports named; two teams disagreeing at a
station leave it out until the conflict is resolved; every report used linked; access."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from eom.missions.models import Access, LocationLevel
from eom.missions.services import recompute_totals
from eom.observation.models import Submission
from eom.observation.services import resolve_conflict
from eom.reporting.pvt import AGAINST_ALL, draw_sample, quick_count_page
from eom.results.services import OBSERVER_PARTY_QUESTIONS
from eom.stats import quick_count
from tests.factories import (
    make_form,
    make_location,
    make_person,
    make_results_contest,
    make_team,
    make_user,
    question,
)

URL = reverse("reporting:quick_count")
QUESTIONS = ["n_registered", "n_in_boxes", *OBSERVER_PARTY_QUESTIONS, "n_against_all"]


@pytest.fixture
def scene(mission):
    """Three regions of 6, 8 and 10 stations; a sample of 12 by region (3, 4, 5 stations);
    the party-list contest with its national published total; the counting checklist."""
    country = make_location(mission, LocationLevel.COUNTRY, "KZ")
    number = 0
    for r, n in ((1, 6), (2, 8), (3, 10)):
        region = make_location(mission, LocationLevel.REGION, f"R{r}", country)
        district = make_location(mission, LocationLevel.DISTRICT, f"D{r}", region)
        for _ in range(n):
            number += 1
            make_location(mission, LocationLevel.POLLING_STATION, f"{number:05d}", district,
                          n_registered=1000 + 25 * number)
    recompute_totals(mission)
    contest = make_results_contest(mission)
    from eom.results.services import set_published_total

    votes = {"AMANAT": 5400, "AUYL": 1100, "RESPUBLICA": 860, "AKZHOL": 840, "QHP": 680,
             "OSDP": 520, "BAYTAQ": 230}
    set_published_total(actor=None, channel="command", contest=contest, location=country,
                        figures={"votes": votes, "n_against_all": 370, "n_registered": 20000,
                                 "n_in_boxes": 10200}, source="CEC")
    form = make_form(mission, "counting", "counting",
                     [question(name, reconcile=name not in {"n_registered", "n_in_boxes"})
                      for name in QUESTIONS])
    sample, _ = draw_sample(actor=None, channel="command", mission=mission, name="PVT",
                            size=12, seed=5)
    teams = [make_team(mission, f"STO-{i}", [make_person(mission)]) for i in range(1, 13)]
    return {"sample": sample, "form": form, "teams": teams, "country": country}


def figures(k: int) -> dict:
    """Counting answers that differ from station to station."""
    parties = dict(zip(OBSERVER_PARTY_QUESTIONS, [300 + 7 * k, 60 + 3 * k, 50 - k, 45, 40 + k,
                                                  30, 12 + (k % 3)], strict=True))
    valid = sum(parties.values()) + 20 + k
    return {"n_registered": 1200 + 10 * k, "n_in_boxes": valid + 9, **parties,
            "n_against_all": 20 + k}


def report(scene, station, answers, team=0, minutes=0):
    form = scene["form"]
    return Submission.objects.create(
        mission=form.mission, form=form, form_version=form.current_version, location=station,
        team=scene["teams"][team], observed_at=dt.datetime(2023, 3, 19, 20, tzinfo=dt.UTC)
        + dt.timedelta(minutes=minutes), channel="api", answers=answers)


def sampled(scene, region: str):
    return [s.location for s in scene["sample"].stations.order_by("pk").select_related(
        "location") if s.stratum == region]


def expected(rows, sample):
    votes = {code: [r[q] for r in rows] for q, code in OBSERVER_PARTY_QUESTIONS.items()}
    votes[AGAINST_ALL] = [r["n_against_all"] for r in rows]
    strata = [r["stratum"] for r in rows]
    return quick_count(votes, strata=strata, stratum_sizes=sample.stratum_sizes,
                       n_registered=[r["n_registered"] for r in rows],
                       n_ballots=[r["n_in_boxes"] for r in rows])


@pytest.fixture
def reported(scene):
    """Reports from the sampled stations of R1 and R2 (7 of 12), each from its own team (teams
    3 to 9: the design stays the sample's, stratified); none from R3."""
    rows = []
    for k, station in enumerate(sampled(scene, "R1") + sampled(scene, "R2")):
        answers = figures(k)
        report(scene, station, answers, team=k + 2)
        rows.append({**answers, "stratum": station.path.split("/")[1]})
    return rows


def test_estimates_are_the_stratified_ratio_estimator_on_the_reports(scene, reported):
    page = quick_count_page(scene["sample"], Submission.objects.all())
    result = expected(reported, scene["sample"])
    assert (page.n_reported, page.n_sampled) == (7, 12)
    assert [(r.code, r.share, r.margin95, r.margin99) for r in page.rows] == [
        (e.name, e.share, e.margin95, e.margin99) for e in result.parties]
    assert page.result.decided == result.decided is True
    assert page.result.turnout.share == pytest.approx(result.turnout.share)
    assert page.official.shares["AMANAT"] == 5400 / 10000
    assert page.official.turnout == 10200 / 20000
    assert [s.code for s in page.strata_missing] == ["R3"]
    assert [(s.code, s.n_population, s.n_sampled, s.n_reported) for s in page.strata] == [
        ("R1", 6, 3, 3), ("R2", 8, 4, 4), ("R3", 10, 5, 0)]
    assert page.steps[-1].shares == {e.name: e.share for e in result.parties}
    assert [s.n_reports for s in page.steps] == [1, 2, 3, 4, 5, 6, 7]


def test_deleted_reports_and_other_forms_are_not_counted(scene, reported):
    station = sampled(scene, "R1")[0]
    Submission.objects.filter(location=station).update(deleted_at=dt.datetime.now(dt.UTC))
    voting = make_form(scene["form"].mission, "voting", "voting", [question("n_amanat")])
    Submission.objects.create(mission=voting.mission, form=voting,
                              form_version=voting.current_version, location=station,
                              observed_at=dt.datetime(2023, 3, 19, 12, tzinfo=dt.UTC),
                              channel="api", answers={"n_amanat": 5})
    page = quick_count_page(scene["sample"], Submission.objects.all())
    assert page.n_reported == 6
    assert station.pk not in {r.station.location_id for r in page.reports}
    assert page.rows[0].share == expected(reported[1:], scene["sample"]).parties[0].share


def test_two_teams_disagreeing_leave_the_station_out_until_the_conflict_is_resolved(
        scene, reported, core_member):
    station = sampled(scene, "R3")[0]
    first = report(scene, station, figures(20), team=0)
    changed = {**figures(20), "n_amanat": figures(20)["n_amanat"] + 25,
               "n_auyl": figures(20)["n_auyl"] - 25}
    second = report(scene, station, changed, team=1, minutes=5)
    page = quick_count_page(scene["sample"], Submission.objects.all())
    assert page.n_reported == 7
    assert [(x.station.location_id, x.submissions) for x in page.left_out] == [
        (station.pk, [first, second])]
    assert [s.code for s in page.strata_missing] == ["R3"]
    for name in ("n_amanat", "n_auyl"):
        resolve_conflict(actor=core_member, channel="page", mission=station.mission,
                         location=station, form=scene["form"], question=name, chosen=second)
    page = quick_count_page(scene["sample"], Submission.objects.all())
    assert page.left_out == [] and page.strata_missing == []
    used = next(r for r in page.reports if r.station.location_id == station.pk)
    assert used.submission == second and used.votes["AMANAT"] == changed["n_amanat"]
    rows = [*reported, {**changed, "stratum": "R3"}]
    assert page.rows[0].share == pytest.approx(expected(rows, scene["sample"]).parties[0].share)


def test_agreeing_reports_of_two_teams_count_once(scene, reported):
    station = sampled(scene, "R3")[0]
    first = report(scene, station, figures(30), team=0)
    report(scene, station, figures(30), team=1, minutes=3)
    page = quick_count_page(scene["sample"], Submission.objects.all())
    assert page.n_reported == 8 and page.left_out == []
    assert next(r for r in page.reports if r.station.location_id == station.pk).submission == first


def test_page_shows_the_figures_and_links_exactly_the_reports_used(client, scene, reported,
                                                                    core_member):
    client.force_login(core_member)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    page = response.context["page"]
    assert "7 of 12 sampled polling stations reported their count." in html
    amanat = page.rows[0]
    assert f'<tr data-code="AMANAT"><td>Amanat</td><td class="num" data-label="Estimate">{amanat.percent:.2f} %' in html
    assert "54.00 %" in html  # the official share beside it
    assert "Statistically decided" in html
    assert "<svg id=\"convergence\"" in html and html.count('class="estimate"') == 8
    linked = {s.uuid for s in Submission.objects.all()
              if reverse("observation:submission", args=[s.uuid]) in html}
    assert linked == {r.submission.uuid for r in page.reports}
    assert len(linked) == 7
    assert "R3" in html and "no report yet" in html
    assert reverse("reporting:analysis") in html


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_chart_is_drawn_with_decimal_points_in_russian_and_kazakh(
        client, scene, reported, core_member, language):
    client.force_login(core_member)
    client.cookies["django_language"] = language
    html = client.get(URL).content.decode()
    chart = re.search(r'<svg id="convergence".*?</svg>', html, re.S).group(0)
    numbers = re.findall(r' (?:x|y|x1|x2|y1|y2)="([^"]*)"', chart)
    assert len(numbers) > 20
    assert [n for n in numbers if not re.fullmatch(r"-?\d+(\.\d+)?", n)] == []
    assert "54,00 %" in html  # the official share beside the estimate, in the reader's format


def test_page_without_a_sample_says_how_to_draw_one(client, mission, core_member):
    client.force_login(core_member)
    response = client.get(URL)
    assert response.status_code == 200
    assert b"eom sample draw" in response.content


def test_page_without_reports_says_so(client, scene, analyst):
    client.force_login(analyst)
    response = client.get(URL)
    assert b"0 of 12 sampled polling stations reported their count." in response.content
    assert b"No sampled polling station has reported its count yet." in response.content


@pytest.mark.parametrize("access, status", [
    (Access.CORE_TEAM, 200), (Access.ANALYST, 200), (Access.ADMINISTRATOR, 200),
    (Access.COORDINATOR, 403), (Access.OBSERVER, 403),
])
def test_access_by_level(client, scene, reported, access, status):
    client.force_login(make_user(scene["form"].mission, access, area=scene["country"]))
    response = client.get(URL)
    assert response.status_code == status
    if status == 403:
        assert b"54." not in response.content and b"AMANAT" not in response.content


def test_outsider_is_refused_and_anonymous_sent_to_login(client, scene, reported, outsider):
    assert client.get(URL).status_code == 302
    client.force_login(outsider)
    assert client.get(URL).status_code == 403


def test_reports_used_link_opens_the_used_and_the_left_out_reports_as_counted(
        client, scene, reported, core_member):
    """7 used in R1 and R2; in R3 two teams disagree at one station, agree at another (one used,
    one repeated), and one report lacks a list's votes; a deleted report and a voting report
    at sampled stations are not counting reports of the sample."""
    first, second, third, fourth = sampled(scene, "R3")[:4]
    report(scene, first, figures(20), team=0)
    report(scene, first, {**figures(20), "n_amanat": 1}, team=1, minutes=5)
    report(scene, second, figures(21), team=0)
    report(scene, second, figures(21), team=1, minutes=2)
    report(scene, third, {k: v for k, v in figures(22).items() if k != "n_auyl"})
    report(scene, fourth, figures(23))
    Submission.objects.filter(location=fourth).update(deleted_at=dt.datetime.now(dt.UTC))
    voting = make_form(scene["form"].mission, "voting", "voting", [question("n_amanat")])
    Submission.objects.create(mission=voting.mission, form=voting,
                              form_version=voting.current_version, location=first,
                              observed_at=dt.datetime(2023, 3, 19, 12, tzinfo=dt.UTC),
                              channel="api", answers={"n_amanat": 5})
    client.force_login(core_member)
    response = client.get(URL)
    html, page = response.content.decode(), response.context["page"]
    link = re.search(r'<p id="reports-link"><a href="([^"]+)">(\d+) reports used</a>', html)
    stated = re.search(r"the list also shows (\d+) reports left out: (.+)\.</span>", html)
    assert link.group(1) == (f"{reverse('observation:submissions')}?form=counting&amp;"
                             f"sample={scene['sample'].pk}")
    assert (int(link.group(2)), int(stated.group(1))) == (8, 4)
    assert stated.group(2) == ("2 from teams that disagree (conflict not resolved), 1 without "
                               "the votes of every list, 1 repeating a station already counted")
    listed = client.get(link.group(1).replace("&amp;", "&")).context["submissions"]
    assert listed.paginator.count == int(link.group(2)) + int(stated.group(1)) == 12
    left_out = {s.pk for x in page.left_out for s in x.submissions}
    assert {r.submission.pk for r in page.reports} | left_out < {s.pk for s in listed}


def test_one_reported_station_per_stratum_is_collapsed_named_and_never_decided(
        client, scene, core_member):
    """One report in each region: the margins rest on strata paired with a neighbour, which
    the page names; with every stratum of one station nothing is called decided."""
    for k, region in enumerate(("R1", "R2", "R3")):
        report(scene, sampled(scene, region)[0], figures(k), team=k)
    page = quick_count_page(scene["sample"], Submission.objects.all())
    assert page.result.decision_possible is False and page.result.decided is False
    assert page.strata_collapsed and all("+" in group for group in page.strata_collapsed)
    client.force_login(core_member)
    html = client.get(URL).content.decode()
    assert 'id="no-decision"' in html and "Statistically decided" not in html
    assert 'id="strata-collapsed"' in html and page.strata_collapsed[0] in html
