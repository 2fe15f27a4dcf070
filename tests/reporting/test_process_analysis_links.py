"""Every count on the process analysis page links to exactly the submissions behind it: the
submissions list opened by the link has as many rows as the figure says, whatever the filters."""

import html
import re

import pytest
from django.urls import reverse

from eom.missions.models import Sample, SampledStation
from tests.observation.scene import at, send, set_up

LINK = re.compile(r'<a href="(/[^"]*submissions/\?[^"]*)">(\d+)</a>')


@pytest.fixture
def reports(mission, tree, observer, other_team, core_member):
    set_up(mission, tree, observer, other_team)
    plan = [  # station, hour, answers
        ("01001", 8, {"secrecy": "yes", "assessment": "good", "problems": ["queue"]}),
        ("01001", 11, {"secrecy": "yes", "assessment": "bad",
                       "problems": ["queue", "pressure"]}),
        ("01002", 13, {"secrecy": "no", "secrecy_details": "open booths",
                       "assessment": "very_bad"}),
        ("01002", 16, {"secrecy": "yes", "assessment": "good", "problems": ["crowding"]}),
    ]
    for station, hour, answers in plan:
        send(observer, mission, location=station, when=at(hour),
             answers={"registered": 100, "voted": 40, **answers})
    send(core_member, mission, location="02001", when=at(12),
         answers={"registered": 300, "voted": 250, "secrecy": "yes", "assessment": "bad",
                  "problems": ["pressure", "queue"]})  # more voters than registered: flagged
    sample = Sample.objects.create(mission=mission, name="PVT", seed=1, size=2,
                                   population_size=4)
    for code in ("01002", "02001"):
        SampledStation.objects.create(sample=sample, location=tree[code], stratum=code[:2])
    return sample


def figure_links(client, params) -> list[tuple[str, int]]:
    page = client.get(reverse("reporting:analysis"), params)
    assert page.status_code == 200
    return [(html.unescape(url), int(n)) for url, n in LINK.findall(page.content.decode())]


@pytest.mark.parametrize("params", [
    {},
    {"question": "problems"},
    {"team": "STO-1", "question": "secrecy"},
    {"flag": "medium"},
    {"flag": "none", "question": "problems"},
    {"observed_from": "2023-03-19T10:00", "observed_to": "2023-03-19T14:00"},
    {"location": "R1", "level": "polling_station", "question": "problems"},
    {"location": "D1", "question": "assessment"},
], ids=["all", "several-answers", "team", "severity", "no-flag", "time", "drill-down",
        "district"])
def test_each_count_equals_the_rows_its_link_opens(client, reports, core_member, params):
    client.force_login(core_member)
    links = figure_links(client, params)
    assert len(links) > 20
    for url, shown in links:
        listed = client.get(url).context["submissions"].paginator.count
        assert (url, listed) == (url, shown)


def test_the_sample_filter_keeps_the_sampled_stations_reports(client, reports, core_member):
    client.force_login(core_member)
    links = figure_links(client, {"sample": reports.pk, "question": "secrecy"})
    page = client.get(reverse("reporting:analysis"), {"sample": reports.pk})
    assert "3 reports match these filters" in page.content.decode()
    assert "drawn at random in sample “PVT”" in page.content.decode()
    for url, shown in links:
        assert f"sample={reports.pk}" in url
        assert client.get(url).context["submissions"].paginator.count == shown


def test_figures_follow_the_filters(client, reports, core_member):
    client.force_login(core_member)
    counted = {
        key: client.get(reverse("reporting:analysis"), params).context["result"]
        .question("assessment").n
        for key, params in {"all": {}, "team": {"team": "STO-1"}, "flag": {"flag": "any"},
                            "time": {"observed_to": "2023-03-19T12:00"},
                            "area": {"location": "D1"}}.items()
    }
    # flagged: the 'bad'/'very_bad' assessments (medium) and the report over the list (high)
    assert counted == {"all": 5, "team": 4, "flag": 3, "time": 3, "area": 4}


def test_submissions_list_filters_by_question_and_answer(client, reports, core_member):
    client.force_login(core_member)
    url = reverse("observation:submissions")

    def n(**params):
        return client.get(url, {"form": "voting", **params}).context["submissions"].paginator.count

    assert n(question="assessment", answer="bad") == 2
    assert n(question="problems", answer="queue") == 3  # ticked among others
    assert n(question="problems") == 4
    assert n(question="problems", answer="queue", location="01001") == 2
    page = client.get(url, {"form": "voting", "question": "secrecy_details"})
    assert page.context["filter"].errors == {
        "question": ["“secrecy_details” is not a choice question of voting."]}
