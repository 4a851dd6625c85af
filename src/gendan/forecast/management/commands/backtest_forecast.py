"""gendan backtest-forecast --seed N [--days D --lines-per-kind L --orders-per-day R ...]:
generate a factory history with slips and replay it day by day, printing the forecast's scores
beside the two baselines (docs/benchmarks.md). Touches no database."""

from __future__ import annotations

import dataclasses
import random
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gendan.forecast.backtest import run, table
from gendan.forecast.history import Params


class Command(BaseCommand):
    help = "Backtest the delivery-risk forecast on a generated history (no database)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed", type=int, action="append", help="repeatable; default: one drawn at random"
        )
        for f in dataclasses.fields(Params):
            if f.name in ("seed", "start"):
                continue
            parser.add_argument(f"--{f.name.replace('_', '-')}", type=type(f.default), default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        seeds = options["seed"] or [random.SystemRandom().randrange(1_000_000)]
        given = {
            f.name: options[f.name]
            for f in dataclasses.fields(Params)
            if f.name not in ("seed", "start") and options.get(f.name) is not None
        }
        for seed in seeds:
            params = Params(seed=seed, **given)
            started = time.perf_counter()
            scores = run(params)
            took = time.perf_counter() - started
            self.stdout.write(
                f"\nseed {seed}: {scores[0].orders} orders due in the scored window, "
                f"{scores[0].late} shipped late ({took:.1f} s)\n"
            )
            self.stdout.write(table(scores) + "\n")
