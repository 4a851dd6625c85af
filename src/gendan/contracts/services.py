"""Every write of the contracts app: issue the sales contract of a signed order (one version per
revision of the order, its content frozen), record the customer's countersigned copy (an
attachment, with the date it was signed), and set a customer's contract terms. The release
condition (contributions.py) reads them. A refusal changes nothing; each write keeps its history
and an event on the timeline."""

from __future__ import annotations

from datetime import date
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from gendan.accounts.guards import verb
from gendan.attachments.services import store_attachment
from gendan.contracts import permissions as p
from gendan.contracts import selectors
from gendan.contracts.errors import Code
from gendan.contracts.models import ContractStatus, ContractTerms, SalesContract
from gendan.errors import DomainError, Kind, invalid
from gendan.numbering.services import next_number
from gendan.orders.models import Order
from gendan.orders.selectors import get_order_for
from gendan.orders.workflow import Status
from gendan.parties.selectors import get_customer_for
from gendan.timeline.services import record

MODEL = "contracts.salescontract"


def _save(obj: Any, actor: Any) -> None:
    obj._history_user = actor
    obj.save()


def company() -> dict[str, str]:
    return {
        "name": getattr(settings, "GENDAN_COMPANY_NAME", ""),
        "address": getattr(settings, "GENDAN_COMPANY_ADDRESS", ""),
    }


def is_signed(order: Order) -> bool:
    """Signed: the sales manager signed it (finance too, unless its kind waives it) and it is
    not cancelled."""
    return order.manager_signed_at is not None and order.status != Status.CANCELLED


def content_of(order: Order) -> dict[str, Any]:
    """What the contract says, as plain data (kept on the contract when issued)."""
    terms = selectors.terms_of(order.customer)
    lines = []
    for line in order.lines.select_related("product").order_by("line_no"):
        product = line.product
        lines.append(
            {
                "line_no": line.line_no,
                "code": product.code,
                "name": product.name,
                "spec": " ".join(
                    x for x in (product.spec, line.size or product.size, line.colour) if x
                ),
                "unit": product.unit,
                "quantity": line.quantity,
                "unit_price": str(line.unit_price),
                "amount": str(line.amount),
                "packing": line.packing_requirement,
            }
        )
    customer = order.customer
    return {
        "company": company(),
        "customer": {"code": customer.code, "name": customer.name, "address": customer.address},
        "order": order.number,
        "revision": order.revision,
        "customer_po": order.customer_po,
        "contract_date": order.contract_date.isoformat(),
        "delivery_date": order.delivery_date.isoformat(),
        "currency": order.currency,
        "incoterm": order.incoterm,
        "lines": lines,
        "total": str(order.total_amount),
        "deposit_percent": str(order.deposit_percent),
        "deposit": str(order.deposit_due),
        "balance": str(order.total_amount - order.deposit_due),
        "credit_days": customer.credit_days,
        "packing": "; ".join(dict.fromkeys(str(x["packing"]) for x in lines if x["packing"])),
        "quality_terms": terms.quality_terms if terms else "",
        "notes": order.notes,
    }


@verb(p.ISSUE)
def issue_contract(*, actor: Any, order: str) -> SalesContract:
    """The sales contract of the order's current revision: made once per revision (asking again
    gives the same contract); an earlier version, signed or not, is kept as it was."""
    found = get_order_for(actor, order)
    if not is_signed(found):
        raise DomainError(
            Code.NOT_SIGNED,
            gettext("A sales contract is issued once the order is signed."),
            kind=Kind.REFUSED,
        )
    with transaction.atomic(durable=True):
        locked = Order.objects.select_for_update().select_related("customer").get(pk=found.pk)
        current = SalesContract.objects.filter(order=locked, version=locked.revision).first()
        if current is not None:
            return current
        contract = SalesContract(
            number=f"{next_number('SC')}-V{locked.revision}",
            order=locked,
            version=locked.revision,
            content=content_of(locked),
            issued_by=actor,
        )
        _save(contract, actor)
        record(
            kind=p.ISSUED,
            actor=actor,
            order=locked,
            subject=contract,
            payload={"contract": contract.number, "version": contract.version},
        )
    return contract


@verb(p.RECORD_COUNTERSIGNED)
def record_countersigned(
    *, actor: Any, number: str, file: IO[bytes] | None, signed_on: date | None = None
) -> SalesContract:
    """The customer's countersigned copy is attached and marks the contract signed, on the date
    the customer signed (today when not given, never in the future)."""
    contract = selectors.get_contract_for(actor, number)
    signed_on = signed_on or timezone.localdate()
    if signed_on > timezone.localdate():
        raise invalid(
            Code.BAD_INPUT, gettext("The signing date cannot be in the future."), field="signed_on"
        )
    if contract.signed:
        raise DomainError(
            Code.ALREADY_COUNTERSIGNED,
            gettext("This contract is already countersigned."),
            kind=Kind.REFUSED,
        )
    if contract.version != contract.order.revision:
        raise DomainError(
            Code.NOT_CURRENT,
            gettext("The order was revised since: issue and sign the contract of its revision."),
            kind=Kind.REFUSED,
        )
    attachment = store_attachment(actor=actor, model=MODEL, key=number, file=file)
    with transaction.atomic(durable=True):
        contract = SalesContract.objects.select_for_update().get(pk=contract.pk)
        if contract.signed:  # signed by another request meanwhile: the file stays attached
            return contract
        contract.status = ContractStatus.COUNTERSIGNED
        contract.countersigned_on = signed_on
        contract.countersigned_file = attachment
        contract.recorded_by = actor
        _save(contract, actor)
        record(
            kind=p.COUNTERSIGNED,
            actor=actor,
            order=contract.order,
            subject=contract,
            payload={
                "contract": contract.number,
                "signed_on": signed_on.isoformat(),
                "attachment": attachment.pk,
            },
        )
    return contract


@verb(p.SET_TERMS)
def set_contract_terms(
    *, actor: Any, customer: str, needs_countersigned: bool, quality_terms: str = ""
) -> ContractTerms:
    cust = get_customer_for(actor, customer)
    with transaction.atomic(durable=True):
        terms = ContractTerms.objects.select_for_update().filter(customer=cust).first()
        terms = terms or ContractTerms(customer=cust, updated_by=actor)
        terms.needs_countersigned = bool(needs_countersigned)
        terms.quality_terms = (quality_terms or "").strip()[:4000]
        terms.updated_by = actor
        terms.updated_at = timezone.now()
        _save(terms, actor)
        record(
            kind=p.TERMS_SET,
            actor=actor,
            customer=cust,
            subject=terms,
            payload={"needs_countersigned": terms.needs_countersigned},
        )
    return terms
