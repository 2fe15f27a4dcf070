"""Backups of a mission's database and uploaded files, and their restore (`eom backup FILE`,
`eom restore FILE`; docs/backup.md).

A backup is a gzip-compressed tar file holding

- `manifest.json`: what wrote it (`"format": "eom-backup"`, a version), when, the database
  engine, for every table its number of rows and a SHA-256 of its rows, and the SHA-256 of
  every other member;
- the database: `database.sqlite3`, a copy made with SQLite's online backup API (safe while
  the server writes), or `database.pgdump`, `pg_dump --format=custom` of the PostgreSQL
  database, taken in the same snapshot as the manifest's figures;
- `media/…`: the uploaded files (observers' photos), as they are.

It does not hold the data key (EOM_DATA_KEY): without that key the confidential meetings'
text in a backup cannot be read, by a thief or by the mission. Keep the key apart, and keep
every key a kept backup needs.

A restore refuses a file that is not such a backup, or whose members or figures do not match
its manifest; it refuses to write into a database that holds tables, or a media folder that
holds files, unless told to (`force`). After writing it counts and hashes every table again
and fails unless all match the manifest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .private_files import tighten

FORMAT = "eom-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA_PREFIX = "media/"


class BackupError(Exception):
    """A backup that cannot be written, or a file that cannot be restored (the message says
    why, for the operator)."""


@dataclass
class Manifest:
    engine: str
    tables: dict[str, dict[str, Any]]
    files: dict[str, str] = field(default_factory=dict)  # member name -> SHA-256
    created_at: str = ""
    data_key: str = ""  # fingerprint of the key that sealed new values then (not the key)

    def as_json(self) -> bytes:
        document = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": self.created_at,
            "engine": self.engine,
            "data_key_fingerprint": self.data_key,
            "tables": self.tables,
            "files": self.files,
        }
        return json.dumps(document, indent=1, sort_keys=True).encode("utf-8")

    @classmethod
    def parse(cls, raw: bytes) -> Manifest:
        try:
            document = json.loads(raw)
            if document.get("format") != FORMAT:
                raise ValueError
        except (ValueError, AttributeError) as exc:
            raise BackupError("Not an eom backup: its manifest is not eom's.") from exc
        if document.get("version") != VERSION:
            raise BackupError(
                f"An eom backup of format version {document.get('version')!r}; this eom "
                f"restores version {VERSION}."
            )
        engine, tables = document.get("engine"), document.get("tables")
        files = document.get("files")
        if (engine not in DATABASE_MEMBER or not isinstance(tables, dict)
                or not isinstance(files, dict)):
            raise BackupError("Not an eom backup: its manifest lacks the engine, tables or files.")
        if DATABASE_MEMBER[engine] not in files:
            raise BackupError("Not an eom backup: its manifest names no database.")
        return cls(
            engine=engine,
            tables=tables,
            files=files,
            created_at=str(document.get("created_at", "")),
            data_key=str(document.get("data_key_fingerprint", "")),
        )


@dataclass(frozen=True)
class Report:
    path: Path
    engine: str
    n_tables: int
    n_rows: int
    n_files: int
    created_at: str
    data_key_known: bool = True
    media_moved_to: Path | None = None


def key_fingerprint(key: str) -> str:
    """A short name for a data key that says nothing about the key itself."""
    return hashlib.sha256(b"eom data key fingerprint\0" + key.encode("ascii")).hexdigest()[:16]


# --- figures per table -------------------------------------------------------------------


def _canonical(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return str(value)  # Decimal, date, time, UUID, timedelta


def _table_figures(rows: Iterable[tuple]) -> dict[str, Any]:
    """{"rows": n, "sha256": …}: the hash of the sorted hashes of the rows, so that it does not
    depend on the order the database returns them in."""
    digests = sorted(
        hashlib.sha256(
            json.dumps([_canonical(v) for v in row], ensure_ascii=False).encode("utf-8")
        ).digest()
        for row in rows
    )
    return {"rows": len(digests), "sha256": hashlib.sha256(b"".join(digests)).hexdigest()}


def _fetch(cursor, sql: str) -> Iterator[tuple]:
    cursor.execute(sql)
    while batch := cursor.fetchmany(2000):
        yield from batch


def sqlite_figures(path: Path) -> dict[str, dict[str, Any]]:
    """{table: {"rows", "sha256"}} of the SQLite file at `path`, opened read-only."""
    database = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [row[0] for row in database.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " ORDER BY name"
        )]
        return {
            name: _table_figures(_fetch(database.cursor(), f'SELECT * FROM "{name}"'))
            for name in names
        }
    finally:
        database.close()


def postgresql_figures() -> dict[str, dict[str, Any]]:
    """{table: {"rows", "sha256"}} of Django's PostgreSQL database, inside the caller's
    transaction (so in its snapshot)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
        )
        names = [row[0] for row in cursor.fetchall()]
    figures = {}
    for name in names:
        with connection.chunked_cursor() as cursor:
            figures[name] = _table_figures(
                _fetch(cursor, f"SELECT * FROM {connection.ops.quote_name(name)}")
            )
    return figures


def database_figures() -> dict[str, dict[str, Any]]:
    """The figures of Django's default database as it stands."""
    if connection.vendor == "sqlite":
        return sqlite_figures(Path(connection.settings_dict["NAME"]))
    with transaction.atomic():
        return postgresql_figures()


# --- writing ------------------------------------------------------------------------------


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _engine() -> str:
    if connection.vendor not in DATABASE_MEMBER:
        raise BackupError(f"eom backs up SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def _pg_environment() -> dict[str, str]:
    """libpq's variables for Django's PostgreSQL database (the password never on a command
    line, where other users of the machine could read it)."""
    params = connection.settings_dict
    environment = dict(os.environ)
    for variable, value in (
        ("PGHOST", params.get("HOST")),
        ("PGPORT", params.get("PORT")),
        ("PGUSER", params.get("USER")),
        ("PGPASSWORD", params.get("PASSWORD")),
        ("PGDATABASE", params.get("NAME")),
        ("PGSSLMODE", (params.get("OPTIONS") or {}).get("sslmode")),
    ):
        if value:
            environment[variable] = str(value)
    return environment


def _run(command: list[str]) -> None:
    try:
        completed = subprocess.run(
            command, env=_pg_environment(), capture_output=True, text=True, check=False
        )
    except FileNotFoundError as exc:
        raise BackupError(
            f"{command[0]} is not installed (Debian: apt install postgresql-client)."
        ) from exc
    if completed.returncode != 0:
        raise BackupError(f"{command[0]} failed: {completed.stderr.strip()}")


def _database_copy(engine: str, target: Path) -> dict[str, dict[str, Any]]:
    """Copy the database into `target`; return its figures, taken from the copy itself."""
    if engine == "sqlite":
        source = sqlite3.connect(connection.settings_dict["NAME"])
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        return sqlite_figures(target)
    if connection.in_atomic_block:
        raise BackupError("A PostgreSQL backup runs in its own transaction, not inside one.")
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        # pg_dump reads the same snapshot as the figures below, however the server writes.
        _run(["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}"])
        return postgresql_figures()


def _media_files(root: Path) -> list[tuple[str, Path]]:
    if not root.is_dir():
        return []
    found = []
    for directory, _subdirectories, names in os.walk(root):
        for name in sorted(names):
            path = Path(directory) / name
            if path.is_file() and not path.is_symlink():
                found.append((MEDIA_PREFIX + path.relative_to(root).as_posix(), path))
    return sorted(found)


def write_backup(path: Path) -> Report:
    """Write a backup of the default database and the media folder to `path` (0600; an
    existing file is replaced only once the new one is complete)."""
    engine = _engine()
    path = Path(path).resolve()
    with tempfile.TemporaryDirectory(prefix="eom-backup-") as scratch:
        database_file = Path(scratch) / DATABASE_MEMBER[engine]
        tables = _database_copy(engine, database_file)
        members = [(DATABASE_MEMBER[engine], database_file),
                   *_media_files(Path(settings.MEDIA_ROOT))]
        manifest = Manifest(
            engine=engine,
            tables=tables,
            files={name: _sha256_file(file) for name, file in members},
            created_at=timezone.now().isoformat(timespec="seconds"),
            data_key=key_fingerprint(settings.EOM_DATA_KEYS[0]),
        )
        draft = path.with_name(f".{path.name}.partial")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as raw, tarfile.open(
                fileobj=raw, mode="w:gz", compresslevel=6, format=tarfile.PAX_FORMAT
            ) as archive:
                _add_bytes(archive, MANIFEST, manifest.as_json())
                for name, file in members:
                    info = tarfile.TarInfo(name)
                    info.size, info.mode = file.stat().st_size, 0o600
                    info.mtime = int(file.stat().st_mtime)
                    with file.open("rb") as content:
                        archive.addfile(info, content)
            draft.replace(path)
        except BaseException:
            draft.unlink(missing_ok=True)
            raise
    return Report(
        path=path,
        engine=engine,
        n_tables=len(tables),
        n_rows=sum(figures["rows"] for figures in tables.values()),
        n_files=len(members) - 1,
        created_at=manifest.created_at,
    )


def _add_bytes(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(content), 0o600, int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(content))


# --- reading back -------------------------------------------------------------------------


def _safe_member_name(name: str) -> bool:
    pure = PurePosixPath(name)
    return (
        not pure.is_absolute()
        and ".." not in pure.parts
        and str(pure) == name
        and (name in DATABASE_MEMBER.values() or name.startswith(MEDIA_PREFIX))
    )


def _unpack(path: Path, scratch: Path, media_staging: Path) -> tuple[Manifest, Path]:
    """Check `path` against its manifest while unpacking it: the database into `scratch`,
    media files into `media_staging`. Returns the manifest and the database file."""
    try:
        archive = tarfile.open(path, mode="r:gz")
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"Not an eom backup: {path} is not a gzip-compressed tar file.") from exc
    with archive:
        try:
            members = iter(archive)
            first = next(members, None)
            if first is None or first.name != MANIFEST or not first.isfile():
                raise BackupError("Not an eom backup: it does not begin with eom's manifest.")
            manifest = Manifest.parse(archive.extractfile(first).read())
            expected, seen = dict(manifest.files), set()
            for member in members:
                name = member.name
                if not member.isfile() or not _safe_member_name(name) or name not in expected:
                    raise BackupError(f"Not an eom backup: it holds {name!r}, which its "
                                      "manifest does not list.")
                if name in seen:
                    raise BackupError(f"Not an eom backup: it holds {name!r} twice.")
                seen.add(name)
                if name.startswith(MEDIA_PREFIX):
                    target = media_staging / name[len(MEDIA_PREFIX):]
                else:
                    target = scratch / name
                target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                digest = hashlib.sha256()
                source = archive.extractfile(member)
                descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(descriptor, "wb") as out:
                    while chunk := source.read(1 << 20):
                        digest.update(chunk)
                        out.write(chunk)
                if digest.hexdigest() != expected[name]:
                    raise BackupError(f"The backup is damaged or altered: {name} does not "
                                      "match its checksum in the manifest.")
        except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
            raise BackupError(f"The backup is damaged: {exc}") from exc
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(f"The backup is incomplete: {', '.join(missing[:5])} missing.")
    return manifest, scratch / DATABASE_MEMBER[manifest.engine]


def _compare(expected: dict[str, dict[str, Any]], found: dict[str, dict[str, Any]], where: str):
    if expected == found:
        return
    differing = sorted(
        name for name in set(expected) | set(found) if expected.get(name) != found.get(name)
    )
    raise BackupError(
        f"{where} does not match the backup's manifest (tables {', '.join(differing[:8])})."
    )


def _sqlite_tables(path: Path) -> list[str]:
    if not path.exists() or path.stat().st_size == 0:
        return []
    database = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [row[0] for row in database.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )]
    finally:
        database.close()


def _postgresql_tables() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        return [row[0] for row in cursor.fetchall()]


def _restore_sqlite(database_file: Path, manifest: Manifest, force: bool) -> None:
    _compare(manifest.tables, sqlite_figures(database_file), "The backup's database")
    target = Path(connection.settings_dict["NAME"])
    if _sqlite_tables(target) and not force:
        raise BackupError(f"The database {target} holds tables already: restore into a new "
                          "database, or give --force to replace it.")
    connection.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    source, destination = sqlite3.connect(database_file), sqlite3.connect(target)
    try:
        source.backup(destination)
    finally:
        destination.close()
        source.close()
    for suffix in ("", "-wal", "-shm"):
        tighten(Path(f"{target}{suffix}"))
    _compare(manifest.tables, sqlite_figures(target), "The restored database")


def _restore_postgresql(database_file: Path, manifest: Manifest, force: bool) -> None:
    tables = _postgresql_tables()
    if tables and not force:
        raise BackupError(f"The database {connection.settings_dict['NAME']} holds tables "
                          "already: restore into a new database, or give --force to replace it.")
    if tables:
        quote = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {', '.join(map(quote, tables))} CASCADE")
    connection.close()
    _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
          "--single-transaction", f"--dbname={connection.settings_dict['NAME']}",
          str(database_file)])
    _compare(manifest.tables, database_figures(), "The restored database")


def restore_backup(path: Path, *, force: bool = False) -> Report:
    """Restore the backup at `path` into the default database and the media folder.

    Raises BackupError, having changed nothing, when the file is not an eom backup, does not
    match its manifest, is of another database engine, or the database (or media folder)
    holds data and `force` is false. With `force`, the database's tables are replaced and the
    media folder is moved aside (the report says where)."""
    engine = _engine()
    path = Path(path)
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="eom-restore-") as scratch, \
            tempfile.TemporaryDirectory(prefix=".media-restore-", dir=media_root.parent) as staging:
        media_staging = Path(staging) / "media"
        media_staging.mkdir(mode=0o700)
        manifest, database_file = _unpack(path, Path(scratch), media_staging)
        if manifest.engine != engine:
            raise BackupError(f"A {manifest.engine} backup cannot be restored into {engine}.")
        media_has_files = media_root.is_dir() and any(media_root.iterdir())
        if media_has_files and not force:
            raise BackupError(f"The media folder {media_root} holds files already: give --force "
                              "to move it aside and restore the backup's.")
        if engine == "sqlite":
            _restore_sqlite(database_file, manifest, force)
        else:
            _restore_postgresql(database_file, manifest, force)
        moved_to = None
        if media_root.exists():
            moved_to = media_root.with_name(
                f"{media_root.name}.before-restore-{timezone.now():%Y%m%d-%H%M%S}"
            )
            media_root.rename(moved_to)
            if not media_has_files:
                shutil.rmtree(moved_to)
                moved_to = None
        media_staging.rename(media_root)
    return Report(
        path=path,
        engine=engine,
        n_tables=len(manifest.tables),
        n_rows=sum(int(figures["rows"]) for figures in manifest.tables.values()),
        n_files=len(manifest.files) - 1,
        created_at=manifest.created_at,
        data_key_known=manifest.data_key in {key_fingerprint(k) for k in settings.EOM_DATA_KEYS},
        media_moved_to=moved_to,
    )
