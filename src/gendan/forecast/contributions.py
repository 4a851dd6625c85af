"""What the forecast contributes to the shell: its permission and event kind, the Today section
of the orders at risk (salesperson and merchandiser), the cockpit's panel of the expected date
against the delivery date with the reasons, a navigation entry to the list, and two periodic
jobs: every two minutes the orders a fact touched since (reports, schedule moves, outsourcing,
amended dates, releases), nightly every open order."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _

from gendan import extensions
from gendan.extensions import SectionData
from gendan.forecast import permissions as p
from gendan.forecast import selectors

SECTION = "forecast_at_risk"


def at_risk_section(actor: Any, today: date, limit: int, request: Any = None) -> SectionData:
    """Drawn after Today has loaded (htmx, from ``forecast_today``): Today's own query count is
    pinned, and this costs its two queries in its own request."""
    if request is not None and not getattr(request, "forecast_section", False):
        return SectionData(count=0, extra={"lazy": True, "key": SECTION})
    return SectionData.page(selectors.at_risk(actor), limit)


def order_panel(order: Any, user: Any) -> dict[str, Any] | None:
    """Drawn after the cockpit has loaded (its count is pinned): no query here."""
    if not user.can(p.VIEW):
        return None
    return {"order": order}


def touched(period: Any) -> dict[str, Any]:
    """The orders a fact touched in the last hour (overlapping periods are harmless: a refresh
    that finds nothing new writes and tells nothing)."""
    from gendan.forecast.services import refresh
    from gendan.timeline.models import Event

    since = period.start - timedelta(hours=1)
    ids = sorted(
        set(
            Event.objects.filter(at__gte=since, order__isnull=False)
            .exclude(kind=p.WARNED)
            .values_list("order_id", flat=True)
        )
    )
    if not ids:
        return {"orders": 0}
    done = refresh(orders=ids)
    return {"orders": len(ids), "changed": done.changed, "warned": done.warned}


def on_new_date(step: Any) -> dict[str, Any]:
    """``agree_new_date``'s effect: the order's forecast is refreshed against its new date once
    the transition has committed (its warning state follows the new margin)."""
    from django.db import transaction

    from gendan.forecast.services import refresh

    pk = step.order.pk
    transaction.on_commit(lambda: refresh(orders=[pk]))
    return {}


def nightly(period: Any) -> dict[str, Any]:
    from gendan.forecast.services import nightly as run

    return run(period)


def register() -> None:
    from gendan.jobs import registry

    p.register()
    extensions.add_effect(action="agree_new_date", run=on_new_date, app="forecast")
    extensions.add_today_section(
        key=SECTION,
        title=_("Delivery at risk"),
        description=_(
            "Your orders the forecast sees late or at risk: the expected date and why. "
            "Talk to the customer early."
        ),
        roles={"merchandiser", "salesperson"},
        build=at_risk_section,
        template="forecast/_section_at_risk.html",
        app="forecast",
        order=5,
    )
    extensions.add_cockpit_panel(
        key="forecast",
        title=_("Delivery forecast"),
        build=order_panel,
        template="forecast/_panel.html",
        app="forecast",
        perms=(p.VIEW,),
        order=15,
    )
    extensions.add_nav_entry(
        label=_("Delivery risk"),
        url_name="web:forecast_list",
        perms=(p.VIEW,),
        app="forecast",
        order=62,
    )
    registry.register(
        registry.Job(
            name="forecast.touched",
            label=_("Delivery forecast of the orders just changed"),
            schedule=registry.Every(minutes=2),
            run=touched,
            app="forecast",
        )
    )
    registry.register(
        registry.Job(
            name="forecast.nightly",
            label=_("Delivery forecast of every open order"),
            schedule=registry.Daily(at=time(2, 0)),
            run=nightly,
            app="forecast",
        )
    )
