"""Media monitoring through the JSON API: outlets, items list and create (422 naming the
field, bounds), figures with exact shares; read by analysts, written by the core team."""

from eom.media.models import Item
from eom.missions.models import AuditEntry
from tests.factories import make_api_token
from tests.media.factories import code


def _call(client, user, method, path, body=None):
    headers = {"Authorization": f"Bearer {make_api_token(user)}"}
    send = getattr(client, method)
    if body is None:
        return send(f"/api{path}", headers=headers)
    return send(f"/api{path}", body, content_type="application/json", headers=headers)


def _item(media, **fields):
    return {"outlet": media.khabar.pk, "date": "2023-02-21", "programme": "News",
            "subject_kind": "party", "party": "AMANAT", "tone": "positive", "coder": "M1",
            "seconds": 90, **fields}


def test_the_core_team_codes_an_item_through_the_api(media, client, core_member):
    answer = _call(client, core_member, "post", "/media/items", _item(media))
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["outlet"], body["seconds"], body["party"], body["second_coding"]) == (
        "Khabar", 90, "AMANAT", False)
    entry = AuditEntry.objects.get(model="media.item", object_id=str(body["id"]))
    assert entry.channel == "api"


def test_input_that_does_not_fit_answers_422_naming_the_field(media, client, core_member):
    answer = _call(client, core_member, "post", "/media/items",
                   _item(media, outlet=media.paper.pk))
    assert answer.status_code == 422
    fields = {tuple(d["loc"]) for d in answer.json()["detail"]}
    assert ("body", "payload", "cm2") in fields and ("body", "payload", "seconds") in fields
    answer = _call(client, core_member, "post", "/media/items", _item(media, party="NOPE"))
    assert answer.json()["detail"][0]["loc"] == ["body", "payload", "party"]
    assert not Item.objects.exists()


def test_the_bounds_answer_422(media, client, core_member):
    for bad in ({"seconds": 86_401}, {"seconds": -1}, {"tone": "warm"}, {"coder": "x" * 101},
                {"outlet": 2**64}, {"subject_kind": "pope"}):
        answer = _call(client, core_member, "post", "/media/items", _item(media, **bad))
        assert answer.status_code == 422, bad
        assert answer.json()["detail"][0]["loc"][-1] == next(iter(bad))
    answer = _call(client, core_member, "get", "/media/items?week=2023-13-01")
    assert answer.status_code == 422


def test_analysts_read_the_figures_but_do_not_write(media, client, analyst):
    code(media, media.khabar, party="AMANAT", seconds=120)
    code(media, media.ktk, party="AUYL", seconds=60)
    answer = _call(client, analyst, "get", "/media/figures")
    assert answer.status_code == 200
    time = answer.json()["overall"][0]
    assert [(r["label"], r["share"], r["percent"]) for r in time["rows"]] == [
        ("AMANAT", "2/3", 66.7), ("AUYL", "1/3", 33.3)]
    assert answer.json()["alpha_threshold"] == 0.667
    assert _call(client, analyst, "post", "/media/items", _item(media)).status_code == 403
    listed = _call(client, analyst, "get", "/media/items?ownership=state&counted=true").json()
    assert [i["outlet"] for i in listed["items"]] == ["Khabar"]
    assert [o["name"] for o in _call(client, analyst, "get", "/media/outlets").json()] == [
        "KTK", "Khabar", "Vremya"]


def test_coordinators_and_observers_read_nothing(media, client, coordinator, observer):
    for user in (coordinator, observer):
        assert _call(client, user, "get", "/media/figures").status_code == 403
        assert _call(client, user, "get", "/media/items").status_code == 403
