"""The Django admin under the same permissions, with every change audited."""

import pytest
from django.urls import reverse

from eom.missions.models import AuditEntry, Person
from tests.factories import make_meeting


def test_admin_is_closed_to_observers(client, observer):
    client.force_login(observer)
    assert client.get(reverse("admin:index")).status_code == 302


@pytest.mark.parametrize("persona", ["administrator", "core_member", "coordinator", "analyst"])
def test_admin_opens_to_mission_staff(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("admin:index")).status_code == 200


def test_admin_meeting_list_hides_confidential_from_administrator(
    client, mission, administrator, core_member
):
    make_meeting(mission, actor=core_member, place="Open one")
    make_meeting(mission, actor=core_member, place="Hidden one", confidential=True)
    client.force_login(administrator)
    page = client.get(reverse("admin:missions_meeting_changelist")).content.decode()
    assert "Open one" in page and "Hidden one" not in page


def test_admin_person_list_is_scoped_for_coordinator(client, coordinator, observer, other_team):
    client.force_login(coordinator)
    page = client.get(reverse("admin:missions_person_changelist")).content.decode()
    assert observer.person.full_name in page
    for person in other_team.members.all():
        assert person.full_name not in page


def test_coordinator_cannot_change_a_person_outside_its_area(client, coordinator, other_team):
    client.force_login(coordinator)
    person = other_team.members.first()
    url = reverse("admin:missions_person_change", args=[person.pk])
    assert client.get(url).status_code in (302, 403)


def test_analyst_cannot_change_in_admin(client, analyst, observer):
    client.force_login(analyst)
    url = reverse("admin:missions_person_change", args=[observer.person.pk])
    response = client.post(url, {"full_name": "Changed"})
    assert response.status_code == 403
    assert Person.objects.get(pk=observer.person.pk).full_name != "Changed"


def test_admin_edit_is_audited_with_channel_admin(client, administrator, observer):
    client.force_login(administrator)
    person = observer.person
    url = reverse("admin:missions_person_change", args=[person.pk])
    data = {
        "mission": person.mission_id, "code": person.code, "full_name": "Renamed Observer",
        "role": person.role_id, "access": person.access, "area": person.area_id or "",
        "user": person.user_id, "email": "", "phone": "+7 701 000 0000", "nationality": "",
        "languages": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(model="missions.person", action="update")
    assert entry.channel == "admin"
    assert entry.actor == administrator
    assert entry.changes["full_name"][1] == "Renamed Observer"
    assert entry.changes["phone"] == ["", "+7 701 000 0000"]
