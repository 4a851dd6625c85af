"""Reads of orders shared by the API, the pages and the CLI. Visibility lives here once."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext

from gendan.accounts.permissions import Perm
from gendan.errors import invalid, not_found
from gendan.orders import workflow
from gendan.orders.models import Order, OrderLine
from gendan.timeline.models import Event


def sees_every_order(actor: Any) -> bool:
    """Whether the actor may see every order (VIEW_ALL)."""
    return actor is not None and actor.is_authenticated and actor.can(Perm.VIEW_ALL)


def visible_orders(actor: Any) -> QuerySet[Order]:
    """Orders the actor may see: all with VIEW_ALL, else their customers' and their own."""
    qs = Order.objects.all()
    if actor is None or not actor.is_authenticated:
        return qs.none()
    if sees_every_order(actor):
        return qs
    return qs.filter(Q(customer__salesperson=actor) | Q(salesperson=actor) | Q(merchandiser=actor))


def get_order_for(actor: Any, number: str, *, detail: bool = False) -> Order:
    """One visible order; "not yours" and "not there" are the same 404."""
    qs = visible_orders(actor).select_related("customer", "salesperson", "merchandiser")
    if detail:
        qs = with_detail(qs)
    order = qs.filter(number=number).first()
    if order is None:
        raise not_found("order")
    return order


def with_detail(qs: QuerySet[Order]) -> QuerySet[Order]:
    production_notices = Order.related_model("production_notices")._default_manager
    shipping_notices = Order.related_model("shipping_notices")._default_manager
    return qs.select_related("finance_signed_by", "manager_signed_by").prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.select_related("product")),
        "lines__reservations",
        "payments",
        Prefetch("production_notices", queryset=production_notices.prefetch_related("lines")),
        Prefetch(
            "shipping_notices",
            queryset=shipping_notices.select_related(
                "outbound_slip", "delivery_note"
            ).prefetch_related("lines"),
        ),
        Prefetch("events", queryset=Event.objects.select_related("actor").order_by("-at", "-id")),
        "revisions",
    )


@dataclass(frozen=True)
class OrderFilter:
    status: list[str] | None = None
    customer: str | None = None
    salesperson: str | None = None
    merchandiser: str | None = None
    channel: str | None = None
    due_after: date | None = None
    due_before: date | None = None
    q: str | None = None


def filter_orders(actor: Any, f: OrderFilter) -> QuerySet[Order]:
    qs = visible_orders(actor)
    if f.status:
        bad = [s for s in f.status if s not in workflow.Status.values]
        if bad:
            raise invalid(
                "invalid_filter",
                gettext("Unknown status: %(values)s.") % {"values": ", ".join(bad)},
                field="status",
            )
        qs = qs.filter(status__in=f.status)
    if f.customer:
        qs = qs.filter(customer__code=f.customer)
    if f.salesperson:
        qs = qs.filter(salesperson__username=f.salesperson)
    if f.merchandiser:
        qs = qs.filter(merchandiser__username=f.merchandiser)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.due_after:
        qs = qs.filter(delivery_date__gte=f.due_after)
    if f.due_before:
        qs = qs.filter(delivery_date__lte=f.due_before)
    if f.q:
        qs = qs.filter(
            Q(number__icontains=f.q)
            | Q(customer__name__icontains=f.q)
            | Q(customer__code__icontains=f.q)
            | Q(customer_po__icontains=f.q)
        )
    return qs


# The sort keys of an order list: a field (descending with "-"), ties broken by id.
ORDER_SORTS: tuple[str, ...] = (
    "delivery_date",
    "-delivery_date",
    "number",
    "-number",
    "contract_date",
    "-contract_date",
)
DEFAULT_SORT = "delivery_date"


def _sort_value(order: Order, key: str) -> Any:
    value = getattr(order, key)
    return value.isoformat() if isinstance(value, date) else value


def encode_cursor(order: Order, sort: str = DEFAULT_SORT) -> str:
    """The position after `order` in a list sorted by `sort` ([value, id], plus the sort when
    it is not the default, so a cursor of one sort is refused by another)."""
    payload: list[Any] = [_sort_value(order, sort.lstrip("-")), order.pk]
    if sort != DEFAULT_SORT:
        payload.append(sort)
    raw = json.dumps(payload).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str, sort: str) -> tuple[Any, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded))
        value, pk = data[0], int(data[1])
        if (data[2] if len(data) > 2 else DEFAULT_SORT) != sort:
            raise ValueError("cursor of another sort")
        value = date.fromisoformat(value) if sort.endswith("_date") else str(value)
    except (ValueError, TypeError, IndexError, KeyError, json.JSONDecodeError) as exc:
        raise invalid(
            "invalid_cursor", gettext("The cursor is not valid."), field="cursor"
        ) from exc
    return value, pk


def page_of_orders(
    qs: QuerySet[Order], *, cursor: str | None, limit: int, sort: str = DEFAULT_SORT
) -> tuple[list[Order], str | None]:
    """Keyset pagination on (sort key, id), by delivery date unless told: a deep page costs
    what the first one does."""
    if sort not in ORDER_SORTS:
        raise invalid(
            "invalid_sort", gettext("Unknown sort: %(sort)s.") % {"sort": sort}, field="sort"
        )
    key, desc = sort.lstrip("-"), sort.startswith("-")
    qs = qs.select_related("customer", "salesperson", "merchandiser").order_by(
        sort, "-id" if desc else "id"
    )
    if cursor:
        value, pk = _decode_cursor(cursor, sort)
        op = "lt" if desc else "gt"
        # The redundant bound (key >= value) gives the index a starting point; without it
        # PostgreSQL reads and discards every earlier row of a deep page.
        qs = qs.filter(**{f"{key}__{op}e": value}).filter(
            Q(**{f"{key}__{op}": value}) | Q(**{key: value, f"id__{op}": pk})
        )
    rows = list(qs[: limit + 1])
    next_cursor = encode_cursor(rows[limit - 1], sort) if len(rows) > limit else None
    return rows[:limit], next_cursor


@dataclass(frozen=True)
class ActionState:
    action: str
    label: str
    allowed: bool
    reasons: list[dict[str, str]]
    params: tuple[str, ...]


def available_actions(order: Order, actor: Any) -> list[ActionState]:
    """Every action of the workflow table, allowed or refused with its reasons."""
    ctx = workflow.Context(order=order, actor=actor)
    states = []
    for t in workflow.TRANSITIONS:
        reasons = workflow.reasons_for(t, ctx)
        states.append(
            ActionState(
                action=t.action,
                label=str(t.label),
                allowed=not reasons,
                reasons=[r.as_dict() for r in reasons],
                params=t.params,
            )
        )
    return states
