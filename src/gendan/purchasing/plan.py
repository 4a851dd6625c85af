"""The purchase plan (采购计划): for each material, the uncovered need of the notice lines
(need - what is on order for them - stock taken for them), less the free supply (free stock
and what is on order for no notice), the earliest needed first; what is left is to buy.

THE PROPERTY (tested with hypothesis): per material, what the plan proposes to buy is exactly
the uncovered need less the free supply (never less than that), and no row proposes more than
its own uncovered need (it never buys what is already on order)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from gendan.purchasing.needs import ZERO, Need


@dataclass
class PlanRow:
    need: Need
    from_supply: Decimal  # covered by free stock or by what is on order for no notice
    to_buy: Decimal


def make_plan(needs: list[Need], free: dict[int, Decimal]) -> list[PlanRow]:
    """``free``: the free supply per material id. Rows in the order they are needed."""
    left = dict(free)
    rows = []
    for n in sorted(needs, key=lambda n: (n.needed_on or date.max, n.notice_line_id)):
        uncovered = n.uncovered
        if not uncovered:
            continue
        supply = max(ZERO, left.get(n.material.pk, ZERO))
        used = min(supply, uncovered)
        left[n.material.pk] = supply - used
        rows.append(PlanRow(need=n, from_supply=used, to_buy=uncovered - used))
    return rows
