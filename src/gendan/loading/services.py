"""Every write of loading: plan a loading, run the plan, record the count, close the loading,
record a counting error, edit container types.

The count check (点数) is one rule, in ``count_check``: the loading closes only when every wall
(or product) of every container is counted, every count matches the plan and the plan loads
everything the shipping notices ask for; otherwise only someone allowed to accept a difference
closes it, with a reason.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from gendan.accounts.guards import permission_denied, step, verb
from gendan.accounts.permissions import Perm
from gendan.catalog.models import Product
from gendan.errors import DomainError, Kind, Reason, invalid, not_found
from gendan.loading import planning
from gendan.loading.errors import Code
from gendan.loading.models import (
    ContainerType,
    CountingError,
    ErrorSource,
    LoadingCount,
    LoadingItem,
    LoadingPlan,
    LoadingStatus,
    PlanStatus,
    VehicleKind,
)
from gendan.orders.models import Order
from gendan.orders.numbering import next_number
from gendan.orders.workflow import FINISHED
from gendan.shipping.models import ShippingNotice, ShippingStatus
from gendan.timeline.models import EventKind
from gendan.timeline.services import record

log = logging.getLogger(__name__)

MAX_TIME_LIMIT_S = 300
PROGRESS_EVERY_S = 0.5
RESULT_WRITE_ATTEMPTS = 5


def _refuse(code: str, message: str, **details: Any) -> DomainError:
    return DomainError(code, message, kind=Kind.REFUSED, details=details)


def _orders_of(plan: LoadingPlan) -> list[Order]:
    """The orders whose goods the plan loads (their timelines tell of the loading)."""
    return list(
        Order.objects.filter(pk__in=plan.items.values("order_id"))
        .select_related("customer")
        .order_by("pk")
    )


# --- planning ---------------------------------------------------------------------------------


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


@verb(Perm.PLAN_LOADING)
def request_loading_plan(
    *,
    actor: Any,
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
                kind=EventKind.LOADING_PLANNED,
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
        raise _refuse(
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
        raise _refuse(
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
        raise _refuse(Code.NO_NOTICES, gettext("Everything on these orders is shipped already."))
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


# --- the count check (点数) -------------------------------------------------------------------


@dataclass(frozen=True)
class CountRow:
    """One thing to count: a wall of a container, or a product in a container."""

    container: int
    wall: int | None
    product: str | None
    label: str
    expected: int
    counted: int | None

    @property
    def difference(self) -> int | None:
        return None if self.counted is None else self.counted - self.expected

    @property
    def matches(self) -> bool:
        return self.counted is not None and self.counted == self.expected


@dataclass(frozen=True)
class CountCheck:
    rows: list[CountRow]
    # Per product code: cartons on the notices, cartons the plan loads.
    notice_totals: list[tuple[str, int, int]]
    reasons: list[Reason]

    @property
    def matches(self) -> bool:
        return not self.reasons


def _related(plan: LoadingPlan, name: str) -> list[Any]:
    """A plan's items or counts with their products: the prefetched ones when there are."""
    if name in getattr(plan, "_prefetched_objects_cache", {}):
        return list(getattr(plan, name).all())
    return list(getattr(plan, name).select_related("product"))


def _product_rows(
    container: dict[str, Any], items: dict[int, Any], counted: dict[tuple[int, str], int]
) -> list[CountRow]:
    """One row per product the container loads, with what was counted of it."""
    n = container["index"]
    planned: dict[str, int] = {}
    for item, loaded in container["loaded"].items():
        code = items[int(item)].product.code
        planned[code] = planned.get(code, 0) + loaded
    return [
        CountRow(n, None, code, code, expected, counted.get((n, code)))
        for code, expected in sorted(planned.items())
    ]


def product_rows(plan: LoadingPlan, container: int) -> list[CountRow]:
    """The products of one container to count, before anything was counted by product."""
    items = {i.index: i for i in _related(plan, "items")}
    entry = next(c for c in plan.containers if c["index"] == container)
    return _product_rows(entry, items, {})


def count_check(plan: LoadingPlan) -> CountCheck:
    """Compare the counts with the plan and the plan with the shipping notices."""
    items = {i.index: i for i in _related(plan, "items")}
    counts = _related(plan, "counts")
    by_wall = {(c.container, c.wall): c.counted for c in counts if c.wall is not None}
    by_product = {(c.container, c.product.code): c.counted for c in counts if c.product}
    rows: list[CountRow] = []
    for container in plan.containers:
        n = container["index"]
        if any(k[0] == n for k in by_product) and not any(k[0] == n for k in by_wall):
            rows.extend(_product_rows(container, items, by_product))
        else:
            rows.extend(
                CountRow(
                    n,
                    wall["number"],
                    None,
                    gettext("Wall %(n)s") % {"n": wall["number"]},
                    wall["count"],
                    by_wall.get((n, wall["number"])),
                )
                for wall in container["walls"]
            )
    reasons: list[Reason] = []
    uncounted = [r for r in rows if r.counted is None]
    if uncounted:
        reasons.append(
            Reason(
                Code.NOT_COUNTED,
                gettext("%(n)s walls or products are not counted yet.") % {"n": len(uncounted)},
            )
        )
    for r in rows:
        if r.counted is not None and r.counted != r.expected:
            reasons.append(
                Reason(
                    Code.COUNT_DIFFERS,
                    gettext("Container %(c)s, %(what)s: %(counted)s counted, %(expected)s planned.")
                    % {
                        "c": r.container,
                        "what": r.label,
                        "counted": r.counted,
                        "expected": r.expected,
                    },
                )
            )
    on_notice: dict[str, int] = {}
    for i in items.values():
        on_notice[i.product.code] = on_notice.get(i.product.code, 0) + i.cartons
    loaded: dict[str, int] = {}
    for container in plan.containers:
        for item, n in container["loaded"].items():
            code = items[int(item)].product.code
            loaded[code] = loaded.get(code, 0) + n
    totals = [(code, on_notice[code], loaded.get(code, 0)) for code in sorted(on_notice)]
    short = [(code, want, got) for code, want, got in totals if got < want]
    if short:
        reasons.append(
            Reason(
                Code.NOT_ALL_LOADED,
                gettext("The plan leaves cartons to load behind: %(list)s.")
                % {"list": ", ".join(f"{code} {want - got}" for code, want, got in short)},
            )
        )
    return CountCheck(rows, totals, reasons)


def _product_in(plan: LoadingPlan, code: str) -> Product:
    """A product the plan loads, or the refusal that names it."""
    product = Product.objects.filter(code=code, pk__in=plan.items.values("product_id")).first()
    if product is None:
        raise invalid(
            Code.PRODUCT_NOT_IN_PLAN,
            gettext("Product %(p)s is not in this loading.") % {"p": code},
            field="product",
        )
    return product


def _open_plan(number: str) -> LoadingPlan:
    plan = LoadingPlan.objects.select_for_update().filter(number=number).first()
    if plan is None:
        raise not_found("loading_plan")
    if plan.status != PlanStatus.DONE:
        raise _refuse(Code.NOT_PLANNED, gettext("The loading plan is not ready yet."))
    if plan.loading_status == LoadingStatus.CLOSED:
        raise _refuse(Code.LOADING_CLOSED, gettext("This loading is already closed."))
    return plan


@verb(Perm.COUNT_LOADING)
def record_count(
    *,
    actor: Any,
    plan: str,
    container: int,
    counted: int,
    wall: int | None = None,
    product: str | None = None,
) -> CountCheck:
    """Record the cartons counted into one wall (or of one product) of one container; a recount
    replaces the figure (the history keeps the old one). Answers the check at once."""
    if (wall is None) == (product is None):
        raise invalid(
            Code.WALL_OR_PRODUCT, gettext("Count either a wall or a product."), field="wall"
        )
    if counted < 0:
        raise invalid("invalid_quantity", gettext("A count cannot be negative."), field="counted")
    return _write_count(
        actor=actor, plan=plan, container=container, wall=wall, product=product, counted=counted
    )


@verb(Perm.COUNT_LOADING)
def record_scan(*, actor: Any, plan: str, container: int, product: str) -> CountCheck:
    """One carton scanned (or its code typed) as it goes in: one more of that product."""
    return _write_count(
        actor=actor, plan=plan, container=container, wall=None, product=product.strip()
    )


@step
def _write_count(
    *,
    actor: Any,
    plan: str,
    container: int,
    wall: int | None,
    product: str | None,
    counted: int | None = None,
) -> CountCheck:
    """Set a count (``counted``) or add one carton to it (``counted`` None), under the plan's
    lock, with the timeline event."""
    with transaction.atomic(durable=True):
        lp = _open_plan(plan)
        entry = next((c for c in lp.containers if c["index"] == container), None)
        if entry is None:
            raise invalid(
                Code.UNKNOWN_CONTAINER,
                gettext("The plan has no container %(n)s.") % {"n": container},
                field="container",
            )
        target: Product | None = None
        if wall is not None and not any(w["number"] == wall for w in entry["walls"]):
            raise invalid(
                Code.UNKNOWN_WALL,
                gettext("Container %(c)s has no wall %(w)s.") % {"c": container, "w": wall},
                field="wall",
            )
        if product is not None:
            target = _product_in(lp, product)
        if counted is None:
            now = LoadingCount.objects.filter(
                plan=lp, container=container, wall=None, product=target
            ).first()
            counted = (now.counted if now else 0) + 1
        LoadingCount.objects.update_or_create(
            plan=lp,
            container=container,
            wall=wall,
            product=target,
            defaults={"counted": counted, "counted_by": actor, "counted_at": timezone.now()},
        )
        lp.version += 1
        lp.save(update_fields=["version"])
        for order in _orders_of(lp):
            record(
                kind=EventKind.LOADING_COUNTED,
                actor=actor,
                order=order,
                payload={
                    "plan": lp.number,
                    "container": container,
                    "wall": wall,
                    "product": product,
                    "counted": counted,
                },
            )
        return count_check(lp)


@verb(Perm.CLOSE_LOADING)
def close_loading(*, actor: Any, plan: str, accept_difference: str = "") -> LoadingPlan:
    """Close the loading: refused while the check finds a difference, unless someone allowed to
    accept a difference gives the reason."""
    reason = (accept_difference or "").strip()
    with transaction.atomic(durable=True):
        lp = _open_plan(plan)
        check = count_check(lp)
        if not check.matches:
            if not reason:
                first = check.reasons[0]
                raise DomainError(
                    first.code,
                    first.message,
                    kind=Kind.REFUSED,
                    details={
                        "action": "close_loading",
                        "reasons": [r.as_dict() for r in check.reasons],
                    },
                )
            if not actor.can(Perm.ACCEPT_LOADING_DIFFERENCE):
                raise permission_denied(Perm.ACCEPT_LOADING_DIFFERENCE)
        elif reason:
            reason = ""  # nothing to accept
        lp.loading_status = LoadingStatus.CLOSED
        lp.closed_by = actor
        lp.closed_at = timezone.now()
        lp.accepted_difference = reason
        lp.version += 1
        lp.save()
        for order in _orders_of(lp):
            record(
                kind=EventKind.LOADING_CLOSED,
                actor=actor,
                order=order,
                comment=reason,
                payload={
                    "plan": lp.number,
                    "differences": [r.as_dict() for r in check.reasons],
                },
            )
    return lp


# --- the counting-error register --------------------------------------------------------------


def counting_error_penalty() -> Decimal:
    return Decimal(str(settings.GENDAN_COUNTING_ERROR_PENALTY)).quantize(Decimal("0.01"))


@verb(Perm.RECORD_COUNTING_ERROR)
def record_counting_error(
    *,
    actor: Any,
    plan: str,
    person: str,
    expected: int,
    actual: int,
    source: str = ErrorSource.RECOUNT,
    product: str | None = None,
    note: str = "",
) -> CountingError:
    """A counting error found after loading (the customer's receipt, a recount), against the
    person who counted, with the configured penalty."""
    if source not in ErrorSource.values:
        raise invalid("invalid_source", gettext("Unknown source."), field="source")
    if expected < 0 or actual < 0:
        raise invalid("invalid_quantity", gettext("Quantities cannot be negative."), field="actual")
    if expected == actual:
        raise invalid(
            Code.NO_DIFFERENCE,
            gettext("Expected and actual are the same: there is no error to record."),
            field="actual",
        )
    with transaction.atomic(durable=True):
        lp = LoadingPlan.objects.filter(number=plan).first()
        if lp is None:
            raise not_found("loading_plan")
        who = get_user_model().objects.filter(username=person, is_active=True).first()
        if who is None:
            raise invalid(
                Code.UNKNOWN_PERSON,
                gettext("Unknown person %(p)s.") % {"p": person},
                field="person",
            )
        target = _product_in(lp, product) if product else None
        error = CountingError.objects.create(
            plan=lp,
            person=who,
            product=target,
            source=source,
            expected=expected,
            actual=actual,
            penalty=counting_error_penalty(),
            currency=settings.GENDAN_COUNTING_ERROR_CURRENCY,
            note=note.strip(),
            recorded_by=actor,
        )
        for order in _orders_of(lp):
            record(
                kind=EventKind.COUNTING_ERROR_RECORDED,
                actor=actor,
                order=order,
                comment=note.strip(),
                payload={
                    "plan": lp.number,
                    "person": who.username,
                    "product": product,
                    "expected": expected,
                    "actual": actual,
                    "penalty": str(error.penalty),
                },
            )
    return error


# --- container and vehicle types --------------------------------------------------------------

CONTAINER_TYPE_FIELDS = (
    "name",
    "kind",
    "inside_length_mm",
    "inside_width_mm",
    "inside_height_mm",
    "door_width_mm",
    "door_height_mm",
    "max_payload_kg",
    "balance_tolerance_mm",
    "cost",
    "active",
)


def _check_container_type(ct: ContainerType) -> None:
    if ct.kind not in VehicleKind.values:
        raise invalid(Code.INVALID_CONTAINER_TYPE, gettext("Unknown vehicle kind."), field="kind")
    for name in CONTAINER_TYPE_FIELDS[2:8]:
        if int(getattr(ct, name) or 0) <= 0:
            raise invalid(
                Code.INVALID_CONTAINER_TYPE,
                gettext("Sizes and payload must be greater than zero."),
                field=name,
            )
    if ct.door_width_mm > ct.inside_width_mm or ct.door_height_mm > ct.inside_height_mm:
        raise invalid(
            Code.INVALID_CONTAINER_TYPE,
            gettext("The door cannot be larger than the inside."),
            field="door_width_mm",
        )


@verb(Perm.MANAGE_CONTAINER_TYPES)
def save_container_type(*, actor: Any, code: str, **values: Any) -> ContainerType:
    """Create a container type, or change the one with this code."""
    code = code.strip()
    if not code:
        raise invalid("code_required", gettext("The code is required."), field="code")
    with transaction.atomic(durable=True):
        ct = ContainerType.objects.select_for_update().filter(code=code).first()
        ct = ct or ContainerType(code=code)
        for name, value in values.items():
            if name in CONTAINER_TYPE_FIELDS and value is not None:
                setattr(ct, name, value)
        if not ct.name:
            ct.name = code
        _check_container_type(ct)
        ct._history_user = actor  # simple-history: who changed it
        ct.save()
    return ct
