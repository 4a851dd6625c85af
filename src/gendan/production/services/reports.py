"""The daily production report (生产日报表): per work order and day, good quantity, defects,
scrap, hours and who reported.

Rules, here once: a step never has more good quantity than its predecessor produced (the first
step excepted) nor more than its quantity; a day below its plan carries one of the seven slip
reasons and a note; a correction keeps the earlier version in the report's history. The report
that completes the last step of the order's last work order moves the order to ``produced``
through the workflow (the ``complete_production`` transition, under its gate and permission).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from gendan.accounts.guards import step, verb
from gendan.errors import DomainError, Kind, invalid, not_found
from gendan.orders import locks as order_locks
from gendan.orders.services import transition
from gendan.orders.workflow import Status
from gendan.production import permissions as p
from gendan.production.calendars import line_hours
from gendan.production.errors import Code
from gendan.production.gates import LAST_STEPS, PENDING
from gendan.production.models import (
    DailyReport,
    DayPlan,
    DayPlanItem,
    SlipReason,
    WorkOrder,
    WorkOrderStatus,
)
from gendan.production.services import first_articles
from gendan.timeline.services import record, together


@dataclass(frozen=True)
class ReportInput:
    day: date
    good_qty: int
    defect_qty: int = 0
    scrap_qty: int = 0
    hours: Decimal = Decimal("0")
    slip_reason: str = ""
    note: str = ""


def planned_for(work_order: WorkOrder, day: date) -> int:
    """The day's planned quantity: the work order's item of the line's confirmed day plan, or
    (no confirmed plan) the standard rate x the line's hours that day; never more than what
    remains. A work order without a line or a standard rate, or left out of the confirmed
    plan, has no plan (0)."""
    if work_order.line is not None:
        plan = DayPlan.objects.filter(line=work_order.line, day=day).first()
        if plan is not None and plan.confirmed:
            item = DayPlanItem.objects.filter(plan=plan, work_order=work_order).first()
            return item.planned_qty if item else 0
    if work_order.line is None or not work_order.rate_per_hour:
        return 0
    hours = line_hours(work_order.line, day)
    standard = int((work_order.rate_per_hour * hours).to_integral_value(rounding=ROUND_FLOOR))
    return max(0, standard)


class _CompletesOrder(Exception):
    """The report completes the order: write it again inside the complete_production step."""


def _numbers(work_order: str, actor: Any) -> tuple[str, str]:
    row = (
        WorkOrder.objects.filter(number=work_order)
        .values_list("order__number", "order__status")
        .first()
    )
    if row is None:
        raise not_found("work_order")
    return row


def _check_values(values: ReportInput) -> None:
    for field in ("good_qty", "defect_qty", "scrap_qty"):
        if getattr(values, field) < 0:
            raise invalid(
                Code.BAD_QUANTITY, gettext("Quantities must not be negative."), field=field
            )
    if not Decimal("0") <= Decimal(values.hours) <= Decimal("24"):
        raise invalid(Code.BAD_QUANTITY, gettext("Hours must be between 0 and 24."), field="hours")
    if values.day > timezone.localdate():
        raise invalid(
            Code.FUTURE_DAY, gettext("A report cannot be for a day still to come."), field="day"
        )


def _check_slip(values: ReportInput, planned: int) -> None:
    if planned <= 0 or values.good_qty >= planned:
        return
    short = planned - values.good_qty
    if values.slip_reason not in SlipReason.values:
        raise invalid(
            Code.SLIP_REASON_REQUIRED,
            gettext(
                "%(short)s below the day's plan of %(planned)s: choose one of the seven slip "
                "reasons and write a note."
            )
            % {"short": f"{short:,}", "planned": f"{planned:,}"},
            field="slip_reason",
            planned=planned,
        )
    if not values.note.strip():
        raise invalid(
            Code.SLIP_NOTE_REQUIRED,
            gettext("%(short)s below the day's plan: say in a note what happened.")
            % {"short": f"{short:,}"},
            field="note",
            planned=planned,
        )


@step
def write_report(
    *, work_order: str, values: ReportInput, correcting: bool, actor: Any
) -> tuple[DailyReport, bool]:
    """Under the order's lock: check and write the report, keep the work order's totals.
    Returns the report and whether every routed last step of the order is now complete."""
    steps = list(
        WorkOrder.objects.select_for_update(of=("self",))
        .filter(notice_line__work_orders__number=work_order)
        .select_related("line", "order")
        .order_by("seq")
    )
    wo = next(w for w in steps if w.number == work_order)
    if wo.status in (WorkOrderStatus.CLOSED_SHORT, WorkOrderStatus.CANCELLED) or (
        wo.order.status != Status.RELEASED
    ):
        raise DomainError(
            Code.WORK_ORDER_CLOSED,
            gettext("Work order %(wo)s takes no more reports (%(status)s).")
            % {"wo": wo.number, "status": wo.get_status_display()},
            kind=Kind.REFUSED,
        )
    if not wo.routed:
        raise DomainError(
            Code.WORK_ORDER_CLOSED,
            gettext(
                "Work order %(wo)s is the default step of a product without a routing: "
                "record production done on the order."
            )
            % {"wo": wo.number},
            kind=Kind.REFUSED,
        )
    _check_values(values)
    existing = DailyReport.objects.filter(work_order=wo, day=values.day).first()
    if existing is not None and not correcting:
        raise invalid(
            Code.REPORT_EXISTS,
            gettext("%(wo)s already has a report for %(day)s: correct it instead.")
            % {"wo": wo.number, "day": values.day.isoformat()},
            field="day",
        )
    if existing is None and correcting:
        raise invalid(
            Code.NO_REPORT,
            gettext("%(wo)s has no report for %(day)s to correct.")
            % {"wo": wo.number, "day": values.day.isoformat()},
            field="day",
        )
    before = existing.good_qty if existing else 0
    good = wo.good_qty - before + values.good_qty
    if good > wo.quantity:
        raise invalid(
            Code.BEYOND_QUANTITY,
            gettext("%(step)s: %(good)s good in all would exceed the %(qty)s ordered.")
            % {"step": wo.step_name, "good": f"{good:,}", "qty": f"{wo.quantity:,}"},
            field="good_qty",
        )
    predecessor = next((w for w in steps if w.seq == wo.seq - 1), None)
    if predecessor is not None and good > predecessor.good_qty:
        raise invalid(
            Code.BEYOND_PREDECESSOR,
            gettext(
                "%(step)s cannot have %(good)s good: the step before, %(prev)s, has produced "
                "only %(made)s."
            )
            % {
                "step": wo.step_name,
                "good": f"{good:,}",
                "prev": predecessor.step_name,
                "made": f"{predecessor.good_qty:,}",
            },
            field="good_qty",
        )
    if wo.seq == 1:
        first_articles.check_gate(wo, good)
    successor = next((w for w in steps if w.seq == wo.seq + 1), None)
    if successor is not None and good < successor.good_qty:
        raise invalid(
            Code.BEYOND_PREDECESSOR,
            gettext("%(step)s cannot go down to %(good)s: %(next)s has already made %(made)s.")
            % {
                "step": wo.step_name,
                "good": f"{good:,}",
                "next": successor.step_name,
                "made": f"{successor.good_qty:,}",
            },
            field="good_qty",
        )
    planned = existing.planned_qty if existing else min(planned_for(wo, values.day), wo.remaining)
    _check_slip(values, planned)
    report = existing or DailyReport(work_order=wo, day=values.day, planned_qty=planned)
    report.good_qty = values.good_qty
    report.defect_qty = values.defect_qty
    report.scrap_qty = values.scrap_qty
    report.hours = Decimal(values.hours)
    report.slip_reason = values.slip_reason if values.good_qty < planned else ""
    report.note = values.note
    report.reported_by, report.reported_at = actor, timezone.now()
    report._history_user = actor  # type: ignore[attr-defined]
    report.save()
    defects = (existing.defect_qty if existing else 0, existing.scrap_qty if existing else 0)
    wo.good_qty = good
    wo.defect_qty += values.defect_qty - defects[0]
    wo.scrap_qty += values.scrap_qty - defects[1]
    wo.status = WorkOrderStatus.DONE if good == wo.quantity else WorkOrderStatus.OPEN
    wo._history_user = actor  # type: ignore[attr-defined]
    wo.save(update_fields=["good_qty", "defect_qty", "scrap_qty", "status"])
    payload = {
        "work_order": wo.number,
        "step": wo.step_name,
        "day": values.day.isoformat(),
        "good": values.good_qty,
        "defects": values.defect_qty,
        "scrap": values.scrap_qty,
        "planned": planned,
        "cumulative": good,
    }
    record(
        kind=p.REPORT_CORRECTED if correcting else p.REPORTED,
        actor=actor,
        order=wo.order,
        subject=report,
        payload=payload if not correcting else {**payload, "was": before},
    )
    if report.slip_reason:
        record(
            kind=p.SLIP,
            actor=actor,
            order=wo.order,
            subject=report,
            comment=report.note,
            payload={
                "work_order": wo.number,
                "day": values.day.isoformat(),
                "reason": report.slip_reason,
                "short": planned - values.good_qty,
            },
        )
    completes = not WorkOrder.objects.filter(
        order=wo.order, last=True, routed=True, status=WorkOrderStatus.OPEN
    ).exists()
    return report, completes


def _report(actor: Any, work_order: str, values: ReportInput, *, correcting: bool) -> DailyReport:
    number, status = _numbers(work_order, actor)
    try:
        with transaction.atomic(durable=True), together():
            order_locks.order_for_update(number, visible_to=actor)
            report, completes = write_report(
                work_order=work_order, values=values, correcting=correcting, actor=actor
            )
            if completes and status == Status.RELEASED:
                raise _CompletesOrder
            return report
    except _CompletesOrder:
        pass
    # the last report of the order: written inside "Record production done", whose gate
    # (production.work_orders_done) is told the good quantity this report brings
    wo = WorkOrder.objects.only("pk", "good_qty").get(number=work_order)
    before = (
        DailyReport.objects.filter(work_order=wo, day=values.day)
        .values_list("good_qty", flat=True)
        .first()
    )
    pending = {wo.pk: wo.good_qty - (before or 0) + values.good_qty}
    with transition(
        "complete_production", number=number, actor=actor, version=None, params={PENDING: pending}
    ) as change:
        report, _ = write_report(
            work_order=work_order, values=values, correcting=correcting, actor=actor
        )
        change.ctx.__dict__.pop(LAST_STEPS, None)  # the gate's copy predates this report
        order = change.order
        change.stamp()  # as "Record production done" does: production's effect closes notices
        if order.balance_due <= 0:
            order.ready_to_ship_at = order.production_done_at
        change.comment = gettext("The report of %(wo)s completed the last step.") % {
            "wo": work_order
        }
        change.payload = {"work_order": work_order, "day": values.day.isoformat()}
    return report


@verb(p.REPORT)
def record_report(
    *,
    work_order: str,
    day: date,
    good_qty: int,
    actor: Any,
    defect_qty: int = 0,
    scrap_qty: int = 0,
    hours: Decimal = Decimal("0"),
    slip_reason: str = "",
    note: str = "",
) -> DailyReport:
    values = ReportInput(day, good_qty, defect_qty, scrap_qty, Decimal(hours), slip_reason, note)
    return _report(actor, work_order, values, correcting=False)


@verb(p.REPORT)
def correct_report(
    *,
    work_order: str,
    day: date,
    good_qty: int,
    actor: Any,
    defect_qty: int = 0,
    scrap_qty: int = 0,
    hours: Decimal = Decimal("0"),
    slip_reason: str = "",
    note: str = "",
) -> DailyReport:
    """A report set right; its history keeps what it said before, and who changed it."""
    values = ReportInput(day, good_qty, defect_qty, scrap_qty, Decimal(hours), slip_reason, note)
    return _report(actor, work_order, values, correcting=True)
