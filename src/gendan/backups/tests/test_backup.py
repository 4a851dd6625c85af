"""`gendan backup` and `gendan restore`: a seeded company round-trips into a fresh database and a
fresh file storage, every table row for row and every file byte for byte."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from PIL import Image

from gendan.attachments.models import Attachment
from gendan.attachments.services import attach_file
from gendan.backups import archive
from gendan.demodata import ensure_users
from gendan.orders.models import Order
from gendan.orders.tests.factories import World
from gendan.orders.workflow import Status
from gendan.seed import seed

pytestmark = pytest.mark.django_db(transaction=True)

# the tables a meaningful round trip must carry (each holds rows after the set-up)
MUST_HOLD = [
    "accounts_user",
    "orders_order",
    "orders_orderline",
    "orders_historicalorder",
    "finance_payment",
    "inventory_reservation",
    "timeline_event",
    "attachments_attachment",
    "django_migrations",
]


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1600, 1200), (200, 80, 40)).save(out, "PNG")
    return out.getvalue()


def _company() -> Attachment:
    """A seeded company, one more order through the services to released (history rows, events,
    payments, reservations) and a photo on it (the file, its thumbnail and its page copy)."""
    users = ensure_users()
    world = World.build(users)
    seed(orders=12, products=30, out=lambda line: None)
    order = world.order(to=Status.RELEASED)
    photo = attach_file(
        actor=users["merch"],
        model="orders.order",
        key=order.number,
        file=ContentFile(_png(), name="first-article.png"),
    )
    return photo


def _tables(cursor: Any, vendor: str) -> list[str]:
    if vendor == "postgresql":
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
        )
    else:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY 1"
        )
    return [row[0] for row in cursor.fetchall()]


def _rows(cursor: Any, vendor: str) -> dict[str, list[str]]:
    """Every row of every table as text the database itself writes (so two drivers agree)."""
    rows = {}
    for table in _tables(cursor, vendor):
        if vendor == "postgresql":
            cursor.execute(f'SELECT t::text FROM "{table}" t')
        else:
            cursor.execute(f'PRAGMA table_info("{table}")')
            columns = " || ',' || ".join(f'quote("{c[1]}")' for c in cursor.fetchall())
            cursor.execute(f'SELECT {columns} FROM "{table}"')
        rows[table] = sorted(str(row[0]) for row in cursor.fetchall())
    return rows


@pytest.fixture
def fresh_database(tmp_path):
    """A database no one has touched: its URL and a function that opens a DB-API connection."""
    if connection.vendor == "sqlite":
        import sqlite3

        path = tmp_path / "restored.sqlite3"
        yield f"sqlite:///{path}", lambda: sqlite3.connect(path)
        return
    import psycopg

    db = connection.settings_dict
    name = f"{db['NAME']}_restored"
    params = {
        "host": db["HOST"] or None,
        "port": db["PORT"] or None,
        "user": db["USER"] or None,
        "password": db["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    user = db["USER"] or ""
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    url = f"postgresql://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    yield url, lambda: psycopg.connect(dbname=name, **params)
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _gendan(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gendan.cli", *args],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "gendan.test_settings", **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_backup_restores_into_a_fresh_database_row_for_row_and_file_for_file(
    tmp_path, fresh_database
):
    # given a company with history, events, payments and a photo
    photo = _company()
    with connection.cursor() as cursor:
        before = _rows(cursor, connection.vendor)
    for table in MUST_HOLD:
        assert before[table], f"the set-up left {table} empty"
    stored = [photo.file, photo.thumbnail, photo.page_copy]
    assert all(stored)

    # when it is backed up, and the archive restored by `gendan restore` into a fresh database
    # and a fresh file storage
    archive_path = tmp_path / "gendan.tar"
    call_command("backup", str(archive_path))
    url, connect = fresh_database
    media = tmp_path / "restored-media"
    done = _gendan(
        "restore",
        str(archive_path),
        env={"GENDAN_DATABASE_URL": url, "GENDAN_MEDIA_ROOT": str(media)},
    )
    assert done.returncode == 0, done.stderr

    # then every table holds the same rows, and every stored file the same bytes
    with connect() as fresh:
        after = _rows(fresh.cursor(), connection.vendor)
    assert sorted(after) == sorted(before)
    for table, rows in before.items():
        assert after[table] == rows, f"{table} differs after the restore"
    for name in stored:
        with default_storage.open(name, "rb") as original:
            assert (media / name).read_bytes() == original.read()
    assert f"{len(stored)} files" in done.stdout

    # and the restored database is the code's: nothing to migrate
    check = _gendan("migrate", "--check", env={"GENDAN_DATABASE_URL": url})
    assert check.returncode == 0, check.stdout + check.stderr


def test_restore_refuses_a_database_with_records_unless_forced(tmp_path):
    # given a backup of a company, and an order entered after it
    photo = _company()
    archive_path = tmp_path / "gendan.tar"
    call_command("backup", str(archive_path))
    with connection.cursor() as cursor:
        before = _rows(cursor, connection.vendor)
    later = World(ensure_users(), {}, []).order()
    default_storage.delete(photo.file)

    # when it is restored without --force, it is refused and nothing changes
    with pytest.raises(CommandError, match="already holds records"):
        call_command("restore", str(archive_path))
    assert Order.objects.filter(number=later.number).exists()
    assert not default_storage.exists(photo.file)

    # when it is forced, the database is the backup's again (the later order is gone) and the
    # file is back
    call_command("restore", str(archive_path), force=True)
    connection.close()
    with connection.cursor() as cursor:
        assert _rows(cursor, connection.vendor) == before
    assert not Order.objects.filter(number=later.number).exists()
    assert default_storage.exists(photo.file)


def _rewrite(source: Path, target: Path, change: Any) -> None:
    """A copy of the archive with its manifest (or a member) changed by `change(name, data)`."""
    with tarfile.open(source) as old, tarfile.open(target, "w") as new:
        for member in old.getmembers():
            data = old.extractfile(member).read()
            data = change(member.name, data)
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))


def _manifest_change(**changes: Any) -> Any:
    def change(name: str, data: bytes) -> bytes:
        if name != archive.MANIFEST:
            return data
        manifest = json.loads(data)
        for key, value in changes.items():
            if callable(value):
                value(manifest)
            else:
                manifest[key] = value
        return json.dumps(manifest).encode()

    return change


def test_restore_checks_the_manifest_and_the_files_before_it_writes(tmp_path):
    # given a backup of a company with a photo
    photo = _company()
    good = tmp_path / "good.tar"
    call_command("backup", str(good))
    later = World(ensure_users(), {}, []).order()
    cases = {
        "another format": (_manifest_change(format="zip-of-things"), "another format"),
        "a newer format": (_manifest_change(format_version=2), "format 2"),
        "another database": (
            _manifest_change(
                vendor=lambda m: m["database"].update(
                    vendor="sqlite" if connection.vendor == "postgresql" else "postgresql"
                )
            ),
            "Restore it into a",
        ),
        "a newer release": (
            _manifest_change(
                migrations=lambda m: m["migrations"]["orders"].append("0999_from_the_future")
            ),
            "orders.0999_from_the_future",
        ),
        "a damaged file": (
            lambda name, data: data[:-1] + b"x" if name == archive.FILES + photo.file else data,
            "damaged",
        ),
        "no manifest": (lambda name, data: data, "no manifest.json"),
    }
    for case, (change, message) in cases.items():
        bad = tmp_path / f"{case}.tar"
        _rewrite(good, bad, change)
        if case == "no manifest":
            with tarfile.open(good) as old, tarfile.open(bad, "w") as new:
                for member in old.getmembers():
                    if member.name != archive.MANIFEST:
                        new.addfile(member, old.extractfile(member))
        # when it is restored, even forced, it is refused with the reason, and nothing changed
        with pytest.raises(CommandError, match=message):
            call_command("restore", str(bad), force=True)
        assert Order.objects.filter(number=later.number).exists(), case


def test_the_client_tools_are_found_or_the_error_says_how_to_get_them(monkeypatch, tmp_path):
    monkeypatch.setenv("GENDAN_PG_BIN", str(tmp_path))
    with pytest.raises(archive.BackupError) as refused:
        archive.pg_tool("pg_dump", 99)
    assert "pg_dump 99 or newer is needed" in str(refused.value)
    assert "apt-get install postgresql-client" in str(refused.value)
    assert "GENDAN_PG_BIN" in str(refused.value)
