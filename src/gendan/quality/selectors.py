"""What quality reads: the orders waiting for their final inspection, the receipts waiting for
theirs, the failed ones, an order's inspections. Each in a bounded number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from gendan.errors import not_found
from gendan.orders.models import Order, OrderLine
from gendan.orders.selectors import visible_orders
from gendan.production.models import OutsourceReceipt, ReceiptStatus
from gendan.quality import permissions as p
from gendan.quality.models import Concession, Inspection, InspectionKind, InspectionPlan, Result
from gendan.quality.services import FINAL_STATUSES


def _last_final() -> QuerySet[Inspection]:
    return Inspection.objects.filter(order=OuterRef("pk"), kind=InspectionKind.FINAL).order_by(
        "-inspected_at", "-id"
    )[:1]


def with_final_state(qs: QuerySet[Order]) -> QuerySet[Order]:
    """Orders with a family under a final-inspection plan, annotated with their last final
    inspection (its result and id) and whether a concession accepted it."""
    planned = OrderLine.objects.filter(
        order=OuterRef("pk"),
        product__series__in=InspectionPlan.objects.filter(final_required=True).values("family"),
    )
    return (
        qs.filter(Exists(planned))
        .annotate(
            last_result=Subquery(_last_final().values("result")),
            last_inspection=Subquery(_last_final().values("pk")),
        )
        .annotate(
            conceded=Exists(Concession.objects.filter(inspection_id=OuterRef("last_inspection")))
        )
    )


def awaiting_final(actor: Any) -> QuerySet[Order]:
    """Produced orders (until they have all shipped) whose final inspection is still to pass:
    never inspected, or failed without a concession (a re-inspection waits)."""
    qs = with_final_state(visible_orders(actor).filter(status__in=FINAL_STATUSES))
    return (
        qs.filter(Q(last_result__isnull=True) | Q(last_result=Result.FAILED, conceded=False))
        .select_related("customer")
        .order_by("delivery_date", "id")
    )


def failed_final(actor: Any, *, mine: bool = True) -> QuerySet[Order]:
    """The actor's orders (as merchandiser) whose last final inspection failed, no concession."""
    qs = visible_orders(actor).filter(status__in=FINAL_STATUSES)
    if mine:
        qs = qs.filter(merchandiser=actor)
    return (
        with_final_state(qs)
        .filter(Q(last_result=Result.FAILED) & Q(conceded=False))
        .select_related("customer")
        .order_by("delivery_date", "id")
    )


def receipts_awaiting(actor: Any) -> QuerySet[OutsourceReceipt]:
    return (
        OutsourceReceipt.objects.filter(
            status=ReceiptStatus.AWAITING_INSPECTION,
            work_order__order__in=visible_orders(actor).values("pk"),
        )
        .select_related("work_order__order__customer")
        .order_by("received_on", "id")
    )


def inspections(actor: Any) -> QuerySet[Inspection]:
    """Inspections the actor may see: of the orders they see (and, for QC, those of no order)."""
    seen = Q(order__in=visible_orders(actor).values("pk"))
    if actor.can(p.RECORD):
        seen |= Q(order__isnull=True)
    return (
        Inspection.objects.filter(seen)
        .select_related("order", "inspector", "work_order", "concession__accepted_by")
        .order_by("-id")
    )


def of_order(order: Order) -> list[Inspection]:
    return list(
        Inspection.objects.filter(order=order)
        .select_related("inspector", "work_order", "concession__accepted_by")
        .order_by("-inspected_at", "-id")
    )


def inspection_for(actor: Any, key: str | int) -> Inspection:
    try:
        pk = int(key)
    except (TypeError, ValueError):
        raise not_found("inspection") from None
    found = inspections(actor).filter(pk=pk).first()
    if found is None:
        raise not_found("inspection")
    return found
