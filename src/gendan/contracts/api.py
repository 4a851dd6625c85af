"""The sales contract over HTTP (/api/v1/contracts/...): the contracts you see, issue one from a
signed order, attach the countersigned copy, set a customer's terms. No price in any answer: the
contract's figures are in its PDF, for those who see prices."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from gendan.apiconventions import caller, errors, page_by_key
from gendan.contracts import selectors, services
from gendan.contracts.models import SalesContract

router = Router(tags=["contracts"])


class ContractOut(Schema):
    number: str
    order: str
    version: int
    status: str
    issued_by: str
    issued_at: datetime
    countersigned_on: date | None
    countersigned_file: int | None


def contract_out(c: SalesContract) -> dict[str, Any]:
    return {
        "number": c.number,
        "order": c.order.number,
        "version": c.version,
        "status": c.status,
        "issued_by": c.issued_by.username,
        "issued_at": c.issued_at,
        "countersigned_on": c.countersigned_on,
        "countersigned_file": c.countersigned_file_id,
    }


class ContractPage(Schema):
    items: list[ContractOut]
    next_cursor: str | None


@router.get("/", response={200: ContractPage, **errors()})
def list_contracts(
    request: HttpRequest,
    order: str | None = Query(None, max_length=30),
    after: int | None = Query(None, ge=1, description="`next_cursor` of the page before"),
    limit: int = Query(100, ge=1, le=500),
):
    """Sales contracts of the orders you see, newest first."""
    qs = selectors.contracts(caller(request))
    if order:
        qs = qs.filter(order__number=order)
    rows, cursor = page_by_key(qs, key="-id", after=after, limit=limit)
    return {"items": [contract_out(c) for c in rows], "next_cursor": cursor}


@router.get("/{number}", response={200: ContractOut, **errors(404)})
def get_contract(request: HttpRequest, number: str):
    return contract_out(selectors.get_contract_for(caller(request), number))


@router.post("/orders/{number}/issue", response={201: ContractOut, **errors(403, 404, 409)})
def issue_contract(request: HttpRequest, number: str):
    """The contract of the signed order's current revision (the same one when asked again)."""
    made = services.issue_contract(actor=caller(request), order=number)
    return Status(201, contract_out(selectors.get_contract_for(caller(request), made.number)))


@router.post("/{number}/countersigned", response={200: ContractOut, **errors(403, 404, 409)})
def record_countersigned(
    request: HttpRequest,
    number: str,
    file: File[UploadedFile],
    signed_on: Form[date | None] = None,
):
    """The customer's countersigned copy (multipart field ``file``), with the signing date."""
    services.record_countersigned(
        actor=caller(request), number=number, file=file, signed_on=signed_on
    )
    return contract_out(selectors.get_contract_for(caller(request), number))


class TermsIn(Schema):
    needs_countersigned: bool
    quality_terms: str = Field("", max_length=4000)


class TermsOut(Schema):
    customer: str
    needs_countersigned: bool
    quality_terms: str


@router.put("/terms/{customer}", response={200: TermsOut, **errors(403, 404)})
def set_terms(request: HttpRequest, customer: str, data: TermsIn):
    terms = services.set_contract_terms(actor=caller(request), customer=customer, **data.dict())
    return {
        "customer": terms.customer.code,
        "needs_countersigned": terms.needs_countersigned,
        "quality_terms": terms.quality_terms,
    }
