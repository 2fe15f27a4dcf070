"""What eom writes to disk beside its database is readable by eom's own user only: the secret
key, the data key, the SQLite file and its -wal and -shm files, the uploads and their folders."""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import eom

SOURCE = Path(eom.__file__).resolve().parents[1]

# Run under the usual umask (0022, files 0644), as a server started by hand would be: write
# the keys, open the SQLite database, write to it, store an observer's photo; then list the
# modes while the database is still open (its -wal and -shm files go when it closes).
FRESH_START = """
import json, os, sys
from pathlib import Path
os.umask(0o022)
import django
django.setup()
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE note (text TEXT)")
    cursor.execute("INSERT INTO note VALUES ('written')")
default_storage.save("attachments/2023/03/photo.jpg", ContentFile(b"not really a jpeg"))
root = Path(os.environ["EOM_DATA_DIR"])
modes = {str(p.relative_to(root)): oct(p.stat().st_mode & 0o777) for p in root.rglob("*")}
modes["."] = oct(root.stat().st_mode & 0o777)
print(json.dumps(modes))
"""


def _start(tmp_path: Path, script: str, **env: str) -> dict[str, str]:
    environment = {
        key: value for key, value in os.environ.items()
        if not key.startswith("EOM_") and key != "DATABASE_URL"
    }
    environment.update(
        PYTHONPATH=str(SOURCE), DJANGO_SETTINGS_MODULE="eom.settings",
        EOM_DATA_DIR=str(tmp_path / "var"), **env,
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True,
        check=False, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_fresh_data_folder_is_readable_by_its_owner_only(tmp_path):
    modes = _start(tmp_path, FRESH_START)
    assert modes["."] == "0o700"
    for name in ("secret_key", "data_key", "eom.sqlite3", "eom.sqlite3-wal", "eom.sqlite3-shm"):
        assert modes[name] == "0o600", name
    for folder in ("media", "media/attachments", "media/attachments/2023",
                   "media/attachments/2023/03"):
        assert modes[folder] == "0o700", folder
    assert modes["media/attachments/2023/03/photo.jpg"] == "0o600"
    database = tmp_path / "var" / "eom.sqlite3"  # and once closed
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    assert database.read_bytes().startswith(b"SQLite format 3")


def test_keys_and_database_written_open_by_an_older_eom_are_closed_on_start(tmp_path):
    var = tmp_path / "var"
    var.mkdir()
    (var / "secret_key").write_text("k" * 60, encoding="utf-8")
    (var / "eom.sqlite3").touch()
    for path in (var / "secret_key", var / "eom.sqlite3"):
        path.chmod(0o644)
    modes = _start(tmp_path, FRESH_START)
    assert modes["secret_key"] == "0o600"
    assert modes["eom.sqlite3"] == "0o600"
    assert (var / "secret_key").read_text(encoding="utf-8") == "k" * 60  # kept, not replaced


def test_two_processes_starting_at_once_share_one_data_key(tmp_path):
    script = "import json, eom.settings as s; print(json.dumps(s.EOM_DATA_KEYS[0]))"
    environment = {k: v for k, v in os.environ.items() if not k.startswith("EOM_")}
    environment.update(PYTHONPATH=str(SOURCE), DJANGO_SETTINGS_MODULE="eom.settings",
                       EOM_DATA_DIR=str(tmp_path / "var"))
    starts = [
        subprocess.Popen([sys.executable, "-c", script], env=environment, cwd=tmp_path,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    keys = {json.loads(process.communicate()[0]) for process in starts}
    stored = (tmp_path / "var" / "data_key").read_text(encoding="utf-8").strip()
    assert keys == {stored}
