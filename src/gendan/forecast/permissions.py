"""The forecast's named permission and event kind (declared through gendan.extensions)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gendan import extensions

VIEW = "view_delivery_forecast"
WARNED = "forecast.warned"
INSISTED = "forecast.insisted"

READERS = {"merchandiser", "salesperson", "sales_manager", "regional_manager", "production"}


def register() -> None:
    extensions.add_permission(
        code=VIEW, label=_("See the delivery-risk forecast"), roles=READERS, app="forecast"
    )
    extensions.add_event_kind(
        code=WARNED, label=_("Delivery risk: salesperson told"), app="forecast"
    )
    extensions.add_event_kind(
        code=INSISTED,
        label=_("Delivery risk: the customer insists on the date, planners told"),
        app="forecast",
    )
