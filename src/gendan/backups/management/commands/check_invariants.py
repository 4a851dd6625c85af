"""`gendan check_invariants [--json]`: the facts every database must hold (gendan.backups.invariants)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gendan.backups.invariants import check, summary


class Command(BaseCommand):
    help = (
        "Check the database's invariants: paid = the sum of receipts, shipped <= ordered, "
        "reserved <= on hand, every status change has its event, no document number twice. "
        "Exits 1 when any is violated."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        violations = check()
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "violations": len(violations),
                        "by_kind": summary(violations),
                        "details": [v.as_dict() for v in violations[:200]],
                    },
                    indent=1,
                )
            )
        else:
            for v in violations:
                self.stdout.write(f"{v.kind}: {v.subject}: {v.detail}")
            counts = ", ".join(f"{k} {n}" for k, n in summary(violations).items())
            self.stdout.write(f"{len(violations)} violations ({counts})")
        if violations:
            raise CommandError(f"{len(violations)} invariant violations", returncode=1)
