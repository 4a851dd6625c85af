"""The Today section production contributes: the production notices still open."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from gendan import extensions
from gendan.extensions import SectionData
from gendan.orders.selectors import visible_orders
from gendan.production.models import NoticeStatus, ProductionNotice


def open_notices(actor: Any, today: date, limit: int, request: Any = None) -> SectionData:
    qs = (
        ProductionNotice.objects.filter(
            status=NoticeStatus.ISSUED, order__in=visible_orders(actor).values("pk")
        )
        .select_related("order__customer")
        .order_by("order__delivery_date", "id")
    )
    return SectionData.page(qs, limit)


def register() -> None:
    extensions.add_today_section(
        key="production_notices",
        title=_("Production notices"),
        description=_("Released orders whose goods are still to be made."),
        roles={"production"},
        build=open_notices,
        template="production/_section_notices.html",
        app="production",
        order=10,
    )
