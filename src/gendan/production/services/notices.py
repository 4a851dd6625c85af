"""The production notice (生产通知单) and what production does in the order's life.

The work orders, the daily report and the master data have their own modules
(``workorders``, ``reports``, ``masterdata``); this one keeps the notice and the effects."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from gendan import rows
from gendan.accounts.guards import step
from gendan.inventory import services as inventory
from gendan.numbering.services import next_number
from gendan.orders.workflow import Status
from gendan.production.gates import LAST_STEPS
from gendan.production.models import (
    NoticeStatus,
    ProductionNotice,
    ProductionNoticeLine,
    WorkOrder,
    WorkOrderStatus,
)
from gendan.production.services.workorders import finish_work_orders, issue_work_orders
from gendan.timeline.models import EventKind
from gendan.timeline.services import history_row, record, write_history


@step
def issue_notice(*, order: Any, quantities: dict[Any, int], actor: Any) -> ProductionNotice | None:
    """A notice for what stock could not cover; None when nothing needs making."""
    wanted = {line: qty for line, qty in quantities.items() if qty > 0}
    if not wanted:
        return None
    notice = rows.create(ProductionNotice, number=next_number("PN"), order=order, issued_by=actor)
    notice.issued_lines = [  # type: ignore[attr-defined]
        ProductionNoticeLine(notice=notice, line=line, quantity=qty) for line, qty in wanted.items()
    ]
    rows.insert(notice.issued_lines, returning="pk")  # type: ignore[attr-defined]
    record(
        kind=EventKind.NOTICE_ISSUED,
        actor=actor,
        order=order,
        payload={
            "notice": notice.number,
            "lines": {str(line.line_no): q for line, q in wanted.items()},
        },
    )
    return notice


@step
def complete_notices(
    *, order: Any, actor: Any, lines: list[Any] | None = None, last_steps: list[Any] | None = None
) -> list[str]:
    """Mark the order's issued notices done; the goods enter stock reserved for their lines.
    ``lines`` are the order's lines when the caller holds them (the step's context): their
    produced quantities are written in one UPDATE and their history in one INSERT."""
    # the issued notices' lines with their notice, in one query (a notice is issued with at
    # least one line: ``issue_notice``)
    notice_lines = list(
        ProductionNoticeLine.objects.filter(notice__order=order, notice__status=NoticeStatus.ISSUED)
        .select_related("notice")
        .order_by("notice_id", "pk")
    )
    if not notice_lines:
        return []
    notices = list({nl.notice_id: nl.notice for nl in notice_lines}.values())
    by_id = {line.pk: line for line in (order.lines.all() if lines is None else lines)}
    last_good = finish_work_orders(order=order, actor=actor, last=last_steps)
    made = [(by_id[nl.line_id], last_good.get(nl.pk, nl.quantity)) for nl in notice_lines]
    made = [(line, quantity) for line, quantity in made if quantity > 0]
    inventory.receive_produced(made=made, actor=actor)
    changed = {}
    for line, quantity in made:
        line.produced_qty += quantity
        changed[line.pk] = line
    rows.update(list(changed.values()), ["produced_qty"])
    write_history([history_row(line, actor=actor) for line in changed.values()])
    now = timezone.now()
    ProductionNotice.objects.filter(pk__in=[n.pk for n in notices]).update(
        status=NoticeStatus.DONE, done_by=actor, done_at=now
    )
    for notice in notices:
        notice.status, notice.done_by, notice.done_at = NoticeStatus.DONE, actor, now
        record(
            kind=EventKind.PRODUCTION_DONE,
            actor=actor,
            order=order,
            payload={"notice": notice.number},
        )
    return [notice.number for notice in notices]


@step
def cancel_notices(*, order: Any, actor: Any) -> int:
    WorkOrder.objects.filter(order=order, status=WorkOrderStatus.OPEN).update(
        status=WorkOrderStatus.CANCELLED
    )
    return ProductionNotice.objects.filter(order=order, status=NoticeStatus.ISSUED).update(
        status=NoticeStatus.CANCELLED
    )


# ---- what production does in the order's life (effects registered in ProductionConfig) ------


def on_release(step: Any) -> dict[str, Any]:
    """Release: what stock does not cover becomes a production notice; nothing to make means
    production is done at once."""
    notice = issue_notice(order=step.order, quantities=step.data["unreserved"], actor=step.actor)
    if notice is not None:
        issue_work_orders(notice=notice, actor=step.actor)
        step.to = Status.RELEASED  # the release's target, known here without asking again
    if notice is None:
        order = step.order
        order.production_done_at = order.released_at
        if order.balance_due <= 0:  # paid in full already: ready to ship, as after production
            order.ready_to_ship_at = order.released_at
    return {"production_notice": notice.number if notice else None}


def on_complete(step: Any) -> dict[str, Any]:
    last_steps = getattr(step.ctx, LAST_STEPS, None)  # read by the gate in this transition
    done = complete_notices(
        order=step.order, actor=step.actor, lines=step.ctx.lines, last_steps=last_steps
    )
    return {"notices": done}


def on_cancel(step: Any) -> dict[str, Any]:
    return {"production_notices_cancelled": cancel_notices(order=step.order, actor=step.actor)}
