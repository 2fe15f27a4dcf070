"""Who sees what: the same predicates serve pages, API and admin."""

import pytest

from eom.missions import permissions
from eom.missions.models import Access
from tests.factories import make_meeting, make_person, make_user


@pytest.fixture
def meetings(mission, tree, core_member, observer, other_team):
    """An open meeting with the observer, one in R2 without it, and a confidential one."""
    mine = make_meeting(
        mission, actor=core_member, place="Mine", region=tree["R1"],
        participants=[observer.person],
    )
    theirs = make_meeting(
        mission, actor=core_member, place="Theirs", region=tree["R2"],
        participants=list(other_team.members.all()),
    )
    secret = make_meeting(
        mission, actor=core_member, place="Secret", region=tree["R1"], confidential=True,
        participants=[observer.person],
    )
    return {"mine": mine, "theirs": theirs, "secret": secret}


def places(user, mission):
    return sorted(m.place for m in permissions.meetings_visible_to(user, mission))


def test_confidential_meeting_visible_to_core_team_only(
    mission, meetings, core_member, administrator, coordinator, analyst, observer, outsider
):
    assert places(core_member, mission) == ["Mine", "Secret", "Theirs"]
    assert places(administrator, mission) == ["Mine", "Theirs"]
    assert places(analyst, mission) == ["Mine", "Theirs"]
    assert places(coordinator, mission) == ["Mine"]
    assert places(observer, mission) == ["Mine"]
    assert places(outsider, mission) == []


def test_observer_cannot_read_another_teams_people_or_team(mission, observer, other_team):
    people = permissions.people_visible_to(observer, mission)
    teams = permissions.teams_visible_to(observer, mission)
    assert [t.code for t in teams] == ["STO-1"]
    assert not people.filter(pk__in=other_team.members.all()).exists()
    assert people.count() == 2  # itself and its team mate


def test_everyone_sees_the_core_team_directory(mission, observer, core_member):
    assert permissions.people_visible_to(observer, mission).filter(
        pk=core_member.person.pk
    ).exists()


def test_coordinator_sees_its_region_subtree_only(mission, tree, coordinator, observer, other_team):
    teams = permissions.teams_visible_to(coordinator, mission)
    assert [t.code for t in teams] == ["STO-1"]
    people = permissions.people_visible_to(coordinator, mission)
    assert people.filter(pk=observer.person.pk).exists()
    assert not people.filter(pk__in=other_team.members.all()).exists()


def test_coordinator_without_area_sees_no_team(mission, tree, observer):
    lost = make_user(mission, Access.COORDINATOR, area=None, role="lto")
    assert permissions.teams_visible_to(lost, mission).count() == 0


def test_coordinator_manages_people_in_its_area_only(mission, tree, coordinator, observer, other_team):
    assert permissions.can_manage_person(coordinator, observer.person)
    assert not permissions.can_manage_person(coordinator, other_team.members.first())
    assert permissions.can_manage_team(coordinator, observer.person.teams.get())
    assert not permissions.can_manage_team(coordinator, other_team)


def test_only_core_team_marks_meetings_confidential(core_member, administrator, coordinator, observer):
    assert permissions.can_mark_confidential(core_member)
    assert not permissions.can_mark_confidential(administrator)
    assert not permissions.can_mark_confidential(coordinator)
    assert not permissions.can_mark_confidential(observer)


def test_analyst_writes_nothing(mission, meetings, analyst, observer):
    assert not permissions.can_create_meeting(analyst)
    assert not permissions.can_edit_meeting(analyst, meetings["mine"])
    assert not permissions.can_manage_people(analyst)
    assert not permissions.can_manage_person(analyst, observer.person)


def test_observer_edits_its_own_meeting_but_not_others(meetings, observer):
    assert permissions.can_edit_meeting(observer, meetings["mine"])
    assert not permissions.can_edit_meeting(observer, meetings["theirs"])
    assert not permissions.can_edit_meeting(observer, meetings["secret"])


def test_inactive_login_has_no_access(mission):
    person = make_person(mission, access=Access.CORE_TEAM, login=True)
    person.user.is_active = False
    person.user.save()
    assert permissions.access_of(person.user) is Access.NONE


def test_observer_sees_a_meeting_it_recorded_without_attending(mission, observer):
    meeting = make_meeting(mission, actor=observer, place="School No. 5")
    assert places(observer, mission) == ["School No. 5"]
    assert permissions.can_edit_meeting(observer, meeting)


def test_person_of_another_mission_sees_nothing_there(mission, meetings, analyst):
    from tests.factories import make_mission

    other = make_mission(code="other-mission")
    make_meeting(other, actor=make_user(other, Access.CORE_TEAM), place="Other mission's")
    assert permissions.access_of(analyst, other) is Access.NONE
    assert places(analyst, other) == []
    assert permissions.people_visible_to(analyst, other).count() == 0
