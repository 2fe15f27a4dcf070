"""Rows inserted many at a time (COPY on PostgreSQL, bulk_create elsewhere) read back exactly as
the same objects saved one by one: awkward text, JSON and bytes survive, ids are set, and a
taken unique key raises Django's IntegrityError and leaves nothing behind. The reads that the
batch path writes in SQL give what the querysets they replace give."""

import uuid

import pytest
from django.db import IntegrityError, transaction

from eom.missions import audit, bulk
from eom.missions.models import AuditEntry, Location
from eom.observation import batch, services
from eom.observation.models import FormVersion, QAFlag, Submission
from tests.factories import make_form, question
from tests.observation.scene import at, send, set_up

# Characters that COPY's text format escapes, and some it does not need to.
AWKWARD = "tab\there, new\nline, back\\slash, \\N, \\., nul-free \u00a0«Аманат» ұ 🗳, 'quote\""
AWKWARD_BYTES = bytes(range(256)) + b"\\N\\."


@pytest.fixture
def stored(mission, tree, observer, other_team):
    set_up(mission, tree, observer, other_team)
    submission, _created = send(observer, mission)
    return submission


def copies(template: Submission, n: int) -> list[Submission]:
    fields = {f.attname: getattr(template, f.attname) for f in Submission._meta.concrete_fields
              if not f.primary_key}
    return [
        Submission(**{**fields, "uuid": uuid.uuid4(), "observed_at": at(11, i),
                      "answers": {"note": AWKWARD, "n": i, "nested": {"list": [1, None, "x"]}},
                      "choice_codes": AWKWARD_BYTES[i:] + bytes([i]),
                      "delete_reason": AWKWARD})
        for i in range(n)
    ]


def row(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields
            if not f.primary_key and f.attname not in ("received_at", "updated_at", "at")}


def test_inserted_submissions_get_their_ids_and_read_back_as_saved_ones(stored):
    many = copies(stored, 5)
    one_by_one = copies(stored, 5)
    with transaction.atomic():
        bulk.insert_many(Submission, many)
    for obj in one_by_one:
        obj.uuid = uuid.uuid4()
        obj.save()
    assert all(obj.pk is not None and not obj._state.adding for obj in many)
    assert len({obj.pk for obj in many} | {stored.pk}) == 6
    for inserted, saved in zip(many, one_by_one, strict=True):
        back, expected = Submission.objects.get(pk=inserted.pk), Submission.objects.get(pk=saved.pk)
        assert bytes(back.choice_codes) == bytes(expected.choice_codes) == bytes(inserted.choice_codes)
        assert back.answers == expected.answers == inserted.answers
        assert {**row(back), "uuid": None, "choice_codes": None} == {
            **row(expected), "uuid": None, "choice_codes": None}
        assert back.uuid == inserted.uuid
        assert back.received_at is not None and back.received_at == inserted.received_at


def test_flags_and_audit_entries_inserted_without_ids_read_back_whole(stored, observer, mission):
    many = copies(stored, 3)
    with transaction.atomic():
        bulk.insert_many(Submission, many)
        bulk.insert_many(QAFlag, [
            QAFlag(submission=s, rule="r", severity="high", message={"en": AWKWARD},
                   expression="${a} > 1", values={"a": AWKWARD}) for s in many], with_ids=False)
        written = audit.record_many(actor=observer, channel="api", mission=mission, entries=(
            ("create", s, {"answers": [None, s.answers]}) for s in many))
    assert written == 3
    flags = QAFlag.objects.filter(submission__in=many).order_by("submission_id")
    assert [f.submission_id for f in flags] == sorted(s.pk for s in many)
    assert {f.values["a"] for f in flags} == {AWKWARD}
    assert {f.message["en"] for f in flags} == {AWKWARD}
    entries = AuditEntry.objects.filter(model="observation.submission",
                                        object_id__in=[str(s.pk) for s in many])
    assert sorted(e.changes["answers"][1]["n"] for e in entries) == [0, 1, 2]
    assert {(e.actor_id, e.channel, e.action, e.mission_id) for e in entries} == {
        (observer.pk, "api", "create", mission.pk)}


def test_a_taken_unique_key_raises_integrity_error_and_leaves_nothing(stored):
    many = copies(stored, 3)
    many[2].uuid = stored.uuid
    before = Submission.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.insert_many(Submission, many)
    assert Submission.objects.count() == before


def test_nothing_to_insert_asks_nothing(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        bulk.insert_many(Submission, [])


def loaded(obj) -> dict:
    """The values of the fields an instance has loaded (deferred ones left out)."""
    deferred = obj.get_deferred_fields()
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields
            if f.attname not in deferred}


def test_the_batch_reads_of_versions_and_locations_give_what_the_querysets_give(
    stored, mission, tree
):
    make_form(mission, "voting", "voting", [question("registered")], version="2")
    make_form(mission, "opening", "opening", [question("opened", "select_one",
                                                         choices=("yes", "no"))])
    versions = batch._versions(mission, {"voting", "nosuchform"})
    expected = FormVersion.objects.defer("definition", "source").select_related("form").filter(
        form__mission=mission, form__form_id__in=["voting", "nosuchform"])
    assert len(versions) == 2
    by_pk = {v.pk: (loaded(v), loaded(v.form)) for v in expected}
    assert {v.pk: (loaded(v), loaded(v.form)) for v in versions} == by_pk
    assert batch._versions(mission, set()) == []
    codes = {"01001", "02001", "D1", "99999"}
    locations = batch._locations(mission, codes)
    assert set(locations) == {"01001", "02001", "D1"}
    for code, location in locations.items():
        whole = Location.objects.get(mission=mission, code=code)
        assert {k: getattr(whole, k) for k in loaded(location)} == loaded(location)
        assert location.path == whole.path and location.n_registered == whole.n_registered


def test_the_batch_read_of_stored_ids_finds_exactly_the_stored_ones(stored):
    others = copies(stored, 2)
    with transaction.atomic():
        bulk.insert_many(Submission, others)
    unknown = uuid.uuid4()
    asked = {stored.uuid, others[1].uuid, unknown}
    assert batch._stored_keys(asked) == {stored.uuid, others[1].uuid} == set(
        Submission.objects.filter(uuid__in=asked).values_list("uuid", flat=True))
    assert batch._stored_keys(set()) == set()


@pytest.mark.parametrize(("form_id", "code"), [
    ("voting", "01001"), ("voting", "99999"), ("nosuchform", "02001"), ("nosuchform", "99999"),
    (None, None),
])
@pytest.mark.parametrize("known", [True, False])
def test_the_one_read_of_a_report_sent_alone_gives_what_the_three_batch_reads_give(
    stored, mission, form_id, code, known
):
    """Its UUID stored or not, the form's versions (two here), the location; each unknown."""
    make_form(mission, "voting", "voting", [question("registered")], version="2")
    key = stored.uuid if known else uuid.uuid4()
    data = services.SubmissionInput(uuid=key, form_id=form_id, location_code=code, answers={})
    found, versions, locations = batch._lone_reads(mission, key, data)
    assert found == batch._stored_keys({key}) == ({key} if known else set())
    expected = batch._versions(mission, {form_id})
    assert len(versions) == (2 if form_id == "voting" else 0)
    assert {v.pk: (loaded(v), loaded(v.form)) for v in versions} == {
        v.pk: (loaded(v), loaded(v.form)) for v in expected}
    assert {c: loaded(p) for c, p in locations.items()} == {
        c: loaded(p) for c, p in batch._locations(mission, {code}).items()}
    assert set(locations) == ({code} if code == "01001" or code == "02001" else set())
