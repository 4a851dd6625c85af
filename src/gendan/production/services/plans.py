"""The day's plan of a line (第二天的具体工作计划): proposed from each open work order's
standard rate x the line's hours that day (never more than remains), edited, then confirmed by
the merchandiser, the workshop supervisor (生产主任) and the packing supervisor (包装主任),
who and when kept. A confirmed plan is what that day's reports are measured against; an edit
after a confirmation asks the three again."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_FLOOR
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from gendan.accounts.guards import verb
from gendan.accounts.roles import role_names
from gendan.errors import DomainError, Kind, invalid, not_found
from gendan.production import permissions as p
from gendan.production.calendars import line_hours
from gendan.production.errors import Code
from gendan.production.models import (
    DayPlan,
    DayPlanItem,
    Post,
    ProductionLine,
    ScheduleBlock,
    StaffPost,
    WorkOrder,
    WorkOrderStatus,
)
from gendan.production.services.schedule import run_covering
from gendan.timeline.services import record

#: who confirms, and what makes them the one: the merchandiser role, or a production post
CONFIRMERS = ("merchandiser", Post.WORKSHOP_SUPERVISOR, Post.PACKING_SUPERVISOR)


def _line(code: str) -> ProductionLine:
    line = ProductionLine.objects.filter(code=code).first()
    if line is None:
        raise not_found("production_line")
    return line


@verb(p.CONFIRM_PLAN)
def propose_plan(*, line: str, day: date, actor: Any) -> DayPlan:
    """The line's plan for ``day``: the week's schedule's blocks of the line that day when a
    schedule covers the day, else the standard rates x the line's hours (a plan proposed
    again is rebuilt, its confirmations cleared)."""
    target = _line(line)
    hours = line_hours(target, day)
    with transaction.atomic(durable=True):
        plan, _ = DayPlan.objects.select_for_update().get_or_create(
            line=target, day=day, defaults={"proposed_by": actor}
        )
        if plan.confirmed:
            raise DomainError(
                Code.PLAN_CONFIRMED,
                gettext("The plan of %(line)s for %(day)s is confirmed already.")
                % {"line": line, "day": day.isoformat()},
                kind=Kind.REFUSED,
            )
        _clear(plan, actor)
        plan.items.all().delete()
        items = []
        run = run_covering(day)
        if run is not None:  # from the week's schedule: its blocks of this line and day
            planned: dict[int, int] = {}
            found: dict[int, WorkOrder] = {}
            for block in (
                ScheduleBlock.objects.filter(
                    run=run, line=target, day=day, work_order__status=WorkOrderStatus.OPEN
                )
                .select_related("work_order")
                .order_by("work_order__order__delivery_date", "work_order_id")
            ):
                found[block.work_order_id] = block.work_order
                planned[block.work_order_id] = planned.get(block.work_order_id, 0) + block.quantity
            for pk, wo in found.items():
                qty = min(planned[pk], wo.remaining)
                if qty > 0:
                    items.append(DayPlanItem(plan=plan, work_order=wo, planned_qty=qty))
        else:  # from the standard rates x the line's hours
            wos = WorkOrder.objects.filter(
                line=target, status=WorkOrderStatus.OPEN, routed=True, outsourced=False
            ).order_by("order__delivery_date", "pk")
            for wo in wos:
                rate = wo.rate_per_hour or 0
                standard = (
                    int((rate * hours).to_integral_value(rounding=ROUND_FLOOR)) if rate else 0
                )
                qty = min(standard, wo.remaining)
                if qty > 0:
                    items.append(DayPlanItem(plan=plan, work_order=wo, planned_qty=qty))
        DayPlanItem.objects.bulk_create(items)
        record(
            kind=p.PLAN_PROPOSED,
            actor=actor,
            subject=plan,
            payload={"line": line, "day": day.isoformat(), "items": len(items)},
        )
    return plan


def _clear(plan: DayPlan, actor: Any) -> None:
    plan.merchandiser = plan.workshop_supervisor = plan.packing_supervisor = None
    plan.merchandiser_at = plan.workshop_supervisor_at = plan.packing_supervisor_at = None
    plan.proposed_by, plan.proposed_at = actor, timezone.now()
    plan.save()


@verb(p.CONFIRM_PLAN)
def edit_plan_item(
    *, line: str, day: date, work_order: str, planned_qty: int, actor: Any, note: str = ""
) -> DayPlanItem:
    if planned_qty < 0:
        raise invalid(
            Code.BAD_QUANTITY, gettext("Quantities must not be negative."), field="planned_qty"
        )
    with transaction.atomic(durable=True):
        plan = DayPlan.objects.select_for_update().filter(line__code=line, day=day).first()
        wo = WorkOrder.objects.filter(number=work_order, line__code=line).first()
        if plan is None or wo is None:
            raise not_found("day_plan")
        if plan.confirmed:
            raise DomainError(
                Code.PLAN_CONFIRMED,
                gettext("The plan of %(line)s for %(day)s is confirmed already.")
                % {"line": line, "day": day.isoformat()},
                kind=Kind.REFUSED,
            )
        item, _ = DayPlanItem.objects.get_or_create(
            plan=plan, work_order=wo, defaults={"planned_qty": planned_qty}
        )
        was = item.planned_qty
        item.planned_qty = planned_qty
        item.save()
        _clear(plan, actor)
        record(
            kind=p.PLAN_PROPOSED,
            actor=actor,
            order=wo.order,
            subject=plan,
            comment=note,
            payload={
                "line": line,
                "day": day.isoformat(),
                "work_order": work_order,
                "was": was,
                "planned": planned_qty,
            },
        )
    return item


@verb(p.CONFIRM_PLAN)
def confirm_plan(*, line: str, day: date, as_: str, actor: Any) -> DayPlan:
    """One of the three confirms: ``as_`` is merchandiser, workshop_supervisor or
    packing_supervisor, and the actor must be that (role or post)."""
    if as_ not in CONFIRMERS:
        raise invalid(
            Code.WRONG_POST, gettext("Confirm as the merchandiser or a supervisor."), field="as_"
        )
    if as_ == "merchandiser":
        allowed = "merchandiser" in role_names(actor)
    else:
        allowed = StaffPost.objects.filter(user=actor, post=as_).exists()
    if not allowed:
        raise DomainError(
            Code.WRONG_POST,
            gettext("You are not the %(who)s of this plan.")
            % {"who": gettext("merchandiser") if as_ == "merchandiser" else Post(as_).label},
            kind=Kind.FORBIDDEN,
        )
    with transaction.atomic(durable=True):
        plan = DayPlan.objects.select_for_update().filter(line__code=line, day=day).first()
        if plan is None:
            raise not_found("day_plan")
        setattr(plan, as_, actor)
        setattr(plan, f"{as_}_at", timezone.now())
        plan.save()
        record(
            kind=p.PLAN_CONFIRMED,
            actor=actor,
            subject=plan,
            payload={"line": line, "day": day.isoformat(), "as": as_, "complete": plan.confirmed},
        )
    return plan
