"""The prospects app's named permissions and event kinds."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gendan import extensions

MANAGE_PROSPECTS = "manage_prospects"
OFFER_STOCK = "offer_stock"

PROSPECT_ADDED = "prospects.added"
PROSPECT_STATUS = "prospects.status"
PROSPECT_NOTE = "prospects.note"
PROSPECT_WON = "prospects.won"
OFFER_SENT = "prospects.offer_sent"
OFFER_ORDER = "prospects.offer_order"


def register() -> None:
    add = extensions.add_permission
    add(
        code=MANAGE_PROSPECTS,
        label=_("Find and follow prospects"),
        roles={"salesperson", "sales_manager", "merchandiser"},
        app="prospects",
    )
    add(
        code=OFFER_STOCK,
        label=_("Offer stock to scattered and store customers"),
        roles={"merchandiser", "salesperson", "sales_manager"},
        app="prospects",
    )
    kind = extensions.add_event_kind
    kind(code=PROSPECT_ADDED, label=_("Prospect added"), app="prospects")
    kind(code=PROSPECT_STATUS, label=_("Prospect status changed"), app="prospects")
    kind(code=PROSPECT_NOTE, label=_("Prospect contact logged"), app="prospects")
    kind(code=PROSPECT_WON, label=_("Prospect won: now a customer"), app="prospects")
    kind(code=OFFER_SENT, label=_("Stock offer sent"), app="prospects")
    kind(code=OFFER_ORDER, label=_("Order linked to a stock offer"), app="prospects")
