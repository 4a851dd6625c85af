"""Prospects and stock offers as .xlsx (logged in the export log). No price in either."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import Workbook

from gendan.accounts.guards import verb
from gendan.exports.models import ExportFormat
from gendan.exports.services import record_export
from gendan.exports.sheets import append_row
from gendan.prospects import permissions as p

MAX_ROWS = 10_000


def _book(title: str, head: list[str], rows: list[list[Any]], *, actor: Any, what: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    append_row(sheet, head)
    for row in rows[:MAX_ROWS]:
        append_row(sheet, row)
    out = BytesIO()
    book.save(out)
    record_export(actor=actor, what=what, filters={}, rows=len(rows), fmt=ExportFormat.XLSX)
    return out.getvalue()


@verb(p.MANAGE_PROSPECTS)
def export_prospects(prospects: list[Any], *, actor: Any) -> bytes:
    head = [
        gettext("Prospect"),
        gettext("Name"),
        gettext("Source"),
        gettext("Channel"),
        gettext("Region"),
        gettext("Owner"),
        gettext("Status"),
        gettext("Why lost"),
        gettext("Customer"),
    ]
    rows = [
        [
            x.number,
            x.name,
            x.get_source_display(),
            x.get_channel_display(),
            x.region,
            str(x.owner),
            x.get_status_display(),
            x.lost_reason,
            x.customer.code if x.customer_id else "",
        ]
        for x in prospects
    ]
    return _book(gettext("Prospects"), head, rows, actor=actor, what="prospects")


@verb(p.OFFER_STOCK)
def export_offers(offers: list[Any], *, actor: Any) -> bytes:
    head = [
        gettext("Offer"),
        gettext("Customer"),
        gettext("Product"),
        gettext("Quantity"),
        gettext("Sent"),
        gettext("Order that followed"),
    ]
    rows = [
        [
            o.number,
            o.customer.name,
            o.product.code,
            o.quantity,
            timezone.localtime(o.offered_at).replace(tzinfo=None),
            o.order.number if o.order_id else "",
        ]
        for o in offers
    ]
    return _book(gettext("Stock offers"), head, rows, actor=actor, what="stock_offers")
