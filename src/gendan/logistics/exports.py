"""Export shipments (出口): one booking of one or more export orders' shipping notices, and the
checklist of the source — booking, inspection, customs, documents, FX settlement, FX
verification, tax refund — each with an owner and a due date counted from the ETD by
configurable offsets (``GENDAN_EXPORT_STEP_OFFSETS``, days, negative = before the ETD). Steps
are done in their order; a new ETD moves the due dates of the steps not done."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from gendan.accounts.guards import verb
from gendan.errors import DomainError, Kind, invalid, not_found
from gendan.logistics import permissions as p
from gendan.logistics.errors import Code
from gendan.logistics.models import ExportShipment, ExportStep, ExportStepKind, Forwarder
from gendan.numbering.services import next_number
from gendan.orders.selectors import visible_orders
from gendan.shipping.models import ShippingNotice, ShippingStatus
from gendan.timeline.services import record

#: days from the ETD each step is due (the company may set its own in the settings)
DEFAULT_OFFSETS: dict[str, int] = {
    ExportStepKind.BOOKING: -14,
    ExportStepKind.INSPECTION: -7,
    ExportStepKind.CUSTOMS: -3,
    ExportStepKind.DOCUMENTS: -2,
    ExportStepKind.FX_SETTLEMENT: 30,
    ExportStepKind.FX_VERIFICATION: 60,
    ExportStepKind.TAX_REFUND: 90,
}


def offsets() -> dict[str, int]:
    configured = getattr(settings, "GENDAN_EXPORT_STEP_OFFSETS", None) or {}
    return {kind: int(configured.get(kind, days)) for kind, days in DEFAULT_OFFSETS.items()}


def due_dates(etd: date) -> dict[str, date]:
    return {kind: etd + timedelta(days=days) for kind, days in offsets().items()}


def _save(obj: Any, actor: Any) -> None:
    obj._history_user = actor
    obj.save()


@verb(p.MANAGE_EXPORTS)
def save_forwarder(
    *, actor: Any, code: str, name: str, contact: str = "", phone: str = "", email: str = ""
) -> Forwarder:
    code, name = code.strip()[:30], name.strip()[:200]
    if not code or not name:
        raise invalid(Code.BAD_INPUT, gettext("The code and the name are required."), field="code")
    with transaction.atomic(durable=True):
        found = Forwarder.objects.select_for_update().filter(code=code).first() or Forwarder(
            code=code
        )
        found.name, found.contact, found.phone, found.email = (
            name,
            contact[:100],
            phone[:50],
            email[:254],
        )
        _save(found, actor)
    return found


@verb(p.MANAGE_EXPORTS)
def open_export_shipment(
    *,
    actor: Any,
    notices: Iterable[str],
    etd: date,
    forwarder: str = "",
    vessel_voyage: str = "",
    containers: str = "",
) -> ExportShipment:
    """A booking for the notices of one customer, its seven steps owned by the actor, due from
    the ETD."""
    wanted = list(dict.fromkeys(n for n in notices if n))
    found = list(
        ShippingNotice.objects.filter(number__in=wanted, order__in=visible_orders(actor))
        .exclude(status=ShippingStatus.CANCELLED)
        .select_related("order__customer")
    )
    if not wanted or len(found) != len(wanted):
        raise invalid(
            Code.BAD_INPUT, gettext("Choose the shipping notices of the booking."), field="notices"
        )
    customers = {n.order.customer for n in found}
    if len(customers) != 1:
        raise invalid(
            Code.BAD_INPUT, gettext("One booking carries one customer's goods."), field="notices"
        )
    agent = None
    if forwarder:
        agent = Forwarder.objects.filter(code=forwarder).first()
        if agent is None:
            raise invalid(Code.BAD_INPUT, gettext("Unknown forwarder."), field="forwarder")
    with transaction.atomic(durable=True):
        shipment = ExportShipment(
            number=next_number("EX"),
            customer=customers.pop(),
            forwarder=agent,
            etd=etd,
            vessel_voyage=vessel_voyage.strip()[:100],
            containers=containers.strip()[:300],
            created_by=actor,
        )
        _save(shipment, actor)
        shipment.notices.set(found)
        due = due_dates(etd)
        for seq, kind in enumerate(ExportStepKind.values, start=1):
            _save(
                ExportStep(shipment=shipment, kind=kind, seq=seq, owner=actor, due_on=due[kind]),
                actor,
            )
        record(
            kind=p.EXPORT_STEP,
            actor=actor,
            customer=shipment.customer,
            subject=shipment,
            payload={"shipment": shipment.number, "step": "opened", "etd": etd.isoformat()},
        )
    return shipment


def _shipment_for_update(number: str) -> ExportShipment:
    found = ExportShipment.objects.select_for_update().filter(number=number).first()
    if found is None:
        raise not_found("export_shipment")
    return found


@verb(p.MANAGE_EXPORTS)
def set_etd(
    *, actor: Any, number: str, etd: date, vessel_voyage: str | None = None
) -> ExportShipment:
    """A new ETD (the booking moved): the steps not done are due again from it."""
    with transaction.atomic(durable=True):
        shipment = _shipment_for_update(number)
        shipment.etd = etd
        if vessel_voyage is not None:
            shipment.vessel_voyage = vessel_voyage.strip()[:100]
        _save(shipment, actor)
        due = due_dates(etd)
        for step in shipment.steps.filter(done_at__isnull=True):
            step.due_on = due[step.kind]
            _save(step, actor)
        record(
            kind=p.EXPORT_STEP,
            actor=actor,
            customer=shipment.customer,
            subject=shipment,
            payload={"shipment": number, "step": "etd", "etd": etd.isoformat()},
        )
    return shipment


@verb(p.MANAGE_EXPORTS)
def complete_step(*, actor: Any, number: str, kind: str, note: str = "") -> ExportStep:
    """A step done, by whom and when; in the checklist's order (a step waits for the ones before)."""
    with transaction.atomic(durable=True):
        shipment = _shipment_for_update(number)
        steps = list(shipment.steps.select_for_update().order_by("seq"))
        step = next((s for s in steps if s.kind == kind), None)
        if step is None:
            raise invalid(Code.BAD_INPUT, gettext("Unknown step."), field="kind")
        if step.done_at is not None:
            raise DomainError(
                Code.WRONG_STEP, gettext("This step is already done."), kind=Kind.REFUSED
            )
        waiting = [s.get_kind_display() for s in steps if s.seq < step.seq and s.done_at is None]
        if waiting:
            raise DomainError(
                Code.WRONG_STEP,
                gettext("Do these steps first: %(steps)s.")
                % {"steps": ", ".join(map(str, waiting))},
                kind=Kind.REFUSED,
            )
        step.done_at, step.done_by, step.note = timezone.now(), actor, note.strip()[:300]
        _save(step, actor)
        orders: list[Any] = list({n.order for n in shipment.notices.select_related("order")})
        for order in orders or [None]:
            record(
                kind=p.EXPORT_STEP,
                actor=actor,
                order=order,
                customer=shipment.customer,
                subject=shipment,
                comment=step.note,
                payload={"shipment": number, "step": kind},
            )
    return step


def overdue_steps(actor: Any, today: date) -> QuerySet[ExportStep]:
    """The actor's export steps past their due date and not done, oldest first."""
    return (
        ExportStep.objects.filter(owner=actor, done_at__isnull=True, due_on__lt=today)
        .select_related("shipment__customer")
        .order_by("due_on", "id")
    )
