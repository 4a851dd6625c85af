"""The condition production adds to "Record production done" (production.work_orders_done):
every routed last step is complete, or its notice was closed short with a reason."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from gendan.errors import Reason
from gendan.production.errors import Code
from gendan.production.models import WorkOrder, WorkOrderStatus

#: the gate's parameter a report that would complete the order hands on: work order pk ->
#: its good quantity once the report is written (the gate runs before the report is)
PENDING = "production_pending_good"
#: where the gate leaves the order's last steps on the workflow's context, for the effect of
#: the same transition (production's on_complete) to use without reading them again
LAST_STEPS = "production_last_steps"


def work_orders_done(ctx: Any) -> list[Reason]:
    pending: dict[int, int] = ctx.params.get(PENDING) or {}
    last = list(WorkOrder.objects.filter(order=ctx.order, last=True).order_by("notice_line_id"))
    setattr(ctx, LAST_STEPS, last)
    short = []
    for wo in last:
        if not wo.routed or wo.status != WorkOrderStatus.OPEN:
            continue
        good = pending.get(wo.pk, wo.good_qty)
        if good < wo.quantity:
            short.append(f"{wo.step_name} {good:,} / {wo.quantity:,}")
    if not short:
        return []
    return [
        Reason(
            Code.WORK_ORDERS_OPEN,
            gettext("Work orders not complete: %(progress)s") % {"progress": "; ".join(short)},
        )
    ]
