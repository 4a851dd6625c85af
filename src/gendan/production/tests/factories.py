"""A small factory for production tests: three lines that work every day (one shift of 8 h)
and the routing of the furniture series 北欧系列: 开料 10/h -> 组装 5/h -> 包装 20/h."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from gendan.production.models import ProductionLine, WorkOrder
from gendan.production.services import masterdata

FAMILY = "北欧系列"
STEPS = [
    {"name": "开料", "line_kind": "cutting", "rate_per_hour": "10"},
    {"name": "组装", "line_kind": "assembly", "rate_per_hour": "5"},
    {"name": "包装", "line_kind": "packing", "rate_per_hour": "20"},
]


def factory(admin: Any) -> dict[str, ProductionLine]:
    lines = {}
    for code, kind in (("CUT-1", "cutting"), ("ASM-1", "assembly"), ("PACK-1", "packing")):
        lines[kind] = masterdata.create_line(
            code=code,
            name=code,
            kind=kind,
            days_off=[],
            hours_per_shift=Decimal("8"),
            actor=admin,
        )
    masterdata.save_routing(family=FAMILY, name="北欧家具", steps=STEPS, actor=admin)
    return lines


def work_orders(order: Any) -> list[WorkOrder]:
    return list(WorkOrder.objects.filter(order=order).order_by("notice_line_id", "seq"))
