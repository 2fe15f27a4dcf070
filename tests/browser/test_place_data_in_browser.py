"""On the checklist page the questions and checks that read the station and the team follow
the station the page is for: a question asked at urban stations only is hidden at a rural
one, and a constraint on the station's registered voters is shown before sending."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from eom.missions.models import Location
from eom.observation import services
from tests.browser.conftest import log_in
from tests.factories import make_deployment, make_election
from tests.observation.test_place_data_in_expressions import workbook


@pytest.fixture
def stations(transactional_db, mission, tree, observer, tmp_path):
    make_election(mission, date=dt.date(2023, 3, 19))
    Location.objects.filter(code="01001").update(kind="urban")
    Location.objects.filter(code="01002").update(kind="rural")
    services.load_form(actor=None, channel="command", mission=mission, filename="station.xlsx",
                       source=workbook(tmp_path / "station.xlsx"))
    make_deployment(observer.person.teams.get(), [tree["01001"], tree["01002"]],
                    starts=dt.date(2023, 3, 17), ends=dt.date(2023, 3, 20))
    return tree["01001"], tree["01002"]


def test_urban_question_and_voter_limit_follow_the_station_of_the_page(
        page, live_server, observer, stations):
    urban, rural = stations
    log_in(page, live_server, observer.username)

    page.goto(f"{live_server.url}/observe/{rural.pk}/station_form/")
    expect(page.locator('[data-question="queue"]')).to_be_hidden()
    page.goto(f"{live_server.url}/observe/{urban.pk}/station_form/")
    expect(page.locator('[data-question="queue"]')).to_be_visible()
    page.fill("input[name=ballots]", "107")  # 101 registered voters × 1.05 = 106.05
    page.locator("input[name=ballots]").blur()

    expect(page.locator('[data-question="ballots"]')).to_have_class(
        "field q-integer invalid")
    page.fill("input[name=ballots]", "106")
    page.locator("input[name=ballots]").blur()
    expect(page.locator('[data-question="ballots"]')).to_have_class("field q-integer")


def test_label_naming_an_answer_follows_it_as_it_is_typed(page, live_server, observer, tree,
                                                          transactional_db, mission, tmp_path):
    make_election(mission, date=dt.date(2023, 3, 19))
    survey = [("type", "name", "label", "relevant", "constraint", "calculation"),
              ("integer", "n", "Voters in the queue", "", "", ""),
              ("note", "told", "You counted ${n} <b>voters</b> at ${location.code}", "", "", "")]
    services.load_form(actor=None, channel="command", mission=mission, filename="queue.xlsx",
                       source=workbook(tmp_path / "queue.xlsx", survey, None, None))
    make_deployment(observer.person.teams.get(), [tree["01001"]],
                    starts=dt.date(2023, 3, 17), ends=dt.date(2023, 3, 20))
    log_in(page, live_server, observer.username)
    page.goto(f"{live_server.url}/observe/{tree['01001'].pk}/station_form/")

    note = page.locator('[data-question="told"] .note')
    expect(note).to_have_text("You counted  <b>voters</b> at 01001")
    page.fill("input[name=n]", "37")
    expect(note).to_have_text("You counted 37 <b>voters</b> at 01001")
