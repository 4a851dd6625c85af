"""Purchasing over HTTP (/api/v1/purchasing/...): suppliers, materials, bills of materials,
carton specs, plates, the purchase plan, purchase orders (create, confirm, override, amend,
cancel), shipments and receipts, in-transit, late lines, readiness per order and supplier
figures. Purchase prices only to those who may see them (purchaser, finance, managers)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from gendan.apiconventions import caller, errors, page_by_key
from gendan.errors import DomainError, Kind
from gendan.orders.selectors import get_order_for
from gendan.parties.models import Supplier
from gendan.purchasing import permissions as p
from gendan.purchasing import selectors, services
from gendan.purchasing.models import (
    BomLine,
    CartonSpec,
    Material,
    MaterialClass,
    Plate,
    PurchaseLine,
    PurchaseOrder,
)

router = Router(tags=["purchasing"])

Qty = Field(gt=0, le=1_000_000_000, max_digits=14, decimal_places=3)


def _may_read(actor: Any) -> None:
    if not actor.can(p.VIEW):
        from gendan.accounts.guards import permission_denied

        raise permission_denied(p.VIEW)


# ---- suppliers and materials ---------------------------------------------------------------


class SupplierIn(Schema):
    name: str = Field(max_length=200)
    contact_name: str = Field("", max_length=100)
    phone: str = Field("", max_length=50)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=300)
    supplies: str = Field("", max_length=300)
    lead_time_days: int = Field(7, ge=0, le=365)
    payment_terms: str = Field("", max_length=200)
    active: bool = True


class SupplierOut(SupplierIn):
    code: str


def supplier_out(s: Supplier) -> dict[str, Any]:
    return {f: getattr(s, f) for f in ("code", *services.SUPPLIER_FIELDS)}


class SupplierPage(Schema):
    items: list[SupplierOut]
    next_cursor: str | None


@router.get("/suppliers", response={200: SupplierPage, **errors(403)})
def list_suppliers(
    request: HttpRequest,
    after: str | None = Query(None, max_length=30, description="`next_cursor` of the page before"),
    limit: int = Query(100, ge=1, le=500),
):
    _may_read(caller(request))
    rows, cursor = page_by_key(Supplier.objects.all(), key="code", after=after, limit=limit)
    return {"items": [supplier_out(s) for s in rows], "next_cursor": cursor}


@router.put("/suppliers/{code}", response={200: SupplierOut, **errors(403)})
def put_supplier(request: HttpRequest, code: str, data: SupplierIn):
    """Create or change a supplier."""
    return supplier_out(services.save_supplier(code=code, actor=caller(request), **data.dict()))


class MaterialIn(Schema):
    name: str = Field(max_length=200)
    klass: Literal[*MaterialClass.values]  # type: ignore[valid-type]
    unit: str = Field("pcs", max_length=20)
    supplier: str | None = Field(None, max_length=30)
    reorder_level: Decimal = Field(Decimal(0), ge=0, le=1_000_000_000, decimal_places=3)
    lead_time_days: int = Field(7, ge=0, le=365)
    standard_price: Decimal | None = Field(None, ge=0, le=99_999_999, decimal_places=4)
    active: bool = True


class MaterialOut(Schema):
    code: str
    name: str
    klass: str
    unit: str
    supplier: str | None
    reorder_level: Decimal
    lead_time_days: int
    stock: Decimal
    standard_price: Decimal | None = None


def material_out(m: Material, actor: Any) -> dict[str, Any]:
    return {
        "code": m.code,
        "name": m.name,
        "klass": m.klass,
        "unit": m.unit,
        "supplier": m.supplier.code if m.supplier_id else None,
        "reorder_level": m.reorder_level,
        "lead_time_days": m.lead_time_days,
        "stock": getattr(m, "stock", None) or Decimal(0),
        "standard_price": m.standard_price if selectors.sees_costs(actor) else None,
    }


class MaterialPage(Schema):
    items: list[MaterialOut]
    next_cursor: str | None


@router.get("/materials", response={200: MaterialPage, **errors(403)})
def list_materials(
    request: HttpRequest,
    after: str | None = Query(None, max_length=40, description="`next_cursor` of the page before"),
    limit: int = Query(100, ge=1, le=500),
):
    actor = caller(request)
    _may_read(actor)
    rows, cursor = page_by_key(selectors.materials(), key="code", after=after, limit=limit)
    return {"items": [material_out(m, actor) for m in rows], "next_cursor": cursor}


@router.put("/materials/{code}", response={200: MaterialOut, **errors(403, 404)})
def put_material(request: HttpRequest, code: str, data: MaterialIn):
    actor = caller(request)
    services.save_material(code=code, actor=actor, **data.dict())
    return material_out(selectors.materials().get(code=code), actor)


class BomLineIn(Schema):
    per_unit: Decimal = Field(gt=0, le=100000, decimal_places=6)
    scrap_percent: Decimal = Field(Decimal(0), ge=0, le=100, decimal_places=2)


class BomLineOut(BomLineIn):
    product: str
    material: str
    material_class: str


def bom_out(b: BomLine) -> dict[str, Any]:
    return {
        "product": b.product.code,
        "material": b.material.code,
        "material_class": b.material.klass,
        "per_unit": b.per_unit,
        "scrap_percent": b.scrap_percent,
    }


@router.get("/bom/{product}", response={200: list[BomLineOut], **errors(403)})
def get_bom(request: HttpRequest, product: str):
    _may_read(caller(request))
    rows = BomLine.objects.filter(product__code=product).select_related("product", "material")
    return [bom_out(b) for b in rows]


@router.put("/bom/{product}/{material}", response={200: BomLineOut, **errors(403, 404)})
def put_bom_line(request: HttpRequest, product: str, material: str, data: BomLineIn):
    line = services.save_bom_line(
        product=product, material=material, actor=caller(request), **data.dict()
    )
    return bom_out(line)


class CartonSpecIn(Schema):
    inner_length_mm: int = Field(ge=1, le=100000)
    inner_width_mm: int = Field(ge=1, le=100000)
    inner_height_mm: int = Field(ge=1, le=100000)
    wall: str = Field("", max_length=100)
    units_per_carton: int = Field(ge=1, le=100000)
    shipping_mark: str = Field("", max_length=500)
    packing_method: str = Field("", max_length=500)
    carton_quality: str = Field("", max_length=200)
    sample_requested: bool = False


class CartonSpecOut(CartonSpecIn):
    product: str
    confirmed_by: str | None
    confirmed_at: datetime | None


def spec_out(s: CartonSpec) -> dict[str, Any]:
    return {
        "product": s.product.code,
        **{f: getattr(s, f) for f in services.SPEC_FIELDS},
        "confirmed_by": s.confirmed_by.username if s.confirmed_by_id else None,
        "confirmed_at": s.confirmed_at,
    }


@router.get("/carton-specs/{product}", response={200: CartonSpecOut, **errors(403, 404)})
def get_carton_spec(request: HttpRequest, product: str):
    _may_read(caller(request))
    spec = CartonSpec.objects.filter(product__code=product).select_related("product").first()
    if spec is None:
        raise DomainError("not_found", "Not found.", kind=Kind.NOT_FOUND)
    return spec_out(spec)


@router.put("/carton-specs/{product}", response={200: CartonSpecOut, **errors(403, 404)})
def put_carton_spec(request: HttpRequest, product: str, data: CartonSpecIn):
    """A change asks the salesperson to confirm the spec again."""
    return spec_out(
        services.save_carton_spec(product=product, actor=caller(request), **data.dict())
    )


@router.post(
    "/carton-specs/{product}/confirm", response={200: CartonSpecOut, **errors(403, 404, 409)}
)
def confirm_carton_spec(request: HttpRequest, product: str):
    """The salesperson confirms the carton spec: cartons may be bought."""
    return spec_out(services.confirm_carton_spec(product=product, actor=caller(request)))


# ---- plates ----------------------------------------------------------------------------------


class PlateIn(Schema):
    material: str = Field(max_length=40)
    supplier: str = Field(max_length=30)
    due_on: date
    note: str = Field("", max_length=500)


class PlateOut(Schema):
    id: int
    number: str
    material: str
    supplier: str
    status: str
    due_on: date
    proof_sent_on: date | None
    approved_on: date | None
    approved_by: str | None
    ready_on: date | None


def plate_out(pl: Plate) -> dict[str, Any]:
    return {
        "id": pl.pk,
        "number": pl.number,
        "material": pl.material.code,
        "supplier": pl.supplier.code,
        "status": pl.status,
        "due_on": pl.due_on,
        "proof_sent_on": pl.proof_sent_on,
        "approved_on": pl.approved_on,
        "approved_by": pl.approved_by.username if pl.approved_by_id else None,
        "ready_on": pl.ready_on,
    }


class PlatePage(Schema):
    items: list[PlateOut]
    next_cursor: str | None


@router.get("/plates", response={200: PlatePage, **errors(403)})
def list_plates(
    request: HttpRequest,
    after: int | None = Query(None, ge=1, description="`next_cursor` of the page before"),
    limit: int = Query(100, ge=1, le=500),
):
    _may_read(caller(request))
    qs = Plate.objects.select_related("material", "supplier", "approved_by")
    rows, cursor = page_by_key(qs, key="id", after=after, limit=limit)
    return {"items": [plate_out(pl) for pl in rows], "next_cursor": cursor}


@router.post("/plates", response={201: PlateOut, **errors(403, 404)})
def create_plate(request: HttpRequest, data: PlateIn):
    return Status(201, plate_out(services.order_plate(actor=caller(request), **data.dict())))


@router.post("/plates/{plate_id}/{step}", response={200: PlateOut, **errors(403, 404, 409)})
def plate_step(
    request: HttpRequest, plate_id: int, step: Literal["proof-sent", "approve", "ready"]
):
    """A plate's step: the proof sent, the proof approved (the salesperson), the plate ready."""
    verb = {
        "proof-sent": services.send_plate_proof,
        "approve": services.approve_plate_proof,
        "ready": services.plate_ready,
    }[step]
    return plate_out(verb(plate=plate_id, actor=caller(request)))


# ---- the plan --------------------------------------------------------------------------------


class PlanRowOut(Schema):
    supplier: str | None
    notice_line: int
    notice: str
    order: str
    product: str
    material: str
    material_class: str
    need: Decimal
    ordered: Decimal
    allocated: Decimal
    from_supply: Decimal
    to_buy: Decimal
    needed_on: date | None


class PlanPage(Schema):
    items: list[PlanRowOut]
    next_cursor: str | None = Field(description="Always null: the plan comes whole.")


@router.get("/plan", response={200: PlanPage, **errors(403)})
def get_plan(request: HttpRequest, order: str | None = Query(None, max_length=30)):
    """need - what is on order for it - stock taken for it - free supply, per material and
    notice line, the earliest needed first, grouped by supplier."""
    actor = caller(request)
    _may_read(actor)
    items = [
        {
            "supplier": g.supplier.code if g.supplier else None,
            "notice_line": r.need.notice_line_id,
            "notice": r.need.notice,
            "order": r.need.order,
            "product": r.need.product,
            "material": r.need.material.code,
            "material_class": r.need.material.klass,
            "need": r.need.need,
            "ordered": r.need.ordered,
            "allocated": r.need.allocated,
            "from_supply": r.from_supply,
            "to_buy": r.to_buy,
            "needed_on": r.need.needed_on,
        }
        for g in selectors.purchase_plan(actor, order=order)
        for r in g.rows
    ]
    return {"items": items, "next_cursor": None}


class PlanPick(Schema):
    notice_line: int = Field(ge=1)
    material: str = Field(max_length=40)
    quantity: Decimal = Qty


class PlanSelection(Schema):
    selection: list[PlanPick] = Field(min_length=1, max_length=200)


# ---- purchase orders -------------------------------------------------------------------------


class PurchaseLineIn(Schema):
    material: str = Field(max_length=40)
    quantity: Decimal = Qty
    promised_on: date | None = None
    unit_price: Decimal | None = Field(None, ge=0, le=99_999_999, decimal_places=4)
    notice_line: int | None = Field(None, ge=1)


class PurchaseOrderIn(Schema):
    supplier: str = Field(max_length=30)
    lines: list[PurchaseLineIn] = Field(min_length=1, max_length=200)
    note: str = Field("", max_length=500)


class PurchaseLineOut(Schema):
    id: int
    line_no: int
    material: str
    material_class: str
    notice: str | None
    notice_line: int | None
    order: str | None
    quantity: Decimal
    promised_on: date
    status: str
    shipped: Decimal
    received: Decimal
    in_transit: Decimal
    override_reason: str
    unit_price: Decimal | None = None


class PurchaseOrderOut(Schema):
    number: str
    supplier: str
    status: str
    note: str
    cancel_reason: str
    created_by: str
    created_at: datetime
    lines: list[PurchaseLineOut]


def line_out(line: PurchaseLine, actor: Any) -> dict[str, Any]:
    return {
        "id": line.pk,
        "line_no": line.line_no,
        "material": line.material.code,
        "material_class": line.material.klass,
        "notice": line.notice_line.notice.number if line.notice_line_id else None,
        "notice_line": line.notice_line_id,
        "order": line.order.number if line.order_id else None,
        "quantity": line.quantity,
        "promised_on": line.promised_on,
        "status": line.status,
        "shipped": line.shipped_qty,
        "received": line.received_qty,
        "in_transit": line.in_transit,
        "override_reason": line.override_reason,
        "unit_price": line.unit_price if selectors.sees_costs(actor) else None,
    }


def po_out(po: PurchaseOrder, actor: Any) -> dict[str, Any]:
    return {
        "number": po.number,
        "supplier": po.supplier.code,
        "status": po.status,
        "note": po.note,
        "cancel_reason": po.cancel_reason,
        "created_by": po.created_by.username,
        "created_at": po.created_at,
        "lines": [
            line_out(x, actor)
            for x in (po.listed_lines if hasattr(po, "listed_lines") else selectors.lines_of(po))
        ],
    }


def _po(request: HttpRequest, number: str) -> dict[str, Any]:
    actor = caller(request)
    return po_out(selectors.po_for(actor, number), actor)


class PurchaseOrderPage(Schema):
    items: list[PurchaseOrderOut]
    next_cursor: str | None


@router.get("/orders", response={200: PurchaseOrderPage, **errors(403)})
def list_purchase_orders(
    request: HttpRequest,
    after: int | None = Query(None, ge=1, description="`next_cursor` of the page before"),
    limit: int = Query(50, ge=1, le=200),
):
    actor = caller(request)
    _may_read(actor)
    rows, cursor = page_by_key(
        selectors.purchase_orders(actor), key="-id", after=after, limit=limit
    )
    selectors.with_lines(rows)
    return {"items": [po_out(po, actor) for po in rows], "next_cursor": cursor}


@router.post("/orders", response={201: PurchaseOrderOut, **errors(403, 404)})
def create_purchase_order(request: HttpRequest, data: PurchaseOrderIn):
    """A draft purchase order; its lines are confirmed under the packaging rules."""
    po = services.create_purchase_order(
        supplier=data.supplier,
        lines=[services.LineInput(**x.dict()) for x in data.lines],
        note=data.note,
        actor=caller(request),
    )
    return Status(201, _po(request, po.number))


@router.post("/plan/orders", response={201: list[PurchaseOrderOut], **errors(403, 404)})
def create_from_plan(request: HttpRequest, data: PlanSelection):
    """Turn a selection of the plan into draft purchase orders, one per supplier."""
    made = services.create_from_plan(
        selection=[(x.notice_line, x.material, x.quantity) for x in data.selection],
        actor=caller(request),
    )
    return Status(201, [_po(request, po.number) for po in made])


@router.get("/orders/{number}", response={200: PurchaseOrderOut, **errors(403, 404)})
def get_purchase_order(request: HttpRequest, number: str):
    return _po(request, number)


@router.post("/orders/{number}/confirm", response={200: PurchaseOrderOut, **errors(403, 404, 409)})
def confirm_purchase_order(request: HttpRequest, number: str):
    """Confirm every draft line, all or none (409 with the coded reason and the figures)."""
    services.confirm_purchase_order(po=number, actor=caller(request))
    return _po(request, number)


class PurchaseReasonIn(Schema):
    reason: str = Field(min_length=1, max_length=500)


@router.post("/orders/{number}/cancel", response={200: PurchaseOrderOut, **errors(403, 404, 409)})
def cancel_purchase_order(request: HttpRequest, number: str, data: PurchaseReasonIn):
    services.cancel_purchase_order(po=number, reason=data.reason, actor=caller(request))
    return _po(request, number)


def _line_po(line_id: int) -> str:
    number = PurchaseLine.objects.filter(pk=line_id).values_list("po__number", flat=True).first()
    return number or ""


@router.post("/lines/{line_id}/confirm", response={200: PurchaseOrderOut, **errors(403, 404, 409)})
def confirm_line(request: HttpRequest, line_id: int):
    """Confirm one line: 409 with the coded reason and the figures when a rule refuses."""
    services.confirm_line(line=line_id, actor=caller(request))
    return _po(request, _line_po(line_id))


@router.post("/lines/{line_id}/override", response={200: PurchaseOrderOut, **errors(403, 404, 409)})
def override_line(request: HttpRequest, line_id: int, data: PurchaseReasonIn):
    """A manager confirms one line past the packaging rules, with a reason."""
    services.override_line(line=line_id, reason=data.reason, actor=caller(request))
    return _po(request, _line_po(line_id))


class AmendIn(Schema):
    reason: str = Field("", max_length=500)
    quantity: Decimal | None = Field(None, gt=0, le=1_000_000_000, decimal_places=3)
    unit_price: Decimal | None = Field(None, ge=0, le=99_999_999, decimal_places=4)
    promised_on: date | None = None


@router.patch("/lines/{line_id}", response={200: PurchaseOrderOut, **errors(403, 404, 409)})
def amend_line(request: HttpRequest, line_id: int, data: AmendIn):
    """Amend a line (a confirmed one: with a reason, and its quantity under the rules again)."""
    services.amend_line(line=line_id, actor=caller(request), **data.dict())
    return _po(request, _line_po(line_id))


class ShipmentIn(Schema):
    quantity: Decimal = Qty
    expected_on: date
    shipped_on: date | None = None


@router.post(
    "/lines/{line_id}/shipments", response={201: PurchaseOrderOut, **errors(403, 404, 409)}
)
def ship_line(request: HttpRequest, line_id: int, data: ShipmentIn):
    """The supplier shipped part of the line: in transit until received."""
    services.record_shipment(line=line_id, actor=caller(request), **data.dict())
    return Status(201, _po(request, _line_po(line_id)))


class ReceiptIn(Schema):
    quantity: Decimal = Qty
    received_on: date | None = None
    passed: bool = True
    note: str = Field("", max_length=500)


@router.post("/lines/{line_id}/receipts", response={201: PurchaseOrderOut, **errors(403, 404, 409)})
def receive_line(request: HttpRequest, line_id: int, data: ReceiptIn):
    """A (partial) receipt; more than is still open is refused."""
    services.record_receipt(line=line_id, actor=caller(request), **data.dict())
    return Status(201, _po(request, _line_po(line_id)))


# ---- follow-up -------------------------------------------------------------------------------


class OpenLineOut(Schema):
    po: str
    line: int
    supplier: str
    material: str
    order: str | None
    quantity: Decimal
    received: Decimal
    in_transit: Decimal
    promised_on: date
    expected_on: date | None


def open_line_out(x: PurchaseLine) -> dict[str, Any]:
    return {
        "po": x.po.number,
        "line": x.line_no,
        "supplier": x.po.supplier.code,
        "material": x.material.code,
        "order": x.order.number if x.order_id else None,
        "quantity": x.quantity,
        "received": x.received_qty,
        "in_transit": x.in_transit,
        "promised_on": x.promised_on,
        "expected_on": getattr(x, "expected_on", None),
    }


class OpenLinePage(Schema):
    items: list[OpenLineOut]
    next_cursor: str | None


@router.get("/in-transit", response={200: OpenLinePage, **errors(403)})
def in_transit(
    request: HttpRequest,
    after: int | None = Query(None, ge=1, description="`next_cursor` of the page before"),
    limit: int = Query(100, ge=1, le=500),
):
    """Shipped and not received, by line (oldest line first)."""
    actor = caller(request)
    _may_read(actor)
    rows, cursor = page_by_key(selectors.in_transit(actor), key="id", after=after, limit=limit)
    return {"items": [open_line_out(x) for x in rows], "next_cursor": cursor}


@router.get("/late", response={200: OpenLinePage, **errors(403)})
def late_lines(
    request: HttpRequest,
    after: int | None = Query(None, ge=1, description="`next_cursor` of the page before"),
    limit: int = Query(100, ge=1, le=500),
):
    """Confirmed lines past their promised date, not all received (oldest line first)."""
    actor = caller(request)
    _may_read(actor)
    qs = selectors.late_lines(actor, timezone.localdate())
    rows, cursor = page_by_key(qs, key="id", after=after, limit=limit)
    return {"items": [open_line_out(x) for x in rows], "next_cursor": cursor}


class ShortageOut(Schema):
    notice: str
    product: str
    material: str
    need: Decimal
    short: Decimal
    expected: date | None
    needed_on: date | None
    late: bool


class ReadinessOut(Schema):
    order: str
    complete: bool
    ready_on: date | None
    shortages: list[ShortageOut]


@router.get("/readiness/{number}", response={200: ReadinessOut, **errors(404)})
def readiness(request: HttpRequest, number: str):
    """ "Materials complete", or what is short, how much, and when it is expected."""
    order = get_order_for(caller(request), number)
    found = selectors.order_readiness(order)
    return {
        "order": order.number,
        "complete": found.complete,
        "ready_on": found.ready_on,
        "shortages": [
            {
                "notice": s.need.notice,
                "product": s.need.product,
                "material": s.need.material.code,
                "need": s.need.need,
                "short": s.short,
                "expected": s.expected,
                "needed_on": s.need.needed_on,
                "late": s.late,
            }
            for s in found.shortages
        ],
    }


class FigureOut(Schema):
    supplier: str
    month: date
    due: int
    on_time: int
    on_time_rate: float | None
    quantity_accuracy: float | None
    receipts: int
    pass_rate: float | None
    open: int
    late: int


class FigurePage(Schema):
    items: list[FigureOut]
    next_cursor: str | None = Field(description="Always null: the figures come whole.")


@router.get("/supplier-figures", response={200: FigurePage, **errors(403)})
def supplier_figures(request: HttpRequest, months: int = Query(6, ge=1, le=24)):
    """Per supplier and month: on-time rate, quantity accuracy, pass rate, open and late lines."""
    _may_read(caller(request))
    return {"items": selectors.supplier_figures(months=months), "next_cursor": None}
