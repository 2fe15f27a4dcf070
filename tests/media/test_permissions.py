"""Who writes and reads media monitoring, and the audit entry of every item."""

import pytest
from django.core.exceptions import PermissionDenied

from eom.media import permissions, services
from eom.missions.models import AuditEntry
from tests.media.factories import DAY, code


def test_core_team_and_administrators_write_analysts_read_the_others_nothing(
        media, core_member, administrator, analyst, coordinator, observer, outsider):
    mission = media.mission
    assert [permissions.can_write_media(u, mission) for u in
            (core_member, administrator, analyst, coordinator, observer, outsider)] == [
        True, True, False, False, False, False]
    assert [permissions.can_read_media(u, mission) for u in
            (core_member, administrator, analyst, coordinator, observer, outsider)] == [
        True, True, True, False, False, False]


@pytest.mark.parametrize("who", ["analyst", "coordinator", "observer"])
def test_only_writers_code_items(media, request, who):
    user = request.getfixturevalue(who)
    data = services.ItemData(outlet=media.khabar, date=DAY, programme="News",
                             subject_kind="other", subject_name="Voters", tone="neutral",
                             coder="M1", seconds=10)
    with pytest.raises(PermissionDenied):
        services.create_item(actor=user, channel="page", mission=media.mission, data=data)


def test_every_item_has_its_audit_entry_with_the_channel(media, core_member):
    item = code(media, media.khabar, seconds=42, tone="negative")
    entry = AuditEntry.objects.get(model="media.item", object_id=str(item.pk))
    assert (entry.channel, entry.action, entry.actor_user_id) == ("page", "create", core_member.pk)
    assert entry.changes["seconds"] == [None, 42]
    assert entry.changes["tone"] == [None, "negative"]


def test_an_item_that_does_not_fit_names_each_field(media):
    data = services.ItemData(outlet=media.paper, date=DAY.replace(year=2022), programme=" ",
                             subject_kind="party", tone="warm", coder="M1", seconds=5)
    with pytest.raises(services.ItemRejected) as refused:
        services.create_item(actor=media.writer, channel="api", mission=media.mission,
                             data=data)
    assert set(refused.value.errors) == {"date", "programme", "cm2", "seconds", "party", "tone"}
