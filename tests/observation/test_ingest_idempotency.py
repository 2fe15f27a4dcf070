"""A submission's UUID makes every replay safe: one record, also under concurrent duplicates."""

import threading
import uuid

import pytest
from django.db import connection

from eom.observation.models import Submission
from eom.observation.services import SubmissionRejected
from tests.observation.scene import send, set_up


@pytest.fixture
def form(mission, tree, observer, other_team):
    return set_up(mission, tree, observer, other_team)


def test_replay_returns_the_stored_record_unchanged(mission, form, observer):
    key = uuid.uuid4()
    first, created = send(observer, mission, key=key)
    again, created_again = send(observer, mission, key=key, answers={"registered": 1})
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert again.answers["registered"] == 100
    assert Submission.objects.count() == 1


def test_replay_of_a_uuid_owned_by_another_team_is_refused(mission, form, observer, other_team):
    key = uuid.uuid4()
    send(observer, mission, key=key)
    stranger = other_team.members.first()
    from django.contrib.auth import get_user_model

    stranger.user = get_user_model().objects.create_user("stranger", password="pw-for-tests")
    stranger.save()
    with pytest.raises(SubmissionRejected) as rejected:
        send(stranger.user, mission, location="02001", key=key)
    assert rejected.value.status == 409


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_store_one_record(mission, tree, observer, other_team):
    set_up(mission, tree, observer, other_team)
    key = uuid.uuid4()
    results, errors = [], []
    barrier = threading.Barrier(8)

    def post():
        try:
            barrier.wait()
            results.append(send(observer, mission, key=key)[1])
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == [False] * 7 + [True]
    assert Submission.objects.filter(uuid=key).count() == 1
