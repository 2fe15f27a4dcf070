"""The meetings log through the API: visible sets, filters, full text, create and update."""

import datetime as dt

import pytest

from eom.missions.models import Access, AuditEntry, Interlocutor, Meeting, OrganisationKind
from eom.missions.services import FollowUpData, InterlocutorData
from tests.factories import make_api_token, make_meeting, make_mission, make_person, make_user

CEC = InterlocutorData(
    "Nurlan Abdirov", "Chairperson", "Central Election Commission",
    OrganisationKind.ELECTION_ADMINISTRATION,
)


def _interlocutor(name: str) -> Interlocutor:
    """Names are encrypted in the database: found in Python."""
    (found,) = [i for i in Interlocutor.objects.all() if i.name == name]
    return found


@pytest.fixture
def log(mission, tree, core_member, coordinator, observer, other_team):
    """Four meetings, one confidential, seen differently by each persona."""
    core, lto, sto = core_member.person, coordinator.person, observer.person
    return {
        "cec": make_meeting(
            mission, actor=core_member, date=dt.date(2023, 2, 9), region=tree["D1"],
            place="Central Election Commission, Astana", participants=[core], interlocutors=[CEC],
            topics=["accreditation", "voter lists"],
            key_points="Accreditation of observers is on track.",
            follow_ups=[FollowUpData("Obtain the accreditation decision", owner=core)],
        ),
        "party": make_meeting(
            mission, actor=core_member, date=dt.date(2023, 2, 14), region=tree["R2"],
            place="Party headquarters", participants=[sto],
            interlocutors=[InterlocutorData("Party secretary", "Secretary", "Respublica",
                                            OrganisationKind.PARTY)],
            topics=["campaign environment"], key_points="No obstacles to registration.",
        ),
        "secret": make_meeting(
            mission, actor=core_member, date=dt.date(2023, 2, 21), region=tree["R1"],
            place="Media NGO office", participants=[core, lto, sto], confidential=True,
            interlocutors=[InterlocutorData("Director", "Director", "Independent media NGO",
                                            OrganisationKind.CIVIL_SOCIETY)],
            topics=["media environment"], key_points="Pressure on online media; whistleblower.",
        ),
        "tec": make_meeting(
            mission, actor=core_member, date=dt.date(2023, 2, 24),
            place="Territorial election commission", participants=[other_team.members.first()],
            topics=["voter lists"], key_points="Training of precinct commissions in March.",
        ),
    }


def _headers(user) -> dict:
    return {"Authorization": f"Bearer {make_api_token(user)}"}


def _get(client, user, path: str, **params):
    return client.get(f"/api{path}", params, headers=_headers(user))


def _send(client, user, method: str, path: str, body: dict):
    send = getattr(client, method)
    return send(f"/api{path}", body, content_type="application/json", headers=_headers(user))


def _ids(response) -> list[int]:
    return [item["id"] for item in response.json()["items"]]


def _pks(log, *names) -> list[int]:
    return [log[name].pk for name in names]


def _body(**fields) -> dict:
    body = {
        "date": "2023-02-10",
        "time": "10:00",
        "place": "Akimat of Astana",
        "region": "R1",
        "participants": [],
        "interlocutors": [
            {"name": "Deputy akim", "title": "Deputy akim", "organisation": "Akimat of Astana",
             "organisation_kind": "state"},
        ],
        "topics": ["security"],
        "key_points": "The akimat described security arrangements.",
        "follow_ups": [],
        "source": "notes",
    }
    body.update(fields)
    return body


# --- who sees what ------------------------------------------------------------------------


def test_meetings_core_team_sees_every_meeting_latest_first(client, log, core_member):
    response = _get(client, core_member, "/meetings")

    assert response.status_code == 200
    assert _ids(response) == _pks(log, "tec", "secret", "party", "cec")


@pytest.mark.parametrize("persona", ["administrator", "analyst"])
def test_meetings_mission_wide_readers_do_not_see_confidential(client, log, persona, request):
    response = _get(client, request.getfixturevalue(persona), "/meetings")

    assert _ids(response) == _pks(log, "tec", "party", "cec")


def test_meetings_coordinator_sees_its_area_not_confidential_ones_it_attended(
    client, log, coordinator
):
    response = _get(client, coordinator, "/meetings")

    assert _ids(response) == _pks(log, "cec")


def test_meetings_observer_sees_the_ones_it_attended_only(client, log, observer):
    response = _get(client, observer, "/meetings")

    assert _ids(response) == _pks(log, "party")


def test_meetings_outsider_is_403(client, log, outsider):
    assert _get(client, outsider, "/meetings").status_code == 403
    assert _get(client, outsider, f"/meetings/{log['cec'].pk}").status_code == 403


def test_meeting_core_team_gets_a_confidential_one(client, log, core_member):
    response = _get(client, core_member, f"/meetings/{log['secret'].pk}")

    assert response.status_code == 200
    assert (response.json()["confidential"], response.json()["topics"]) == (
        True, ["media environment"],
    )


@pytest.mark.parametrize("persona", ["administrator", "analyst", "coordinator", "observer"])
def test_meeting_confidential_by_id_is_404_for_everyone_else(client, log, persona, request):
    response = _get(client, request.getfixturevalue(persona), f"/meetings/{log['secret'].pk}")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_meeting_confidential_and_missing_ids_answer_alike(client, log, analyst):
    secret = _get(client, analyst, f"/meetings/{log['secret'].pk}")
    missing = _get(client, analyst, "/meetings/999999")

    assert (secret.status_code, secret.json()) == (missing.status_code, missing.json())


def test_meeting_observer_gets_another_teams_meeting_404(client, log, observer):
    response = _get(client, observer, f"/meetings/{log['tec'].pk}")

    assert response.status_code == 404


def test_meeting_shows_its_contents(client, log, coordinator, core_member, tree):
    response = _get(client, coordinator, f"/meetings/{log['cec'].pk}")

    body = response.json()
    core = core_member.person
    assert body["region"] == {"id": tree["D1"].pk, "code": "D1", "level": "district",
                              "name": "district D1"}
    assert body["participants"] == [{"id": core.pk, "code": core.code,
                                     "full_name": core.full_name}]
    assert [(i["name"], i["organisation"], i["organisation_kind"])
            for i in body["interlocutors"]] == [
        ("Nurlan Abdirov", "Central Election Commission", "election_administration"),
    ]
    assert body["topics"] == ["accreditation", "voter lists"]
    assert [(f["text"], f["owner"]["code"], f["status"]) for f in body["follow_ups"]] == [
        ("Obtain the accreditation decision", core.code, "open"),
    ]
    assert body["created_by"] == core_member.username


# --- filters and full text ----------------------------------------------------------------


def test_meetings_filter_organisation(client, log, core_member):
    organisation = _interlocutor("Nurlan Abdirov").organisation

    response = _get(client, core_member, "/meetings", organisation=organisation.pk)

    assert _ids(response) == _pks(log, "cec")


def test_meetings_filter_interlocutor(client, log, core_member):
    director = _interlocutor("Director")

    response = _get(client, core_member, "/meetings", interlocutor=director.pk)

    assert _ids(response) == _pks(log, "secret")


def test_meetings_filter_interlocutor_of_a_confidential_meeting_leaks_nothing(
    client, log, analyst
):
    director = _interlocutor("Director")

    response = _get(client, analyst, "/meetings", interlocutor=director.pk)

    assert response.json() == {"items": [], "count": 0}


def test_meetings_filter_topic_in_any_case(client, log, core_member):
    response = _get(client, core_member, "/meetings", topic="Voter Lists")

    assert _ids(response) == _pks(log, "tec", "cec")


def test_meetings_filter_region_takes_the_subtree(client, log, core_member, analyst, tree):
    core = _get(client, core_member, "/meetings", region=tree["R1"].pk)
    other = _get(client, analyst, "/meetings", region=tree["R1"].pk)

    assert _ids(core) == _pks(log, "secret", "cec")
    assert _ids(other) == _pks(log, "cec")


def test_meetings_filter_dates_include_both_ends(client, log, core_member):
    response = _get(client, core_member, "/meetings", date_from="2023-02-14",
                    date_to="2023-02-21")

    assert _ids(response) == _pks(log, "secret", "party")


def test_meetings_full_text_needs_every_word_in_any_case(client, log, core_member):
    response = _get(client, core_member, "/meetings", q="ACCREDITATION track")

    assert _ids(response) == _pks(log, "cec")


def test_meetings_full_text_finds_participants_and_interlocutors(client, log, core_member):
    response = _get(client, core_member, "/meetings", q="abdirov")

    assert _ids(response) == _pks(log, "cec")


def test_meetings_full_text_does_not_reveal_confidential_words(client, log, administrator):
    response = _get(client, administrator, "/meetings", q="whistleblower")

    assert response.json() == {"items": [], "count": 0}


def test_meetings_bad_date_filter_is_422_naming_the_field(client, log, core_member):
    response = _get(client, core_member, "/meetings", date_from="19 March")

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "date_from"]


@pytest.mark.parametrize("n_meetings", [1, 3])
def test_meetings_list_queries_do_not_grow_with_items(
    client, mission, tree, django_assert_max_num_queries, n_meetings
):
    core = make_user(mission, Access.CORE_TEAM, role="head_of_mission")
    user = make_user(mission, Access.COORDINATOR, area=tree["R1"], role="lto")
    for day in range(n_meetings):
        make_meeting(
            mission, actor=core, date=dt.date(2023, 2, 9 + day), region=tree["D1"],
            participants=[core.person, user.person], interlocutors=[CEC], topics=["a", "b"],
            follow_ups=[FollowUpData("Call back", owner=user.person)],
        )
    headers = _headers(user)

    # token, its last use, person, its area, mission, count, page,
    # participants, interlocutors, their organisations, topics, follow-ups
    with django_assert_max_num_queries(12):
        response = client.get("/api/meetings", headers=headers)

    assert len(response.json()["items"]) == n_meetings


# --- create -------------------------------------------------------------------------------


def test_meeting_create_records_it_with_an_api_audit_entry(client, log, coordinator, tree):
    lto = coordinator.person
    body = _body(
        participants=[lto.code],
        follow_ups=[{"text": "Send the deployment plan", "owner": lto.code, "due": "2023-02-12"}],
    )

    response = _send(client, coordinator, "post", "/meetings", body)

    assert response.status_code == 201
    meeting = Meeting.objects.get(pk=response.json()["id"])
    assert (meeting.place, meeting.region, list(meeting.participants.all())) == (
        "Akimat of Astana", tree["R1"], [lto],
    )
    assert [(f.text, f.owner, f.due) for f in meeting.follow_ups.all()] == [
        ("Send the deployment plan", lto, dt.date(2023, 2, 12)),
    ]
    entry = AuditEntry.objects.get(model="missions.meeting", object_id=str(meeting.pk))
    assert (entry.channel, entry.action, entry.actor) == ("api", "create", coordinator)
    assert {"date", "place", "region", "participants", "interlocutors", "topics",
            "follow_ups", "key_points"} <= set(entry.changes)
    assert entry.changes["place"] == [None, "Akimat of Astana"]


def test_meeting_create_answers_the_meeting_even_if_the_caller_would_not_list_it(
    client, log, observer
):
    response = _send(client, observer, "post", "/meetings", _body(region=None))

    assert response.status_code == 201
    assert (response.json()["place"], response.json()["region"]) == ("Akimat of Astana", None)


def test_meeting_create_confidential_by_core_team(client, log, core_member):
    response = _send(client, core_member, "post", "/meetings", _body(confidential=True))

    assert response.status_code == 201
    assert Meeting.objects.get(pk=response.json()["id"]).confidential is True


@pytest.mark.parametrize("persona", ["observer", "coordinator", "administrator"])
def test_meeting_create_confidential_by_anyone_else_is_403(client, log, persona, request):
    meeting_entries = AuditEntry.objects.filter(model="missions.meeting")
    before = (Meeting.objects.count(), meeting_entries.count())

    response = _send(client, request.getfixturevalue(persona), "post", "/meetings",
                     _body(confidential=True))

    assert response.status_code == 403
    assert response.json() == {"detail": "Only the core team can mark a meeting confidential."}
    assert (Meeting.objects.count(), meeting_entries.count()) == before


def test_meeting_create_by_analyst_is_403(client, log, analyst):
    response = _send(client, analyst, "post", "/meetings", _body())

    assert response.status_code == 403
    assert response.json() == {"detail": "You may not record meetings."}


def test_meeting_create_by_outsider_is_403(client, log, outsider):
    response = _send(client, outsider, "post", "/meetings", _body())

    assert response.status_code == 403
    assert Meeting.objects.count() == 4


def test_meeting_create_without_place_is_422_naming_the_field(client, log, coordinator):
    body = _body()
    del body["place"]

    response = _send(client, coordinator, "post", "/meetings", body)

    assert response.status_code == 422
    assert [(e["loc"], e["type"]) for e in response.json()["detail"]] == [
        (["body", "payload", "place"], "missing"),
    ]


def test_meeting_create_bad_enum_is_422_naming_the_field(client, log, coordinator):
    body = _body(follow_ups=[{"text": "x", "status": "later"}])
    body["interlocutors"][0]["organisation_kind"] = "church"

    response = _send(client, coordinator, "post", "/meetings", body)

    assert [e["loc"] for e in response.json()["detail"]] == [
        ["body", "payload", "interlocutors", 0, "organisation_kind"],
        ["body", "payload", "follow_ups", 0, "status"],
    ]


def test_meeting_create_unknown_codes_are_422_naming_field_and_value(
    client, log, coordinator, observer
):
    other = make_mission("other-mission", name="Other", deployment_start=dt.date(2019, 1, 7))
    stranger = make_person(other, code="X-1")
    body = _body(
        participants=[observer.person.code, "P-NOPE", stranger.code],
        region="KZ-99",
        follow_ups=[{"text": "Call back", "owner": "P-GONE"}],
    )

    response = _send(client, coordinator, "post", "/meetings", body)

    assert response.status_code == 422
    assert [(e["loc"], e["input"], e["msg"]) for e in response.json()["detail"]] == [
        (["body", "payload", "participants", 1], "P-NOPE",
         "No person with code P-NOPE in this mission."),
        (["body", "payload", "participants", 2], "X-1",
         "No person with code X-1 in this mission."),
        (["body", "payload", "follow_ups", 0, "owner"], "P-GONE",
         "No person with code P-GONE in this mission."),
        (["body", "payload", "region"], "KZ-99", "No location with code KZ-99 in this mission."),
    ]
    assert Meeting.objects.count() == 4


# --- update -------------------------------------------------------------------------------


def _as_body(meeting_json: dict, **fields) -> dict:
    """A PUT body that says the same as the meeting read from the API, changed by `fields`."""
    body = {
        "date": meeting_json["date"],
        "time": meeting_json["time"],
        "place": meeting_json["place"],
        "region": meeting_json["region"]["code"] if meeting_json["region"] else None,
        "participants": [p["code"] for p in meeting_json["participants"]],
        "interlocutors": [
            {key: i[key] for key in ("name", "title", "organisation", "organisation_kind")}
            for i in meeting_json["interlocutors"]
        ],
        "topics": meeting_json["topics"],
        "key_points": meeting_json["key_points"],
        "follow_ups": [
            {"text": f["text"], "owner": f["owner"]["code"] if f["owner"] else None,
             "due": f["due"], "status": f["status"]}
            for f in meeting_json["follow_ups"]
        ],
        "source": meeting_json["source"],
    }
    body.update(fields)
    return body


def test_meeting_update_audits_the_fields_that_changed(client, log, core_member):
    path = f"/meetings/{log['cec'].pk}"
    body = _as_body(_get(client, core_member, path).json(), place="CEC, Astana",
                    topics=["accreditation"])

    response = _send(client, core_member, "put", path, body)

    assert response.status_code == 200
    assert (response.json()["place"], response.json()["topics"]) == (
        "CEC, Astana", ["accreditation"],
    )
    entry = AuditEntry.objects.get(action="update")
    assert (entry.channel, entry.actor, entry.object_id) == ("api", core_member,
                                                              str(log["cec"].pk))
    assert sorted(entry.changes) == ["place", "topics"]
    assert entry.changes["place"] == ["Central Election Commission, Astana", "CEC, Astana"]


def test_meeting_update_without_changes_writes_no_audit_entry(client, log, core_member):
    path = f"/meetings/{log['cec'].pk}"
    body = _as_body(_get(client, core_member, path).json())

    response = _send(client, core_member, "put", path, body)

    assert response.status_code == 200
    assert AuditEntry.objects.filter(action="update").count() == 0


def test_meeting_update_without_confidential_keeps_it(client, log, core_member):
    path = f"/meetings/{log['secret'].pk}"
    body = _as_body(_get(client, core_member, path).json(), key_points="Updated.")

    response = _send(client, core_member, "put", path, body)

    assert response.json()["confidential"] is True
    assert sorted(AuditEntry.objects.get(action="update").plain_changes) == ["key_points"]


def test_meeting_update_by_a_participating_observer(client, log, observer):
    path = f"/meetings/{log['party'].pk}"
    body = _as_body(_get(client, observer, path).json(), key_points="Registration was smooth.")

    response = _send(client, observer, "put", path, body)

    assert response.status_code == 200
    assert AuditEntry.objects.get(action="update").channel == "api"


def test_meeting_update_observer_marking_it_confidential_is_403(client, log, observer):
    path = f"/meetings/{log['party'].pk}"
    body = _as_body(_get(client, observer, path).json(), confidential=True)

    response = _send(client, observer, "put", path, body)

    assert response.status_code == 403
    log["party"].refresh_from_db()
    assert log["party"].confidential is False
    assert AuditEntry.objects.filter(action="update").count() == 0


def test_meeting_update_by_analyst_is_403(client, log, analyst):
    path = f"/meetings/{log['cec'].pk}"
    body = _as_body(_get(client, analyst, path).json(), place="Changed")

    response = _send(client, analyst, "put", path, body)

    assert response.status_code == 403
    assert response.json() == {"detail": "You may not edit this meeting."}


@pytest.mark.parametrize("persona", ["administrator", "coordinator", "observer"])
def test_meeting_update_of_a_confidential_one_is_404_for_others(client, log, persona, request):
    response = _send(client, request.getfixturevalue(persona), "put",
                     f"/meetings/{log['secret'].pk}", _body())

    assert response.status_code == 404
    log["secret"].refresh_from_db()
    assert log["secret"].place == "Media NGO office"


def test_meeting_update_of_one_outside_the_coordinators_area_is_404(client, log, coordinator):
    response = _send(client, coordinator, "put", f"/meetings/{log['party'].pk}", _body())

    assert response.status_code == 404


def test_meeting_update_by_outsider_is_403(client, log, outsider):
    response = _send(client, outsider, "put", f"/meetings/{log['cec'].pk}", _body())

    assert response.status_code == 403


def test_meeting_update_with_unknown_region_is_422_and_changes_nothing(client, log, core_member):
    response = _send(client, core_member, "put", f"/meetings/{log['cec'].pk}",
                     _body(region="NOWHERE"))

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "region"]
    log["cec"].refresh_from_db()
    assert log["cec"].place == "Central Election Commission, Astana"


def test_meetings_filter_unknown_region_is_422_naming_it(client, log, core_member):
    response = _get(client, core_member, "/meetings", region=999999)

    assert response.status_code == 422
    assert [(e["loc"], e["input"]) for e in response.json()["detail"]] == [
        (["query", "region"], 999999),
    ]
