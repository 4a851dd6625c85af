"""The merchandiser's daily review (今日跟单) and the inboxes: what is late, what is at risk and
what waits for whom, in a bounded number of queries whatever the number of orders.

Each bucket is one query with a LIMIT; the counts of every order bucket come from one aggregate
query. Whose orders a user reviews is decided here once: a merchandiser their own, a salesperson
theirs, a user who sees everything (managers, finance) the whole team, filtered on request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan import extensions
from gendan.accounts.permissions import Perm, Role
from gendan.orders.models import Order, OrderLine
from gendan.orders.selectors import visible_orders
from gendan.orders.workflow import OPEN, SHIPPABLE, Status, missing_signatures, waiting_for
from gendan.parties.models import Communication
from gendan.parties.selectors import visible_communications

S = Status
BUCKET_LIMIT = 50
INBOX_LIMIT = 100

# Statuses whose goods have not all left: an order in one of them past its date is late.
NOT_SHIPPED_IN_FULL = frozenset(OPEN - {S.SHIPPED, S.DELIVERED, S.ON_HOLD})
# Statuses before "ready to ship": an order in one of them due soon is at risk.
NOT_READY = frozenset(NOT_SHIPPED_IN_FULL - {S.READY_TO_SHIP, S.PARTIALLY_SHIPPED})
IN_TRANSIT = frozenset({S.PARTIALLY_SHIPPED, S.SHIPPED})


def at_risk_days() -> int:
    """How many days ahead an order not ready to ship counts as at risk (settings, default 7)."""
    return int(getattr(settings, "GENDAN_AT_RISK_DAYS", 7))


# ---- whose orders ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewFilter:
    """A team view narrowed to one merchandiser and/or one salesperson (usernames)."""

    merchandiser: str | None = None
    salesperson: str | None = None


def is_team_viewer(actor: Any) -> bool:
    """Users who see every order and are not merchandisers review the team (with filters)."""
    if actor is None or not actor.is_authenticated or not actor.can(Perm.VIEW_ALL):
        return False
    return not actor.groups.filter(name=Role.MERCHANDISER).exists()


def _held(statuses: frozenset[str]) -> Q:
    """Orders in one of the statuses, or on hold from one of them."""
    return Q(status__in=statuses) | Q(status=S.ON_HOLD, held_from__in=statuses)


def review_orders(actor: Any, f: ReviewFilter, *, team: bool) -> QuerySet[Order]:
    """The open orders the actor reviews: their own, or the team's through the filter."""
    qs = visible_orders(actor).filter(status__in=OPEN)
    if not team:
        if actor.can(Perm.VIEW_ALL):
            # a merchandiser sees everything but reviews what they follow
            return qs.filter(merchandiser=actor)
        return qs  # a salesperson: visible_orders is already theirs
    if f.merchandiser:
        qs = qs.filter(merchandiser__username=f.merchandiser)
    if f.salesperson:
        qs = qs.filter(salesperson__username=f.salesperson)
    return qs


def due_follow_ups(actor: Any, f: ReviewFilter, *, team: bool, today: date) -> QuerySet[Any]:
    """The follow-ups due by ``today`` and not done that the actor reviews: those of the orders
    they follow or that they logged, or the team's through the filter."""
    due = Communication.objects.filter(follow_up_on__lte=today, done=False)
    qs = visible_communications(actor)
    if not team:
        if actor.can(Perm.VIEW_ALL):
            # two indexed reads (by the order's merchandiser, by the author) joined by UNION:
            # an OR of the two is filtered after reading every open follow-up of the company
            mine = (
                due.filter(order__merchandiser=actor)
                .values("pk")
                .union(due.filter(created_by=actor).values("pk"))
            )
            return qs.filter(pk__in=mine)
        return qs.filter(follow_up_on__lte=today, done=False)
    qs = qs.filter(follow_up_on__lte=today, done=False)
    if f.merchandiser:
        qs = qs.filter(
            Q(order__merchandiser__username=f.merchandiser) | Q(created_by__username=f.merchandiser)
        )
    if f.salesperson:
        qs = qs.filter(
            Q(order__salesperson__username=f.salesperson)
            | Q(customer__salesperson__username=f.salesperson)
        )
    return qs


def team_choices() -> dict[str, list[tuple[str, str]]]:
    """Merchandisers and salespeople (username, name) for the filter forms, in one query."""
    from django.contrib.auth import get_user_model

    rows = (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[Role.MERCHANDISER, Role.SALESPERSON])
        .order_by("username")
        .values_list("username", "display_name", "groups__name")
    )
    out: dict[str, list[tuple[str, str]]] = {"merchandiser": [], "salesperson": []}
    for username, name, group in rows:
        key = "merchandiser" if group == Role.MERCHANDISER else "salesperson"
        out[key].append((username, name or username))
    return out


# ---- the buckets ----------------------------------------------------------------------------


def _unnoticed() -> Any:
    """Quantity of an order neither shipped nor on an open shipping notice."""
    ShippingNoticeLine = Order.related_model("shipping_notices", "lines")

    unshipped = (
        OrderLine.objects.filter(order=OuterRef("pk"))
        .order_by()
        .values("order")
        .annotate(s=Sum(F("quantity") - F("shipped_qty")))
        .values("s")
    )
    noticed = (
        ShippingNoticeLine.objects.filter(notice__order=OuterRef("pk"), notice__status="issued")
        .order_by()
        .values("notice__order")
        .annotate(s=Sum("quantity"))
        .values("s")
    )
    return Coalesce(Subquery(unshipped, output_field=IntegerField()), 0) - Coalesce(
        Subquery(noticed, output_field=IntegerField()), 0
    )


def _awaiting_proof() -> Exists:
    ShippingNotice = Order.related_model("shipping_notices")
    return Exists(ShippingNotice.objects.filter(order=OuterRef("pk"), status="shipped"))


@dataclass(frozen=True)
class BucketSpec:
    key: str
    title: Any
    description: Any
    condition: Any  # (today, days) -> Q over the annotated review queryset
    needs: tuple[str, ...] = ()  # annotations the condition reads
    list_status: tuple[str, ...] = ()  # the order list's status filter for "see all"
    row_waiting: Any = None  # what each row waits for, when the bucket says it better


def _late(today: date, days: int) -> Q:
    return _held(NOT_SHIPPED_IN_FULL) & Q(delivery_date__lt=today)


def _at_risk(today: date, days: int) -> Q:
    return _held(NOT_READY) & Q(
        delivery_date__gte=today, delivery_date__lte=today + timedelta(days=days)
    )


SPECS: tuple[BucketSpec, ...] = (
    BucketSpec(
        "late",
        _("Late"),
        _("Past the delivery date and not shipped in full."),
        _late,
        list_status=tuple(sorted(NOT_SHIPPED_IN_FULL | {S.ON_HOLD})),
    ),
    BucketSpec(
        "at_risk",
        _("At risk"),
        _("Due soon and not ready to ship."),
        _at_risk,
        list_status=tuple(sorted(NOT_READY | {S.ON_HOLD})),
    ),
    BucketSpec(
        "signature",
        _("Signature"),
        _("Waiting for finance and the sales manager to sign."),
        lambda today, days: Q(status=S.SUBMITTED),
        list_status=(S.SUBMITTED,),
    ),
    BucketSpec(
        "deposit",
        _("Deposit"),
        _("Waiting for the customer's deposit."),
        lambda today, days: Q(
            status__in=[S.SIGNED, S.DEPOSIT_REQUESTED], deposit_due__gt=F("paid_amount")
        ),
        list_status=(S.SIGNED, S.DEPOSIT_REQUESTED),
    ),
    BucketSpec(
        "release",
        _("Release"),
        _("Waiting for the merchandiser to release it to stock and production."),
        lambda today, days: Q(
            status__in=[S.SIGNED, S.DEPOSIT_REQUESTED, S.DEPOSIT_CONFIRMED],
            deposit_due__lte=F("paid_amount"),
        ),
        list_status=(S.SIGNED, S.DEPOSIT_REQUESTED, S.DEPOSIT_CONFIRMED),
    ),
    BucketSpec(
        "production",
        _("Production"),
        _("Waiting for production to finish."),
        lambda today, days: Q(status=S.RELEASED),
        list_status=(S.RELEASED,),
    ),
    BucketSpec(
        "balance",
        _("Balance"),
        _("Waiting for the customer's balance."),
        lambda today, days: Q(status__in=[S.PRODUCED, S.BALANCE_REQUESTED]),
        list_status=(S.PRODUCED, S.BALANCE_REQUESTED),
    ),
    BucketSpec(
        "shipping_notice",
        _("Shipping notice"),
        _("Waiting for a shipping notice for the quantity not yet on one."),
        lambda today, days: Q(status__in=SHIPPABLE, unnoticed__gt=0),
        needs=("unnoticed",),
        list_status=tuple(sorted(SHIPPABLE)),
    ),
    BucketSpec(
        "delivery",
        _("Delivery"),
        _("Shipped, waiting for the proof of delivery."),
        lambda today, days: Q(status__in=IN_TRANSIT, awaiting_proof=True),
        needs=("awaiting_proof",),
        list_status=tuple(sorted(IN_TRANSIT)),
        row_waiting=_("Proof of delivery"),
    ),
)
BUCKET_KEYS: tuple[str, ...] = (*(s.key for s in SPECS), "follow_ups")


_PERSON = ("username", "display_name", "first_name", "last_name")
# what a bucket's row shows and reasons about: loading only this keeps 500 rows cheap
ROW_FIELDS: tuple[str, ...] = (
    "number",
    "status",
    "held_from",
    "hold_reason",
    "delivery_date",
    "currency",
    "total_amount",
    "deposit_due",
    "paid_amount",
    "finance_signed_at",
    "manager_signed_at",
    "customer__name",
    "customer__code",
    *(f"salesperson__{f}" for f in _PERSON),
    *(f"merchandiser__{f}" for f in _PERSON),
)


def _annotate(qs: QuerySet[Order], needs: set[str]) -> QuerySet[Order]:
    if "unnoticed" in needs:
        qs = qs.annotate(unnoticed=_unnoticed())
    if "awaiting_proof" in needs:
        qs = qs.annotate(awaiting_proof=_awaiting_proof())
    return qs


@dataclass
class Bucket:
    key: str
    title: Any
    description: Any
    count: int
    rows: list[Any] = field(default_factory=list)
    list_status: tuple[str, ...] = ()
    due_before: date | None = None
    due_after: date | None = None
    list_url: str = ""  # the order list showing the bucket (set by the page)

    @property
    def more(self) -> int:
        return max(0, self.count - len(self.rows))


@dataclass
class Review:
    today: date
    at_risk_days: int
    team: bool
    filter: ReviewFilter
    buckets: list[Bucket]

    def bucket(self, key: str) -> Bucket:
        return next(b for b in self.buckets if b.key == key)

    @property
    def total(self) -> int:
        return sum(b.count for b in self.buckets)


def _decorate(order: Order, today: date) -> Order:
    order.days_late = (today - order.delivery_date).days  # type: ignore[attr-defined]
    order.days_left = -order.days_late  # type: ignore[attr-defined]
    order.waiting = waiting_for(order)  # type: ignore[attr-defined]
    order.missing = (  # type: ignore[attr-defined]
        missing_signatures(order) if order.status == S.SUBMITTED else []
    )
    return order


def daily_review(
    actor: Any,
    f: ReviewFilter | None = None,
    *,
    today: date | None = None,
    limit: int = BUCKET_LIMIT,
) -> Review:
    """Every bucket of the actor's review: counts in one query, each non-empty bucket's first
    `limit` rows (most urgent first) in one query, the due follow-ups in two."""
    f = f or ReviewFilter()
    today = today or timezone.localdate()
    days = at_risk_days()
    team = is_team_viewer(actor)
    if not team:
        f = ReviewFilter()
    base = review_orders(actor, f, team=team)

    needs = {n for spec in SPECS for n in spec.needs}
    counts = _annotate(base, needs).aggregate(
        **{
            spec.key: Count("pk", filter=spec.condition(today, days), distinct=False)
            for spec in SPECS
        }
    )
    buckets = []
    for spec in SPECS:
        count = counts[spec.key] or 0
        rows: list[Order] = []
        if count:
            qs = (
                _annotate(base, set(spec.needs))
                .filter(spec.condition(today, days))
                .select_related("customer", "salesperson", "merchandiser")
                .only(*ROW_FIELDS)
                .order_by("delivery_date", "id")
            )
            rows = [_decorate(o, today) for o in qs[:limit]]
            if spec.row_waiting:
                for o in rows:
                    o.waiting = str(spec.row_waiting)  # type: ignore[attr-defined]
        bucket = Bucket(
            spec.key, spec.title, spec.description, count, rows, list_status=spec.list_status
        )
        if spec.key == "late":
            bucket.due_before = today - timedelta(days=1)
        elif spec.key == "at_risk":
            bucket.due_after, bucket.due_before = today, today + timedelta(days=days)
        buckets.append(bucket)

    comms = due_follow_ups(actor, f, team=team, today=today)
    follow_count = comms.count()
    follow_rows: list[Any] = []
    if follow_count:
        follow_rows = list(
            comms.select_related("customer", "order", "created_by").order_by("follow_up_on", "id")[
                :limit
            ]
        )
        for comm in follow_rows:
            comm.days_overdue = (today - comm.follow_up_on).days
    buckets.append(
        Bucket(
            "follow_ups",
            _("Follow-ups"),
            _("Calls, letters and e-mails to follow up today or overdue."),
            follow_count,
            follow_rows,
        )
    )
    return Review(today=today, at_risk_days=days, team=team, filter=f, buckets=buckets)


# ---- the inbox ------------------------------------------------------------------------------


@dataclass
class InboxSection:
    key: str
    title: Any
    count: int
    rows: list[Any]
    kind: str = "order"  # "order" rows are orders; "cod" rows are delivery notes

    @property
    def more(self) -> int:
        return max(0, self.count - len(self.rows))


#: the inbox: the Today sections that wait for one's own hand, by the permission that acts on
#: them (so a user who signs for finance sees the finance queue whatever their role is called)
INBOX: tuple[tuple[str, str], ...] = (
    ("sign_finance", Perm.SIGN_AS_FINANCE),
    ("sign_manager", Perm.SIGN_AS_MANAGER),
    ("confirm_deposit", Perm.CONFIRM_PAYMENT),
    ("confirm_balance", Perm.CONFIRM_PAYMENT),
    ("reconcile_cod", Perm.RECONCILE_COD),
)


def inbox(actor: Any, *, limit: int = INBOX_LIMIT) -> list[InboxSection]:
    """What waits for the actor's own hand: signatures, payments to confirm, cash to reconcile.
    The same queues as the Today sections of finance, the manager and the cashier (two queries
    per section the actor's permissions give them, whatever the data size)."""
    today = timezone.localdate()
    sections = []
    for key, perm in INBOX:
        section = extensions.registry.today_sections.get(key)
        if section is None or not actor.can(perm):
            continue
        data = section.build(actor, today, limit)
        kind = "cod" if data.extra.get("cod") else "order"
        sections.append(InboxSection(key, section.title, data.count, data.rows, kind))
    return sections
