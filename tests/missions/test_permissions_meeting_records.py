"""Interlocutors, organisations and topics that appear only in confidential meetings are the
core team's alone: the predicates every list, choice and audit view asks."""

import pytest

from eom.missions import permissions, services
from eom.missions.models import AuditEntry, Interlocutor, Organisation, Topic
from tests.factories import interlocutor_named, make_meeting


def names(rows) -> list[str]:
    return sorted(row.name for row in rows)


def person(name, organisation):
    return services.InterlocutorData(name, organisation=organisation)


@pytest.fixture
def scene(mission, core_member):
    """A confidential meeting with Ms Secret (Quiet Union) on 'threats' and Mr Both (CEC) on
    'voter lists'; a public one with Mr Both on 'voter lists'; Ms Idle (Quiet Union) and
    'spare' in no meeting."""
    make_meeting(mission, actor=core_member, confidential=True,
                 interlocutors=[person("Ms Secret", "Quiet Union"), person("Mr Both", "CEC")],
                 topics=["threats", "voter lists"])
    make_meeting(mission, actor=core_member, interlocutors=[person("Mr Both", "CEC")],
                 topics=["voter lists"])
    Interlocutor.objects.create(organisation=Organisation.objects.get(name="Quiet Union"),
                                name="Ms Idle")
    Topic.objects.create(mission=mission, name="spare")


@pytest.mark.parametrize("persona", ["administrator", "coordinator", "analyst", "observer"])
def test_what_appears_only_in_confidential_meetings_is_hidden(request, mission, scene, persona):
    user = request.getfixturevalue(persona)
    assert names(permissions.interlocutors_visible_to(user, mission)) == ["Mr Both"]
    assert names(permissions.organisations_visible_to(user, mission)) == ["CEC"]
    assert names(permissions.topics_visible_to(user, mission)) == ["spare", "voter lists"]


def test_core_team_sees_every_interlocutor_organisation_and_topic(mission, scene, core_member):
    assert names(permissions.interlocutors_visible_to(core_member, mission)) == [
        "Mr Both", "Ms Idle", "Ms Secret"]
    assert names(permissions.organisations_visible_to(core_member, mission)) == [
        "CEC", "Quiet Union"]
    assert names(permissions.topics_visible_to(core_member, mission)) == [
        "spare", "threats", "voter lists"]


def test_a_login_without_access_sees_none(mission, scene, outsider):
    assert not permissions.interlocutors_visible_to(outsider, mission).exists()
    assert not permissions.topics_visible_to(outsider, mission).exists()


def test_a_record_named_by_a_public_meeting_too_is_not_confidential(mission, scene):
    assert not permissions.is_confidential_record(interlocutor_named("Mr Both"))
    assert permissions.is_confidential_record(interlocutor_named("Ms Secret"))
    assert permissions.is_confidential_record(interlocutor_named("Ms Idle"))
    assert permissions.is_confidential_record(Organisation.objects.get(name="Quiet Union"))
    assert permissions.is_confidential_record(Topic.objects.get(name="threats"))
    assert not permissions.is_confidential_record(Topic.objects.get(name="spare"))


def test_retitling_an_interlocutor_on_a_meeting_is_audited(mission, scene, core_member):
    make_meeting(mission, actor=core_member, place="Follow-up visit", interlocutors=[
        services.InterlocutorData("Mr Both", "Deputy chair", "CEC")])
    entry = AuditEntry.objects.get(model="missions.interlocutor")
    assert (entry.action, entry.changes) == ("update", {"title": ["", "Deputy chair"]})
    assert interlocutor_named("Mr Both").title == "Deputy chair"


def test_a_writer_outside_the_core_team_does_not_retitle_a_confidential_interlocutor(
    mission, scene, observer
):
    make_meeting(mission, actor=observer, place="Market square", interlocutors=[
        services.InterlocutorData("Ms Secret", "Nobody in particular", "Quiet Union")])
    assert interlocutor_named("Ms Secret").title == ""
    assert not AuditEntry.objects.filter(model="missions.interlocutor").exists()
