"""The design of an analysis follows the data: reports from a drawn sample are analysed
stratified by its strata, or clustered by team when teams reported from several sampled
stations each; other reports are observed only. The analysis page, the indicators API and the
quick-count page name the design and say why; a design asked for that the data contradict is
answered with the design used."""

import datetime as dt
import html

import pytest
from django.urls import reverse

from eom.missions.models import LocationLevel
from eom.missions.services import recompute_totals
from eom.observation.models import Submission
from eom.reporting.design import decide_design
from eom.reporting.pvt import draw_sample, quick_count_page
from eom.results.services import OBSERVER_PARTY_QUESTIONS
from eom.stats import Design, estimate_proportion
from eom.xlsform import coding
from tests.factories import (
    indicator,
    make_form,
    make_location,
    make_person,
    make_results_contest,
    make_team,
    question,
)

NEGATIVE = "${assessment} = 'bad'"
COUNTING = ["n_registered", "n_in_boxes", *OBSERVER_PARTY_QUESTIONS, "n_against_all"]


@pytest.fixture
def scene(mission):
    """Two regions of 20 polling stations; a sample of 16 by region (8 + 8); a voting checklist
    with an assessment and the indicator "assessed negatively"; 8 teams."""
    country = make_location(mission, LocationLevel.COUNTRY, "KZ")
    for r in (1, 2):
        region = make_location(mission, LocationLevel.REGION, f"R{r}", country)
        district = make_location(mission, LocationLevel.DISTRICT, f"D{r}", region)
        for s in range(20):
            make_location(mission, LocationLevel.POLLING_STATION, f"{r}{s:04d}", district,
                          n_registered=1000 + s)
    recompute_totals(mission)
    form = make_form(mission, "voting", "voting",
                     [question("assessment", "select_one", choices=("good", "bad"))],
                     indicators=[indicator("negative", NEGATIVE)])
    sample, _ = draw_sample(actor=None, channel="command", mission=mission, name="PVT",
                            size=16, seed=3)
    teams = [make_team(mission, f"STO-{i}", [make_person(mission)]) for i in range(1, 9)]
    stations = [s.location for s in sample.stations.order_by("pk").select_related("location")]
    return {"sample": sample, "form": form, "teams": teams, "stations": stations,
            "mission": mission}


def report(scene, form, station, team, answers, minute):
    version = form.current_version
    return Submission.objects.create(
        mission=scene["mission"], form=form, form_version=version, location=station, team=team,
        observed_at=dt.datetime(2023, 3, 19, 12, tzinfo=dt.UTC) + dt.timedelta(minutes=minute),
        channel="api", answers=answers,
        choice_codes=coding.encode(version.definition, answers))


def assessments(scene, team_of):
    """Each sampled station assessed once, by team `team_of(k)`; bad at every third."""
    for k, station in enumerate(scene["stations"]):
        report(scene, scene["form"], station, scene["teams"][team_of(k)],
               {"assessment": "bad" if k % 3 == 0 else "good"}, k)


def api(client, **params):
    answer = client.get("/api/indicators", {"form_id": "voting", **params})
    assert answer.status_code == 200, answer.content
    return answer.json()[0]


def test_teams_with_several_sampled_stations_make_the_analysis_clustered(
        scene, client, core_member):
    assessments(scene, lambda k: k // 2)  # 8 teams of 2 sampled stations each
    client.force_login(core_member)

    figure = api(client, sample="PVT")
    expected = estimate_proportion([1 if k % 3 == 0 else 0 for k in range(16)],
                                   Design.clustered(), clusters=[k // 2 for k in range(16)])
    assert (figure["design"], figure["design_name"], figure["scope"], figure["unit"]) == (
        "clustered", "clustered by team", "population", "sampled stations")
    assert (figure["count"], figure["base"]) == (6, 16)
    assert (figure["share"], figure["low"], figure["high"]) == (
        expected.share, expected.interval.lower, expected.interval.upper)
    assert "8 teams reported from more than one sampled station" in figure["design_reason"]
    assert "sample “PVT”" in figure["design_reason"]

    page = html.unescape(client.get(reverse("reporting:analysis"), {
        "form": "voting", "sample": scene["sample"].pk}).content.decode())
    assert 'data-design="clustered"' in page
    assert "Design: clustered by team." in page
    assert "8 teams reported from more than one sampled station" in page


def test_one_station_per_team_is_analysed_stratified_by_the_samples_strata(
        scene, client, core_member):
    assessments(scene, lambda k: k % 8)  # 8 teams, but each at one station ...
    for k, station in enumerate(scene["stations"][8:]):  # ... the other 8 by teams of their own
        Submission.objects.filter(location=station).update(
            team=make_team(scene["mission"], f"STO-X{k}", [make_person(scene["mission"])]))
    client.force_login(core_member)

    figure = api(client, sample="PVT")
    strata = [s.stratum for s in scene["sample"].stations.order_by("pk")]
    expected = estimate_proportion([1 if k % 3 == 0 else 0 for k in range(16)],
                                   Design.stratified({"R1": 20, "R2": 20}), strata=strata)
    assert (figure["design"], figure["design_name"]) == ("stratified", "stratified by region")
    assert (figure["share"], figure["low"], figure["high"]) == (
        expected.share, expected.interval.lower, expected.interval.upper)
    assert "no team reported from more than one sampled station" in figure["design_reason"]

    page = html.unescape(client.get(reverse("reporting:analysis"), {
        "form": "voting", "sample": scene["sample"].pk}).content.decode())
    assert "Design: stratified by region." in page


def test_reports_not_restricted_to_a_sample_are_observed_only(scene, client, core_member):
    assessments(scene, lambda k: k // 2)
    client.force_login(core_member)

    figure = api(client)
    assert (figure["design"], figure["scope"], figure["unit"]) == (
        "convenience", "observed", "reports")
    assert "not drawn at random" in figure["design_reason"]
    page = html.unescape(client.get(reverse("reporting:analysis"),
                                    {"form": "voting"}).content.decode())
    assert "Design: observed only." in page


def test_a_design_the_data_contradict_is_answered_with_the_design_used(
        scene, client, core_member):
    assessments(scene, lambda k: k // 2)
    client.force_login(core_member)

    figure = api(client, sample="PVT", design="simple_random")
    assert (figure["design"], figure["design_requested"]) == ("clustered", "simple_random")
    assert figure["design_reason"].startswith(
        "A “simple random” design was asked for, but the data call for “clustered by team”.")
    unsampled = api(client, design="stratified")
    assert (unsampled["design"], unsampled["design_requested"]) == ("convenience", "stratified")
    followed = api(client, sample="PVT", design="clustered")
    assert (followed["design"], followed["design_requested"]) == ("clustered", "clustered")
    assert not followed["design_reason"].startswith("A “")


def test_an_unknown_design_or_sample_is_refused_naming_the_parameter(scene, client,
                                                                     core_member):
    client.force_login(core_member)
    for params, field in (({"design": "lucky"}, "design"), ({"sample": "nope"}, "sample")):
        answer = client.get("/api/indicators", params)
        assert answer.status_code == 422
        assert answer.json()["detail"][0]["loc"] == ["query", field]


def test_an_observer_cannot_name_a_sample(mission, client, observer):
    draw_sample(actor=None, channel="command", mission=mission, name="PVT", size=2, seed=1)
    client.force_login(observer)
    answer = client.get("/api/indicators", {"sample": "PVT"})
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["query", "sample"]


def test_the_first_report_of_a_station_is_its_unit_and_missing_strata_are_named(scene):
    sample, stations, teams = scene["sample"], scene["stations"], scene["teams"]
    r1 = [s for s, st in zip(stations, sample.stations.order_by("pk"), strict=True)
          if st.stratum == "R1"]
    reports = [(r1[0].pk, teams[0].pk), (r1[0].pk, teams[1].pk), (r1[1].pk, teams[2].pk)]
    chosen = decide_design(sample, reports)
    assert (chosen.kind, chosen.units, chosen.strata_missing) == ("stratified", [0, 2], ["R2"])
    assert "No report from 1 stratum (region R2)" in chosen.reason


def counting(k):
    parties = dict(zip(OBSERVER_PARTY_QUESTIONS, [300 + 7 * k, 60 + 3 * k, 50 - k, 45, 40 + k,
                                                  30, 12 + (k % 3)], strict=True))
    return {"n_registered": 1200 + 10 * k, "n_in_boxes": sum(parties.values()) + 40, **parties,
            "n_against_all": 20 + k}


def test_the_quick_count_with_teams_of_several_stations_is_clustered_and_says_so(
        scene, client, core_member):
    make_results_contest(scene["mission"])
    form = make_form(scene["mission"], "counting", "counting",
                     [question(name) for name in COUNTING])
    for k, station in enumerate(scene["stations"]):
        report(scene, form, station, scene["teams"][k // 4], counting(k), k)  # 4 teams of 4
    page = quick_count_page(scene["sample"], Submission.objects.all())
    assert (page.design.kind, page.design.n_teams_with_several) == ("clustered", 4)
    amanat = page.rows[0]
    votes = [counting(k)["n_amanat"] for k in range(16)]
    valid = [sum(counting(k)[q] for q in (*OBSERVER_PARTY_QUESTIONS, "n_against_all"))
             for k in range(16)]
    team_votes = [sum(votes[4 * t:4 * t + 4]) for t in range(4)]
    team_valid = [sum(valid[4 * t:4 * t + 4]) for t in range(4)]
    assert amanat.share == pytest.approx(sum(votes) / sum(valid))
    r = sum(team_votes) / sum(team_valid)
    residuals = [y - r * x for y, x in zip(team_votes, team_valid, strict=True)]
    mean = sum(residuals) / 4
    variance = sum((e - mean) ** 2 for e in residuals) / 3 / 4 / (sum(team_valid) / 4) ** 2
    # the standard error between the 4 teams (Cochran 6.13, with replacement), not between
    # the 16 stations
    assert page.result.share_of("AMANAT").standard_error == pytest.approx(variance ** 0.5,
                                                                          rel=1e-9)

    client.force_login(core_member)
    text = html.unescape(client.get(reverse("reporting:quick_count")).content.decode())
    assert "Design: clustered by team." in text
    assert "4 teams reported from more than one sampled station" in text


@pytest.mark.parametrize("language, words", [
    ("ru", "Кластеры по командам: избирательные участки были отобраны случайным образом в "
           "выборку «PVT» (страты: регион), но 8 команд прислали отчёты"),
    ("kk", "Топтар бойынша кластерлер: сайлау учаскелері «PVT» іріктемесіне кездейсоқ "
           "іріктелді (страталар: өңір), бірақ 8 топ"),
])
def test_the_reason_is_given_in_the_readers_language(scene, client, core_member, language,
                                                     words):
    assessments(scene, lambda k: k // 2)
    client.force_login(core_member)
    client.cookies["django_language"] = language
    assert api(client, sample="PVT")["design_reason"].startswith(words)
