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


def approve_first_articles(world: Any, order: Any) -> int:
    """Send and approve a sample for each first-article gate of the order (through the verbs,
    with a photo), so that a test about something else may report in full."""
    from gendan.attachments.tests.samples import photo
    from gendan.production.models import FirstArticle, FirstArticleStatus
    from gendan.production.services import first_articles

    gates = list(
        FirstArticle.objects.filter(order=order)
        .exclude(status=FirstArticleStatus.APPROVED)
        .select_related("work_order", "order__salesperson")
    )
    for gate in gates:
        number = gate.work_order.number
        first_articles.submit_sample(
            work_order=number, photos=[photo(size=(64, 48))], actor=world.users["production"]
        )
        first_articles.approve_sample(work_order=number, actor=gate.order.salesperson)
    return len(gates)


def released_order(world: Any, lines: Any = (("FN-101", 100, "300"),)) -> Any:
    """A released order of the factory's routed products, its first articles approved."""
    from gendan.orders.workflow import Status

    order = world.order(lines=list(lines), to=Status.RELEASED)
    approve_first_articles(world, order)
    return order
