"""Builders for quality tests: a final-inspection plan for the furniture series 北欧系列 (the
product FN-101, made in one default step when it has no routing), and an order of it ready to
ship; the routing 客厅系列 with an outsourced step (FN-202, FN-502)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from gendan.parties.models import Supplier
from gendan.production.models import ProductionLine
from gendan.production.services import masterdata
from gendan.quality.services import save_plan

FAMILY = "北欧系列"
OUT_FAMILY = "客厅系列"


def plan(world: Any, family: str = FAMILY, **kw: Any) -> Any:
    return save_plan(family=family, actor=world.users["qc"], **kw)


def outsourced_routing(admin: Any, lead_time: int = 5) -> dict[str, ProductionLine]:
    """开料 10/h on CUT-1 -> 软包 outsourced to SUP-OUT1 (lead time) -> 包装 20/h on PACK-1."""
    supplier, _ = Supplier.objects.get_or_create(
        code="SUP-OUT1", defaults={"name": "永达外协加工厂", "phone": "0571-88000000"}
    )
    lines = {}
    for code, kind in (("CUT-1", "cutting"), ("PACK-1", "packing")):
        lines[kind] = masterdata.create_line(
            code=code,
            name=code,
            kind=kind,
            days_off=[],
            hours_per_shift=Decimal("8"),
            actor=admin,
        )
    masterdata.save_routing(
        family=OUT_FAMILY,
        name="客厅家具",
        steps=[
            {"name": "开料", "line_kind": "cutting", "rate_per_hour": "10"},
            {
                "name": "软包",
                "outsourced": True,
                "supplier": supplier.code,
                "lead_time_days": lead_time,
            },
            {"name": "包装", "line_kind": "packing", "rate_per_hour": "20"},
        ],
        actor=admin,
    )
    return lines
