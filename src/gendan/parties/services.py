from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from gendan.accounts.assignment import ASSIGN_ORDERS, may_name_salesperson
from gendan.accounts.guards import step, verb
from gendan.accounts.models import User
from gendan.accounts.permissions import Perm
from gendan.codes import CODE_MESSAGE, is_valid_code
from gendan.errors import DomainError, Kind, invalid, not_found
from gendan.finance.currencies import normalise_currency
from gendan.orders.selectors import visible_orders
from gendan.parties.models import Channel, Communication, CommunicationKind, Contact, Customer
from gendan.parties.selectors import get_customer_for, visible_communications
from gendan.timeline.models import EventKind
from gendan.timeline.services import record

CUSTOMER_FIELDS = (
    "name",
    "channel",
    "region",
    "province",
    "currency",
    "deposit_percent",
    "credit_days",
    "credit_limit",
    "address",
    "notes",
)


def _check_customer(values: dict[str, Any]) -> None:
    if "name" in values and not str(values["name"]).strip():
        raise invalid("name_required", gettext("The name is required."), field="name")
    if "channel" in values and values["channel"] not in Channel.values:
        raise invalid(
            "invalid_channel",
            gettext("Unknown channel “%(value)s”.") % {"value": values["channel"]},
            field="channel",
        )
    pct = values.get("deposit_percent")
    if pct is not None and not (Decimal(0) <= Decimal(str(pct)) <= Decimal(100)):
        raise invalid(
            "invalid_deposit",
            gettext("The deposit percentage must be between 0 and 100."),
            field="deposit_percent",
        )
    if values.get("credit_limit") is not None and Decimal(str(values["credit_limit"])) < 0:
        raise invalid(
            "invalid_credit_limit",
            gettext("The credit limit must not be negative."),
            field="credit_limit",
        )
    if values.get("currency") is not None:
        currency = normalise_currency(values["currency"])
        if currency is None:
            raise invalid(
                "invalid_currency",
                gettext("“%(value)s” is not an ISO 4217 currency such as CNY or USD.")
                % {"value": values["currency"]},
                field="currency",
            )
        values["currency"] = currency


@verb(Perm.MANAGE_CUSTOMERS)
def create_customer(
    *,
    actor: User,
    code: str,
    salesperson: Any = None,
    contacts: list[dict[str, str]] | None = None,
    **values: Any,
) -> Customer:
    values = {k: v for k, v in values.items() if k in CUSTOMER_FIELDS and v is not None}
    if not code.strip():
        raise invalid("code_required", gettext("The code is required."), field="code")
    if not is_valid_code(code.strip()):
        raise invalid("invalid_code", str(CODE_MESSAGE), field="code")
    _check_customer(values)
    if not str(values.get("name", "")).strip():
        raise invalid("name_required", gettext("The name is required."), field="name")
    if salesperson is None and not actor.can(Perm.VIEW_ALL):
        salesperson = actor  # a salesperson's new customer is theirs
    if not may_name_salesperson(actor, salesperson):
        raise DomainError(
            "assign_not_allowed",
            gettext(
                "You may create customers only for yourself: giving one to %(name)s is for a "
                "merchandiser or a sales manager."
            )
            % {"name": salesperson.username},
            kind=Kind.REFUSED,
            details={"field": "salesperson", "permission": ASSIGN_ORDERS},
        )
    try:
        with transaction.atomic(durable=True):
            customer = Customer.objects.create(code=code.strip(), salesperson=salesperson, **values)
            for c in contacts or []:
                Contact.objects.create(customer=customer, **c)
            record(
                kind=EventKind.CUSTOMER_CHANGED,
                actor=actor,
                customer=customer,
                payload={"created": code},
            )
    except IntegrityError as exc:
        raise invalid(
            "duplicate_code",
            gettext("The code “%(code)s” is already used.") % {"code": code},
            field="code",
        ) from exc
    return customer


@verb(Perm.MANAGE_CUSTOMERS)
@transaction.atomic(durable=True)
def update_customer(*, actor: User, code: str, **values: Any) -> Customer:
    customer = get_customer_for(actor, code)
    values = {k: v for k, v in values.items() if k in CUSTOMER_FIELDS and v is not None}
    _check_customer(values)
    changed = {
        k: [str(getattr(customer, k)), str(v)]
        for k, v in values.items()
        if getattr(customer, k) != v
    }
    for k, v in values.items():
        setattr(customer, k, v)
    customer.save()
    record(
        kind=EventKind.CUSTOMER_CHANGED,
        actor=actor,
        customer=customer,
        payload={"changed": changed},
    )
    return customer


@verb(Perm.LOG_COMMUNICATION)
@transaction.atomic(durable=True)
def log_communication(
    *,
    actor: User,
    customer: str,
    kind: str,
    summary: str,
    order: str | None = None,
    occurred_at: datetime | None = None,
    follow_up_on: date | None = None,
) -> Communication:
    """Log a call, letter, fax, e-mail, chat or visit (客户来电、来函、传真做详细记录)."""
    return write_communication(
        actor=actor,
        customer=customer,
        kind=kind,
        summary=summary,
        order=order,
        occurred_at=occurred_at,
        follow_up_on=follow_up_on,
    )


@step
def write_communication(
    *,
    actor: User,
    customer: str,
    kind: str,
    summary: str,
    order: str | None = None,
    occurred_at: datetime | None = None,
    follow_up_on: date | None = None,
    payload: dict[str, Any] | None = None,
) -> Communication:
    """The communication-log entry and its event, checked; the caller's verb has checked the
    actor's permission (``log_communication``, or finance's chase of a receivable). ``payload``
    adds to the event's."""
    cust = get_customer_for(actor, customer)
    if kind not in CommunicationKind.values:
        raise invalid(
            "invalid_kind", gettext("Unknown kind “%(value)s”.") % {"value": kind}, field="kind"
        )
    if not summary.strip():
        raise invalid("summary_required", gettext("A summary is required."), field="summary")
    order_obj = None
    if order:
        order_obj = visible_orders(actor).filter(number=order, customer=cust).first()
        if order_obj is None:
            raise invalid(
                "unknown_order",
                gettext("The customer has no order %(n)s.") % {"n": order},
                field="order",
            )
    comm = Communication.objects.create(
        customer=cust,
        order=order_obj,
        kind=kind,
        summary=summary.strip(),
        occurred_at=occurred_at or timezone.now(),
        follow_up_on=follow_up_on,
        created_by=actor,
    )
    record(
        kind=EventKind.COMMUNICATION_LOGGED,
        actor=actor,
        customer=cust,
        order=order_obj,
        comment=comm.summary,
        payload={
            "communication": comm.pk,
            "kind": kind,
            "follow_up_on": follow_up_on.isoformat() if follow_up_on else None,
            **(payload or {}),
        },
    )
    return comm


@verb(Perm.LOG_COMMUNICATION)
@transaction.atomic(durable=True)
def complete_follow_up(*, actor: User, communication_id: int) -> Communication:
    comm = visible_communications(actor).filter(pk=communication_id).first()
    if comm is None:
        raise not_found("communication")
    if not comm.done:
        comm.done, comm.done_at = True, timezone.now()
        comm.save(update_fields=["done", "done_at"])
        record(
            kind=EventKind.COMMUNICATION_DONE,
            actor=actor,
            customer=comm.customer,
            order=comm.order,
            payload={"communication": comm.pk},
        )
    return comm
