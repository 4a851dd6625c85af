"""Every write of the forecast: refresh the stored forecast of some orders (after a report, a
schedule move, an amended date) or of all (the nightly job), and tell the order's salesperson
and merchandiser once per change.

A refresh is a system action (no actor): it reads the facts, asks the engine, rewrites the rows
whose answer changed (their history kept) and, in the same transaction, queues the warnings
(outbox mail and in-app notice, sent after commit) and writes a ``forecast.warned`` event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings as django_settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.utils import (  # type: ignore[import-untyped]  # no stubs
    bulk_create_with_history,
    bulk_update_with_history,
)

from gendan.accounts.guards import verb
from gendan.accounts.models import User
from gendan.engines import forecast as engine
from gendan.forecast import inputs
from gendan.forecast.models import RANK, OrderForecast, Risk
from gendan.forecast.permissions import INSISTED, VIEW, WARNED
from gendan.orders.models import Order
from gendan.timeline.services import record

FIELDS = ["delivery_date", "production_done", "expected_date", "margin", "risk", "rank"]


def warn_days() -> int:
    return int(getattr(django_settings, "GENDAN_FORECAST_WARN_DAYS", 2))


@dataclass
class Refreshed:
    forecast: int  # orders forecast
    changed: int  # rows written
    warned: int  # orders whose people were told
    removed: int = 0


def _reasons(found: engine.Forecast) -> list[dict[str, str]]:
    return [{"code": r.code, "zh": r.text("zh"), "en": r.text("en")} for r in found.reasons[:4]]


def _apply(row: OrderForecast, found: engine.Forecast) -> bool:
    """Write the engine's answer on the row; whether anything that matters changed."""
    new = {
        "delivery_date": found.delivery,
        "production_done": found.production_done,
        "expected_date": found.expected,
        "margin": found.margin,
        "risk": Risk(found.risk.value),
        "rank": RANK[Risk(found.risk.value)],
    }
    reasons = _reasons(found)
    changed = any(getattr(row, k) != v for k, v in new.items()) or row.reasons != reasons
    for k, v in new.items():
        setattr(row, k, v)
    row.reasons = reasons
    row.steps = {s.key: [s.start.isoformat(), s.finish.isoformat()] for s in found.steps}
    return changed


def needs_warning(row: OrderForecast) -> bool:
    """A new warning: the order turned at risk or late (or worse than last told), or its
    expected date moved more than the configured days from the one last told."""
    if row.risk != Risk.ON_TIME and (
        not row.warned_risk or RANK[Risk(row.risk)] < RANK[Risk(row.warned_risk)]
    ):
        return True
    if row.warned_expected is None:
        return False
    return abs((row.expected_date - row.warned_expected).days) > warn_days()


def refresh(*, today: date | None = None, orders: list[int] | None = None) -> Refreshed:
    """Forecast the given orders (pks), or every open order, and warn once per change."""
    today = today or timezone.localdate()
    world = inputs.gather(today, orders=orders)
    found = engine.forecast_orders(
        world.orders,
        world.lines,
        today=today,
        company=world.company,
        settings=inputs.settings(),
        booked=world.booked,
    )
    ids = [world.order_ids[f.number] for f in found]
    with transaction.atomic():
        existing = {
            f.order_id: f
            for f in OrderForecast.objects.select_for_update().filter(order_id__in=ids)
        }
        created: list[OrderForecast] = []
        updated: list[OrderForecast] = []
        warn: list[tuple[OrderForecast, date | None]] = []
        now = timezone.now()
        for f in found:
            oid = world.order_ids[f.number]
            row = existing.get(oid)
            fresh = row is None
            if row is None:
                row = OrderForecast(order_id=oid)
            changed = _apply(row, f)
            row.computed_at = now
            previous = row.warned_expected
            if needs_warning(row):
                row.warned_risk = row.risk
                row.warned_expected = row.expected_date
                row.warned_at = now
                warn.append((row, previous))
                changed = True
            elif row.risk == Risk.ON_TIME and row.warned_risk:
                row.warned_risk = ""  # back on time: turning at risk again is a new change
                changed = True
            if row.warned_expected is None:
                row.warned_expected = row.expected_date  # the date later moves are measured from
                changed = True
            if fresh:
                created.append(row)
            elif changed:
                updated.append(row)
        if created:
            bulk_create_with_history(created, OrderForecast, batch_size=2000)
        if updated:
            bulk_update_with_history(
                updated,
                OrderForecast,
                [
                    *FIELDS,
                    "reasons",
                    "steps",
                    "computed_at",
                    "warned_risk",
                    "warned_expected",
                    "warned_at",
                ],
                batch_size=2000,
            )
        removed = 0
        if orders is None:  # orders no longer in production keep no forecast
            removed, _ = OrderForecast.objects.exclude(order_id__in=ids).delete()
        else:
            gone = set(orders) - set(ids)
            if gone:
                removed, _ = OrderForecast.objects.filter(order_id__in=gone).delete()
        if warn:
            _warn(warn)
    return Refreshed(
        forecast=len(found), changed=len(created) + len(updated), warned=len(warn), removed=removed
    )


def _warn(rows: list[tuple[OrderForecast, date | None]]) -> None:
    from gendan.outbox.services import send_mail

    by_id = {
        o.pk: o
        for o in Order.objects.filter(pk__in=[r.order_id for r, _ in rows]).select_related(
            "customer", "salesperson", "merchandiser"
        )
    }
    for row, previous in rows:
        order = by_id[row.order_id]
        people = [order.salesperson, order.merchandiser]
        context: dict[str, Any] = {
            "order": order,
            "customer": order.customer.name,
            "risk": row.risk,
            "delivery": row.delivery_date.isoformat(),
            "expected": row.expected_date.isoformat(),
            "previous": previous.isoformat() if previous and previous != row.expected_date else "",
            "margin": row.margin,
            "reasons_zh": [r["zh"] for r in row.reasons],
            "reasons_en": [r["en"] for r in row.reasons],
        }
        send_mail(
            template="forecast_warning",
            context=context,
            actor=None,
            to_users=people,
            record=order,
            url=reverse("web:order_detail", args=[order.number]),
        )
        record(
            kind=WARNED,
            actor=None,
            order=order,
            payload={
                "risk": row.risk,
                "expected": row.expected_date.isoformat(),
                "delivery": row.delivery_date.isoformat(),
                "margin": row.margin,
                "reasons": [r["en"] for r in row.reasons],
            },
        )


def nightly(period: Any) -> dict[str, Any]:
    """The periodic job: every open order's forecast, once a day (the jobs' claim)."""
    done = refresh(today=period.day)
    return {"forecast": done.forecast, "changed": done.changed, "warned": done.warned}


#: the people who move the schedule: told when a customer insists on a date the forecast misses
PLANNER_ROLES = ("production",)


@verb(VIEW)
def insist_on_date(*, order_number: str, actor: Any, note: str = "") -> Order:
    """The customer insists on the agreed date though the forecast says it will be missed: the
    production planners are told in the app (they may move the schedule), the order's timeline
    says so. Only someone who sees the order and the forecast records it."""
    from gendan.notifications.services import notify
    from gendan.orders.selectors import get_order_for

    order = get_order_for(actor, order_number)
    note = note.strip()[:500]
    planners = User.objects.filter(is_active=True, groups__name__in=PLANNER_ROLES).distinct()
    with transaction.atomic(durable=True):
        notify(
            users=list(planners),
            kind=INSISTED,
            text=format_lazy(
                _(
                    "{number}: the customer insists on delivery by {date}; the forecast says late. {note}"
                ),
                number=order.number,
                date=order.delivery_date.isoformat(),
                note=note,
            ),
            url=reverse("web:order_detail", args=[order.number]),
            actor=actor,
        )
        record(
            kind=INSISTED,
            actor=actor,
            order=order,
            comment=note,
            payload={"delivery": order.delivery_date.isoformat(), "planners": planners.count()},
        )
    return order
