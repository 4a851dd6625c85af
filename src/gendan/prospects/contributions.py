"""What the prospects app contributes: permissions and events, navigation (prospects, stock
offers) and the offers' hit rate in the reports index."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gendan import extensions
from gendan.prospects import permissions as p


def register() -> None:
    from gendan.reports import registry

    p.register()
    extensions.add_nav_entry(
        label=_("Prospects"),
        url_name="web:prospects",
        perms=(p.MANAGE_PROSPECTS,),
        app="prospects",
        order=72,
    )
    extensions.add_nav_entry(
        label=_("Stock offers"),
        url_name="web:stock_offers",
        perms=(p.OFFER_STOCK,),
        app="prospects",
        order=73,
    )
    registry.add_report(
        key="prospects.offer_hit_rate",
        title=_("Stock offers: hit rate per product"),
        description=_("Offers sent to scattered and store customers, and those an order followed."),
        url_name="web:stock_offers",
        app="prospects",
        group=_("Sales"),
        perms=(p.OFFER_STOCK,),
        order=60,
    )
