"""Every channel stores a report through the same path: its adapter, `services.ingest_submission`
(a batch of one) or `batch.ingest_submissions`, and the writer they call, nothing else.

Each test sends one report the way the channel's clients do, over Django's HTTP stack, and
records the Python stack at the moment the submission's row is inserted. The eom functions on
that stack are the walk from the request to the stored row."""

from __future__ import annotations

import ast
import inspect
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

import eom.observation.channels as channels_package
from eom.observation.channels.openrosa import xform_of
from eom.observation.models import Submission
from tests.factories import basic_auth, fill_xform_instance, load_checklist, make_api_token
from tests.observation.scene import at, set_up

CHANNELS = Path(channels_package.__file__).parent
SECRET = "s3cret-for-tests"
PHONE = "+77011234567"
ANSWERS = {"registered": 100, "voted": 40, "secrecy": "yes", "assessment": "good"}

# What may stand between a channel's adapter and the insert of the row: the one ingestion
# function, the batch it is one of, and the bulk writer.
INGESTION = ["eom.observation.services.ingest_submission"]
BATCH = ["eom.observation.batch.ingest_submissions"]
WRITER = "eom.missions.bulk."


class InsertWatch:
    """The eom frames of the stack at each INSERT into the submissions table (alone, or the
    first part of the statement that writes a report sent alone with its audit entry)."""

    def __init__(self) -> None:
        self.walks: list[list[str]] = []

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(("INSERT", "WITH")) \
                and "INSERT INTO \"observation_submission\"" in sql:
            self.walks.append([
                f"{frame.frame.f_globals.get('__name__')}.{frame.function}"
                for frame in reversed(inspect.stack(context=0))
                if str(frame.frame.f_globals.get("__name__", "")).startswith("eom.")
            ])
        return execute(sql, params, many, context)


def walk_of(send) -> list[str]:
    watch = InsertWatch()
    with connection.execute_wrapper(watch):
        response = send()
    assert response.status_code in {200, 201, 302}, response.content[:500]
    assert len(watch.walks) == 1, watch.walks
    return watch.walks[0]


def assert_one_path(walk: list[str], adapter: str, through: list[str]) -> None:
    """From the adapter's module to the writer, only the ingestion functions, in order."""
    first = next(i for i, name in enumerate(walk) if name.startswith(adapter + "."))
    after_adapter = [name for name in walk[first:] if not name.startswith(adapter + ".")]
    into_writer = next(i for i, name in enumerate(after_adapter) if name.startswith(WRITER))
    between = after_adapter[:into_writer]
    assert [name for name in between if name in INGESTION + BATCH] == through
    strangers = [name for name in between
                 if not name.startswith(("eom.observation.services.", "eom.observation.batch."))]
    assert strangers == [], f"{adapter} stores through {strangers}"
    assert Submission.objects.count() == 1


@pytest.fixture
def form(mission, tree, observer, other_team, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EOM_SMS_SECRET = SECRET
    settings.EOM_SMS_PUBLIC_URL = ""
    voting = set_up(mission, tree, observer, other_team)
    observer.person.phone = PHONE
    observer.person.save(update_fields=["phone"])
    return voting


def report() -> dict:
    return {"uuid": str(uuid.uuid4()), "form_id": "voting", "location": "01001",
            "observed_at": "2023-03-19T10:42:00+06:00", "answers": ANSWERS}


def test_the_checklist_page_stores_through_the_one_ingestion_function(client, form, observer,
                                                                       tree):
    client.force_login(observer)
    url = reverse("observation:checklist", args=[tree["01001"].pk, "voting"])
    walk = walk_of(lambda: client.post(url, {"uuid": str(uuid.uuid4()),
                                             "observed_at": "2023-03-19T10:30",
                                             **{k: str(v) for k, v in ANSWERS.items()}}))
    assert_one_path(walk, "eom.observation.channels.page", INGESTION + BATCH)


def test_the_json_api_stores_one_report_as_a_batch_of_one(client, form, observer):
    token = make_api_token(observer)
    walk = walk_of(lambda: client.post("/api/submissions", report(),
                                       content_type="application/json",
                                       HTTP_AUTHORIZATION=f"Bearer {token}"))
    assert_one_path(walk, "eom.observation.channels.api", INGESTION + BATCH)


def test_the_offline_outbox_stores_through_the_batch_ingestion(client, form, observer):
    token = make_api_token(observer)
    walk = walk_of(lambda: client.post("/api/submissions/batch", {"submissions": [report()]},
                                       content_type="application/json",
                                       HTTP_AUTHORIZATION=f"Bearer {token}",
                                       HTTP_X_EOM_CLIENT="offline-app"))
    assert_one_path(walk, "eom.observation.channels.api", BATCH)
    assert Submission.objects.get().channel == "offline"


def test_an_sms_stores_through_the_one_ingestion_function(client, form, observer):
    text = f"VT {observer.person.code} 01001 AA100 AB40 AC1 AE1,3 AF2"
    walk = walk_of(lambda: client.post(
        reverse("sms:inbound"),
        {"sender": PHONE, "text": text, "time": at(10).isoformat(), "id": uuid.uuid4().hex},
        content_type="application/json", headers={"X-EOM-Secret": SECRET}))
    assert_one_path(walk, "eom.observation.channels.sms", INGESTION + BATCH)
    assert Submission.objects.get().channel == "sms"


def test_odk_collect_stores_through_the_one_ingestion_function(client, form, observer, mission):
    voting = load_checklist(mission, "voting")
    xform, _hash = xform_of(voting)
    xml = fill_xform_instance(xform, {
        "eom_start": "2023-03-19T10:02:11.123+06:00", "eom_location": "01001",
        "arrival_time": "10:02:00.000+06:00", "departure_time": "10:41:00.000+06:00",
        "n_registered": "1200", "n_voted": "430", "secrecy_respected": "yes",
        "group_voting": "no", "ballot_stuffing": "no", "carousel_voting": "no",
        "pressure_on_voters": "no", "unauthorised_persons": "no", "voters_turned_away": "no",
        "observers_restricted": "no", "cameras_operating": "yes", "accessible": "yes",
        "assessment": "good", "comments": "Calm."}, str(uuid.uuid4()))
    walk = walk_of(lambda: client.post(
        "/openrosa/submission",
        {"xml_submission_file": SimpleUploadedFile("instance.xml", xml, "text/xml")},
        **basic_auth(observer)))
    assert_one_path(walk, "eom.observation.channels.openrosa", INGESTION + BATCH)
    assert Submission.objects.get().channel == "openrosa"


def test_no_channel_reads_the_environment():
    """Channels read their settings through Django's settings (eom.settings reads the
    environment once, at start-up)."""
    for path in sorted(CHANNELS.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                    for alias in node.names}
        imported |= {node.module or "" for node in ast.walk(tree)
                     if isinstance(node, ast.ImportFrom)}
        assert not imported & {"os", "eom.settings"}, f"{path.name} imports {imported}"

