"""The demo's quick count: a seeded sample of 150 stations by district, one per STO team in its
own district; the simulated counts copy the official protocols, so the estimate's 95 % interval
holds the official national share of every list."""

import pytest

from eom.demo import kz2023
from eom.demo.simulator import simulate_election_day
from eom.missions.models import LocationLevel, Mission, Sample, TeamKind
from eom.observation.models import Submission
from eom.reporting.pvt import quick_count_page
from eom.stats import draw_stratified_sample


@pytest.fixture
def demo(transactional_db):
    kz2023.load()
    return Mission.objects.get(code=kz2023.MISSION_CODE)


def test_demo_sample_is_the_seeded_draw_with_one_station_per_team_in_its_district(demo):
    sample = Sample.objects.get(mission=demo)
    rows = list(demo.locations.filter(level=LocationLevel.POLLING_STATION).order_by("path")
                .values_list("pk", "path"))
    drawn = draw_stratified_sample([pk for pk, _ in rows], [p.split("/")[2] for _, p in rows],
                                   150, kz2023.SEED)
    stations = list(sample.stations.order_by("pk").select_related("location__parent", "team"))
    assert [s.location_id for s in stations] == list(drawn.station_ids)
    assert (sample.size, sample.stratum_level, len(sample.stratum_sizes)) == (150, "district", 29)
    teams = {s.team for s in stations}
    assert len(teams) == 150 and {t.kind for t in teams} == {TeamKind.STO}
    for station in stations:
        assert station.team.area_id == station.location.parent_id
        deployed = station.team.deployments.get(synthetic=False).locations.all()  # not the practice
        assert station.location in deployed


def test_demo_quick_count_interval_holds_the_official_share_of_every_list(demo):
    plan, outcome = simulate_election_day(demo, teams=None, seed=kz2023.SEED)
    assert outcome.stored == len(plan.reports)
    page = quick_count_page(Sample.objects.get(mission=demo), Submission.objects.all())
    assert (page.n_sampled, page.n_reported, len(page.left_out)) == (150, 131, 1)
    # the two teams that disagree count at one sampled station: left out, conflict open
    assert len(page.left_out[0].submissions) == 2
    assert page.strata_missing == []
    assert len(page.rows) == 8
    assert [row.code for row in page.rows if not row.inside95] == []
    assert page.rows[0].code == "AMANAT" and page.result.decided
    assert page.official.shares["AMANAT"] == pytest.approx(3_431_510 / 6_366_441)
    assert abs(page.turnout["percent"] - page.turnout["official"]) <= page.turnout["margin95"]
    again = quick_count_page(Sample.objects.get(mission=demo), Submission.objects.all())
    assert [(r.code, r.share, r.margin95) for r in again.rows] == [
        (r.code, r.share, r.margin95) for r in page.rows]
