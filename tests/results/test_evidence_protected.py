"""Official results are evidence: deleting the contest, party, location or mission they hang on
is refused with the reason (in the ORM and in the admin), and nothing is deleted."""

from __future__ import annotations

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from eom.missions.models import AnnouncedResult, AuditEntry, Contest, Location, Mission, Party
from eom.results.models import ImportBatch, Protocol, PublishedTotal, Source
from tests.factories import make_protocol, make_results_contest


@pytest.fixture
def contest(mission, tree):
    contest = make_results_contest(mission)
    for code in ("01001", "01002", "02001"):
        make_protocol(contest, tree[code])
    make_protocol(contest, tree["01001"], source=Source.OBSERVER)
    PublishedTotal.objects.create(contest=contest, location=tree["KZ"], n_valid=255)
    AnnouncedResult.objects.create(
        contest=contest, party=Party.objects.get(code="AMANAT"), votes=180, seats=40
    )
    return contest


def _counts() -> tuple[int, ...]:
    return (
        Contest.objects.count(),
        Protocol.objects.count(),
        Protocol.objects.filter(source=Source.OBSERVER).count(),
        PublishedTotal.objects.count(),
        AnnouncedResult.objects.count(),
        AuditEntry.objects.count(),
    )


def test_deleting_a_contest_with_protocols_is_refused_and_deletes_nothing(contest):
    before = _counts()

    with pytest.raises(ProtectedError) as refused:
        contest.delete()

    assert {type(obj) for obj in refused.value.protected_objects} == {
        Protocol, PublishedTotal, AnnouncedResult,
    }
    assert _counts() == before == (1, 4, 1, 1, 1, 0)


def test_deleting_a_contest_in_the_admin_shows_what_protects_it(client, administrator, contest):
    client.force_login(administrator)
    url = reverse("admin:missions_contest_delete", args=[contest.pk])
    before = _counts()

    page = client.get(url)
    posted = client.post(url, {"post": "yes"})

    assert page.status_code == posted.status_code == 200
    text = page.content.decode()
    assert "Cannot delete contest" in text
    assert "would require deleting the following protected related objects" in text
    assert "<li>Announced results: 1</li>" in text
    assert "<li>Protocols: 4</li>" in text
    assert "<li>Published totals: 1</li>" in text
    assert "Cannot delete contest" in posted.content.decode()
    assert _counts() == before


def test_deleting_a_party_with_an_announced_result_is_refused(contest):
    party = Party.objects.get(code="AMANAT")

    with pytest.raises(ProtectedError):
        party.delete()

    assert AnnouncedResult.objects.filter(party=party).count() == 1


def test_deleting_a_polling_station_with_a_protocol_is_refused(contest, tree):
    with pytest.raises(ProtectedError):
        tree["02001"].delete()

    assert Location.objects.filter(code="02001").exists()
    assert Protocol.objects.filter(location=tree["02001"]).count() == 1


def test_deleting_the_mission_is_refused_while_it_holds_results(contest, mission):
    before = _counts()

    with pytest.raises(ProtectedError):
        mission.delete()

    assert Mission.objects.filter(pk=mission.pk).exists()
    assert _counts() == before


def test_deleting_an_import_is_refused_while_its_protocols_remain(contest):
    batch = ImportBatch.objects.create(
        mission=contest.election.mission, contest=contest, file_name="cec.csv"
    )
    Protocol.objects.filter(source=Source.OFFICIAL).update(batch=batch)

    with pytest.raises(ProtectedError):
        batch.delete()

    assert Protocol.objects.filter(batch=batch).count() == 3


def test_a_contest_without_results_can_still_be_deleted(mission, tree):
    contest = make_results_contest(mission, name="Maslikhat")

    contest.delete()

    assert not Contest.objects.filter(pk=contest.pk).exists()


def test_the_admin_action_delete_selected_is_refused_the_same_way(client, administrator, contest):
    client.force_login(administrator)
    url = reverse("admin:missions_contest_changelist")
    data = {"action": "delete_selected", "_selected_action": [contest.pk]}
    before = _counts()

    page = client.post(url, data)
    posted = client.post(url, {**data, "post": "yes"})

    assert page.status_code == posted.status_code == 200
    assert "<li>Protocols: 4</li>" in page.content.decode()
    assert "<li>Protocols: 4</li>" in posted.content.decode()
    assert _counts() == before
