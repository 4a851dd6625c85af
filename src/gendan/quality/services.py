"""Every write of quality: inspections (final, in-process, of an outsourced receipt, of incoming
material), the sales manager's concession after a failed final inspection, and the plans.

The result is the service's, not the inspector's: by AQL sampling the lot passes when the
defectives found in the sample are at most the acceptance number; by a checklist when every
item is ticked. A refusal changes nothing; every write keeps its history and an event."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from gendan.accounts.guards import verb
from gendan.errors import DomainError, Kind, invalid, not_found
from gendan.orders import locks as order_locks
from gendan.orders.models import Order, OrderLine
from gendan.orders.workflow import AWAITING_BALANCE, SHIPPABLE, Status
from gendan.production.models import OutsourceReceipt, ReceiptStatus, WorkOrder
from gendan.production.services import outsourcing
from gendan.quality import aql
from gendan.quality import permissions as p
from gendan.quality.errors import Code
from gendan.quality.models import (
    Concession,
    DefectKind,
    Inspection,
    InspectionKind,
    InspectionPlan,
    Method,
    Result,
)
from gendan.timeline.services import record, together

#: an order is inspected for the last time once produced, until it has all shipped
FINAL_STATUSES = AWAITING_BALANCE | SHIPPABLE
DEFAULT_AQL = Decimal("2.5")


def _defects(defects: dict[str, int] | None) -> dict[str, int]:
    clean: dict[str, int] = {}
    for kind, count in (defects or {}).items():
        if kind not in DefectKind.values:
            raise invalid(
                Code.BAD_DEFECT_KIND,
                gettext("Unknown kind of defect: %(kind)s.") % {"kind": kind},
                field="defects",
            )
        if not isinstance(count, int) or count < 0:
            raise invalid(
                Code.BAD_COUNT, gettext("Defect counts must not be negative."), field="defects"
            )
        if count:
            clean[kind] = count
    return clean


def plans_of(families: set[str]) -> list[InspectionPlan]:
    return list(InspectionPlan.objects.filter(family__in=families).order_by("family"))


def method_of(plans: list[InspectionPlan]) -> tuple[str, Decimal | None, list[str]]:
    """The strictest of the families' plans: the lowest AQL if any samples, else the checklists'
    items together; no plan at all samples at AQL 2.5."""
    levels = [pl.aql for pl in plans if pl.method == Method.AQL and pl.aql is not None]
    if levels:
        return Method.AQL, min(levels), []
    items: list[str] = []
    for pl in plans:
        items += [i for i in pl.checklist if i not in items]
    if items:
        return Method.CHECKLIST, None, items
    return Method.AQL, DEFAULT_AQL, []


def _families_of_order(order: Order) -> set[str]:
    return set(
        OrderLine.objects.filter(order=order).values_list("product__series", flat=True).distinct()
    )


def _lot_of_order(order: Order) -> int:
    return sum(OrderLine.objects.filter(order=order).values_list("quantity", flat=True)) or 0


def _target(
    kind: str, order: str | None, receipt: int | None, actor: Any
) -> tuple[Order | None, OutsourceReceipt | None, WorkOrder | None]:
    """Lock the order the inspection is of and check it may be inspected now."""
    if kind == InspectionKind.OUTSOURCED:
        if receipt is None:
            raise invalid(
                Code.BAD_SUBJECT, gettext("Say which receipt is inspected."), field="receipt"
            )
        number = (
            OutsourceReceipt.objects.filter(pk=receipt)
            .values_list("work_order__order__number", flat=True)
            .first()
        )
        if number is None:
            raise not_found("outsource_receipt")
        locked = order_locks.order_for_update(number, visible_to=actor)
        found = (
            OutsourceReceipt.objects.select_for_update(of=("self",))
            .select_related("work_order__notice_line__line__product")
            .get(pk=receipt)
        )
        if found.status != ReceiptStatus.AWAITING_INSPECTION:
            raise DomainError(
                Code.RECEIPT_INSPECTED,
                gettext("This receipt has been inspected already."),
                kind=Kind.REFUSED,
            )
        return locked, found, found.work_order
    if kind in (InspectionKind.FINAL, InspectionKind.IN_PROCESS):
        if not order:
            raise invalid(Code.BAD_SUBJECT, gettext("Say which order is inspected."), field="order")
        locked = order_locks.order_for_update(order, visible_to=actor)
        allowed = FINAL_STATUSES if kind == InspectionKind.FINAL else {Status.RELEASED}
        if locked.status not in allowed:
            message = (
                gettext("Order %(n)s is not produced yet: the final inspection comes after it.")
                if kind == InspectionKind.FINAL
                else gettext("Order %(n)s is not in production.")
            )
            raise DomainError(Code.NOT_PRODUCED, message % {"n": order}, kind=Kind.REFUSED)
        return locked, None, None
    if kind == InspectionKind.INCOMING:
        incoming = order_locks.order_for_update(order, visible_to=actor) if order else None
        return incoming, None, None
    raise invalid(Code.BAD_SUBJECT, gettext("Unknown kind of inspection."), field="kind")


@verb(p.RECORD)
def record_inspection(
    *,
    kind: str,
    actor: Any,
    order: str | None = None,
    receipt: int | None = None,
    lot_size: int | None = None,
    defects: dict[str, int] | None = None,
    checklist: dict[str, bool] | None = None,
    note: str = "",
    subject: Any = None,
) -> Inspection:
    """Record one inspection; its sampling comes from the plan of the goods' family."""
    found = _defects(defects)
    with transaction.atomic(durable=True), together():
        locked, rec, wo = _target(kind, order, receipt, actor)
        if rec is not None and wo is not None:
            families = {wo.notice_line.line.product.series}
            lot = rec.quantity
        elif locked is not None:
            families = _families_of_order(locked)
            lot = lot_size or _lot_of_order(locked)
        else:
            families, lot = set(), lot_size or 0
        if kind == InspectionKind.INCOMING and lot_size:
            lot = lot_size
        if lot < 1:
            raise invalid(
                Code.BAD_COUNT, gettext("The lot has at least one unit."), field="lot_size"
            )
        method, level, items = method_of(plans_of(families))
        defective = sum(found.values())
        ticks: list[dict[str, Any]] = []
        if method == Method.AQL:
            assert level is not None
            sampling = aql.plan_for(lot, level)
            sample, accept = sampling.sample_size, sampling.accept
            if defective > sample:
                raise invalid(
                    Code.BAD_COUNT,
                    gettext("%(found)s defectives cannot come out of a sample of %(sample)s.")
                    % {"found": f"{defective:,}", "sample": f"{sample:,}"},
                    field="defects",
                )
            passed = defective <= accept
        else:
            sample, accept = 0, 0
            ticks = [{"item": i, "ok": bool((checklist or {}).get(i))} for i in items]
            passed = all(t["ok"] for t in ticks)
        inspection = Inspection(
            kind=kind,
            order=locked,
            work_order=wo,
            receipt=rec,
            method=method,
            aql=level,
            lot_size=lot,
            sample_size=sample,
            accept_number=accept,
            checklist=ticks,
            defects=found,
            defective=defective,
            result=Result.PASSED if passed else Result.FAILED,
            note=note[:500],
            inspector=actor,
            inspected_at=timezone.now(),
        )
        if subject is not None:
            inspection.subject = subject
        inspection._history_user = actor  # type: ignore[attr-defined]
        inspection.save()
        if rec is not None:
            # a passed lot is taken less its defectives; a failed one goes back to the supplier
            good = rec.quantity - defective if passed else 0
            outsourcing.settle_receipt(receipt=rec, good_qty=good, order=locked, actor=actor)
        record(
            kind=p.INSPECTED,
            actor=actor,
            order=locked,
            subject=inspection,
            comment=inspection.note,
            payload={
                "inspection": inspection.number,
                "kind": kind,
                "result": inspection.result,
                "lot": lot,
                "sample": sample,
                "accept": accept,
                "defective": defective,
                "defects": found,
                **({"work_order": wo.number} if wo is not None else {}),
            },
        )
    return inspection


@verb(p.CONCEDE)
def accept_concession(*, inspection: int, reason: str, actor: Any) -> Concession:
    """让步接收: after a failed final inspection (the order's last), the sales manager accepts
    the goods with a reason; the shipping notice's gate opens."""
    if not reason.strip():
        raise invalid(
            Code.REASON_REQUIRED, gettext("Say why the goods are accepted."), field="reason"
        )
    number = (
        Inspection.objects.filter(pk=inspection).values_list("order__number", flat=True).first()
    )
    if number is None:
        raise not_found("inspection")
    with transaction.atomic(durable=True), together():
        locked = order_locks.order_for_update(number, visible_to=actor)
        target = Inspection.objects.select_related("concession").get(pk=inspection)
        last = (
            Inspection.objects.filter(order=locked, kind=InspectionKind.FINAL)
            .order_by("-inspected_at", "-id")
            .values_list("pk", flat=True)
            .first()
        )
        if (
            target.kind != InspectionKind.FINAL
            or target.result != Result.FAILED
            or target.pk != last
            or hasattr(target, "concession")
        ):
            raise DomainError(
                Code.NOT_CONCEDABLE,
                gettext(
                    "A concession is accepted on the order's last final inspection, once it "
                    "failed, and only once."
                ),
                kind=Kind.REFUSED,
            )
        concession = Concession(
            inspection=target, order=locked, reason=reason.strip()[:500], accepted_by=actor
        )
        concession._history_user = actor  # type: ignore[attr-defined]
        concession.save()
        record(
            kind=p.CONCEDED,
            actor=actor,
            order=locked,
            subject=concession,
            comment=concession.reason,
            payload={"inspection": target.number},
        )
    return concession


@verb(p.MANAGE_PLANS)
def save_plan(
    *,
    family: str,
    actor: Any,
    final_required: bool = True,
    in_process_required: bool = False,
    method: str = Method.AQL,
    aql_level: Decimal | str | None = DEFAULT_AQL,
    checklist: list[str] | None = None,
) -> InspectionPlan:
    """Create or change the inspection plan of a product family (the products' series)."""
    family = family.strip()
    if not family:
        raise invalid(Code.BAD_PLAN, gettext("Name the product family."), field="family")
    items = [i.strip() for i in (checklist or []) if i and i.strip()]
    level: Decimal | None = None
    if method == Method.AQL:
        try:
            level = Decimal(str(aql_level))
        except (InvalidOperation, TypeError):
            level = None
        if level is None or all(level != known for known in aql.LEVELS):
            raise invalid(
                Code.BAD_PLAN,
                gettext("The AQL must be one of %(levels)s.")
                % {"levels": ", ".join(str(x) for x in aql.LEVELS)},
                field="aql",
            )
    elif method == Method.CHECKLIST:
        if not items:
            raise invalid(Code.BAD_PLAN, gettext("A checklist needs items."), field="checklist")
    else:
        raise invalid(Code.BAD_PLAN, gettext("Unknown method."), field="method")
    with transaction.atomic(durable=True), together():
        plan = InspectionPlan.objects.select_for_update().filter(family=family).first()
        plan = plan or InspectionPlan(family=family)
        plan.final_required = final_required
        plan.in_process_required = in_process_required
        plan.method = method
        plan.aql = level
        plan.checklist = items
        plan._history_user = actor  # type: ignore[attr-defined]
        plan.save()
        record(
            kind=p.PLAN_CHANGED,
            actor=actor,
            subject=plan,
            payload={
                "family": family,
                "final": final_required,
                "method": method,
                "aql": str(level) if level is not None else None,
                "checklist": items,
            },
        )
    return plan
