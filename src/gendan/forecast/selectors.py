"""Reads of the forecast, always through the orders the actor sees."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from gendan.forecast.models import OrderForecast, Risk
from gendan.orders.selectors import visible_orders

PAGE = 50


def forecasts(actor: Any, *, risk: str = "", mine: bool = False) -> QuerySet[OrderForecast]:
    """The forecasts of the orders the actor sees, worst first (late, at risk, on time; the
    smallest margin first). ``mine``: the orders they sell or follow."""
    orders = visible_orders(actor)
    if mine:
        orders = orders.filter(Q(salesperson=actor) | Q(merchandiser=actor))
    qs = OrderForecast.objects.filter(order__in=orders.values("pk"))
    if risk in Risk.values:
        qs = qs.filter(risk=risk)
    return qs.select_related("order__customer").order_by("rank", "margin", "id")


def at_risk(actor: Any) -> QuerySet[OrderForecast]:
    """The actor's own orders late or at risk (Today)."""
    return forecasts(actor, mine=True).exclude(risk=Risk.ON_TIME)


def page(qs: QuerySet[OrderForecast], cursor: str) -> tuple[list[OrderForecast], str]:
    """One keyset page after ``cursor`` ("rank.margin.id") and the next cursor ("" at the end)."""
    if cursor:
        try:
            rank, margin, pk = (int(x) for x in cursor.split("."))
        except ValueError:
            rank, margin, pk = -1, -(10**6), 0
        qs = qs.filter(
            Q(rank__gt=rank)
            | Q(rank=rank, margin__gt=margin)
            | Q(rank=rank, margin=margin, id__gt=pk)
        )
    rows = list(qs[: PAGE + 1])
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    last = rows[-1] if more and rows else None
    return rows, f"{last.rank}.{last.margin}.{last.pk}" if last else ""


def of_order(order: Any) -> OrderForecast | None:
    return OrderForecast.objects.filter(order=order).first()
