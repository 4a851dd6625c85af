"""The Today sections orders contribute: the daily review of the people who follow orders, and
each signer's and payer's own queue. Registered in OrdersConfig.ready(); Today reads them."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gendan import extensions
from gendan.accounts.permissions import Perm
from gendan.extensions import SectionData
from gendan.orders.models import Order
from gendan.orders.review import Bucket, Review, ReviewFilter, daily_review, team_choices
from gendan.orders.selectors import visible_orders
from gendan.orders.workflow import Status

S = Status
#: who reviews orders every morning (the brief's 10-15 minutes): those who follow them
REVIEWERS = frozenset(
    {
        "salesperson",
        "merchandiser",
        "sales_manager",
        "regional_manager",
        "customer_service",
        "admin",
    }
)
ORDER_TEMPLATE = "orders/_section_orders.html"


def _orders(actor: Any) -> QuerySet[Order]:
    return (
        visible_orders(actor)
        .select_related("customer", "salesperson", "merchandiser")
        .order_by("delivery_date", "id")
    )


def _list_url(bucket: Bucket, review: Review, user: Any) -> str:
    """The order list showing (a superset of) the bucket: its statuses, dates and people."""
    params: list[tuple[str, str]] = [("status", s) for s in bucket.list_status]
    if bucket.due_after:
        params.append(("due_after", bucket.due_after.isoformat()))
    if bucket.due_before:
        params.append(("due_before", bucket.due_before.isoformat()))
    if review.team:
        if review.filter.merchandiser:
            params.append(("merchandiser", review.filter.merchandiser))
        if review.filter.salesperson:
            params.append(("salesperson", review.filter.salesperson))
    elif user.can(Perm.VIEW_ALL):
        params.append(("merchandiser", user.username))
    return reverse("web:order_list") + "?" + urlencode(params)


def review(actor: Any, today: date, limit: int, request: Any = None) -> SectionData:
    """The daily review (今日跟单): the buckets of late, at-risk and waiting orders."""
    f = ReviewFilter()
    if request is not None:
        f = ReviewFilter(
            merchandiser=request.GET.get("merchandiser") or None,
            salesperson=request.GET.get("salesperson") or None,
        )
    result = daily_review(actor, f, today=today, limit=limit)
    for bucket in result.buckets:
        bucket.list_url = _list_url(bucket, result, actor) if bucket.list_status else ""
    extra = {
        "review": result,
        "choices": team_choices() if result.team else None,
        "can_complete": actor.can(Perm.LOG_COMMUNICATION),
    }
    return SectionData(count=result.total, extra=extra)


def to_sign_for_finance(actor: Any, today: date, limit: int, request: Any = None) -> SectionData:
    qs = _orders(actor).filter(status=S.SUBMITTED, finance_signed_at__isnull=True)
    return SectionData.page(qs, limit)


def to_sign_as_manager(actor: Any, today: date, limit: int, request: Any = None) -> SectionData:
    qs = _orders(actor).filter(status=S.SUBMITTED, manager_signed_at__isnull=True)
    return SectionData.page(qs, limit)


def deposits_to_confirm(actor: Any, today: date, limit: int, request: Any = None) -> SectionData:
    qs = _orders(actor).filter(status=S.DEPOSIT_REQUESTED, deposit_due__gt=F("paid_amount"))
    return SectionData.page(qs, limit)


def balances_to_confirm(actor: Any, today: date, limit: int, request: Any = None) -> SectionData:
    return SectionData.page(_orders(actor).filter(status=S.BALANCE_REQUESTED), limit)


def register() -> None:
    add = extensions.add_today_section
    add(
        key="review",
        title=_("Daily review"),
        description=_("What is late, at risk and waiting for whom."),
        roles=REVIEWERS,
        build=review,
        template="orders/_today_review.html",
        app="orders",
        order=10,
    )
    add(
        key="sign_finance",
        title=_("To sign for finance"),
        description=_("Submitted orders waiting for the finance signature."),
        roles={"finance"},
        build=to_sign_for_finance,
        template=ORDER_TEMPLATE,
        app="orders",
        order=20,
    )
    add(
        key="sign_manager",
        title=_("To sign as sales manager"),
        description=_("Submitted orders waiting for the sales manager's signature."),
        roles={"sales_manager"},
        build=to_sign_as_manager,
        template=ORDER_TEMPLATE,
        app="orders",
        order=5,
    )
    add(
        key="confirm_deposit",
        title=_("Deposits to confirm"),
        description=_("Deposits requested from the customer: confirm them when they arrive."),
        roles={"finance"},
        build=deposits_to_confirm,
        template=ORDER_TEMPLATE,
        app="orders",
        order=30,
    )
    add(
        key="confirm_balance",
        title=_("Balances to confirm"),
        description=_("Balances requested from the customer: confirm them when they arrive."),
        roles={"finance"},
        build=balances_to_confirm,
        template=ORDER_TEMPLATE,
        app="orders",
        order=40,
    )
