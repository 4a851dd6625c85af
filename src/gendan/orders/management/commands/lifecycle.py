"""Write docs/lifecycle.md from the declaration, or check that it is current."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gendan.orders.lifecycle_doc import render


def doc_path() -> Path:
    return Path(settings.PROJECT_DIR) / "docs" / "lifecycle.md"


class Command(BaseCommand):
    help = "Write docs/lifecycle.md (the order's life as declared), or --check that it is current."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--check", action="store_true", help="fail when the file differs")

    def handle(self, *args: Any, check: bool = False, **options: Any) -> None:
        path = doc_path()
        text = render(frozenset({"testapp"}))
        if check:
            current = path.read_text(encoding="utf-8") if path.exists() else ""
            if current != text:
                raise CommandError(f"{path.name} is not current: run `gendan lifecycle`.")
            self.stdout.write(f"{path.name} is current.")
            return
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"wrote {path.name}")
