"""One archive holds everything Gendan keeps: the database and the stored files.

The archive is a plain .tar:

- ``database.pgdump`` (PostgreSQL: ``pg_dump --format=custom``) or ``database.sqlite3``
  (SQLite: a copy made with SQLite's online backup API, safe while the server runs);
- ``files/<storage name>``: the bytes of every attachment (and an image's two copies) that the
  database names, read through Django's storage API, so any storage backend is backed up;
- ``manifest.json`` (written last, read first): the format, Gendan's version, the database's
  vendor and version, the migrations applied, the tables, and each file's size and SHA-256.

The database and the list of files are read from one snapshot (PostgreSQL: a repeatable-read
transaction whose snapshot ``pg_dump --snapshot`` shares; SQLite: the copy itself), so an
attachment made or removed during the backup cannot leave the two disagreeing.

Restoring checks the manifest (format, vendor, no migration this code does not know) and every
file's checksum before it writes anything, refuses a database that already has users unless
forced, then replaces the database and writes the files back under their own names.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "gendan-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
PG_DUMP = "database.pgdump"
SQLITE_COPY = "database.sqlite3"
FILES = "files/"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot be done, with what to do about it."""


@dataclass
class Report:
    path: Path
    vendor: str
    tables: int
    files: int
    file_bytes: int
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def app_version() -> str:
    try:
        return importlib.metadata.version("gendan")
    except importlib.metadata.PackageNotFoundError:  # a checkout that was never installed
        return "unknown"


# ---- the PostgreSQL client tools -------------------------------------------------------------


def _tool_version(path: str) -> int | None:
    try:
        out = subprocess.run(
            [path, "--version"], capture_output=True, text=True, check=True, timeout=20
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r"\(PostgreSQL\)\s+(\d+)", out) or re.search(r"(\d+)\.\d+", out)
    return int(found.group(1)) if found else None


def _candidates(tool: str) -> list[str]:
    """GENDAN_PG_BIN first, then the PATH, then Debian's and the PGDG's per-version folders."""
    paths: list[str] = []
    folder = os.environ.get("GENDAN_PG_BIN")
    if folder:
        paths.append(str(Path(folder) / tool))
    on_path = shutil.which(tool)
    if on_path:
        paths.append(on_path)
    for root in ("/usr/lib/postgresql", "/usr/pgsql"):
        paths += sorted(str(p) for p in Path(root).glob(f"*/bin/{tool}"))
    paths += sorted(str(p) for p in Path("/usr").glob(f"pgsql-*/bin/{tool}"))
    return list(dict.fromkeys(p for p in paths if os.access(p, os.X_OK)))


def pg_tool(tool: str, server_major: int) -> str:
    """The newest `tool` (pg_dump, pg_restore) of the server's major version or newer; a clear
    error saying how to get one when there is none."""
    found = [(v, p) for p in _candidates(tool) if (v := _tool_version(p)) is not None]
    usable = sorted((v, p) for v, p in found if v >= server_major)
    if usable:
        return usable[-1][1]
    seen = ", ".join(f"{p} ({v})" for v, p in found) or "none on the PATH"
    raise BackupError(
        f"{tool} {server_major} or newer is needed for this PostgreSQL {server_major} server "
        f"(found: {seen}). Install the client tools: `apt-get install postgresql-client` "
        f"(Debian's current version), or `postgresql-client-{server_major}` from "
        "apt.postgresql.org; or set GENDAN_PG_BIN to the folder that holds them."
    )


def _server_major() -> int:
    connection.ensure_connection()
    return int(connection.pg_version) // 10000  # type: ignore[attr-defined]


def _pg_env() -> dict[str, str]:
    """The connection of the default database as libpq's variables (no password on a command line)."""
    db: dict[str, Any] = dict(settings.DATABASES["default"])
    env = dict(os.environ)
    for key, var in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if db.get(key):
            env[var] = str(db[key])
    options = db.get("OPTIONS") or {}
    for key, var in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        if options.get(key):
            env[var] = str(options[key])
    env["PGDATABASE"] = str(db["NAME"])
    return env


def _run(command: list[str]) -> None:
    done = subprocess.run(command, env=_pg_env(), capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(
            f"{Path(command[0]).name} failed ({done.returncode}): {done.stderr.strip()[-2000:]}"
        )


# ---- what the database says ----------------------------------------------------------------


def _attachment_names(rows: Iterator[tuple[str, str, str]]) -> list[str]:
    names: list[str] = []
    for row in rows:
        names += [name for name in row if name]
    return sorted(set(names))


def _live_attachments() -> list[str]:
    model = apps.get_model("attachments", "Attachment")
    rows = model.objects.filter(removed_at__isnull=True).values_list(
        "file", "thumbnail", "page_copy"
    )
    return _attachment_names(iter(rows))


def _live_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connection).migration_qs.values_list("app", "name"):
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def _sqlite_facts(copy: Path) -> tuple[list[str], dict[str, list[str]], list[str]]:
    """Attachments, migrations and tables as the SQLite copy holds them."""
    table = apps.get_model("attachments", "Attachment")._meta.db_table
    db = sqlite3.connect(copy)
    try:
        tables = [
            r[0]
            for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        rows = (
            db.execute(f'SELECT file, thumbnail, page_copy FROM "{table}" WHERE removed_at IS NULL')
            if table in tables
            else iter(())
        )
        files = _attachment_names(iter(rows))
        applied: dict[str, list[str]] = {}
        for app, name in db.execute("SELECT app, name FROM django_migrations"):
            applied.setdefault(app, []).append(name)
    finally:
        db.close()
    return files, {a: sorted(n) for a, n in sorted(applied.items())}, tables


# ---- backup --------------------------------------------------------------------------------


class _Hashing(io.RawIOBase):
    """A reader that hashes what passes through it (tarfile reads the storage's file once)."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream, self.sha256, self.size = stream, hashlib.sha256(), 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(datetime.now(UTC).timestamp()), 0o600
    tar.addfile(info, io.BytesIO(data))


def _add_stored_files(
    tar: tarfile.TarFile, names: list[str], report: Report
) -> list[dict[str, Any]]:
    entries = []
    for name in names:
        try:
            size = default_storage.size(name)
            handle = default_storage.open(name, "rb")
        except (FileNotFoundError, OSError):
            report.missing.append(name)
            continue
        with handle:
            info = tarfile.TarInfo(FILES + name)
            info.size, info.mode = size, 0o600
            info.mtime = int(datetime.now(UTC).timestamp())
            reader = _Hashing(handle)
            tar.addfile(info, reader)
        entries.append({"name": name, "size": reader.size, "sha256": reader.sha256.hexdigest()})
        report.files += 1
        report.file_bytes += reader.size
    return entries


def backup(path: Path, *, out: Callable[[str], None] = print) -> Report:
    """Write the database and the stored files into the archive `path` (see the module)."""
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    vendor = connection.vendor
    if vendor not in {"postgresql", "sqlite"}:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    report = Report(path, vendor, 0, 0, 0)
    with (
        tempfile.TemporaryDirectory(prefix="gendan-backup-") as work,
        tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar,
    ):
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "gendan_version": app_version(),
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": {"vendor": vendor},
        }
        if vendor == "postgresql":
            dump = Path(work) / PG_DUMP
            major = _server_major()
            pg_dump = pg_tool("pg_dump", major)
            # one snapshot for the dump, the migrations and the list of files
            with transaction.atomic(durable=True), connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                names = _live_attachments()
                migrations = _live_migrations()
                tables = sorted(connection.introspection.table_names(cursor))
                _run(
                    [
                        pg_dump,
                        "--format=custom",
                        "--no-owner",
                        "--no-privileges",
                        f"--snapshot={snapshot}",
                        f"--file={dump}",
                    ]
                )
            manifest["database"].update(
                file=PG_DUMP,
                server_version=connection.pg_version,  # type: ignore[attr-defined]
                tool=f"pg_dump {_tool_version(pg_dump)}",
            )
            tar.add(dump, PG_DUMP)
        else:
            copy = Path(work) / SQLITE_COPY
            connection.ensure_connection()
            target = sqlite3.connect(copy)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
            names, migrations, tables = _sqlite_facts(copy)
            manifest["database"].update(file=SQLITE_COPY, sqlite_version=sqlite3.sqlite_version)
            tar.add(copy, SQLITE_COPY)
        manifest["migrations"] = migrations
        manifest["tables"] = tables
        manifest["files"] = _add_stored_files(tar, names, report)
        manifest["missing_files"] = report.missing
        _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False).encode())
    partial.replace(path)
    report.tables = len(tables)
    for name in report.missing:
        out(f"warning: the database names {name}, which the storage does not have")
    return report


# ---- restore -------------------------------------------------------------------------------


def read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = tar.extractfile(MANIFEST)
    except KeyError:
        member = None
    if member is None:
        raise BackupError("Not a Gendan backup: the archive has no manifest.json.")
    try:
        manifest: dict[str, Any] = json.loads(member.read())
    except ValueError as error:
        raise BackupError(f"The backup's manifest.json is not valid JSON: {error}.") from error
    if manifest.get("format") != FORMAT:
        raise BackupError("Not a Gendan backup: its manifest names another format.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"This backup is in format {manifest.get('format_version')}; this Gendan "
            f"({app_version()}) reads format {FORMAT_VERSION}."
        )
    return manifest


def _check_manifest(manifest: dict[str, Any]) -> list[str]:
    """Refuse what cannot be restored here; return what to do after the restore."""
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            f"This backup is of a {vendor} database; GENDAN_DATABASE_URL points to "
            f"{connection.vendor}. Restore it into a {vendor} database."
        )
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    unknown = [
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if (app, name) not in known
    ]
    if unknown:
        raise BackupError(
            f"This backup was made by Gendan {manifest.get('gendan_version')} with migrations "
            f"this version ({app_version()}) does not have: {', '.join(unknown[:5])}"
            f"{' ...' if len(unknown) > 5 else ''}. Restore it with that version or newer."
        )
    applied = {(a, n) for a, names in manifest["migrations"].items() for n in names}
    behind = [key for key in known if key not in applied]
    if behind:
        return [f"The backup is {len(behind)} migrations behind this code: run `gendan migrate`."]
    return []


def _verify(tar: tarfile.TarFile, manifest: dict[str, Any]) -> None:
    """Every file the manifest lists is in the archive with its size and SHA-256."""
    database = manifest["database"]["file"]
    try:
        tar.getmember(database)
    except KeyError:
        raise BackupError(f"The backup has no {database}: it is incomplete.") from None
    for entry in manifest["files"]:
        try:
            member = tar.extractfile(FILES + entry["name"])
        except KeyError:
            member = None
        if member is None:
            raise BackupError(f"The backup lacks the file {entry['name']}: it is incomplete.")
        digest = hashlib.sha256()
        while data := member.read(CHUNK):
            digest.update(data)
        if digest.hexdigest() != entry["sha256"]:
            raise BackupError(f"The file {entry['name']} in the backup is damaged (SHA-256).")


def holds_records() -> int:
    """How many users the database has (every record names the user who made it), 0 when it
    has no tables yet."""
    if "accounts_user" not in connection.introspection.table_names():
        return 0
    user = apps.get_model(settings.AUTH_USER_MODEL)
    return int(user.objects.count())


@contextmanager
def _extracted(tar: tarfile.TarFile, name: str) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="gendan-restore-") as work:
        tar.extract(name, work, filter="data")
        yield Path(work) / name


def _restore_postgresql(tar: tarfile.TarFile, manifest: dict[str, Any]) -> None:
    pg_restore = pg_tool("pg_restore", _server_major())
    connection.close()
    with _extracted(tar, PG_DUMP) as dump:
        _run(
            [
                pg_restore,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={settings.DATABASES['default']['NAME']}",
                str(dump),
            ]
        )
    # tables the database had and the backup did not (a newer release's): dropped, so that
    # `gendan migrate` can create them again
    extra = sorted(set(connection.introspection.table_names()) - set(manifest["tables"]))
    if extra:
        with transaction.atomic(durable=True), connection.cursor() as cursor:
            for table in extra:
                cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")


def _restore_sqlite(tar: tarfile.TarFile) -> None:
    with _extracted(tar, SQLITE_COPY) as copy:
        source = sqlite3.connect(copy)
        try:
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()
    connection.close()


def _restore_files(tar: tarfile.TarFile, manifest: dict[str, Any]) -> int:
    written = 0
    for entry in manifest["files"]:
        name = entry["name"]
        member = tar.extractfile(FILES + name)
        assert member is not None  # _verify saw it
        if default_storage.exists(name):
            default_storage.delete(name)
        saved = default_storage.save(name, File(member, name=Path(name).name))
        if saved != name:
            raise BackupError(f"The storage saved {name} as {saved}; the database names {name}.")
        written += 1
    return written


def restore(path: Path, *, force: bool = False, out: Callable[[str], None] = print) -> Report:
    """Replace the database and write back the stored files from the archive `path`."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file.")
    try:
        tar = tarfile.open(path, "r:")
    except tarfile.TarError as error:
        raise BackupError(f"{path} is not a Gendan backup (not a .tar): {error}.") from error
    with tar:
        manifest = read_manifest(tar)
        notes = _check_manifest(manifest)
        users = holds_records()
        if users and not force:
            raise BackupError(
                f"The database already holds records ({users} users). Restore into an empty "
                "database, or pass --force to replace everything it holds."
            )
        _verify(tar, manifest)
        if manifest["database"]["vendor"] == "postgresql":
            _restore_postgresql(tar, manifest)
        else:
            _restore_sqlite(tar)
        files = _restore_files(tar, manifest)
    report = Report(
        path,
        manifest["database"]["vendor"],
        len(manifest["tables"]),
        files,
        sum(e["size"] for e in manifest["files"]),
        notes=notes,
    )
    for note in notes:
        out(note)
    return report
