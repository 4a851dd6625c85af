"""Reads of loading that pages and the API share."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TypedDict

from django.db.models import Count, Prefetch, QuerySet, Sum

from gendan.accounts.guards import require
from gendan.accounts.models import User
from gendan.accounts.permissions import Perm
from gendan.errors import not_found
from gendan.loading.models import (
    ContainerType,
    CountingError,
    LoadingCount,
    LoadingPlan,
    LoadingStatus,
)
from gendan.loading.permissions import LoadingPerm
from gendan.orders.models import Order
from gendan.shipping.models import ShippingNotice, ShippingStatus

PLAN_LIST_SIZE = 50


def container_types(*, active_only: bool = True) -> QuerySet[ContainerType]:
    qs = ContainerType.objects.all()
    return qs.filter(active=True) if active_only else qs


def get_plan(actor: User, number: str) -> LoadingPlan:
    """A plan with what its pages need: items, counts and notices (4 queries)."""
    require(actor, Perm.VIEW_ALL)
    plan = (
        LoadingPlan.objects.select_related("container_type", "requested_by", "closed_by")
        .prefetch_related(
            "items__product",
            "items__order",
            "items__notice_line__notice",
            "items__order_line",
            Prefetch("counts", LoadingCount.objects.select_related("product", "counted_by")),
            "notices",
        )
        .filter(number=number)
        .first()
    )
    if plan is None:
        raise not_found("loading_plan")
    return plan


def orders_of_plan(plan: LoadingPlan) -> list[Order]:
    """The orders whose goods the plan loads (their timelines tell of the loading)."""
    return list(
        Order.objects.filter(pk__in=plan.items.values("order_id"))
        .select_related("customer")
        .order_by("pk")
    )


def recent_plans(actor: User) -> list[LoadingPlan]:
    require(actor, Perm.VIEW_ALL)
    return list(
        LoadingPlan.objects.select_related("container_type", "requested_by")
        .prefetch_related("notices")
        .order_by("-requested_at", "-id")[:PLAN_LIST_SIZE]
    )


def notices_waiting(actor: User) -> list[ShippingNotice]:
    """Shipping notices not shipped yet: what can be planned into a container."""
    require(actor, Perm.VIEW_ALL)
    return list(
        ShippingNotice.objects.filter(status=ShippingStatus.ISSUED)
        .select_related("order__customer")
        .annotate(lines_count=Count("lines"))
        .order_by("ship_date", "number")[:200]
    )


OPEN_LOADINGS_SHOWN = 10


def open_loadings(actor: User) -> list[LoadingPlan]:
    """Plans still running, failed, or planned and not closed: Today's loading section
    (2 queries)."""
    if not (actor.can(LoadingPerm.PLAN_LOADING) or actor.can(LoadingPerm.COUNT_LOADING)):
        return []
    return list(
        LoadingPlan.objects.exclude(loading_status=LoadingStatus.CLOSED)
        .select_related("container_type")
        .prefetch_related("notices")
        .order_by("requested_at", "id")[:OPEN_LOADINGS_SHOWN]
    )


class PlanItem(TypedDict):
    """One item of a plan as the pictures and the loading sheet name it."""

    key: str
    label: str
    order_number: str
    cartons: int


def plan_items(plan: LoadingPlan) -> list[PlanItem]:
    """The items of a plan as the pictures and the loading sheet name them, by item index."""
    return [
        {
            "key": item.product.code,
            "label": f"{item.product.code} {item.product.name}",
            "order_number": item.order.number,
            "cartons": item.cartons,
        }
        for item in sorted(plan.items.all(), key=lambda i: i.index)
    ]


def plans_of_notice(notice: ShippingNotice) -> list[LoadingPlan]:
    return list(notice.loading_plans.order_by("-requested_at", "-id")[:10])


def counting_errors(
    actor: User, *, person: str | None = None, since: date | None = None, until: date | None = None
) -> QuerySet[CountingError]:
    require(actor, LoadingPerm.VIEW_COUNTING_ERRORS)
    qs = CountingError.objects.select_related("person", "product", "plan", "recorded_by")
    if person:
        qs = qs.filter(person__username=person)
    if since:
        qs = qs.filter(recorded_at__date__gte=since)
    if until:
        qs = qs.filter(recorded_at__date__lte=until)
    return qs.order_by("-recorded_at", "-id")


class PersonPenalties(TypedDict):
    """The counting errors of one person in one currency, and their penalties."""

    person__username: str
    currency: str
    errors: int
    penalty: Decimal


def penalties_by_person(errors: QuerySet[CountingError]) -> list[PersonPenalties]:
    return list(
        errors.order_by()
        .values("person__username", "currency")
        .annotate(errors=Count("id"), penalty=Sum("penalty"))
        .order_by("-penalty", "person__username")
    )
