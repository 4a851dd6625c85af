"""`gendan backup PATH`: the database and the stored files in one archive (gendan.backups.archive)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gendan.backups.archive import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump on PostgreSQL, the online backup API on SQLite) and "
        "every attached file into one .tar with a manifest (version, migrations, checksums)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", type=Path, help="the archive to write, e.g. gendan-2026-12-01.tar"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup(options["path"], out=self.stderr.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"backed up the {report.vendor} database ({report.tables} tables) and "
            f"{report.files} files ({report.file_bytes:,} bytes) to {report.path}"
        )
