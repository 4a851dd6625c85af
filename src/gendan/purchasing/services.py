"""Every write of purchasing: suppliers, materials, bills of materials, carton specs and their
confirmation, plates, purchase orders (create, create from the plan, confirm a line under the
packaging rules, a manager's override, amend, cancel), shipments, receipts and stock taken.

Each verb checks the actor's permission, runs in one durable transaction, keeps history and
writes a timeline event; a refusal changes nothing."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext

from gendan.accounts.guards import verb
from gendan.catalog.models import Product
from gendan.errors import DomainError, Kind, Reason, invalid, not_found
from gendan.inventory.models import Warehouse
from gendan.numbering.services import next_numbers
from gendan.parties.models import Supplier
from gendan.production.models import ProductionNoticeLine
from gendan.purchasing import locks, needs, rules
from gendan.purchasing import permissions as p
from gendan.purchasing.errors import Code
from gendan.purchasing.models import (
    Allocation,
    BomLine,
    CartonSpec,
    LineStatus,
    Material,
    MaterialClass,
    MaterialMove,
    MaterialStock,
    MoveReason,
    Plate,
    PlateStatus,
    PoStatus,
    PurchaseLine,
    PurchaseOrder,
    Receipt,
    Shipment,
)
from gendan.timeline.services import record, together

MATERIAL_WAREHOUSE = "MAT"
MAX_LINES = 200
MAX_QTY = Decimal("1000000000")


def material_warehouse() -> Warehouse:
    warehouse, _ = Warehouse.objects.get_or_create(
        code=MATERIAL_WAREHOUSE, defaults={"name": "物料仓 Materials"}
    )
    return warehouse


def _qty(value: Any, field: str, *, zero: bool = False) -> Decimal:
    try:
        q = Decimal(str(value)).quantize(Decimal("0.001"))
    except (InvalidOperation, TypeError, ValueError):
        q = Decimal(-1)
    if q < 0 or (q == 0 and not zero) or q > MAX_QTY or not q.is_finite():
        raise invalid(Code.BAD_QUANTITY, gettext("Enter a positive quantity."), field=field)
    return q


def _price(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        price = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        price = Decimal(-1)
    if not price.is_finite() or price < 0 or price > Decimal("99999999"):
        raise invalid(Code.BAD_INPUT, gettext("Enter a valid unit price."), field="unit_price")
    return price.quantize(Decimal("0.0001"))


def _reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise invalid(Code.REASON_REQUIRED, gettext("Give a reason."), field="reason")
    return text[:500]


def _save(obj: Any, actor: Any) -> None:
    obj._history_user = actor
    obj.save()


# ---- master data ---------------------------------------------------------------------------

SUPPLIER_FIELDS = (
    "name",
    "contact_name",
    "phone",
    "email",
    "address",
    "supplies",
    "lead_time_days",
    "payment_terms",
    "active",
)


@verb(p.MANAGE_MATERIALS)
def save_supplier(*, code: str, actor: Any, **values: Any) -> Supplier:
    """Create or change a supplier: contacts, what they supply, lead time, payment terms."""
    code = (code or "").strip()
    unknown = set(values) - set(SUPPLIER_FIELDS)
    if not code or unknown:
        raise invalid(Code.BAD_INPUT, gettext("Give the supplier's code."), field="code")
    if "name" in values and not str(values["name"]).strip():
        raise invalid(Code.BAD_INPUT, gettext("The name is required."), field="name")
    with transaction.atomic(durable=True), together():
        supplier = Supplier.objects.select_for_update().filter(code=code).first()
        if supplier is None:
            if not values.get("name"):
                raise invalid(Code.BAD_INPUT, gettext("The name is required."), field="name")
            supplier = Supplier(code=code)
        for key, value in values.items():
            setattr(supplier, key, value)
        _save(supplier, actor)
        record(
            kind=p.MASTER_CHANGED,
            actor=actor,
            subject=supplier,
            payload={"supplier": code, "fields": sorted(values)},
        )
    return supplier


@verb(p.MANAGE_MATERIALS)
def save_material(
    *,
    code: str,
    actor: Any,
    name: str,
    klass: str,
    unit: str = "pcs",
    supplier: str | None = None,
    reorder_level: Any = 0,
    lead_time_days: int = 7,
    standard_price: Any = None,
    active: bool = True,
) -> Material:
    """Create or change a material (its class decides the packaging rules it is bought under)."""
    code = (code or "").strip()
    if not code or not (name or "").strip():
        raise invalid(Code.BAD_INPUT, gettext("Give the material's code and name."), field="code")
    if klass not in MaterialClass.values:
        raise invalid(Code.BAD_INPUT, gettext("Unknown class of material."), field="klass")
    found = Supplier.objects.filter(code=supplier).first() if supplier else None
    if supplier and found is None:
        raise not_found("supplier")
    level = _qty(reorder_level, "reorder_level", zero=True)
    price = _price(standard_price)
    with transaction.atomic(durable=True), together():
        material = Material.objects.select_for_update().filter(code=code).first() or Material(
            code=code
        )
        material.name = name.strip()[:200]
        material.klass = klass
        material.unit = (unit or "pcs")[:20]
        material.supplier = found
        material.reorder_level = level
        material.lead_time_days = max(0, int(lead_time_days))
        material.standard_price = price
        material.active = active
        _save(material, actor)
        record(
            kind=p.MASTER_CHANGED,
            actor=actor,
            subject=material,
            payload={"material": code, "class": klass},
        )
    return material


@verb(p.MANAGE_MATERIALS)
def save_bom_line(
    *, product: str, material: str, per_unit: Any, actor: Any, scrap_percent: Any = 0
) -> BomLine:
    """Set how much of a material one unit of a product takes (and the scrap allowance)."""
    found = Product.objects.filter(code=product).first()
    mat = Material.objects.filter(code=material).first()
    if found is None:
        raise not_found("product")
    if mat is None:
        raise not_found("material")
    try:
        per = Decimal(str(per_unit))
        scrap = Decimal(str(scrap_percent or 0))
    except (InvalidOperation, ValueError):
        per, scrap = Decimal(-1), Decimal(-1)
    if not per.is_finite() or per <= 0 or per > 100000:
        raise invalid(Code.BAD_QUANTITY, gettext("Enter a positive quantity."), field="per_unit")
    if not scrap.is_finite() or not (0 <= scrap <= 100):
        raise invalid(
            Code.BAD_INPUT, gettext("The scrap allowance is 0 to 100 %."), field="scrap_percent"
        )
    with transaction.atomic(durable=True), together():
        line = BomLine.objects.select_for_update().filter(product=found, material=mat).first()
        line = line or BomLine(product=found, material=mat)
        line.per_unit = per.quantize(Decimal("0.000001"))
        line.scrap_percent = scrap.quantize(Decimal("0.01"))
        _save(line, actor)
        record(
            kind=p.MASTER_CHANGED,
            actor=actor,
            subject=line,
            payload={
                "product": product,
                "material": material,
                "per_unit": str(line.per_unit),
                "scrap_percent": str(line.scrap_percent),
            },
        )
    return line


@verb(p.MANAGE_MATERIALS)
def remove_bom_line(*, product: str, material: str, actor: Any) -> None:
    with transaction.atomic(durable=True), together():
        line = (
            BomLine.objects.select_for_update()
            .filter(product__code=product, material__code=material)
            .first()
        )
        if line is None:
            raise not_found("bom_line")
        line._history_user = actor  # type: ignore[attr-defined]
        line.delete()
        record(
            kind=p.MASTER_CHANGED,
            actor=actor,
            payload={"product": product, "material": material, "removed": True},
        )


SPEC_FIELDS = (
    "inner_length_mm",
    "inner_width_mm",
    "inner_height_mm",
    "wall",
    "units_per_carton",
    "shipping_mark",
    "packing_method",
    "carton_quality",
    "sample_requested",
)


@verb(p.MANAGE_MATERIALS)
def save_carton_spec(*, product: str, actor: Any, **values: Any) -> CartonSpec:
    """箱规 of a product. A change asks the salesperson to confirm it again."""
    found = Product.objects.filter(code=product).first()
    if found is None:
        raise not_found("product")
    if set(values) - set(SPEC_FIELDS):
        raise invalid(Code.BAD_INPUT, gettext("Unknown field of a carton spec."), field="spec")
    for key in ("inner_length_mm", "inner_width_mm", "inner_height_mm", "units_per_carton"):
        if key in values:
            try:
                values[key] = int(values[key])
            except (TypeError, ValueError):
                values[key] = 0
            if not 1 <= values[key] <= 100000:
                raise invalid(Code.BAD_INPUT, gettext("Enter a positive whole number."), field=key)
    with transaction.atomic(durable=True), together():
        spec = CartonSpec.objects.select_for_update().filter(product=found).first()
        if spec is None:
            missing = [
                k
                for k in (
                    "inner_length_mm",
                    "inner_width_mm",
                    "inner_height_mm",
                    "units_per_carton",
                )
                if k not in values
            ]
            if missing:
                raise invalid(
                    Code.BAD_INPUT, gettext("Enter a positive whole number."), field=missing[0]
                )
            spec = CartonSpec(product=found)
        changed = [k for k, v in values.items() if getattr(spec, k, None) != v]
        for key, value in values.items():
            setattr(spec, key, value)
        if changed:
            spec.confirmed_by, spec.confirmed_at = None, None
        _save(spec, actor)
        record(
            kind=p.SPEC_SAVED,
            actor=actor,
            subject=spec,
            payload={"product": product, "changed": sorted(changed)},
        )
    return spec


@verb(p.CONFIRM_PACKING)
def confirm_carton_spec(*, product: str, actor: Any) -> CartonSpec:
    """The salesperson confirms the carton spec (唛头, 装法, 品质): cartons may be bought."""
    with transaction.atomic(durable=True), together():
        spec = (
            CartonSpec.objects.select_for_update()
            .filter(product__code=product)
            .select_related("product")
            .first()
        )
        if spec is None:
            raise DomainError(
                Code.NO_CARTON_SPEC,
                gettext("The product has no carton spec to confirm yet."),
                kind=Kind.REFUSED,
            )
        spec.confirmed_by, spec.confirmed_at = actor, timezone.now()
        _save(spec, actor)
        record(kind=p.SPEC_CONFIRMED, actor=actor, subject=spec, payload={"product": product})
    return spec


# ---- plates (制版) ---------------------------------------------------------------------------


@verb(p.MANAGE_MATERIALS)
def order_plate(*, material: str, supplier: str, due_on: date, actor: Any, note: str = "") -> Plate:
    """Order the plate of a new-print bag from a supplier, due on a day."""
    mat = Material.objects.filter(code=material).first()
    sup = Supplier.objects.filter(code=supplier).first()
    if mat is None:
        raise not_found("material")
    if sup is None:
        raise not_found("supplier")
    if mat.klass != MaterialClass.NEW_PRINT_BAG:
        raise invalid(
            Code.BAD_INPUT, gettext("Plates are made for new-print bags."), field="material"
        )
    with transaction.atomic(durable=True), together():
        plate = Plate(material=mat, supplier=sup, due_on=due_on, note=note[:500], created_by=actor)
        _save(plate, actor)
        record(
            kind=p.PLATE_CHANGED,
            actor=actor,
            subject=plate,
            payload={"plate": plate.number, "material": material, "status": plate.status},
        )
    return plate


def _plate_step(plate: int, actor: Any, allowed: set[str], change: Any) -> Plate:
    with transaction.atomic(durable=True), together():
        found = locks.plate_for_update(plate)
        if found.status not in allowed:
            raise DomainError(
                Code.PLATE_STATE,
                gettext("The plate is %(status)s: this step does not apply.")
                % {"status": found.get_status_display()},
                kind=Kind.REFUSED,
            )
        change(found)
        _save(found, actor)
        record(
            kind=p.PLATE_CHANGED,
            actor=actor,
            subject=found,
            payload={"plate": found.number, "status": found.status},
        )
    return found


@verb(p.MANAGE_MATERIALS)
def send_plate_proof(*, plate: int, actor: Any, sent_on: date | None = None) -> Plate:
    def change(found: Plate) -> None:
        found.status, found.proof_sent_on = PlateStatus.PROOF_SENT, sent_on or timezone.localdate()

    return _plate_step(plate, actor, {PlateStatus.ORDERED, PlateStatus.PROOF_SENT}, change)


@verb(p.CONFIRM_PACKING)
def approve_plate_proof(*, plate: int, actor: Any) -> Plate:
    """The salesperson approves the proof: new-print bags of the material may be bought."""

    def change(found: Plate) -> None:
        found.status, found.approved_on, found.approved_by = (
            PlateStatus.APPROVED,
            timezone.localdate(),
            actor,
        )

    return _plate_step(plate, actor, {PlateStatus.PROOF_SENT}, change)


@verb(p.MANAGE_MATERIALS)
def plate_ready(*, plate: int, actor: Any, ready_on: date | None = None) -> Plate:
    def change(found: Plate) -> None:
        found.status, found.ready_on = PlateStatus.READY, ready_on or timezone.localdate()

    return _plate_step(plate, actor, {PlateStatus.APPROVED}, change)


# ---- purchase orders -------------------------------------------------------------------------


@dataclass(frozen=True)
class LineInput:
    material: str
    quantity: Any
    promised_on: date | None = None
    unit_price: Any = None
    notice_line: int | None = None


def _new_number() -> str:
    return next_numbers("PO", 1)[0]


def _make_lines(po: PurchaseOrder, lines: list[LineInput], start: int) -> list[PurchaseLine]:
    if not lines or len(lines) > MAX_LINES:
        raise invalid(
            Code.BAD_INPUT, gettext("A purchase order has 1 to 200 lines."), field="lines"
        )
    materials = {m.code: m for m in Material.objects.filter(code__in={x.material for x in lines})}
    notice_lines = {
        n.pk: n
        for n in ProductionNoticeLine.objects.filter(
            pk__in={x.notice_line for x in lines if x.notice_line}
        ).select_related("notice")
    }
    made = []
    for i, x in enumerate(lines):
        mat = materials.get(x.material)
        if mat is None:
            raise not_found("material")
        nl = notice_lines.get(x.notice_line) if x.notice_line else None
        if x.notice_line and nl is None:
            raise not_found("notice_line")
        made.append(
            PurchaseLine(
                po=po,
                line_no=start + i,
                material=mat,
                notice_line=nl,
                order_id=nl.notice.order_id if nl else None,
                quantity=_qty(x.quantity, f"lines.{i}.quantity"),
                unit_price=_price(x.unit_price)
                if x.unit_price not in (None, "")
                else mat.standard_price,
                promised_on=x.promised_on
                or timezone.localdate() + timedelta(days=mat.lead_time_days),
            )
        )
    return made


def _write_new_po(
    supplier: Supplier, lines: list[LineInput], actor: Any, note: str
) -> PurchaseOrder:
    po = PurchaseOrder(number=_new_number(), supplier=supplier, note=note[:500], created_by=actor)
    _save(po, actor)
    made = _make_lines(po, lines, 1)
    for line in made:
        _save(line, actor)
    orders = sorted({line.order_id for line in made if line.order_id})
    record(
        kind=p.PO_CREATED,
        actor=actor,
        subject=po,
        payload={"po": po.number, "supplier": supplier.code, "lines": len(made)},
    )
    if orders:
        from gendan.orders.models import Order

        for order in Order.objects.filter(pk__in=orders):
            record(
                kind=p.PO_CREATED,
                actor=actor,
                order=order,
                subject=po,
                payload={"po": po.number, "supplier": supplier.code},
            )
    return po


@verb(p.PURCHASE)
def create_purchase_order(
    *, supplier: str, lines: list[LineInput], actor: Any, note: str = ""
) -> PurchaseOrder:
    """A purchase order in draft: its lines are confirmed one by one (or all at once)."""
    found = Supplier.objects.filter(code=supplier).first()
    if found is None:
        raise not_found("supplier")
    with transaction.atomic(durable=True), together():
        return _write_new_po(found, lines, actor, note)


@verb(p.PURCHASE)
def create_from_plan(*, selection: list[tuple[int, str, Any]], actor: Any) -> list[PurchaseOrder]:
    """Turn a selection of the purchase plan (notice line, material, quantity) into draft
    purchase orders, one per supplier (the material's usual supplier)."""
    if not selection or len(selection) > MAX_LINES:
        raise invalid(Code.BAD_INPUT, gettext("Select what to buy."), field="selection")
    materials = {
        m.code: m
        for m in Material.objects.filter(code__in={s[1] for s in selection}).select_related(
            "supplier"
        )
    }
    by_supplier: dict[int, list[LineInput]] = defaultdict(list)
    suppliers: dict[int, Supplier] = {}
    for notice_line, code, quantity in selection:
        mat = materials.get(code)
        if mat is None:
            raise not_found("material")
        if mat.supplier is None:
            raise invalid(
                Code.BAD_INPUT,
                gettext("%(material)s has no usual supplier: set one first.")
                % {"material": mat.code},
                field="selection",
            )
        suppliers[mat.supplier.pk] = mat.supplier
        by_supplier[mat.supplier.pk].append(
            LineInput(material=code, quantity=quantity, notice_line=notice_line)
        )
    with transaction.atomic(durable=True), together():
        return [_write_new_po(suppliers[s], by_supplier[s], actor, "") for s in sorted(by_supplier)]


def _figures(line: PurchaseLine, quantity: Decimal) -> rules.Figures | None:
    """The cap's figures for a line: the need of its notice line, what is confirmed for it on
    other lines, the stock taken for it."""
    served = line.notice_line
    if served is None:
        return None
    bom = BomLine.objects.filter(
        product_id=served.line.product_id, material_id=line.material_id
    ).first()
    need = (
        needs.need_of(
            quantity=served.quantity,
            per_unit=bom.per_unit,
            scrap_percent=bom.scrap_percent,
            klass=line.material.klass,
        )
        if bom
        else Decimal(0)
    )
    before = PurchaseLine.objects.filter(
        notice_line_id=line.notice_line_id,
        material_id=line.material_id,
        status=LineStatus.CONFIRMED,
    ).exclude(pk=line.pk).aggregate(q=Sum("quantity"))["q"] or Decimal(0)
    taken = Allocation.objects.filter(
        notice_line_id=line.notice_line_id, material_id=line.material_id
    ).aggregate(q=Sum("quantity"))["q"] or Decimal(0)
    return rules.Figures(
        need=need,
        before=before + taken,
        quantity=quantity,
        limit_percent=rules.limit_of(line.material.klass),
    )


def line_reasons(line: PurchaseLine, quantity: Decimal | None = None) -> tuple[list[Reason], Any]:
    """Why this line may not be confirmed (with ``quantity``) under the packaging rules."""
    klass = line.material.klass
    figures = _figures(line, line.quantity if quantity is None else quantity)
    plate_ok = (
        klass != MaterialClass.NEW_PRINT_BAG
        or Plate.objects.filter(
            material_id=line.material_id, status__in=(PlateStatus.APPROVED, PlateStatus.READY)
        ).exists()
    )
    served = line.notice_line
    spec_ok = klass != MaterialClass.CARTON or (
        served is not None
        and CartonSpec.objects.filter(
            product_id=served.line.product_id, confirmed_at__isnull=False
        ).exists()
    )
    found = rules.reasons(
        klass=klass, figures=figures, plate_approved=plate_ok, spec_confirmed=spec_ok
    )
    return found, figures


def _refuse(line: PurchaseLine, found: list[Reason], figures: Any) -> DomainError:
    return DomainError(
        found[0].code,
        found[0].message,
        kind=Kind.REFUSED,
        details={
            "line": line.pk,
            "po": line.po.number,
            "material": line.material.code,
            "reasons": [r.as_dict() for r in found],
            **({"figures": figures.as_dict()} if figures is not None else {}),
        },
    )


def _open_line(line: PurchaseLine, *states: str) -> None:
    if line.po.status == PoStatus.CANCELLED:
        raise DomainError(
            Code.PO_CANCELLED, gettext("The purchase order is cancelled."), kind=Kind.REFUSED
        )
    if line.status not in states:
        raise DomainError(
            Code.LINE_STATE,
            gettext("Line %(n)s is %(status)s.")
            % {"n": line.line_no, "status": line.get_status_display()},
            kind=Kind.REFUSED,
        )


def _confirm(line: PurchaseLine, actor: Any, *, override: str = "") -> dict[str, Any]:
    if line.notice_line_id:
        locks.notice_lines_for_update([line.notice_line_id])
    found, figures = line_reasons(line)
    if found and not override:
        raise _refuse(line, found, figures)
    now = timezone.now()
    line.status, line.confirmed_by, line.confirmed_at = LineStatus.CONFIRMED, actor, now
    if override:
        line.override_reason, line.override_by, line.override_at = override, actor, now
    _save(line, actor)
    payload: dict[str, Any] = {
        "po": line.po.number,
        "line": line.line_no,
        "material": line.material.code,
        "quantity": str(line.quantity),
        **({"figures": figures.as_dict()} if figures is not None else {}),
    }
    if override:
        payload["overridden"] = [r.code for r in found]
    record(
        kind=p.LINE_OVERRIDDEN if override else p.LINE_CONFIRMED,
        actor=actor,
        order=line.order,
        subject=line.po,
        comment=override,
        payload=payload,
    )
    return payload


@verb(p.PURCHASE)
def confirm_line(*, line: int, actor: Any) -> PurchaseLine:
    """Confirm one draft line: the packaging rules decide (a refusal gives the coded reason
    and the figures, and changes nothing)."""
    with transaction.atomic(durable=True), together():
        found = locks.line_for_update(line)
        _open_line(found, LineStatus.DRAFT)
        _confirm(found, actor)
    return found


@verb(p.OVERRIDE)
def override_line(*, line: int, reason: str, actor: Any) -> PurchaseLine:
    """A manager confirms one line past the packaging rules, with a reason (kept on the line,
    on its timeline, counted in the overrides report)."""
    why = _reason(reason)
    with transaction.atomic(durable=True), together():
        found = locks.line_for_update(line)
        _open_line(found, LineStatus.DRAFT)
        _confirm(found, actor, override=why)
    return found


@verb(p.PURCHASE)
def confirm_purchase_order(*, po: str, actor: Any) -> PurchaseOrder:
    """Confirm every draft line of a purchase order, all or none."""
    with transaction.atomic(durable=True), together():
        found = locks.po_for_update(po)
        if found.status == PoStatus.CANCELLED:
            raise DomainError(
                Code.PO_CANCELLED, gettext("The purchase order is cancelled."), kind=Kind.REFUSED
            )
        drafts = list(
            found.lines.filter(status=LineStatus.DRAFT)
            .select_related("po", "material", "notice_line__line", "order")
            .order_by("line_no")
        )
        if not drafts:
            raise DomainError(
                Code.LINE_STATE, gettext("No line waits for confirmation."), kind=Kind.REFUSED
            )
        locks.notice_lines_for_update([d.notice_line_id for d in drafts if d.notice_line_id])
        for line in drafts:
            _confirm(line, actor)
    return found


@verb(p.PURCHASE)
def amend_line(
    *,
    line: int,
    actor: Any,
    reason: str = "",
    quantity: Any = None,
    unit_price: Any = None,
    promised_on: date | None = None,
) -> PurchaseLine:
    """Change a line's quantity, price or promised date. A confirmed line needs a reason and
    its new quantity is weighed by the packaging rules again (never below what is received)."""
    with transaction.atomic(durable=True), together():
        found = locks.line_for_update(line)
        _open_line(found, LineStatus.DRAFT, LineStatus.CONFIRMED)
        confirmed = found.status == LineStatus.CONFIRMED
        why = _reason(reason) if confirmed else (reason or "").strip()[:500]
        before = {
            "quantity": str(found.quantity),
            "promised_on": found.promised_on.isoformat(),
        }
        if quantity is not None:
            new = _qty(quantity, "quantity")
            if new < found.received_qty:
                raise DomainError(
                    Code.BELOW_RECEIVED,
                    gettext("%(received)s have been received: the quantity cannot be less.")
                    % {"received": f"{found.received_qty.normalize():f}"},
                    kind=Kind.REFUSED,
                )
            if confirmed and new > found.quantity:
                if found.notice_line_id:
                    locks.notice_lines_for_update([found.notice_line_id])
                refusals, figures = line_reasons(found, new)
                if refusals and not found.override_reason:
                    raise _refuse(found, refusals, figures)
            found.quantity = new
        if unit_price is not None:
            found.unit_price = _price(unit_price)
        if promised_on is not None:
            found.promised_on = promised_on
        _save(found, actor)
        if found.received_qty >= found.quantity and found.fully_received_on is None:
            found.fully_received_on = timezone.localdate()
            found.save(update_fields=["fully_received_on"])
        record(
            kind=p.LINE_AMENDED,
            actor=actor,
            order=found.order,
            subject=found.po,
            comment=why,
            payload={
                "po": found.po.number,
                "line": found.line_no,
                "before": before,
                "after": {
                    "quantity": str(found.quantity),
                    "promised_on": found.promised_on.isoformat(),
                },
            },
        )
    return found


@verb(p.PURCHASE)
def cancel_purchase_order(*, po: str, reason: str, actor: Any) -> PurchaseOrder:
    """Cancel a purchase order with a reason, while nothing of it has been received."""
    why = _reason(reason)
    with transaction.atomic(durable=True), together():
        found = locks.po_for_update(po)
        if found.status == PoStatus.CANCELLED:
            raise DomainError(
                Code.PO_CANCELLED, gettext("The purchase order is cancelled."), kind=Kind.REFUSED
            )
        if found.lines.filter(received_qty__gt=0).exists():
            raise DomainError(
                Code.PO_HAS_RECEIPTS,
                gettext("Goods of this purchase order have been received: it cannot be cancelled."),
                kind=Kind.REFUSED,
            )
        found.status, found.cancel_reason = PoStatus.CANCELLED, why
        _save(found, actor)
        lines = list(found.lines.select_related("order"))
        for line in lines:
            line.status = LineStatus.CANCELLED
            _save(line, actor)
        record(
            kind=p.PO_CANCELLED,
            actor=actor,
            subject=found,
            comment=why,
            payload={"po": found.number},
        )
        for order in {line.order for line in lines if line.order is not None}:
            record(
                kind=p.PO_CANCELLED,
                actor=actor,
                order=order,
                subject=found,
                comment=why,
                payload={"po": found.number},
            )
    return found


# ---- shipments, receipts, stock --------------------------------------------------------------


@verb(p.RECEIVE)
def record_shipment(
    *,
    line: int,
    quantity: Any,
    actor: Any,
    expected_on: date,
    shipped_on: date | None = None,
) -> Shipment:
    """The supplier shipped part of a confirmed line: in transit until received."""
    q = _qty(quantity, "quantity")
    with transaction.atomic(durable=True), together():
        found = locks.line_for_update(line)
        _open_line(found, LineStatus.CONFIRMED)
        if found.shipped_qty + q > found.quantity:
            raise DomainError(
                Code.OVER_SHIPMENT,
                gettext("Shipped %(total)s would be more than the %(ordered)s ordered.")
                % {
                    "total": f"{(found.shipped_qty + q).normalize():f}",
                    "ordered": f"{found.quantity.normalize():f}",
                },
                kind=Kind.REFUSED,
            )
        shipment = Shipment.objects.create(
            line=found,
            quantity=q,
            shipped_on=shipped_on or timezone.localdate(),
            expected_on=expected_on,
            actor=actor,
        )
        PurchaseLine.objects.filter(pk=found.pk).update(shipped_qty=F("shipped_qty") + q)
        record(
            kind=p.SHIPPED,
            actor=actor,
            order=found.order,
            subject=found.po,
            payload={
                "po": found.po.number,
                "line": found.line_no,
                "material": found.material.code,
                "quantity": str(q),
                "expected_on": expected_on.isoformat(),
            },
        )
    return shipment


def _add_stock(
    material: Material, warehouse: Warehouse, q: Decimal, reason: str, actor: Any, note: str
) -> None:
    stock, _ = MaterialStock.objects.select_for_update().get_or_create(
        material=material, warehouse=warehouse
    )
    MaterialStock.objects.filter(pk=stock.pk).update(on_hand=F("on_hand") + q)
    MaterialMove.objects.create(
        material=material, warehouse=warehouse, quantity=q, reason=reason, note=note, actor=actor
    )


@verb(p.RECEIVE)
def record_receipt(
    *,
    line: int,
    quantity: Any,
    actor: Any,
    received_on: date | None = None,
    passed: bool = True,
    note: str = "",
) -> Receipt:
    """Goods of a confirmed line arrive (partly, several times). Passed, they are received
    and go into material stock; failed, they go back to the supplier and count for nothing.
    More than is still open is refused."""
    q = _qty(quantity, "quantity")
    day = received_on or timezone.localdate()
    with transaction.atomic(durable=True), together():
        found = locks.line_for_update(line)
        _open_line(found, LineStatus.CONFIRMED)
        if passed and found.received_qty + q > found.quantity:
            raise DomainError(
                Code.OVER_RECEIPT,
                gettext(
                    "Receiving %(qty)s would make %(total)s received of %(ordered)s ordered: "
                    "at most %(open)s is still open."
                )
                % {
                    "qty": f"{q.normalize():f}",
                    "total": f"{(found.received_qty + q).normalize():f}",
                    "ordered": f"{found.quantity.normalize():f}",
                    "open": f"{found.open_qty.normalize():f}",
                },
                kind=Kind.REFUSED,
                details={
                    "line": found.pk,
                    "ordered": str(found.quantity),
                    "received": str(found.received_qty),
                    "quantity": str(q),
                },
            )
        warehouse = material_warehouse()
        receipt = Receipt(
            line=found,
            quantity=q,
            received_on=day,
            warehouse=warehouse,
            passed=passed,
            note=note[:500],
            actor=actor,
        )
        _save(receipt, actor)
        if passed:
            found.received_qty += q
            if found.shipped_qty < found.received_qty:
                found.shipped_qty = found.received_qty
            if found.received_qty >= found.quantity:
                found.fully_received_on = day
            _save(found, actor)
            _add_stock(found.material, warehouse, q, MoveReason.RECEIPT, actor, found.po.number)
        record(
            kind=p.RECEIVED,
            actor=actor,
            order=found.order,
            subject=found.po,
            comment=receipt.note,
            payload={
                "po": found.po.number,
                "line": found.line_no,
                "material": found.material.code,
                "quantity": str(q),
                "passed": passed,
                "received_on": day.isoformat(),
            },
        )
    return receipt


@verb(p.MANAGE_MATERIALS)
def adjust_stock(*, material: str, quantity: Any, actor: Any, note: str = "") -> MaterialStock:
    """Count a material's stock in: add (or, negative, take away) a quantity."""
    try:
        q = Decimal(str(quantity)).quantize(Decimal("0.001"))
    except (InvalidOperation, ValueError):
        raise invalid(Code.BAD_QUANTITY, gettext("Enter a quantity."), field="quantity") from None
    if not q or abs(q) > MAX_QTY:
        raise invalid(Code.BAD_QUANTITY, gettext("Enter a quantity."), field="quantity")
    mat = Material.objects.filter(code=material).first()
    if mat is None:
        raise not_found("material")
    with transaction.atomic(durable=True), together():
        warehouse = material_warehouse()
        stock, _ = MaterialStock.objects.select_for_update().get_or_create(
            material=mat, warehouse=warehouse
        )
        if stock.on_hand + q < 0:
            raise DomainError(
                Code.NOT_ENOUGH_STOCK,
                gettext("Only %(n)s in stock.") % {"n": f"{stock.on_hand.normalize():f}"},
                kind=Kind.REFUSED,
            )
        _add_stock(mat, warehouse, q, MoveReason.ADJUST, actor, note[:200])
        stock.refresh_from_db()
        record(
            kind=p.MASTER_CHANGED,
            actor=actor,
            subject=mat,
            comment=note[:200],
            payload={"material": material, "adjusted": str(q)},
        )
    return stock


@verb(p.PURCHASE)
def take_stock(*, notice_line: int, material: str, quantity: Any, actor: Any) -> Allocation:
    """Take free stock for a notice line's need: it leaves the stock and counts against the need
    (and the packaging caps) like a purchase for it."""
    q = _qty(quantity, "quantity")
    mat = Material.objects.filter(code=material).first()
    nl = (
        ProductionNoticeLine.objects.filter(pk=notice_line)
        .select_related("notice__order", "line")
        .first()
    )
    if mat is None:
        raise not_found("material")
    if nl is None:
        raise not_found("notice_line")
    with transaction.atomic(durable=True), together():
        locks.notice_lines_for_update([nl.pk])
        warehouse = material_warehouse()
        stock, _ = MaterialStock.objects.select_for_update().get_or_create(
            material=mat, warehouse=warehouse
        )
        if stock.on_hand < q:
            raise DomainError(
                Code.NOT_ENOUGH_STOCK,
                gettext("Only %(n)s in stock.") % {"n": f"{stock.on_hand.normalize():f}"},
                kind=Kind.REFUSED,
            )
        allocation = Allocation.objects.create(
            notice_line=nl, material=mat, quantity=q, actor=actor
        )
        _add_stock(mat, warehouse, -q, MoveReason.ISSUE, actor, nl.notice.number)
        record(
            kind=p.STOCK_TAKEN,
            actor=actor,
            order=nl.notice.order,
            subject=allocation,
            payload={"notice": nl.notice.number, "material": material, "quantity": str(q)},
        )
    return allocation
