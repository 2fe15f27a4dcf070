"""The observer's home: lands there after signing in; places in order with their checklists in
the order of the day, tabulation at the commission, addresses, what was received, whom to call;
My submissions; the checklist's warning when the deployment is on another day."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from eom.missions.models import Access
from eom.observation.models import Stage
from tests.factories import make_deployment, make_form, make_person, question
from tests.observation.scene import send, set_up


@pytest.fixture
def form(mission, tree, observer, other_team):
    return set_up(mission, tree, observer, other_team)


def forms_of(page: str, place: str) -> list[str]:
    """The checklists' form ids listed on the place's card, in order."""
    card = re.search(rf'<article[^>]*id="station-{place}".*?</article>', page, re.S).group(0)
    return re.findall(r'data-form-id="([\w-]+)"', card)


def observe(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("observation:assignments")).content.decode()


def test_an_observer_lands_on_observe_after_signing_in_and_others_on_the_overview(
        client, form, observer, coordinator):
    for user, landing in ((observer, "observation:assignments"),
                          (coordinator, "missions:overview")):
        response = client.post(reverse("login"), {"username": user.username,
                                                  "password": "pw-for-tests"})
        assert (response.status_code, response["Location"]) == (302, reverse(landing))
        client.logout()


def test_checklists_come_in_the_order_of_the_day_not_of_the_alphabet(client, form, mission,
                                                                      observer):
    for form_id, stage in (("a-tabulation", Stage.TABULATION), ("b-counting", Stage.COUNTING),
                           ("c-incident", Stage.INCIDENT), ("d-opening", Stage.OPENING)):
        make_form(mission, form_id, stage, [question("note_" + stage, "text")])
    page = observe(client, observer)
    assert forms_of(page, "01001") == ["d-opening", "voting", "b-counting", "c-incident"]
    assert forms_of(page, "D1") == ["a-tabulation", "c-incident"]


def test_a_forms_own_order_comes_before_its_stages_place(client, form, mission, observer):
    incident = make_form(mission, "incident", Stage.INCIDENT, [question("what", "text")])
    incident.order = 5
    incident.save()
    assert forms_of(observe(client, observer), "01001") == ["incident", "voting"]


def test_a_general_form_comes_after_the_days_checklists_at_each_station(client, form, mission,
                                                                          observer):
    make_form(mission, "rally", "", [question("n_people")])
    page = observe(client, observer)
    assert forms_of(page, "01001") == forms_of(page, "01002") == ["voting", "rally"]


def test_tabulation_is_listed_under_the_commission_not_under_each_station(client, form,
                                                                          mission, observer):
    make_form(mission, "tabulation", Stage.TABULATION, [question("n_protocols")])
    page = observe(client, observer)
    assert "tabulation" not in forms_of(page, "01001") + forms_of(page, "01002")
    assert forms_of(page, "D1") == ["tabulation"]
    assert page.count('id="station-') == 3  # 01001, 01002 and their commission D1


def test_a_station_shows_its_address(client, form, observer, tree):
    tree["01001"].address = "School No. 12, 27 Abay Street, Astana"
    tree["01001"].save()
    assert "School No. 12, 27 Abay Street, Astana" in observe(client, observer)


def test_a_station_shows_the_reports_received_there_with_the_time_observed(
        client, form, mission, observer):
    submission, _created = send(observer, mission, location="01002")
    page = observe(client, observer)
    card = re.search(r'id="station-01002".*?</article>', page, re.S).group(0)
    assert f'data-uuid="{submission.uuid}"' in card
    assert "received ✓</span> Voting · observed 19 Mar 10:00" in card
    assert "data-uuid" not in re.search(r'id="station-01001".*?</article>', page, re.S).group(0)


def test_observe_gives_the_phone_numbers_of_the_coordinator_and_the_core_teams_contacts(
        client, form, mission, observer, coordinator, tree):
    coordinator.person.phone = "+7 701 555 0110"
    coordinator.person.save()
    elsewhere = make_person(mission, access=Access.COORDINATOR, area=tree["R2"], role="lto",
                            phone="+7 701 555 0220")
    make_person(mission, access=Access.CORE_TEAM, role="security_expert",
                phone="+7 701 555 9002", election_day_contact=True, full_name="Duty Officer")
    make_person(mission, access=Access.CORE_TEAM, role="media_analyst", phone="+7 701 555 9003",
                full_name="Not On Duty")
    page = observe(client, observer)
    assert 'href="tel:+77015550110">+7 701 555 0110</a>' in page
    assert 'href="tel:+77015559002">+7 701 555 9002</a>' in page
    assert "Duty Officer" in page
    assert elsewhere.phone not in page and "Not On Duty" not in page


def test_my_submissions_lists_what_the_mission_received_from_the_observer(
        client, form, mission, observer, tree):
    mine, _created = send(observer, mission, location="01002")
    mate = observer.person.teams.get().members.exclude(pk=observer.person.pk).get()
    mate.user = get_user_model().objects.create_user("mate", password="pw-for-tests")
    mate.save()
    theirs, _created = send(mate.user, mission, location="01001")
    client.force_login(observer)
    page = client.get(reverse("observation:mine")).content.decode()
    assert str(mine.uuid) in page and str(theirs.uuid) not in page
    assert "when this page was last opened with a connection" in page


def test_the_checklist_says_when_the_deployment_is_on_another_day(client, form, observer,
                                                                   tree):
    # STO-1 is deployed from 17 to 20 March 2023; today is another day.
    client.force_login(observer)
    url = reverse("observation:checklist", args=[tree["01001"].pk, "voting"])
    page = client.get(url).content.decode()
    warning = re.search(r'<p class="warning" data-day-warning role="alert"( hidden)?>(.*?)</p>',
                        page).groups()
    assert warning == (None, "Your team is deployed here on 17 March 2023 to 20 March 2023. "
                             "The time observed is on another day, so the mission will refuse "
                             "this report: correct the date and time observed.")
    assert 'data-deployed="2023-03-17/2023-03-20"' in page


def test_the_checklist_says_nothing_on_a_day_of_the_deployment(client, form, observer, tree):
    today = timezone.localdate()
    make_deployment(observer.person.teams.get(), [tree["01001"]], starts=today, ends=today)
    client.force_login(observer)
    page = client.get(reverse("observation:checklist", args=[tree["01001"].pk, "voting"]))
    html = page.content.decode()
    assert '<p class="warning" data-day-warning role="alert" hidden>' in html
    assert f"on 17 March 2023 to 20 March 2023; {today.day} " in html
    assert f'data-deployed="2023-03-17/2023-03-20 {today.isoformat()}/{today.isoformat()}"' in html


def test_the_checklist_of_a_coordinator_has_no_deployment_days(client, form, coordinator, tree):
    client.force_login(coordinator)
    page = client.get(reverse("observation:checklist", args=[tree["01001"].pk, "voting"]))
    assert "data-day-warning" not in page.content.decode()


def test_deployment_days_are_merged_and_ordered(mission, tree, observer, form):
    from eom.observation.permissions import SubmitRights

    team = observer.person.teams.get()
    make_deployment(team, [tree["01002"]], starts=dt.date(2023, 3, 21), ends=dt.date(2023, 3, 22))
    make_deployment(team, [tree["01001"]], starts=dt.date(2023, 4, 1), ends=dt.date(2023, 4, 1))
    rights = SubmitRights(observer, mission)
    assert rights.days_at(tree["01001"]) == [(dt.date(2023, 3, 17), dt.date(2023, 3, 20)),
                                             (dt.date(2023, 4, 1), dt.date(2023, 4, 1))]
    # The commission: every day of a polling station below it, adjacent spans merged.
    assert rights.days_at(tree["D1"]) == [(dt.date(2023, 3, 17), dt.date(2023, 3, 22)),
                                          (dt.date(2023, 4, 1), dt.date(2023, 4, 1))]


def test_a_workbook_moves_its_form_in_the_list_without_a_new_version(mission, tmp_path):
    from eom.observation.services import load_form
    from tests.observation.conftest import write_xlsform

    def workbook(order):
        return write_xlsform(
            tmp_path / f"incident-{order}.xlsx", [["type", "name", "label"], ["text", "what", "What"]],
            settings=[["form_id", "version", "stage", "order"], ["incident", "1", "incident", order]],
        ).read_bytes()

    first = load_form(actor=None, channel="page", mission=mission, source=workbook(""),
                      filename="incident.xlsx")
    assert first.form.order == 50  # the stage's place in the day
    again = load_form(actor=None, channel="page", mission=mission, source=workbook("5"),
                      filename="incident.xlsx")
    again.form.refresh_from_db()
    assert (again.pk, again.form.order) == (first.pk, 5)


def test_observe_asks_as_many_queries_for_three_reports_as_for_one(client, form, mission,
                                                                   observer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(observer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as asked:
            client.get(reverse("observation:assignments"))
        return len(asked)

    send(observer, mission, location="01001")
    one = queries()
    send(observer, mission, location="01002")
    send(observer, mission, location="01002")
    assert queries() == one
