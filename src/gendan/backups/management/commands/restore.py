"""`gendan restore PATH [--force]`: the database and the stored files from a `gendan backup`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gendan.backups.archive import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a `gendan backup` archive: checks its manifest and checksums, refuses a "
        "database that already holds records unless --force, then replaces the database and "
        "writes the files back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the archive `gendan backup` wrote")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database that already holds records (everything in it is lost)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = restore(options["path"], force=options["force"], out=self.stderr.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"restored the {report.vendor} database ({report.tables} tables) and "
            f"{report.files} files ({report.file_bytes:,} bytes) from {report.path}"
        )
