"""The forensics page on the demo's official results (Kazakhstan 2023, 10,223 synthetic
per-station protocols): the figures are eom.stats' on the stored protocols, the page states
each check's verdict as eom.stats gives it — anomalies or none, never made up — and says that
the data are synthetic."""

from __future__ import annotations

import re

import numpy as np
import pytest
from django.urls import reverse

from eom.demo import kz2023
from eom.demo import results as demo_results
from eom.missions.models import Access, Contest, Mission
from eom.results.models import ImportBatch, Protocol
from eom.stats import summary
from eom.stats.forensics import flags
from tests.factories import make_user
from tests.results.test_forensics_page import assert_page_equals_stats


@pytest.fixture
def demo(db):
    kz2023.load()
    mission = Mission.objects.get(code=kz2023.MISSION_CODE)
    if not Protocol.objects.filter(mission=mission, source="official").exists():
        demo_results.load_official_results(mission)
    return mission


def test_forensics_on_the_demo_states_what_eom_stats_finds_and_that_it_is_synthetic(
        client, demo):
    official = Protocol.objects.filter(mission=demo, source="official")
    contest = Contest.objects.get(pk=official.values_list("contest", flat=True).first())
    rows = list(official.values_list("n_registered", "n_issued", "n_valid", "n_invalid",
                                     "votes"))
    reg, issued, valid, invalid = (np.array([r[i] for r in rows], dtype=np.int64)
                                   for i in range(4))
    totals: dict[str, int] = {}
    for r in rows:
        for code, v in r[4].items():
            totals[code] = totals.get(code, 0) + v
    leader = max(totals, key=totals.get)
    n_leader = np.array([r[4].get(leader, 0) for r in rows], dtype=np.int64)
    result = summary(reg, issued, n_leader, valid + invalid, n_draws=0)
    client.force_login(make_user(demo, Access.ANALYST))
    page = client.get(reverse("results:forensics"), {"contest": contest.pk}).content.decode()
    assert f'<option value="{leader}" selected>' in page
    # the Monte Carlo check the demo loader stored, with as many draws (tests/conftest.py)
    assert_page_equals_stats(page, summary(reg, issued, n_leader, valid + invalid, n_draws=100))
    assert 'data-monte-carlo="fresh"' in page and "by the demo loader." in page
    # the demo's results are one import marked synthetic, and the page says so
    assert ImportBatch.objects.get(mission=demo).synthetic is True
    notice = re.search(r'<p class="notice synthetic" id="synthetic">(.*?)</p>', page, re.S)
    assert "These per-station results were generated for the demo" in notice.group(1)
    verdicts = {f.name: f.anomalous for f in flags(result)}
    for name, anomalous in verdicts.items():
        word = "look closer" if anomalous else "nothing unusual"
        assert re.search(rf'data-flag="{name}">{word}', page)
    if any(verdicts.values()):
        assert "of the five checks point" in page
    else:
        assert "None of the five checks finds anything unusual in these results." in page
    print({name: round(f.figure, 3) for name, f in ((f.name, f) for f in flags(result))},
          verdicts)

    # the observer effect: the stations the demo's teams were deployed to on election day, and
    # the caveat that these results were generated without regard to where the teams went
    day = contest.election.date
    deployed = official.filter(location__deployments__starts__lte=day,
                               location__deployments__ends__gte=day).values("location").distinct()
    assert re.search(rf'data-figure="oe-observed">{deployed.count():,}<', page)
    assert deployed.count() > 1000
    assert 'id="observer-effect-synthetic"' in page
    assert "The teams were not sent to stations at random" in page
