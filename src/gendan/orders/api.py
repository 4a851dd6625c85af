"""Orders over HTTP: create, read, list, amend, the action endpoints, payments, Excel."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from gendan.accounts.guards import permission_denied
from gendan.accounts.permissions import Perm
from gendan.apiconventions import (
    ErrorOut,
    caller,
    documented_headers,
    errors,
    expected_version,
    idempotent,
)
from gendan.errors import DomainError, Kind
from gendan.orders import imports, inputs, selectors, services, workflow
from gendan.orders.entry import LineInput
from gendan.orders.errors import Code
from gendan.orders.excel import export_orders as run_export
from gendan.orders.models import Incoterm
from gendan.parties.models import Channel
from gendan.prices import redact_payload, redact_reasons, redact_text

router = Router(tags=["orders"])


ERRORS = errors(403, 404, 409, 412)


class LineIn(Schema):
    product: str = Field(min_length=1, max_length=inputs.MAX_CODE)
    quantity: inputs.Quantity
    unit_price: inputs.UnitPrice
    colour: str = Field("", max_length=inputs.MAX_COLOUR)
    size: str = Field("", max_length=inputs.MAX_SIZE)
    packs: inputs.Packs = 0
    special_material: str = Field("", max_length=inputs.MAX_REQUIREMENT)
    packing_requirement: str = Field("", max_length=inputs.MAX_REQUIREMENT)


class OrderIn(Schema):
    customer: str = Field(max_length=inputs.MAX_CUSTOMER_CODE)
    contract_date: inputs.OrderDate
    delivery_date: inputs.OrderDate
    lines: list[LineIn] = Field(min_length=1, max_length=inputs.MAX_LINES)
    salesperson: str | None = Field(
        None,
        max_length=inputs.MAX_USERNAME,
        description=(
            "Username; absent: the customer's salesperson. Only a merchandiser or a sales "
            "manager may name someone other than themselves (else 409 `assign_not_allowed`); "
            "GET /api/v1/people?role=salesperson lists whom you may name."
        ),
    )
    merchandiser: str | None = Field(
        None,
        max_length=inputs.MAX_USERNAME,
        description=(
            "Username; required unless you are a merchandiser yourself (then it is you): "
            "GET /api/v1/people?role=merchandiser lists them."
        ),
    )
    channel: Channel | None = None
    currency: str | None = Field(None, min_length=3, max_length=3)
    incoterm: Incoterm | None = None
    customer_po: str = Field("", max_length=inputs.MAX_CUSTOMER_PO)
    notes: str = Field("", max_length=inputs.MAX_NOTES)
    submit: bool = False


class OrderPatch(Schema):
    reason: str = Field("", max_length=inputs.MAX_REASON)
    contract_date: inputs.OrderDate | None = None
    delivery_date: inputs.OrderDate | None = None
    incoterm: Incoterm | None = None
    currency: str | None = Field(None, min_length=3, max_length=3)
    customer_po: str | None = Field(None, max_length=inputs.MAX_CUSTOMER_PO)
    notes: str | None = Field(None, max_length=inputs.MAX_NOTES)
    lines: list[LineIn] | None = Field(None, min_length=1, max_length=inputs.MAX_LINES)


class LineOut(Schema):
    line_no: int
    product: str
    product_name: str
    colour: str
    size: str
    quantity: int
    packs: int
    unit_price: Decimal | None = None
    amount: Decimal | None = None
    special_material: str
    packing_requirement: str
    reserved_qty: int
    produced_qty: int
    shipped_qty: int
    delivered_qty: int


class PaymentOut(Schema):
    kind: str
    amount: Decimal
    currency: str
    received_on: date
    reference: str
    recorded_by: str
    recorded_at: datetime


class ReservationOut(Schema):
    line_no: int
    quantity: int
    consumed: int
    status: str


class NoticeLineOut(Schema):
    line_no: int
    quantity: int


class ProductionNoticeOut(Schema):
    number: str
    status: str
    issued_at: datetime
    done_at: datetime | None
    lines: list[NoticeLineOut]


class DeliveryNoteOut(Schema):
    number: str
    cod_amount: Decimal | None = None
    delivered_at: datetime | None = None
    received_by: str = ""
    proof_reference: str = ""
    cod_collected: Decimal | None = None
    cod_reconciled_at: datetime | None = None


class ShippingNoticeOut(Schema):
    number: str
    status: str
    ship_date: date
    copies: list[str]
    outbound_slip: str | None
    delivery_note: DeliveryNoteOut | None
    lines: list[NoticeLineOut]


class EventOut(Schema):
    kind: str
    at: datetime
    actor: str | None
    from_status: str
    to_status: str
    comment: str
    payload: dict | None = None


class RevisionOut(Schema):
    revision: int
    reason: str
    changed: list[str]
    created_by: str
    created_at: datetime


class Signature(Schema):
    by: str | None
    at: datetime | None


class OrderOut(Schema):
    number: str
    revision: int
    version: int
    status: str
    status_label: str
    customer: str
    customer_name: str
    salesperson: str
    merchandiser: str
    channel: str
    currency: str
    incoterm: str
    contract_date: date
    delivery_date: date
    customer_po: str
    notes: str
    total_amount: Decimal | None = None
    deposit_percent: Decimal | None = None
    deposit_due: Decimal | None = None
    paid_amount: Decimal | None = None
    balance_due: Decimal | None = None
    on_credit: bool
    finance_signature: Signature
    manager_signature: Signature
    hold_reason: str
    cancel_reason: str
    lines: list[LineOut]
    payments: list[PaymentOut] | None = None
    reservations: list[ReservationOut]
    production_notices: list[ProductionNoticeOut]
    shipping_notices: list[ShippingNoticeOut]
    revisions: list[RevisionOut]
    timeline: list[EventOut]


class OrderSummary(Schema):
    number: str
    status: str
    customer: str
    customer_name: str
    salesperson: str
    merchandiser: str
    channel: str
    currency: str
    contract_date: date
    delivery_date: date
    total_amount: Decimal | None = None
    paid_amount: Decimal | None = None


class OrderPage(Schema):
    items: list[OrderSummary]
    next_cursor: str | None


class ActionOut(Schema):
    action: str
    label: str
    allowed: bool
    reasons: list[dict[str, str]]
    params: list[str]


class RecordPaymentIn(Schema):
    kind: str = Field(pattern="^(deposit|balance)$")
    amount: Decimal = Field(gt=0, max_digits=14, decimal_places=2)
    reference: str = Field("", max_length=100)
    received_on: date | None = None


# ---- presenting an order: prices only to those who may see them --------------------------------


def _username(user: Any) -> str | None:
    return user.username if user is not None else None


def order_out(order: Any, actor: Any) -> dict[str, Any]:
    prices = actor.can(Perm.VIEW_PRICES)
    lines = list(order.lines.all())
    by_line = {line.pk: line.line_no for line in lines}
    reservations = [r for line in lines for r in line.reservations.all()]
    out: dict[str, Any] = summary_out(order, prices) | {
        "revision": order.revision,
        "version": order.version,
        "status_label": str(workflow.Status(order.status).label),
        "incoterm": order.incoterm,
        "customer_po": order.customer_po,
        "notes": redact_text(order.notes, actor),
        "on_credit": order.on_credit,
        "finance_signature": {
            "by": _username(order.finance_signed_by),
            "at": order.finance_signed_at,
        },
        "manager_signature": {
            "by": _username(order.manager_signed_by),
            "at": order.manager_signed_at,
        },
        "hold_reason": redact_text(order.hold_reason, actor),
        "cancel_reason": redact_text(order.cancel_reason, actor),
        "lines": [],
        "reservations": [
            {
                "line_no": by_line[r.line_id],
                "quantity": r.quantity,
                "consumed": r.consumed,
                "status": r.status,
            }
            for r in reservations
        ],
        "production_notices": [
            {
                "number": n.number,
                "status": n.status,
                "issued_at": n.issued_at,
                "done_at": n.done_at,
                "lines": [
                    {"line_no": by_line[nl.line_id], "quantity": nl.quantity}
                    for nl in n.lines.all()
                ],
            }
            for n in order.production_notices.all()
        ],
        "shipping_notices": [
            _shipping_out(n, by_line, prices) for n in order.shipping_notices.all()
        ],
        "revisions": [
            {
                "revision": r.revision,
                "reason": redact_text(r.reason, actor),
                "changed": sorted(r.changes),
                "created_by": str(r.created_by_id),
                "created_at": r.created_at,
            }
            for r in order.revisions.all()
        ],
        "timeline": [
            {
                "kind": e.kind,
                "at": e.at,
                "actor": _username(e.actor),
                "from_status": e.from_status,
                "to_status": e.to_status,
                "comment": redact_text(e.comment, actor),
                "payload": redact_payload(e.payload, actor),
            }
            for e in order.events.all()
        ],
    }
    for line in lines:
        row = {
            "line_no": line.line_no,
            "product": line.product.code,
            "product_name": line.product.name,
            "colour": line.colour,
            "size": line.size,
            "quantity": line.quantity,
            "packs": line.packs,
            "special_material": line.special_material,
            "packing_requirement": line.packing_requirement,
            "reserved_qty": sum(
                r.quantity - r.consumed for r in line.reservations.all() if r.status == "active"
            ),
            "produced_qty": line.produced_qty,
            "shipped_qty": line.shipped_qty,
            "delivered_qty": line.delivered_qty,
        }
        if prices:
            row |= {"unit_price": line.unit_price, "amount": line.amount}
        out["lines"].append(row)
    if prices:
        out |= {
            "total_amount": order.total_amount,
            "deposit_percent": order.deposit_percent,
            "deposit_due": order.deposit_due,
            "paid_amount": order.paid_amount,
            "balance_due": order.balance_due,
            "payments": [payment_out(p) for p in order.payments.all()],
        }
    return out


def payment_out(p: Any) -> dict[str, Any]:
    return {
        "kind": p.kind,
        "amount": p.amount,
        "currency": p.currency,
        "received_on": p.received_on,
        "reference": p.reference,
        "recorded_by": str(p.recorded_by_id),
        "recorded_at": p.recorded_at,
    }


def _shipping_out(n: Any, by_line: dict[int, int], prices: bool) -> dict[str, Any]:
    note = getattr(n, "delivery_note", None)
    note_out = None
    if note is not None:
        note_out = {
            "number": note.number,
            "delivered_at": note.delivered_at,
            "received_by": note.received_by,
            "proof_reference": note.proof_reference,
            "cod_reconciled_at": note.cod_reconciled_at,
        }
        if prices:
            note_out |= {"cod_amount": note.cod_amount, "cod_collected": note.cod_collected}
    slip = getattr(n, "outbound_slip", None)
    return {
        "number": n.number,
        "status": n.status,
        "ship_date": n.ship_date,
        "copies": list(n.COPIES),
        "outbound_slip": slip.number if slip else None,
        "delivery_note": note_out,
        "lines": [
            {"line_no": by_line[nl.line_id], "quantity": nl.quantity} for nl in n.lines.all()
        ],
    }


def summary_out(order: Any, prices: bool) -> dict[str, Any]:
    out = {
        "number": order.number,
        "status": order.status,
        "customer": order.customer.code,
        "customer_name": order.customer.name,
        "salesperson": order.salesperson.username,
        "merchandiser": order.merchandiser.username,
        "channel": order.channel,
        "currency": order.currency,
        "contract_date": order.contract_date,
        "delivery_date": order.delivery_date,
    }
    if prices:
        out |= {"total_amount": order.total_amount, "paid_amount": order.paid_amount}
    return out


def _detail(actor: Any, number: str) -> dict[str, Any]:
    return order_out(selectors.get_order_for(actor, number, detail=True), actor)


def _with_etag(response: HttpResponse, body: dict[str, Any]) -> dict[str, Any]:
    response["ETag"] = f'"{body["version"]}"'
    return body


def _lines(lines: list[LineIn]) -> list[LineInput]:
    return [LineInput(**line.dict()) for line in lines]


# ---- endpoints ---------------------------------------------------------------------------------


class OrderFilterIn(Schema):
    status: list[workflow.Status] | None = None
    customer: str | None = None
    salesperson: str | None = None
    merchandiser: str | None = None
    channel: Channel | None = None
    due_after: date | None = None
    due_before: date | None = None
    q: str | None = None
    cursor: str | None = None
    limit: int = Field(50, ge=1, le=200)


@router.get("", response={200: OrderPage, **errors()}, exclude_unset=True)
def list_orders(request: HttpRequest, filters: Query[OrderFilterIn]):
    """Orders you may see, by delivery date; `next_cursor` gives the next page (keyset)."""
    actor = caller(request)
    f = selectors.OrderFilter(**filters.dict(exclude={"cursor", "limit"}))
    rows, cursor = selectors.page_of_orders(
        selectors.filter_orders(actor, f), cursor=filters.cursor, limit=filters.limit
    )
    prices = actor.can(Perm.VIEW_PRICES)
    return {"items": [summary_out(o, prices) for o in rows], "next_cursor": cursor}


@router.post(
    "",
    response={201: OrderOut, **ERRORS},
    exclude_unset=True,
    openapi_extra=documented_headers(idempotent=True),
)
def create_order(request: HttpRequest, response: HttpResponse, data: OrderIn):
    """Enter an order with its lines. Send an Idempotency-Key to make a retry safe."""
    actor = caller(request)

    def run() -> tuple[int, Any]:
        # an absent optional field takes the service's default (the customer's, or none)
        values = data.dict(exclude={"lines"}, exclude_none=True)
        order = services.create_order(actor=actor, lines=_lines(data.lines), **values)
        return 201, _detail(actor, order.number)

    status, body = idempotent(request, "orders.create", data.dict(), run)
    return Status(status, _with_etag(response, body))


class ImportReport(Schema):
    """An uploaded workbook on its way in: `status` queued, checking, ready (checked, waiting for
    the confirm), invalid (nothing imported: see `errors`), importing, done or failed. `errors`
    are the first 200, `more_errors` counts the rest."""

    key: str
    name: str
    status: str
    status_label: str
    confirmed: bool
    progress: float
    rows: int
    orders: int
    imported: list[str]
    errors: list[dict[str, Any]]
    error_count: int
    more_errors: int
    failure: str
    created_at: datetime
    finished_at: datetime | None


@router.post("/import", response={202: ImportReport, **errors(403), 413: ErrorOut})
def import_orders(request: HttpRequest, file: File[UploadedFile], dry_run: bool = False):
    """Upload an .xlsx in the documented template (at most 5 MB, 50,000 rows, 50 columns): checked
    at once, then checked and imported by the background worker; any bad row imports nothing.
    Follow it with GET /orders/import/{key}. With `dry_run` it is only checked: confirm it with
    POST /orders/import/{key}/confirm."""
    actor = caller(request)
    if file.size is not None and file.size > imports.MAX_BYTES:
        refused = DomainError(
            imports.Code.FILE_TOO_LARGE,
            gettext(
                "The file is %(size)s MB; files over %(max)s MB are refused. Split it into smaller files."
            )
            % {"size": f"{file.size / 1024 / 1024:.1f}", "max": imports.MAX_BYTES // 1024 // 1024},
            kind=Kind.INVALID,
            details={"field": "file"},
        )
        return Status(413, refused.as_dict())
    run = imports.start_import(
        actor=actor, name=file.name or "orders.xlsx", data=file.read(), confirmed=not dry_run
    )
    return Status(202, imports.import_report_out(run))


@router.get("/import/{key}", response={200: ImportReport, **errors(404)})
def import_status(request: HttpRequest, key: uuid.UUID):
    """How far an upload is: its status, progress, the orders imported or the errors."""
    return imports.import_report_out(imports.get_import_for(caller(request), key))


@router.post("/import/{key}/confirm", response={202: ImportReport, **errors(403, 404, 409)})
def confirm_import(request: HttpRequest, key: uuid.UUID):
    """Import an upload checked with `dry_run` that had no error (409 unless it is ready)."""
    run = imports.confirm_import(actor=caller(request), key=key)
    return Status(202, imports.import_report_out(run))


@router.get("/import/{key}/errors.xlsx", response={200: None, **errors(404)})
def import_errors_xlsx(request: HttpRequest, key: uuid.UUID):
    """The upload back with each refused cell marked and explained in a comment."""
    run = imports.get_import_for(caller(request), key)
    if not run.annotated:
        raise DomainError(
            "import_has_no_errors", gettext("This upload has no errors."), kind=Kind.NOT_FOUND
        )
    response = HttpResponse(
        bytes(run.annotated),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="import-errors.xlsx"'
    return response


@router.get("/export.xlsx", response={200: None, **errors(403)})
def export_orders(request: HttpRequest, filters: Query[OrderFilterIn]):
    """The orders of the filter as .xlsx, in the import template's format."""
    actor = caller(request)
    f = selectors.OrderFilter(**filters.dict(exclude={"cursor", "limit"}))
    content = run_export(selectors.filter_orders(actor, f), actor=actor, filters=asdict(f))
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="orders.xlsx"'
    return response


@router.get("/{number}", response={200: OrderOut, **errors(404)}, exclude_unset=True)
def read_order(request: HttpRequest, response: HttpResponse, number: str):
    """The order with lines, payments, reservations, notices, documents and timeline; ETag = version."""
    return _with_etag(response, _detail(caller(request), number))


@router.patch(
    "/{number}",
    response={200: OrderOut, **ERRORS},
    exclude_unset=True,
    openapi_extra=documented_headers(if_match=True),
)
def amend_order(request: HttpRequest, response: HttpResponse, number: str, data: OrderPatch):
    """Amend: a new revision (the signed one is kept); price, quantity or date changes need the signatures again."""
    actor = caller(request)
    changes = data.dict(exclude={"lines", "reason"}, exclude_unset=True)
    services.amend_order(
        order_number=number,
        actor=actor,
        changes=changes,
        lines=_lines(data.lines) if data.lines else None,
        reason=data.reason,
        expected_version=expected_version(request),
    )
    return _with_etag(response, _detail(actor, number))


@router.get("/{number}/actions", response={200: list[ActionOut], **errors(404)})
def list_actions(request: HttpRequest, number: str):
    """Every action with whether you may take it now, and the reasons when not."""
    actor = caller(request)
    order = selectors.get_order_for(actor, number)
    return [
        {
            "action": a.action,
            "label": a.label,
            "allowed": a.allowed,
            "reasons": redact_reasons(a.reasons, actor),
            "params": list(a.params),
        }
        for a in selectors.available_actions(order, actor)
    ]


def _action_endpoint(transition: workflow.Transition) -> Any:
    """The endpoint of one action: its own input schema, documented in the OpenAPI, and its
    own idempotency (money never counts twice on a retry with the same Idempotency-Key)."""
    action = transition.action
    verb = services.ACTION_VERBS[action]
    required = bool(inputs.required_fields(transition.input))

    def take_action(request: HttpRequest, response: HttpResponse, number: str, data: Any = None):
        actor = caller(request)
        given = data.dict(exclude_none=True) if data is not None else {}

        def run() -> tuple[int, Any]:
            verb(
                order_number=number,
                actor=actor,
                expected_version=expected_version(request),
                **given,
            )
            return 200, _detail(actor, number)

        if transition.idempotent:
            status, body = idempotent(request, f"orders.{number}.{action}", given, run)
        else:
            status, body = run()
        return Status(status, _with_etag(response, body))

    take_action.__annotations__ = {
        "request": HttpRequest,
        "response": HttpResponse,
        "number": str,
        "data": transition.input if required else transition.input | None,
    }
    if required:
        take_action.__defaults__ = None
    take_action.__name__ = f"take_{action}"
    take_action.__doc__ = f"{transition.label}. {(verb.__doc__ or '').strip()}".strip()
    return take_action


for _transition in workflow.TRANSITIONS:
    if _transition.action == "amend":
        continue  # amend is PATCH on the order
    router.post(
        f"/{{number}}/actions/{_transition.action}",
        response={200: OrderOut, **ERRORS},
        exclude_unset=True,
        operation_id=f"order_action_{_transition.action}",
        summary=str(_transition.label),
        openapi_extra=documented_headers(idempotent=_transition.idempotent, if_match=True),
    )(_action_endpoint(_transition))


@router.post("/{number}/actions/{action}", response={404: ErrorOut})
def unknown_action(request: HttpRequest, number: str, action: str):
    """Any other action name: the list of the actions there are."""
    caller(request)
    raise DomainError(
        Code.UNKNOWN_ACTION,
        gettext("Unknown action “%(action)s”. Amend with PATCH on the order.") % {"action": action},
        kind=Kind.NOT_FOUND,
        details={"actions": list(services.ACTION_VERBS)},
    )


@router.get("/{number}/payments", response={200: list[PaymentOut], **errors(403, 404)})
def list_payments(request: HttpRequest, number: str):
    actor = caller(request)
    order = selectors.get_order_for(actor, number)
    if not actor.can(Perm.VIEW_PRICES):
        raise permission_denied(Perm.VIEW_PRICES)
    return [payment_out(p) for p in order.payments.all()]


@router.post(
    "/{number}/payments",
    response={201: OrderOut, **ERRORS},
    exclude_unset=True,
    openapi_extra=documented_headers(idempotent=True, if_match=True),
)
def record_payment(
    request: HttpRequest, response: HttpResponse, number: str, data: RecordPaymentIn
):
    """Finance records money received: a deposit or a balance. Send an Idempotency-Key."""
    actor = caller(request)
    verb = services.confirm_deposit if data.kind == "deposit" else services.confirm_balance
    selectors.get_order_for(actor, number)

    def run() -> tuple[int, Any]:
        verb(
            order_number=number,
            actor=actor,
            amount=data.amount,
            reference=data.reference,
            received_on=data.received_on,
            expected_version=expected_version(request),
        )
        return 201, _detail(actor, number)

    status, body = idempotent(request, f"orders.{number}.payments", data.dict(), run)
    return Status(status, _with_etag(response, body))
