"""`gendan seed --orders N [--seed S] [--append]`: a realistic company for benchmarks (gendan.seed)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gendan.seed import SeedRefused, seed


class Command(BaseCommand):
    help = (
        "Generate a realistic company with N orders, deterministic for a seed, written in bulk. "
        "Refuses a database that already has orders unless --append."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--orders", type=int, required=True, help="how many orders")
        parser.add_argument("--seed", type=int, default=1, help="the random seed (default 1)")
        parser.add_argument(
            "--append",
            action="store_true",
            help="add orders to a database that already has some (reuses its customers, "
            "products and people; numbers continue from the document sequences)",
        )
        parser.add_argument("--products", type=int, default=2000, help="catalogue size")
        parser.add_argument(
            "--no-factory",
            action="store_true",
            help="leave out the factory (lines, routings, work orders, daily reports)",
        )
        parser.add_argument(
            "--today", type=date.fromisoformat, default=None, help="the day the data ends (ISO)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["orders"] < 1:
            raise CommandError("--orders must be at least 1.")
        try:
            seed(
                orders=options["orders"],
                seed=options["seed"],
                append=options["append"],
                products=options["products"],
                today=options["today"],
                factory=not options["no_factory"],
                out=lambda line: self.stdout.write(line),
            )
        except SeedRefused as exc:
            raise CommandError(str(exc)) from exc
