"""`eom backup FILE` and `eom restore FILE`: a round trip gives back every row of every table
and every uploaded file, on SQLite and on PostgreSQL; a restore refuses what eom did not
write, what was altered, and a database that holds data unless told to replace it."""

import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

import eom
from eom.missions import backups, services
from eom.missions.models import Meeting
from tests.factories import make_meeting, make_mission, make_tree, make_user

SOURCE = Path(eom.__file__).resolve().parents[1]
PHOTO = b"\xff\xd8\xff\xe0 an observer's photo of the ballot box"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    photo = settings.MEDIA_ROOT / "attachments" / "2023" / "03" / "photo.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(PHOTO)
    return settings.MEDIA_ROOT


@pytest.fixture
def mission_with_meetings():
    mission = make_mission()
    make_tree(mission)
    core = make_user(mission, "core", role="head_of_mission")
    make_meeting(
        mission, actor=core, confidential=True, place="Safe house",
        key_points="The witness saw ballot stuffing.",
        interlocutors=[services.InterlocutorData("Aigerim", "Secretary", "PEC 12")],
        follow_ups=[services.FollowUpData("Call back")],
    )
    make_meeting(mission, actor=core, place="Akimat of Astana", topics=["security"])
    return mission


@pytest.fixture
def restore_target(tmp_path):
    """A new, empty database for a second server: a SQLite path, or a PostgreSQL database
    created (and dropped afterwards) beside the test database."""
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored' / 'eom.sqlite3'}"
        return
    name = f"{params['NAME']}_restore"
    admin = psycopg.connect(host=params["HOST"], port=params["PORT"], user=params["USER"],
                            password=params["PASSWORD"], dbname="postgres", autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
        yield (f"postgres://{params['USER']}{password}@{params['HOST']}:{params['PORT']}/"
               f"{name}")
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _second_server(tmp_path: Path, database_url: str, *argv: str, script: str = "") -> str:
    """Run `eom …` (or a script) as another server would: its own data folder and database,
    the same data key. Returns its standard output."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("EOM_")}
    environment.update(
        PYTHONPATH=str(SOURCE), DJANGO_SETTINGS_MODULE="eom.settings",
        EOM_DATA_DIR=str(tmp_path / "restored"), DATABASE_URL=database_url,
        EOM_DATA_KEY=",".join(settings.EOM_DATA_KEYS),
    )
    command = [sys.executable, "-c", script] if script else [sys.executable, "-m", "eom", *argv]
    result = subprocess.run(command, env=environment, capture_output=True, text=True,
                            check=False, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return result.stdout


READ_BACK = """
import json, django
django.setup()
from eom.missions import backups
from eom.missions.models import Meeting
print(json.dumps({"figures": backups.database_figures(),
                  "key_points": sorted(m.key_points for m in Meeting.objects.all())}))
"""


def _manifest(path: Path) -> dict:
    with tarfile.open(path, "r:gz") as archive:
        return json.loads(archive.extractfile("manifest.json").read())


def test_a_backup_restores_on_another_server_with_the_same_rows_checksums_and_files(
    tmp_path, media, mission_with_meetings, restore_target
):
    backup = tmp_path / "eom-backup.tar.gz"
    out = io.StringIO()
    call_command("backup", str(backup), stdout=out, stderr=io.StringIO())
    source = backups.database_figures()
    manifest = _manifest(backup)
    assert manifest["tables"] == source
    assert source["missions_meeting"]["rows"] == 2
    assert source["missions_interlocutor"]["rows"] == 1

    printed = _second_server(tmp_path, restore_target, "restore", str(backup))
    assert "every table matches the backup's counts and checksums" in printed
    restored = json.loads(_second_server(tmp_path, restore_target, script=READ_BACK))
    assert restored["figures"] == source
    assert restored["key_points"] == ["", "The witness saw ballot stuffing."]
    photo = tmp_path / "restored" / "media" / "attachments" / "2023" / "03" / "photo.jpg"
    assert photo.read_bytes() == PHOTO
    assert oct(photo.stat().st_mode & 0o777) == "0o600"


def test_the_backup_file_is_its_owners_only_and_says_the_data_key_is_not_in_it(
    tmp_path, media, mission_with_meetings
):
    backup = tmp_path / "eom-backup.tar.gz"
    err = io.StringIO()
    call_command("backup", str(backup), stdout=io.StringIO(), stderr=err)
    assert oct(backup.stat().st_mode & 0o777) == "0o600"
    assert "does not hold the data key" in err.getvalue()
    with tarfile.open(backup, "r:gz") as archive:
        names = archive.getnames()
    assert names[0] == "manifest.json"
    assert "media/attachments/2023/03/photo.jpg" in names
    assert not any("key" in name for name in names)


def test_restore_refuses_a_database_with_tables_then_replaces_it_with_force(
    tmp_path, media, mission_with_meetings
):
    backup = tmp_path / "eom-backup.tar.gz"
    call_command("backup", str(backup), stdout=io.StringIO(), stderr=io.StringIO())
    manifest = _manifest(backup)
    core = Meeting.objects.first().created_by
    make_meeting(mission_with_meetings, actor=core, place="Written after the backup")
    (media / "later.jpg").write_bytes(b"later")
    with pytest.raises(CommandError, match="holds"):
        call_command("restore", str(backup))
    assert Meeting.objects.count() == 3  # nothing changed

    out = io.StringIO()
    call_command("restore", str(backup), force=True, stdout=out, stderr=io.StringIO())
    assert backups.database_figures() == manifest["tables"]
    assert sorted(m.place for m in Meeting.objects.all()) == ["Akimat of Astana", "Safe house"]
    assert not (media / "later.jpg").exists()
    assert (media / "attachments" / "2023" / "03" / "photo.jpg").read_bytes() == PHOTO
    (moved,) = media.parent.glob("media.before-restore-*")
    assert (moved / "later.jpg").read_bytes() == b"later"
    assert str(moved) in out.getvalue()


def _rewritten(backup: Path, target: Path, change) -> Path:
    """A copy of `backup` whose members went through change(name, bytes) -> [(name, bytes)]."""
    with tarfile.open(backup, "r:gz") as source, tarfile.open(target, "w:gz") as copy:
        for member in source.getmembers():
            for name, content in change(member.name, source.extractfile(member).read()):
                info = tarfile.TarInfo(name)
                info.size = len(content)
                copy.addfile(info, io.BytesIO(content))
    return target


@pytest.mark.parametrize(
    "change, reason",
    [
        (lambda name, data: [] if name == "manifest.json" else [(name, data)],
         "does not begin with eom's manifest"),
        (lambda name, data: [(name, data[:-1] + bytes([data[-1] ^ 1]))]
         if name.startswith("database") else [(name, data)],
         "damaged or altered"),
        (lambda name, data: [(name, data)] + ([("media/../../outside.txt", b"x")]
                                             if name == "manifest.json" else []),
         "which its manifest does not list"),
        (lambda name, data: [] if name.startswith("media/") else [(name, data)],
         "incomplete"),
        (lambda name, data: [(name, json.dumps({"format": "other"}).encode())]
         if name == "manifest.json" else [(name, data)],
         "manifest is not eom's"),
    ],
    ids=["no manifest", "altered database", "unlisted member", "missing file",
         "foreign manifest"],
)
def test_restore_refuses_a_backup_eom_did_not_write_and_changes_nothing(
    tmp_path, media, mission_with_meetings, change, reason
):
    backup = tmp_path / "eom-backup.tar.gz"
    call_command("backup", str(backup), stdout=io.StringIO(), stderr=io.StringIO())
    before = backups.database_figures()
    bad = _rewritten(backup, tmp_path / "bad.tar.gz", change)
    with pytest.raises(CommandError, match=reason):
        call_command("restore", str(bad), force=True)
    assert backups.database_figures() == before
    assert not (tmp_path / "outside.txt").exists()
    assert sorted(p.name for p in media.rglob("*") if p.is_file()) == ["photo.jpg"]


def test_restore_refuses_a_file_that_is_not_a_backup_at_all(tmp_path, media):
    text = tmp_path / "notes.tar.gz"
    text.write_text("not a backup", encoding="utf-8")
    with pytest.raises(CommandError, match="not a gzip-compressed tar file"):
        call_command("restore", str(text))
