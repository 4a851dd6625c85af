"""What each printed document shows: shipping notice, outbound slip, delivery note, proforma invoice.

Built from the selectors (an order the user cannot see is a 404 here too). Prices and amounts are
only put in a document for a user who sees prices (`gendan.prices.sees_prices`); the proforma
invoice is nothing but prices, so it is refused without that permission. The PDF is rendered by WeasyPrint with the vendored CJK font
embedded, fetched only from the static files, never from the network.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models import Prefetch
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _

from gendan.accounts.guards import require
from gendan.accounts.permissions import Perm
from gendan.errors import not_found
from gendan.orders.models import Order, OrderLine
from gendan.orders.selectors import get_order_for
from gendan.prices import sees_prices
from gendan.shipping.models import ShippingNotice, ShippingNoticeLine
from gendan.shipping.selectors import notices_of

FONT = "web/fonts/NotoSansCJKsc-Regular-GB2312.woff2"
FONT_FAMILY = "Noto Sans CJK SC"

SHIPPING_NOTICE = "shipping_notice"
OUTBOUND_SLIP = "outbound_slip"
DELIVERY_NOTE = "delivery_note"
PROFORMA_INVOICE = "proforma_invoice"
KINDS = (SHIPPING_NOTICE, OUTBOUND_SLIP, DELIVERY_NOTE, PROFORMA_INVOICE)

#: the printed Chinese name of each document (the words users already use) and its translation
TERMS = {
    SHIPPING_NOTICE: ("出运通知单", _("Shipping notice")),
    OUTBOUND_SLIP: ("出库单", _("Outbound slip")),
    DELIVERY_NOTE: ("送货单", _("Delivery note")),
    PROFORMA_INVOICE: ("形式发票", _("Proforma invoice")),
}
#: the three copies of a shipping notice (ShippingNotice.COPIES), each labelled for its holder
COPY_TERMS = {
    "warehouse": ("仓库联", _("Warehouse copy")),
    "finance": ("财务联", _("Finance copy")),
    "merchandiser": ("跟单联", _("Merchandiser copy")),
}


@dataclass(frozen=True)
class Copy:
    code: str
    term: str
    label: Any


@dataclass(frozen=True)
class DocLine:
    line_no: int
    code: str
    name: str
    spec: str
    colour: str
    size: str
    unit: str
    quantity: int
    cartons: int
    packing: str
    unit_price: Decimal | None = None
    amount: Decimal | None = None


@dataclass
class Document:
    kind: str
    term: str
    title: Any
    number: str
    order: Order
    issued_at: datetime | None
    issued_by: Any
    lines: list[DocLine]
    show_prices: bool
    notice: ShippingNotice | None = None
    copies: list[Copy] = field(default_factory=list)
    total_quantity: int = 0
    total_cartons: int = 0
    total_amount: Decimal | None = None
    cod_amount: Decimal | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def pages(self) -> list[Copy | None]:
        """One printed page per copy (the shipping notice's three), else one."""
        return list(self.copies) or [None]

    @property
    def filename(self) -> str:
        return f"{self.number}-{self.kind}.pdf"


def _cartons(quantity: int, line: OrderLine) -> int:
    per = max(1, line.product.units_per_carton)
    return -(-quantity // per)


def _doc_line(line: OrderLine, quantity: int, prices: bool) -> DocLine:
    product = line.product
    return DocLine(
        line_no=line.line_no,
        code=product.code,
        name=product.name,
        spec=product.spec,
        colour=line.colour or product.colour,
        size=line.size or product.size,
        unit=product.unit,
        quantity=quantity,
        cartons=_cartons(quantity, line),
        packing=line.packing_requirement,
        unit_price=line.unit_price if prices else None,
        amount=(line.unit_price * quantity).quantize(Decimal("0.01")) if prices else None,
    )


def _notice_for(order: Order, kind: str, doc: str) -> ShippingNotice:
    lookup = {
        SHIPPING_NOTICE: "number",
        OUTBOUND_SLIP: "outbound_slip__number",
        DELIVERY_NOTE: "delivery_note__number",
    }[kind]
    notice = (
        ShippingNotice.objects.filter(order=order, **{lookup: doc})
        .select_related(
            "issued_by", "outbound_slip__issued_by", "delivery_note__issued_by", "shipped_by"
        )
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=ShippingNoticeLine.objects.select_related("line__product").order_by(
                    "line__line_no"
                ),
            )
        )
        .first()
    )
    if notice is None:
        raise not_found("document")
    return notice


def build_document(user: Any, number: str, kind: str, doc: str) -> Document:
    """The document `doc` of kind `kind` of order `number`, as `user` may see it."""
    if kind not in KINDS:
        raise not_found("document")
    order = get_order_for(user, number)
    prices = sees_prices(user)
    term, title = TERMS[kind]
    if kind == PROFORMA_INVOICE:
        require(user, Perm.VIEW_PRICES)
        if doc != order.number:
            raise not_found("document")
        lines = [
            _doc_line(line, line.quantity, prices)
            for line in order.lines.select_related("product").order_by("line_no")
        ]
        return Document(
            kind=kind,
            term=term,
            title=title,
            number=order.number,
            order=order,
            issued_at=order.manager_signed_at or order.created_at,
            issued_by=order.salesperson,
            lines=lines,
            show_prices=True,
            total_quantity=sum(x.quantity for x in lines),
            total_cartons=sum(x.cartons for x in lines),
            total_amount=order.total_amount,
            extra={
                "deposit_percent": order.deposit_percent,
                "deposit_due": order.deposit_due,
                "paid": order.paid_amount,
                "balance_due": order.balance_due,
            },
        )
    notice = _notice_for(order, kind, doc)
    lines = [_doc_line(nl.line, nl.quantity, prices) for nl in notice.lines.all()]
    document = Document(
        kind=kind,
        term=term,
        title=title,
        number=doc,
        order=order,
        issued_at=notice.issued_at,
        issued_by=notice.issued_by,
        lines=lines,
        show_prices=False,  # a shipping notice, slip and delivery note carry no prices
        notice=notice,
        total_quantity=sum(x.quantity for x in lines),
        total_cartons=sum(x.cartons for x in lines),
    )
    if kind == SHIPPING_NOTICE:
        document.copies = [Copy(c, *COPY_TERMS[c]) for c in ShippingNotice.COPIES]
    elif kind == OUTBOUND_SLIP:
        slip = notice.outbound_slip
        document.issued_at, document.issued_by = slip.issued_at, slip.issued_by
    elif kind == DELIVERY_NOTE:
        note = notice.delivery_note
        document.issued_at, document.issued_by = note.issued_at, note.issued_by
        document.extra = {"note": note}
        if prices and note.cod_amount:
            document.cod_amount = note.cod_amount
    return document


def documents_of(order: Order, user: Any) -> list[dict[str, str]]:
    """The documents an order has, for links on the cockpit: kind, number, Chinese term, title."""
    out = []
    if sees_prices(user):
        out.append({"kind": PROFORMA_INVOICE, "doc": order.number})
    for notice in notices_of(order):
        out.append({"kind": SHIPPING_NOTICE, "doc": notice.number})
        if hasattr(notice, "outbound_slip"):
            out.append({"kind": OUTBOUND_SLIP, "doc": notice.outbound_slip.number})
        if hasattr(notice, "delivery_note"):
            out.append({"kind": DELIVERY_NOTE, "doc": notice.delivery_note.number})
    for item in out:
        item["term"], item["title"] = TERMS[item["kind"]]
    return out


# --- the font and the PDF ---------------------------------------------------------------------


def font_path() -> Path:
    """The vendored font's file, found through the static-files finders at render time."""
    found = finders.find(FONT)
    if not found:
        raise FileNotFoundError(FONT)
    return Path(found).resolve()


@functools.cache
def pdf_font_path() -> Path:
    """The vendored font as WeasyPrint reads it fastest. WeasyPrint unpacks a WOFF2 font at
    every @font-face of every render (about a third of a second each, two faces a document);
    the same glyphs as plain OpenType are read as they are. So the WOFF2 (what browsers get) is
    unpacked once into var/fonts (``GENDAN_VAR_DIR``), named by its size and time, and every
    later PDF of every process on the machine reads that copy."""
    source = font_path()
    stat = source.stat()
    folder = Path(settings.VAR_DIR) / "fonts"
    target = folder / f"{source.stem}-{stat.st_size}-{int(stat.st_mtime)}.otf"
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        from fontTools.ttLib import TTFont

        font = TTFont(str(source))
        font.flavor = None
        partial = target.with_name(f"{target.name}.{os.getpid()}.part")
        font.save(str(partial))
        os.replace(partial, target)  # atomic: a reader never sees half a file
    return target


def font_url(*, for_pdf: bool) -> str:
    """The browser loads the font from the static URL; WeasyPrint from its absolute file URL."""
    return pdf_font_path().as_uri() if for_pdf else static(FONT)


def render_pdf(html: str) -> bytes:
    """Render the document's HTML; only the vendored font may be fetched, nothing else."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    allowed = pdf_font_path().as_uri()

    class FontOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.split("?")[0] != allowed:
                raise ValueError(f"Refused to fetch {url}")
            return super().fetch(url, headers)

    return HTML(
        string=html,
        base_url=pdf_font_path().parent.as_uri() + "/",
        url_fetcher=FontOnly(allowed_protocols={"file"}),
    ).write_pdf()
