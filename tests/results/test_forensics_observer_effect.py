"""The forensics page's observer effect: official results at the stations a team was deployed
to on election day against the others, within region × size band — the figures are
eom.stats.observer_effect's, a planted effect shows, the caveats (not randomised, not proof of
fraud, synthetic data) are there in English and Russian, and a deployment that did not cover
election day does not make a station observed."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pytest
from django.urls import reverse

from eom.missions.models import Location, LocationLevel, Sample, SampledStation
from eom.results.models import ImportBatch, Protocol, Source
from eom.stats.observer_effect import cross, observer_effect, size_bands
from tests.factories import (
    make_deployment,
    make_location,
    make_person,
    make_results_contest,
    make_team,
)

N_STATIONS = 240
PLANTED = -0.10  # the leader's share at observed stations


def figures(page: str) -> dict[str, str]:
    return {name: re.sub(r",(?=\d{3}(?!\d))", "", value)  # English thousands separators
            for name, value in re.findall(r'data-figure="(oe-[\w-]+)">([^<]*)<', page)}


@pytest.fixture
def scene(mission, tree):
    return planted(mission, tree)


def planted(mission, tree):
    """240 stations in two regions; a team deployed over election day to every fifth station,
    where the leader gets 10 points less; another team deployed until the day before to other
    stations, which stay unobserved."""
    contest = make_results_contest(mission, rule="")
    rng = np.random.default_rng(3)
    stations = Location.objects.bulk_create(
        Location(mission=mission, level=LocationLevel.POLLING_STATION, code=f"S{i:04d}",
                 parent=tree[f"D{1 + i % 2}"], path=f"{tree[f'D{1 + i % 2}'].path}S{i:04d}/",
                 name_en=f"Station {i}") for i in range(N_STATIONS))
    observed, protocols, region_of = [], [], []
    for i, station in enumerate(stations):
        region = 1 + i % 2
        registered = int(rng.integers(300, 2500))
        seen = i % 5 == 0
        issued = int(rng.binomial(registered, 0.55 + 0.05 * region))
        invalid = int(rng.binomial(issued, 0.02))
        valid = issued - invalid
        amanat = int(rng.binomial(valid, 0.50 + 0.05 * region + PLANTED * seen))
        protocols.append(Protocol(
            mission=mission, contest=contest, location=station, source=Source.OFFICIAL,
            n_registered=registered, n_issued=issued, n_in_boxes=issued, n_invalid=invalid,
            n_valid=valid, n_against_all=0, votes={"AMANAT": amanat, "AUYL": valid - amanat}))
        observed.append(seen)
        region_of.append(f"R{region}")
    Protocol.objects.bulk_create(protocols)
    team = make_team(mission, "OE-1", [make_person(mission)])
    make_deployment(team, [s for s, seen in zip(stations, observed, strict=True) if seen],
                    starts=dt.date(2023, 3, 16), ends=dt.date(2023, 3, 21))
    early = make_team(mission, "OE-2", [make_person(mission)])
    make_deployment(early, [stations[1], stations[3]], starts=dt.date(2023, 3, 1),
                    ends=dt.date(2023, 3, 18))
    return contest, protocols, observed, region_of


def expected(protocols, observed, region_of):
    reg = np.array([p.n_registered for p in protocols])
    bands, _ = size_bands(reg, 4)
    return observer_effect(
        np.array(observed, dtype=int), cross(region_of, bands), reg,
        [p.n_issued for p in protocols], [p.votes["AMANAT"] for p in protocols],
        [p.n_valid + p.n_invalid for p in protocols])


def open_page(client, user, contest, language="en"):
    client.force_login(user)
    client.cookies["django_language"] = language
    return client.get(reverse("results:forensics"), {"contest": contest.pk}).content.decode()


def test_observer_effect_shows_the_figures_of_eom_stats_and_finds_the_planted_effect(
        client, scene, analyst):
    contest, protocols, observed, region_of = scene
    result = expected(protocols, observed, region_of)
    page = open_page(client, analyst, contest)
    shown = figures(page)
    assert shown["oe-observed"] == "48"
    for m in result.measures:
        assert shown[f"oe-{m.name}-observed"] == f"{100 * m.mean_observed:.2f}"
        assert shown[f"oe-{m.name}-unobserved"] == f"{100 * m.mean_unobserved:.2f}"
        assert shown[f"oe-{m.name}-difference"] == f"{100 * m.difference:.2f}"
        assert shown[f"oe-{m.name}-low"] == f"{100 * m.interval[0]:.2f}"
        assert shown[f"oe-{m.name}-high"] == f"{100 * m.interval[1]:.2f}"
        assert shown[f"oe-{m.name}-n-observed"] == "48"
        assert shown[f"oe-{m.name}-n-unobserved"] == "192"
        assert shown[f"oe-{m.name}-strata"] == "8"
        assert shown[f"oe-{m.name}-dropped"] == "0"
    share = result.leader_share
    assert share.found and share.interval[0] < PLANTED < share.interval[1]
    assert not result.turnout.found
    verdicts = dict(re.findall(r'data-verdict="(oe-[\w]+)">(.*?)</td>', page))
    assert "the interval excludes zero" in verdicts["oe-leader_share"]
    assert "the interval includes zero" in verdicts["oe-turnout"]
    caveats = re.search(r'id="observer-effect-caveats">(.*?)</ul>', page, re.S).group(1)
    assert "The teams were not sent to stations at random" in caveats
    assert "A difference is not proof of fraud" in caveats
    assert "Synthetic data" not in caveats


def test_observer_effect_speaks_russian_and_says_when_the_data_are_synthetic(
        client, scene, analyst, mission):
    contest, protocols, observed, region_of = scene
    batch = ImportBatch.objects.create(mission=mission, contest=contest, file_name="demo.csv",
                                       synthetic=True)
    Protocol.objects.filter(contest=contest).update(batch=batch)
    result = expected(protocols, observed, region_of)
    page = open_page(client, analyst, contest, "ru")
    assert "Влияние присутствия наблюдателей" in page
    shown = figures(page)
    difference = f"{100 * result.leader_share.difference:.2f}".replace(".", ",")
    assert shown["oe-leader_share-difference"] == difference
    caveats = re.search(r'id="observer-effect-caveats">(.*?)</ul>', page, re.S).group(1)
    assert "Команды направлялись на участки не случайным образом" in caveats
    assert "Разница не доказывает фальсификацию" in caveats
    assert "Синтетические данные" in caveats
    english = open_page(client, analyst, contest)
    assert 'id="observer-effect-synthetic"' in english
    assert "generated without regard to where its teams went" in english


def test_a_stratum_without_an_observed_station_is_named_as_left_out(client, scene, analyst,
                                                                   mission, tree):
    contest, protocols, observed, region_of = scene
    region = make_location(mission, LocationLevel.REGION, "R3", tree["KZ"], name_en="Abai")
    district = make_location(mission, LocationLevel.DISTRICT, "D3", region)
    for i in range(2):
        station = make_location(mission, LocationLevel.POLLING_STATION, f"T{i}", district,
                                n_registered=1000)
        Protocol.objects.create(mission=mission, contest=contest, location=station,
                                source=Source.OFFICIAL, n_registered=1000, n_issued=600,
                                n_in_boxes=600, n_invalid=0, n_valid=600, n_against_all=0,
                                votes={"AMANAT": 300, "AUYL": 300})
    page = open_page(client, analyst, contest)
    left_out = re.search(r'id="observer-effect-dropped">(.*?)</p>', page, re.S).group(1)
    assert "Abai, " in left_out and "registered voters" in left_out
    assert figures(page)["oe-leader_share-dropped"] == "1"


def test_without_a_team_deployed_on_election_day_there_is_nothing_to_compare(
        client, mission, tree, analyst):
    contest = make_results_contest(mission, rule="")
    station = tree["01001"]
    Protocol.objects.create(mission=mission, contest=contest, location=station,
                            source=Source.OFFICIAL, n_registered=101, n_issued=60,
                            n_in_boxes=60, n_invalid=0, n_valid=60, n_against_all=0,
                            votes={"AMANAT": 40, "AUYL": 20})
    make_deployment(make_team(mission, "OE-9", [make_person(mission)]), [station],
                    starts=dt.date(2023, 3, 20), ends=dt.date(2023, 3, 21))
    page = open_page(client, analyst, contest)
    none = re.search(r'id="observer-effect-none">(.*?)</p>', page, re.S).group(1)
    assert "No team was deployed on election day (2023-03-19)" in none
    assert 'data-figure="oe-' not in page


def test_observer_effect_is_only_for_readers_of_the_forensics_page(client, scene, coordinator,
                                                                   observer):
    contest = scene[0]
    for user in (coordinator, observer):
        client.force_login(user)
        response = client.get(reverse("results:forensics"), {"contest": contest.pk})
        assert response.status_code == 403
        assert "observer-effect" not in response.content.decode()


def test_when_a_drawn_sample_holds_every_observed_station_the_page_names_it(
        client, scene, analyst, mission):
    contest, protocols, observed, _ = scene
    sample = Sample.objects.create(mission=mission, name="Quick count", seed=7, size=60,
                                   population_size=N_STATIONS)
    seen = [p.location_id for p, o in zip(protocols, observed, strict=True) if o]
    extra = [protocols[1].location_id]  # a drawn station no team reached
    SampledStation.objects.bulk_create(
        SampledStation(sample=sample, location=Location.objects.get(pk=pk), stratum="R1")
        for pk in seen + extra)
    page = open_page(client, analyst, contest)
    caveats = re.search(r'id="observer-effect-caveats">(.*?)</ul>', page, re.S).group(1)
    assert "The stations observed are all in the drawn sample “Quick count”" in caveats
    assert "not sent to stations at random" not in caveats
    SampledStation.objects.filter(location_id=seen[0]).delete()
    page = open_page(client, analyst, contest)
    assert "The teams were not sent to stations at random" in page
