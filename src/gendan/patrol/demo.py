"""The demo's workshop patrol: an open exception on a released order's work order (on 李跟单's
Today) and a closed one, so the register and the count per kind and line have rows."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from gendan.patrol import services
from gendan.production.models import WorkOrder, WorkOrderStatus


def seed_patrol(users: dict[str, Any]) -> None:
    wos = list(
        WorkOrder.objects.filter(status=WorkOrderStatus.OPEN, line__isnull=False)
        .select_related("line", "order")
        .order_by("number")[:2]
    )
    if not wos:
        return
    services.raise_exception(
        actor=users["qc"],
        kind="quality",
        description="巡检发现部分产品封口不严，需返工",
        work_order=wos[0].number,
        due_on=timezone.localdate() + timedelta(days=1),
    )
    closed = services.raise_exception(
        actor=users["merch"],
        kind="machine",
        description="设备异响，停机检查",
        line=wos[-1].line.code,
    )
    services.close_exception(
        actor=users["production"], number=closed.number, action_taken="更换轴承，恢复生产"
    )
