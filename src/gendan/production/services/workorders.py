"""Work orders (工单): each production-notice line becomes one work order per step of its
product's routing (the routing of the product's series), the step order kept. A product
without a routing gets one default step (``routed=False``, no line kind, no standard rate):
it has nothing to report step by step, and "Record production done" finishes it in full."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext

from gendan import rows as statements
from gendan.accounts.guards import step, verb
from gendan.catalog.models import Product
from gendan.errors import DomainError, Kind, not_found
from gendan.orders import locks as order_locks
from gendan.orders.workflow import Status
from gendan.production import permissions as p
from gendan.production.errors import Code
from gendan.production.models import (
    DEFAULT_STEP_NAME,
    DailyReport,
    NoticeStatus,
    ProductionLine,
    ProductionNotice,
    Routing,
    RoutingStep,
    WorkOrder,
    WorkOrderStatus,
)
from gendan.production.services import first_articles
from gendan.timeline.services import history_row, record, together, write_history


@step
def issue_work_orders(*, notice: ProductionNotice, actor: Any) -> list[WorkOrder]:
    """The notice's work orders: three to four queries whatever the number of lines."""
    notice_lines = getattr(notice, "issued_lines", None) or list(
        notice.lines.select_related("line")
    )
    routed = Exists(Routing.objects.filter(family=OuterRef("series")))
    series = {
        pk: family
        for pk, family, has_routing in Product.objects.filter(
            pk__in={nl.line.product_id for nl in notice_lines}
        ).values_list("pk", "series", routed)
        if has_routing
    }
    families = set(series.values())
    steps: dict[str, list[RoutingStep]] = {}
    if families:
        for rs in (
            RoutingStep.objects.filter(routing__family__in=families)
            .select_related("routing")
            .order_by("routing_id", "seq")
        ):
            steps.setdefault(rs.routing.family, []).append(rs)
    kinds = {rs.line_kind for of_family in steps.values() for rs in of_family if rs.line_kind}
    first_line: dict[str, ProductionLine] = {}
    if kinds:
        for line in ProductionLine.objects.filter(kind__in=kinds, active=True).order_by("code"):
            first_line.setdefault(line.kind, line)
    rows = []
    for nl in notice_lines:
        route = steps.get(series.get(nl.line.product_id, ""), [])
        base = f"{notice.number}-{nl.line.line_no}"
        if not route:
            rows.append(
                WorkOrder(
                    number=f"{base}-1",
                    notice_line=nl,
                    order_id=notice.order_id,
                    seq=1,
                    last=True,
                    step_name=DEFAULT_STEP_NAME,
                    routed=False,
                    quantity=nl.quantity,
                )
            )
            continue
        for i, rs in enumerate(route, start=1):
            rows.append(
                WorkOrder(
                    number=f"{base}-{i}",
                    notice_line=nl,
                    order_id=notice.order_id,
                    seq=i,
                    last=i == len(route),
                    step_name=rs.name,
                    line_kind=rs.line_kind,
                    rate_per_hour=rs.rate_per_hour,
                    outsourced=rs.outsourced,
                    line=first_line.get(rs.line_kind),
                    quantity=nl.quantity,
                )
            )
    created = list(rows)
    statements.insert(created, returning="pk")
    write_history([history_row(wo, actor=actor, history_type="+") for wo in created])
    first_articles.open_gates(order=notice.order, work_orders=created, actor=actor)
    record(
        kind=p.WORK_ORDERS_ISSUED,
        actor=actor,
        order=notice.order,
        payload={"notice": notice.number, "work_orders": len(created)},
    )
    return created


@step
def finish_work_orders(
    *, order: Any, actor: Any, last: list[WorkOrder] | None = None
) -> dict[int, int]:
    """Production done: the default steps are done in full; returns, per notice line, the good
    quantity of its last step (what was made) for the routed lines. ``last`` are the order's
    last steps when the caller read them already (the gate of the transition)."""
    if last is None:
        last = list(WorkOrder.objects.filter(order=order, last=True))
    last = [wo for wo in last if wo.status != WorkOrderStatus.CANCELLED]
    finished = []
    for wo in last:
        if not wo.routed and wo.status == WorkOrderStatus.OPEN:
            wo.good_qty, wo.status = wo.quantity, WorkOrderStatus.DONE
            finished.append(wo)
    if finished:
        statements.update(finished, ["good_qty", "status"])
        write_history([history_row(wo, actor=actor) for wo in finished])
    return {wo.notice_line_id: wo.good_qty for wo in last if wo.routed}


@verb(p.MANAGE_LINES)
def reissue_work_orders(*, notice: str, actor: Any) -> list[WorkOrder]:
    """Make a notice's work orders again from today's routings (a routing added or changed
    after release), as long as nothing was reported on them yet."""
    found = ProductionNotice.objects.filter(number=notice).values_list("order__number").first()
    if found is None:
        raise not_found("production_notice")
    with transaction.atomic(durable=True), together():
        order = order_locks.order_for_update(found[0], visible_to=actor)
        target = ProductionNotice.objects.select_related("order").get(number=notice)
        wos = WorkOrder.objects.filter(notice_line__notice=target)
        started = (
            DailyReport.objects.filter(work_order__in=wos).exists()
            or wos.exclude(status=WorkOrderStatus.OPEN).exists()
        )
        if order.status != Status.RELEASED or target.status != NoticeStatus.ISSUED or started:
            raise DomainError(
                Code.WORK_ORDER_CLOSED,
                gettext("The work orders of %(n)s have started: they are kept.") % {"n": notice},
                kind=Kind.REFUSED,
            )
        wos.delete()
        return issue_work_orders(notice=target, actor=actor)
