"""Reads of the exceptions register. The register is the floor's: whoever may raise or handle
exceptions sees all of them (a patrol sees the whole workshop); the Today section shows a
merchandiser the open ones of the orders they follow."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, QuerySet

from gendan.errors import not_found
from gendan.patrol import permissions as p
from gendan.patrol.models import ExceptionStatus, ProductionException


def exceptions(actor: Any) -> QuerySet[ProductionException]:
    if actor is None or not (actor.can(p.RAISE) or actor.can(p.HANDLE)):
        return ProductionException.objects.none()
    return ProductionException.objects.select_related(
        "line", "order", "work_order", "assignee", "raised_by", "closed_by"
    )


def get_exception_for(actor: Any, number: str) -> ProductionException:
    found = exceptions(actor).filter(number=number).first()
    if found is None:
        raise not_found("exception")
    return found


def open_of_my_orders(actor: Any) -> QuerySet[ProductionException]:
    """Open exceptions of the orders the actor follows, or assigned to them, soonest due first."""
    from django.db.models import Q

    return (
        ProductionException.objects.filter(status=ExceptionStatus.OPEN)
        .filter(Q(order__merchandiser=actor) | Q(assignee=actor))
        .select_related("line", "order", "work_order")
        .order_by("due_on", "id")
    )


def count_by_kind_and_line(since: date, until: date) -> list[dict[str, Any]]:
    """Exceptions seen between two days, counted per line and kind (and how many still open)."""
    from django.db.models import Q

    return [
        dict(row)
        for row in ProductionException.objects.filter(day__gte=since, day__lte=until)
        .values("line__code", "line__name", "kind")
        .annotate(total=Count("id"), still_open=Count("id", filter=Q(status=ExceptionStatus.OPEN)))
        .order_by("line__code", "kind")
    ]
