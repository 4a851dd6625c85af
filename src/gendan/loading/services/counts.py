"""The count check (点数) and closing the loading.

The count check is one rule, in ``count_check``: the loading closes only when every wall (or
product) of every container is counted, every count matches the plan and the plan loads
everything the shipping notices ask for; otherwise only someone allowed to accept a difference
closes it, with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from gendan.accounts.guards import permission_denied, step, verb
from gendan.accounts.models import User
from gendan.catalog.models import Product
from gendan.errors import DomainError, Kind, Reason, invalid, not_found
from gendan.loading.errors import Code, refuse
from gendan.loading.events import LoadingEvent
from gendan.loading.models import LoadingCount, LoadingPlan, LoadingStatus, PlanStatus
from gendan.loading.permissions import LoadingPerm
from gendan.loading.selectors import orders_of_plan
from gendan.timeline.services import record


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


def product_in_plan(plan: LoadingPlan, code: str) -> Product:
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
        raise refuse(Code.NOT_PLANNED, gettext("The loading plan is not ready yet."))
    if plan.loading_status == LoadingStatus.CLOSED:
        raise refuse(Code.LOADING_CLOSED, gettext("This loading is already closed."))
    return plan


@verb(LoadingPerm.COUNT_LOADING)
def record_count(
    *,
    actor: User,
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


@verb(LoadingPerm.COUNT_LOADING)
def record_scan(*, actor: User, plan: str, container: int, product: str) -> CountCheck:
    """One carton scanned (or its code typed) as it goes in: one more of that product."""
    return _write_count(
        actor=actor, plan=plan, container=container, wall=None, product=product.strip()
    )


@step
def _write_count(
    *,
    actor: User,
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
            target = product_in_plan(lp, product)
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
        for order in orders_of_plan(lp):
            record(
                kind=LoadingEvent.LOADING_COUNTED,
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


@verb(LoadingPerm.CLOSE_LOADING)
def close_loading(*, actor: User, plan: str, accept_difference: str = "") -> LoadingPlan:
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
            if not actor.can(LoadingPerm.ACCEPT_LOADING_DIFFERENCE):
                raise permission_denied(LoadingPerm.ACCEPT_LOADING_DIFFERENCE)
        elif reason:
            reason = ""  # nothing to accept
        lp.loading_status = LoadingStatus.CLOSED
        lp.closed_by = actor
        lp.closed_at = timezone.now()
        lp.accepted_difference = reason
        lp.version += 1
        lp.save()
        for order in orders_of_plan(lp):
            record(
                kind=LoadingEvent.LOADING_CLOSED,
                actor=actor,
                order=order,
                comment=reason,
                payload={
                    "plan": lp.number,
                    "differences": [r.as_dict() for r in check.reasons],
                },
            )
    return lp
