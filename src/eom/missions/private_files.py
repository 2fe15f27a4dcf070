"""The SQLite database and its companion files are readable by eom's own user only.

SQLite creates the database file with the process's umask (usually 0644, readable by every
user of the machine) and gives its -wal, -shm and -journal files the database file's mode.
Each new connection takes the group's and others' access away from those of them that exist;
the secret key, the data key and uploads are written 0600 by settings.py.
"""

from __future__ import annotations

import os
from pathlib import Path


def tighten(path: Path, mode: int = 0o600) -> None:
    """Take the group's and others' access away from one of our files (others' are left)."""
    try:
        status = path.stat()
        if status.st_mode & 0o077 and status.st_uid == os.getuid():
            path.chmod(mode)
    except OSError:
        pass  # gone already, or not ours


def private_sqlite_files(sender, connection, **kwargs) -> None:
    """connection_created receiver."""
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        tighten(Path(name + suffix))
