"""The export shipment's packing list (装箱单) and commercial invoice (商业发票), in English with
the Chinese: the company's own name, address and bank from the settings (never the
salesperson), each line's quantity in its unit, cartons, gross weight and volume; totals per
unit (cartons and pieces are never added together), of cartons, weight and volume. The invoice
is prices only: refused without ``view_prices``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings

from gendan.accounts.guards import require
from gendan.accounts.permissions import Perm
from gendan.errors import not_found
from gendan.logistics import permissions as p
from gendan.logistics.models import ExportShipment

PACKING_LIST = "packing_list"
COMMERCIAL_INVOICE = "commercial_invoice"
TITLES = {
    PACKING_LIST: ("PACKING LIST", "装箱单"),
    COMMERCIAL_INVOICE: ("COMMERCIAL INVOICE", "商业发票"),
}


@dataclass
class Line:
    code: str
    name: str
    marks: str
    quantity: int
    unit: str
    cartons: int
    gross_kg: Decimal
    volume_m3: Decimal
    unit_price: Decimal | None = None
    amount: Decimal | None = None


@dataclass
class ExportDocument:
    kind: str
    shipment: ExportShipment
    company: dict[str, str]
    lines: list[Line] = field(default_factory=list)
    quantities: dict[str, int] = field(default_factory=dict)  # per unit, never added across
    cartons: int = 0
    gross_kg: Decimal = Decimal("0")
    volume_m3: Decimal = Decimal("0")
    amounts: dict[str, Decimal] = field(default_factory=dict)  # per currency

    @property
    def title(self) -> tuple[str, str]:
        return TITLES[self.kind]


def build(actor: Any, number: str, kind: str) -> ExportDocument:
    require(actor, p.MANAGE_EXPORTS)
    if kind not in TITLES:
        raise not_found("document")
    if kind == COMMERCIAL_INVOICE:
        require(actor, Perm.VIEW_PRICES)
    shipment = (
        ExportShipment.objects.select_related("customer", "forwarder")
        .prefetch_related("notices__lines__line__product", "notices__order")
        .filter(number=number)
        .first()
    )
    if shipment is None:
        raise not_found("export_shipment")
    doc = ExportDocument(
        kind=kind,
        shipment=shipment,
        company={
            "name": settings.GENDAN_COMPANY_NAME,
            "address": settings.GENDAN_COMPANY_ADDRESS,
            "bank": settings.GENDAN_COMPANY_BANK,
        },
    )
    quantities: dict[str, int] = defaultdict(int)
    amounts: dict[str, Decimal] = defaultdict(Decimal)
    for notice in shipment.notices.all():
        currency = notice.order.currency
        for nl in notice.lines.all():
            product, line = nl.line.product, nl.line
            cartons = -(-nl.quantity // max(1, product.units_per_carton))
            volume = (
                cartons
                * product.carton_length_cm
                * product.carton_width_cm
                * product.carton_height_cm
                / Decimal(1_000_000)
            ).quantize(Decimal("0.001"))
            gross = (cartons * product.carton_gross_weight_kg).quantize(Decimal("0.1"))
            priced = kind == COMMERCIAL_INVOICE
            amount = (line.unit_price * nl.quantity).quantize(Decimal("0.01")) if priced else None
            doc.lines.append(
                Line(
                    code=product.code,
                    name=product.name,
                    marks=line.packing_requirement,
                    quantity=nl.quantity,
                    unit=product.unit,
                    cartons=cartons,
                    gross_kg=gross,
                    volume_m3=volume,
                    unit_price=line.unit_price if priced else None,
                    amount=amount,
                )
            )
            quantities[product.unit] += nl.quantity
            doc.cartons += cartons
            doc.gross_kg += gross
            doc.volume_m3 += volume
            if amount is not None:
                amounts[currency] += amount
    doc.quantities, doc.amounts = dict(quantities), dict(amounts)
    return doc
