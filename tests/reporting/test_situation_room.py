"""The situation room counts what coverage counts, lists the silent teams with their phones and
the critical reports newest first, gives the key figures with their intervals, and shows a
coordinator its area only.

The day: STO-1 (R1) sent a voting report from 01001 at 09:00 (assessed bad), one from 01002 at
10:00 with more voters than the station's list (a high flag) and a high-severity incident from
01001 at 11:00, and a low one at 08:00; STO-2 (R2) sent nothing; the head of mission reported a
high-severity incident at 02001 at 10:30. The election is over, so "now" is 11:00.
"""

import pytest
from django.urls import reverse

from tests.factories import indicator, load_checklist, make_user
from tests.observation.scene import at, send, set_up


def incident(severity: str, hour: int, minute: int = 0) -> dict:
    return {"category": "ballot_stuffing", "severity": severity,
            "incident_time": f"{hour:02d}:{minute:02d}", "description": "Seen by both of us."}


@pytest.fixture
def day(mission, tree, observer, other_team, core_member):
    voting = set_up(mission, tree, observer, other_team).current_version
    voting.definition["indicators"] = [indicator(
        "voting_negative", "${assessment} = 'bad' or ${assessment} = 'very_bad'",
        label="Voting assessed negatively")]
    voting.save()
    load_checklist(mission, "incident")
    for k, person in enumerate(observer.person.teams.get().members.order_by("pk")):
        person.phone = f"+7 701 000 00 0{k}"
        person.save()
    for k, person in enumerate(other_team.members.order_by("pk")):
        person.phone = f"+7 702 000 00 0{k}"
        person.save()
    send(observer, mission, "01001", {"registered": 100, "voted": 40, "secrecy": "yes",
                                      "assessment": "bad"}, when=at(9))
    over, _ = send(observer, mission, "01002", {"registered": 200, "voted": 150,
                                                "secrecy": "yes", "assessment": "good"},
                   when=at(10))
    high, _ = send(observer, mission, "01001", incident("high", 10, 50), when=at(11),
                   form_id="incident")
    send(observer, mission, "01002", incident("low", 7, 55), when=at(8), form_id="incident")
    far, _ = send(core_member, mission, "02001", incident("high", 10, 20), when=at(10, 30),
                  form_id="incident")
    return {"over": over, "high": high, "far": far}


def room(client, user, name="situation:room"):
    client.force_login(user)
    return client.get(reverse(name))


def stages(situation_row) -> dict[str, tuple[int, int]]:
    return {str(s.stage): (s.received, s.expected) for s in situation_row.stages}


def test_the_room_counts_reports_in_against_expected_per_stage_and_region(client, day,
                                                                          core_member):
    response = room(client, core_member)
    assert response.status_code == 200
    situation = response.context["situation"]
    assert situation.node.code == "KZ"
    assert stages(situation.total) == {"opening": (0, 2), "voting": (2, 3), "counting": (0, 2),
                                       "tabulation": (0, 2)}
    assert {row.location.code: stages(row)["voting"] for row in situation.rows} == {
        "R1": (2, 2), "R2": (0, 1)}
    assert [row.n_incidents for row in situation.rows] == [2, 1]
    assert situation.reference == at(11)
    page = response.content.decode()
    assert "2 / 3" in page and "67 %" in page


def test_the_room_lists_silent_teams_with_their_members_phones(client, day, core_member):
    response = room(client, core_member)
    situation = response.context["situation"]
    assert [(s.team.code, s.last_at) for s in situation.silent] == [("STO-2", None)]
    assert situation.n_silent == 1
    page = response.content.decode()
    assert 'href="tel:+77020000000"' in page and 'href="tel:+77020000001"' in page
    assert "nothing sent yet" in page
    assert "tel:+7701" not in page  # STO-1 reported at 11:00: not silent


def test_the_room_lists_critical_reports_newest_first_each_opening_its_report(client, day,
                                                                              core_member):
    response = room(client, core_member)
    situation = response.context["situation"]
    assert [s.uuid for s in situation.critical] == [day["high"].uuid, day["far"].uuid,
                                                    day["over"].uuid]
    assert situation.n_critical == 3
    assert [f.rule for f in situation.critical[2].critical_flags] == ["over_list"]
    page = response.content.decode()
    for report in day.values():
        assert reverse("observation:submission", args=[report.uuid]) in page
    assert "More voters than on the station&#x27;s list." in page


def test_the_room_gives_the_named_indicators_with_their_intervals(client, day, core_member):
    page = room(client, core_member)
    (negative,) = page.context["figures"]
    assert (negative.key, negative.count, negative.base, negative.share) == (
        "voting_negative", 1, 2, 0.5)  # bad at 01001, good at 01002: one figure, not two shares
    assert (round(negative.low, 4), round(negative.high, 4)) == (0.0945, 0.9055)  # Wilson, 95 %
    text = page.content.decode()
    assert "Voting assessed negatively" in text and "1 of 2 reports" in text


def test_a_coordinator_sees_only_its_area(client, day, coordinator):
    response = room(client, coordinator)
    assert response.status_code == 200
    situation = response.context["situation"]
    assert situation.node.code == "R1"
    assert [row.location.code for row in situation.rows] == ["D1"]
    assert stages(situation.total)["voting"] == (2, 2)
    assert situation.silent == [] and situation.n_silent == 0
    assert [s.uuid for s in situation.critical] == [day["high"].uuid, day["over"].uuid]
    bad = next(f for f in response.context["figures"] if f.key == "voting_negative")
    assert (bad.count, bad.base) == (1, 2)
    page = response.content.decode()
    assert "STO-2" not in page and "02001" not in page and "+7 702" not in page


def test_the_live_part_and_the_overview_summary_carry_the_same_counts(client, day,
                                                                      core_member):
    live = room(client, core_member, "situation:live").content.decode()
    assert 'hx-get="/situation/live/"' in live and 'hx-trigger="every 30s"' in live
    assert "<html" not in live
    summary = room(client, core_member, "situation:summary").content.decode()
    assert 'data-critical-count>3<' in summary and 'data-silent-count>1<' in summary
    overview = client.get(reverse("missions:overview")).content.decode()
    assert 'hx-get="/situation/summary/"' in overview


def test_those_who_do_not_run_the_day_are_refused_and_not_offered_it(client, day, analyst,
                                                                      observer, mission):
    for user in (analyst, observer, make_user(mission, "coordinator")):  # the last: no area
        assert room(client, user).status_code == 403
        overview = client.get(reverse("missions:overview")).content.decode()
        assert "/situation/" not in overview
