"""Plan a loading: the request (of shipping notices, or of order lines picked before any
notice) and the background run of the engine that fills the plan."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from gendan.accounts.guards import step, verb
from gendan.accounts.models import User
from gendan.errors import invalid
from gendan.loading import planning
from gendan.loading.errors import Code, refuse
from gendan.loading.events import LoadingEvent
from gendan.loading.models import ContainerType, LoadingItem, LoadingPlan, PlanStatus, VehicleKind
from gendan.loading.permissions import LoadingPerm
from gendan.numbering.services import next_number
from gendan.orders.models import Order
from gendan.orders.workflow import FINISHED
from gendan.shipping.models import ShippingNotice, ShippingStatus
from gendan.timeline.services import record

log = logging.getLogger(__name__)

MAX_TIME_LIMIT_S = 300
PROGRESS_EVERY_S = 0.5
RESULT_WRITE_ATTEMPTS = 5


@dataclass(frozen=True)
class LinePick:
    """Part of an order line to plan before any shipping notice (None: all not yet shipped)."""

    order: str
    line: int
    quantity: int | None = None


@dataclass(frozen=True)
class _Pick:
    order: Any
    order_line: Any
    notice_line: Any
    quantity: int


@verb(LoadingPerm.PLAN_LOADING)
def request_loading_plan(
    *,
    actor: User,
    notices: Iterable[str] = (),
    lines: Iterable[LinePick] = (),
    orders: Iterable[str] = (),
    container_type: str | None = None,
    kind: str = VehicleKind.CONTAINER,
    time_limit_s: int = 5,
    keep_orders_together: bool = False,
) -> LoadingPlan:
    """Ask for a loading plan: of the goods on these shipping notices, or of order lines picked
    before any notice (``lines``; ``orders``: every line of these orders not yet shipped), in
    one container of the given type or (no type) in the cheapest set of the kind. The plan is
    computed by a background task once the request is committed."""
    numbers = sorted({n.strip() for n in notices if n and n.strip()})
    wanted = list(lines)
    whole_orders = sorted({n.strip() for n in orders if n and n.strip()})
    if not numbers and not wanted and not whole_orders:
        raise invalid(
            Code.NO_NOTICES,
            gettext("Choose at least one shipping notice or order."),
            field="notices",
        )
    if not 1 <= int(time_limit_s) <= MAX_TIME_LIMIT_S:
        raise invalid(
            Code.INVALID_TIME_LIMIT,
            gettext("The planning time must be between 1 and %(max)s seconds.")
            % {"max": MAX_TIME_LIMIT_S},
            field="time_limit_s",
        )
    chosen = _chosen_type(container_type, kind)
    kind = chosen.kind if chosen else kind
    with transaction.atomic(durable=True):
        found = _notices(numbers)
        picks = [_Pick(n.order, nl.line, nl, nl.quantity) for n in found for nl in n.lines.all()]
        picks += _line_picks(wanted, whole_orders)
        unsized = sorted(
            {
                p.order_line.product.code
                for p in picks
                if min(
                    p.order_line.product.carton_length_cm,
                    p.order_line.product.carton_width_cm,
                    p.order_line.product.carton_height_cm,
                )
                <= 0
            }
        )
        if unsized:
            raise invalid(
                Code.NO_CARTON_SIZE,
                gettext("Enter the carton size of product %(p)s before planning.")
                % {"p": ", ".join(unsized)},
                field="notices",
                products=unsized,
            )
        plan = LoadingPlan.objects.create(
            number=next_number("LP"),
            container_type=chosen,
            kind=kind,
            keep_orders_together=keep_orders_together,
            time_limit_s=int(time_limit_s),
            requested_by=actor,
        )
        plan.notices.set(found)
        LoadingItem.objects.bulk_create(
            LoadingItem(
                plan=plan,
                index=k,
                order_line=p.order_line,
                notice_line=p.notice_line,
                product=p.order_line.product,
                order=p.order,
                cartons=planning.cartons_for(p.quantity, p.order_line.product.units_per_carton),
            )
            for k, p in enumerate(picks)
        )
        for order in {p.order.pk: p.order for p in picks}.values():
            record(
                kind=LoadingEvent.LOADING_PLANNED,
                actor=actor,
                order=order,
                payload={"plan": plan.number, "container_type": container_type or "", "kind": kind},
            )
        transaction.on_commit(lambda: _enqueue(plan.pk))
    return plan


def _chosen_type(code: str | None, kind: str) -> ContainerType | None:
    if code:
        chosen = ContainerType.objects.filter(code=code, active=True).first()
        if chosen is None:
            raise invalid(
                Code.UNKNOWN_CONTAINER_TYPE,
                gettext("Unknown container type %(code)s.") % {"code": code},
                field="container_type",
            )
        return chosen
    if kind not in VehicleKind.values:
        raise invalid(Code.UNKNOWN_CONTAINER_TYPE, gettext("Unknown vehicle kind."), field="kind")
    if not ContainerType.objects.filter(kind=kind, active=True).exists():
        raise invalid(
            Code.UNKNOWN_CONTAINER_TYPE,
            gettext("No active container type of this kind."),
            field="kind",
        )
    return None


def _notices(numbers: list[str]) -> list[ShippingNotice]:
    found = list(
        ShippingNotice.objects.filter(number__in=numbers)
        .select_related("order")
        .prefetch_related("lines__line__product")
        .order_by("order__delivery_date", "number")
    )
    missing = sorted(set(numbers) - {n.number for n in found})
    if missing:
        raise invalid(
            Code.NO_NOTICES,
            gettext("Unknown shipping notice %(n)s.") % {"n": ", ".join(missing)},
            field="notices",
        )
    closed = [n.number for n in found if n.status != ShippingStatus.ISSUED]
    if closed:
        raise refuse(
            Code.NOTICE_NOT_OPEN,
            gettext("Shipping notice %(n)s has already shipped or was cancelled.")
            % {"n": ", ".join(closed)},
            notices=closed,
        )
    return found


def _line_picks(wanted: list[LinePick], whole_orders: list[str]) -> list[_Pick]:
    """Order lines picked before a shipping notice: what is not shipped yet, or less."""
    numbers = sorted({w.order for w in wanted} | set(whole_orders))
    if not numbers:
        return []
    found = {
        o.number: o
        for o in Order.objects.filter(number__in=numbers)
        .select_related("customer")
        .prefetch_related("lines__product")
    }
    missing = sorted(set(numbers) - set(found))
    if missing:
        raise invalid(
            Code.UNKNOWN_ORDER,
            gettext("Unknown order %(n)s.") % {"n": ", ".join(missing)},
            field="lines",
        )
    finished = sorted(n for n, o in found.items() if o.status in FINISHED)
    if finished:
        raise refuse(
            Code.ORDER_FINISHED,
            gettext("Order %(n)s is closed or cancelled.") % {"n": ", ".join(finished)},
            orders=finished,
        )
    picks: list[_Pick] = []
    for number in whole_orders:
        order = found[number]
        picks += [
            _Pick(order, line, None, line.quantity - line.shipped_qty)
            for line in order.lines.all()
            if line.quantity > line.shipped_qty
        ]
    for w in wanted:
        order = found[w.order]
        line = next((ln for ln in order.lines.all() if ln.line_no == w.line), None)
        if line is None:
            raise invalid(
                Code.UNKNOWN_ORDER,
                gettext("Order %(n)s has no line %(line)s.") % {"n": w.order, "line": w.line},
                field="lines",
            )
        free = line.quantity - line.shipped_qty
        quantity = free if w.quantity is None else w.quantity
        if not 1 <= quantity <= free:
            raise invalid(
                "invalid_quantity",
                gettext("Line %(line)s of %(n)s: %(qty)s asked, %(free)s not shipped yet.")
                % {"line": w.line, "n": w.order, "qty": quantity, "free": free},
                field="lines",
            )
        picks.append(_Pick(order, line, None, quantity))
    if not picks:
        raise refuse(Code.NO_NOTICES, gettext("Everything on these orders is shipped already."))
    return picks


def _enqueue(plan_id: int) -> None:
    from gendan.loading.tasks import compute_loading_plan

    compute_loading_plan.enqueue(plan_id)


@step
def compute_plan(plan_id: int) -> LoadingPlan | None:
    """Run the engine for a queued plan (the background task). A plan another worker already
    took is left alone; a failure is kept on the plan with its message, never lost."""
    claimed = LoadingPlan.objects.filter(pk=plan_id, status=PlanStatus.QUEUED).update(
        status=PlanStatus.RUNNING, started_at=timezone.now(), progress=0
    )
    if not claimed:
        return None
    plan = LoadingPlan.objects.select_related("container_type").get(pk=plan_id)
    items = list(plan.items.select_related("product", "order").order_by("index"))
    urgency = {d: k for k, d in enumerate(sorted({i.order.delivery_date for i in items}))}
    cargo = [
        planning.Cargo(
            item=i.index,
            key=f"{i.product.code}/{i.order.number}",
            label=i.product.code,
            length_mm=planning.mm(i.product.carton_length_cm),
            width_mm=planning.mm(i.product.carton_width_cm),
            height_mm=planning.mm(i.product.carton_height_cm),
            cartons=i.cartons,
            weight_kg=float(i.product.carton_gross_weight_kg),
            upright_only=i.product.upright_only,
            stack_limit=i.product.stack_limit,
            max_load_kg=(
                float(i.product.max_load_kg) if i.product.max_load_kg is not None else None
            ),
            fragile=i.product.fragile,
            priority=urgency[i.order.delivery_date],
            group=i.order.number,
        )
        for i in items
    ]
    drops = None
    if plan.keep_orders_together:
        # the first delivery is the first drop: loaded last, nearest the door
        firsts = sorted({(i.order.delivery_date, i.order.number) for i in items})
        drops = [number for _day, number in firsts]
    if plan.container_type is not None:
        types = [plan.container_type]
    else:
        types = list(ContainerType.objects.filter(kind=plan.kind, active=True))
    last = [0.0]

    def progress(fraction: float) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY_S:
            last[0] = now
            try:
                LoadingPlan.objects.filter(pk=plan_id).update(
                    progress=max(0.0, min(fraction, 0.99))
                )
            except OperationalError:  # a busy database: progress is news, not the result
                log.info("progress of loading plan %s not written (database busy)", plan.number)

    try:
        containers, left_behind = planning.run_plan(
            cargo,
            types,
            single=plan.container_type is not None,
            time_limit=float(plan.time_limit_s),
            seed=plan.pk,
            progress=progress,
            drops=drops,
            workers=settings.GENDAN_PLANNING_WORKERS,
        )
    except Exception as exc:  # the engine's bug must not lose the request
        log.exception("loading plan %s failed", plan.number)
        LoadingPlan.objects.filter(pk=plan_id).update(
            status=PlanStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        return None
    for attempt in range(RESULT_WRITE_ATTEMPTS):  # the result must not be lost to a busy moment
        try:
            LoadingPlan.objects.filter(pk=plan_id).update(
                status=PlanStatus.DONE,
                progress=1,
                containers=containers,
                left_behind=left_behind,
                finished_at=timezone.now(),
            )
            break
        except OperationalError:
            if attempt + 1 == RESULT_WRITE_ATTEMPTS:
                raise
            time.sleep(0.2 * (attempt + 1))
    plan.refresh_from_db()
    return plan
