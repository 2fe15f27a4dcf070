"""Changing and deleting a coded item, on the page and through the API: the same writers and
checks as coding it, audit entries, and figures counted again (a unit whose first coding goes
keeps another monitor's coding in its place)."""

from fractions import Fraction

import pytest
from django.urls import reverse

from eom.media import figures, services
from eom.media.models import Item
from eom.missions.models import AuditEntry
from tests.factories import make_api_token
from tests.media.factories import code


def _shares(media) -> dict[str, Fraction]:
    table = figures.share_table(figures.counted(Item.objects.filter(mission=media.mission)),
                                figures.TIME)
    return {row.label: row.share for row in table.rows}


def _form(item, **changes) -> dict:
    data = {"outlet": item.outlet_id, "date": item.date.isoformat(),
            "programme": item.programme, "seconds": item.seconds or "", "cm2": item.cm2 or "",
            "subject_kind": item.subject_kind, "party": item.party_id or "",
            "candidate": "", "subject_name": item.subject_name, "tone": item.tone,
            "topic": "", "language": item.language, "coder": item.coder, "note": item.note}
    data.update(changes)
    return data


def test_changing_an_item_on_the_page_updates_the_figures_and_the_audit_trail(
        media, client, core_member):
    item = code(media, media.khabar, party="AMANAT", seconds=60)
    code(media, media.khabar, party="AUYL", seconds=60, programme="Debate")
    assert _shares(media) == {"AMANAT": Fraction(1, 2), "AUYL": Fraction(1, 2)}
    client.force_login(core_member)
    edit = reverse("media:item_edit", args=[item.pk])
    assert client.get(edit).status_code == 200
    answer = client.post(edit, _form(item, seconds="180", tone="negative"))
    assert answer.status_code == 302
    assert _shares(media) == {"AMANAT": Fraction(3, 4), "AUYL": Fraction(1, 4)}
    entry = AuditEntry.objects.filter(model="media.item", object_id=str(item.pk),
                                      action="update").get()
    assert entry.changes["seconds"] == [60, 180] and entry.channel == "page"


def test_a_change_that_does_not_fit_re_renders_the_form_naming_the_field(
        media, client, core_member):
    item = code(media, media.khabar, seconds=60)
    client.force_login(core_member)
    answer = client.post(reverse("media:item_edit", args=[item.pk]),
                         _form(item, outlet=media.paper.pk))
    assert answer.status_code == 200
    assert "is required for print and online outlets" in answer.content.decode()
    assert Item.objects.get().seconds == 60


def test_deleting_a_first_coding_counts_the_second_in_its_place(media, client, core_member):
    first = code(media, media.khabar, party="AMANAT", seconds=60, coder="M1")
    second = code(media, media.khabar, party="AMANAT", seconds=90, coder="M2")
    code(media, media.khabar, party="AUYL", seconds=60, programme="Debate")
    assert second.second_coding
    assert _shares(media) == {"AMANAT": Fraction(1, 2), "AUYL": Fraction(1, 2)}
    client.force_login(core_member)
    answer = client.post(reverse("media:item_delete", args=[first.pk]))
    assert answer.status_code == 302
    second.refresh_from_db()
    assert not second.second_coding
    assert _shares(media) == {"AMANAT": Fraction(3, 5), "AUYL": Fraction(2, 5)}
    actions = list(AuditEntry.objects.filter(model="media.item", action__in=["update", "delete"])
                   .order_by("seq").values_list("action", "object_id"))
    assert actions == [("delete", str(first.pk)), ("update", str(second.pk))]


def test_moving_an_item_into_a_coded_unit_makes_it_a_second_coding(media, core_member):
    code(media, media.khabar, programme="News", coder="M1", seconds=60)
    other = code(media, media.khabar, programme="Debate", coder="M2", seconds=60)
    data = services.data_of(other)
    data.programme = "News"
    moved = services.update_item(actor=core_member, channel="page", item=other, data=data)
    assert moved.second_coding
    data.coder = "M1"
    with pytest.raises(services.ItemRejected) as refused:
        services.update_item(actor=core_member, channel="page", item=moved, data=data)
    assert refused.value.errors == {"coder": "has coded this unit already"}


@pytest.mark.parametrize("persona", ["analyst", "coordinator"])
def test_readers_neither_change_nor_delete_an_item(media, client, request, persona):
    item = code(media, media.khabar, seconds=60)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("media:item_edit", args=[item.pk])).status_code == 403
    assert client.post(reverse("media:item_delete", args=[item.pk])).status_code == 403
    assert Item.objects.filter(pk=item.pk).exists()


def _call(client, user, method, path, body=None):
    headers = {"Authorization": f"Bearer {make_api_token(user)}"}
    send = getattr(client, method)
    if body is None:
        return send(f"/api{path}", headers=headers)
    return send(f"/api{path}", body, content_type="application/json", headers=headers)


def test_the_api_patches_and_deletes_an_item(media, client, core_member, analyst):
    item = code(media, media.khabar, party="AMANAT", seconds=60)
    path = f"/media/items/{item.pk}"
    answer = _call(client, core_member, "patch", path, {"tone": "positive", "topic": "economy"})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["tone"], body["topic"], body["seconds"], body["party"]) == (
        "positive", "economy", 60, "AMANAT")
    answer = _call(client, core_member, "patch", path, {"outlet": media.paper.pk})
    assert answer.status_code == 422
    assert {d["loc"][-1] for d in answer.json()["detail"]} == {"cm2", "seconds"}
    answer = _call(client, core_member, "patch", path, {"topic": "nope"})
    assert answer.json()["detail"][0]["loc"] == ["body", "payload", "topic"]
    assert _call(client, analyst, "patch", path, {"tone": "negative"}).status_code == 403
    assert _call(client, analyst, "delete", path).status_code == 403
    assert _call(client, core_member, "delete", path).status_code == 204
    assert _call(client, core_member, "delete", path).status_code == 404
    channels = set(AuditEntry.objects.filter(model="media.item", action__in=["update", "delete"])
                   .values_list("channel", flat=True))
    assert channels == {"api"}
