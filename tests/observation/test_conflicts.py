"""Two teams' reports for the same station that disagree on a key answer, side by side."""

import pytest
from django.urls import reverse

from eom.observation import queries, services
from eom.observation.models import Submission
from tests.factories import make_deployment, make_person, make_team, make_user
from tests.observation.scene import send, set_up


@pytest.fixture
def second_observer(mission, tree):
    """An observer of team STO-3, also deployed to station 01001."""
    import datetime as dt

    user = make_user(mission, "observer", area=tree["D1"])
    team = make_team(mission, "STO-3", [user.person, make_person(mission)], area=tree["D1"])
    make_deployment(team, [tree["01001"]], starts=dt.date(2023, 3, 17), ends=dt.date(2023, 3, 20))
    return user


@pytest.fixture
def form(mission, tree, observer, other_team):
    return set_up(mission, tree, observer, other_team)


def reports(observer, second_observer, mission, first="good", second="bad"):
    base = {"registered": 100, "secrecy": "yes"}
    a, _ = send(observer, mission, answers={**base, "assessment": first})
    b, _ = send(second_observer, mission, answers={**base, "assessment": second})
    return a, b


def test_disagreeing_key_answer_is_a_conflict(mission, form, observer, second_observer):
    a, b = reports(observer, second_observer, mission)
    [conflict] = queries.conflicts(mission, Submission.objects.all())
    assert (conflict.location.code, conflict.question) == ("01001", "assessment")
    assert [(s.team.code, value) for s, value in conflict.reports] == [("STO-1", "good"),
                                                                       ("STO-3", "bad")]
    assert conflict.resolution is None


def test_agreeing_teams_are_no_conflict(mission, form, observer, second_observer):
    reports(observer, second_observer, mission, "good", "good")
    assert queries.conflicts(mission, Submission.objects.all()) == []


def test_same_team_twice_is_no_conflict(mission, form, observer):
    send(observer, mission, answers={"registered": 100, "secrecy": "yes", "assessment": "good"})
    send(observer, mission, answers={"registered": 100, "secrecy": "yes", "assessment": "bad"})
    assert queries.conflicts(mission, Submission.objects.all()) == []


def test_coordinator_resolves_a_conflict(mission, form, observer, second_observer, coordinator):
    a, b = reports(observer, second_observer, mission)
    services.resolve_conflict(actor=coordinator, channel="page", mission=mission,
                              location=a.location, form=a.form, question="assessment", chosen=b,
                              note="STO-3 stayed for the whole count")
    [conflict] = queries.conflicts(mission, Submission.objects.all())
    assert conflict.resolution.chosen == b
    assert conflict.resolution.resolved_by == coordinator


def test_observer_cannot_resolve(mission, form, observer, second_observer):
    from django.core.exceptions import PermissionDenied

    a, b = reports(observer, second_observer, mission)
    with pytest.raises(PermissionDenied):
        services.resolve_conflict(actor=observer, channel="page", mission=mission,
                                  location=a.location, form=a.form, question="assessment",
                                  chosen=a)


def test_resolving_without_a_report_id_is_a_400_naming_the_field(client, mission, tree,
                                                                  core_member):
    client.force_login(core_member)
    for chosen in ("", "abc", "1" * 70):
        response = client.post(reverse("observation:conflict_resolve"), {"chosen": chosen})
        assert response.status_code == 400
        assert response.content.decode().startswith("chosen:")
