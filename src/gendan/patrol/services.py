"""Every write of the exceptions register: raise an exception (a few taps from the phone, a photo
with it), say what was done, close it (never without what was done), and make it the slip
reason of the day's production report through production's own correction verb. A refusal
changes nothing; each write keeps its history and an event on the timeline."""

from __future__ import annotations

from datetime import date
from typing import IO, Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext

from gendan.accounts.guards import verb
from gendan.accounts.models import User
from gendan.attachments.services import store_attachment
from gendan.errors import DomainError, Kind, invalid
from gendan.notifications.services import notify
from gendan.numbering.services import next_number
from gendan.orders.selectors import visible_orders
from gendan.patrol import permissions as p
from gendan.patrol import selectors
from gendan.patrol.errors import Code
from gendan.patrol.models import ExceptionKind, ExceptionStatus, ProductionException
from gendan.production.models import DailyReport, ProductionLine, SlipReason, WorkOrder
from gendan.timeline.services import record

MODEL = "patrol.productionexception"
TEXT = 2000

#: the slip reason of the day's report an exception of each kind explains
SLIP_OF_KIND = {
    ExceptionKind.QUALITY: SlipReason.QUALITY,
    ExceptionKind.MATERIAL: SlipReason.MATERIAL,
    ExceptionKind.MACHINE: SlipReason.MACHINE,
    ExceptionKind.METHOD: SlipReason.PLAN_ERROR,
    ExceptionKind.PEOPLE: SlipReason.STAFFING,
    ExceptionKind.SAFETY: SlipReason.STAFFING,
}


def _save(obj: Any, actor: Any) -> None:
    obj._history_user = actor
    obj.save()


def _bad(message: str, field: str) -> DomainError:
    return invalid(Code.BAD_INPUT, message, field=field)


def _event(exc: ProductionException, actor: Any, kind: str, **payload: Any) -> None:
    record(
        kind=kind,
        actor=actor,
        order=exc.order if exc.order_id else None,
        subject=exc,
        to_status=exc.status,
        payload={"exception": exc.number, "kind": exc.kind, **payload},
    )


@verb(p.RAISE)
def raise_exception(
    *,
    actor: Any,
    kind: str,
    description: str,
    line: str = "",
    order: str = "",
    work_order: str = "",
    assignee: str = "",
    due_on: date | None = None,
    photo: IO[bytes] | None = None,
) -> ProductionException:
    """What the patrol saw, where (a line, an order or a work order: at least one), who must
    act and by when; a photo from the phone is attached when given."""
    if kind not in ExceptionKind.values:
        raise _bad(gettext("Choose the kind of exception."), "kind")
    text = (description or "").strip()[:TEXT]
    if not text:
        raise _bad(gettext("Say what was seen."), "description")
    wo = None
    if work_order:
        wo = WorkOrder.objects.filter(
            number=work_order, order__in=visible_orders(actor).values("pk")
        ).first()
        if wo is None:
            raise _bad(gettext("Unknown work order “%(n)s”.") % {"n": work_order}, "work_order")
    found_order = wo.order if wo is not None else None
    if order and found_order is None:
        found_order = visible_orders(actor).filter(number=order).first()
        if found_order is None:
            raise _bad(gettext("Unknown order “%(n)s”.") % {"n": order}, "order")
    found_line = wo.line if wo is not None and wo.line_id else None
    if line:
        found_line = ProductionLine.objects.filter(code=line).first()
        if found_line is None:
            raise _bad(gettext("Unknown line “%(n)s”.") % {"n": line}, "line")
    if found_line is None and found_order is None and wo is None:
        raise _bad(gettext("Name the line, the order or the work order."), "line")
    who = None
    if assignee:
        who = User.objects.filter(username=assignee, is_active=True).first()
        if who is None:
            raise _bad(gettext("Unknown person “%(n)s”.") % {"n": assignee}, "assignee")
    elif found_order is not None:
        who = found_order.merchandiser
    if due_on is not None and due_on < timezone.localdate():
        raise _bad(gettext("The due date cannot be in the past."), "due_on")
    with transaction.atomic(durable=True):
        exc = ProductionException(
            number=next_number("EX"),
            kind=kind,
            description=text,
            line=found_line,
            order=found_order,
            work_order=wo,
            raised_by=actor,
            assignee=who,
            due_on=due_on,
        )
        _save(exc, actor)
        _event(exc, actor, p.RAISED, line=found_line.code if found_line else "")
        if who is not None:  # who must act is told in the app (not when they raised it)
            notify(
                users=[who],
                kind=p.RAISED,
                text=format_lazy("{}: {} ({})", exc.number, exc.get_kind_display(), text[:80]),
                url=reverse("web:patrol_exception", args=[exc.number]),
                actor=actor,
            )
    if photo is not None:
        store_attachment(actor=actor, model=MODEL, key=exc.number, file=photo)
    return exc


def _for_update(actor: Any, number: str) -> ProductionException:
    selectors.get_exception_for(actor, number)  # visibility first: the same 404
    found = ProductionException.objects.select_for_update().filter(number=number).first()
    assert found is not None
    if not found.is_open:
        raise DomainError(Code.CLOSED, gettext("This exception is closed."), kind=Kind.REFUSED)
    return found


@verb(p.HANDLE)
def record_action(*, actor: Any, number: str, action_taken: str) -> ProductionException:
    text = (action_taken or "").strip()[:TEXT]
    if not text:
        raise _bad(gettext("Say what was done."), "action_taken")
    with transaction.atomic(durable=True):
        exc = _for_update(actor, number)
        exc.action_taken = text
        _save(exc, actor)
        _event(exc, actor, p.ACTED)
    return exc


@verb(p.HANDLE)
def close_exception(*, actor: Any, number: str, action_taken: str = "") -> ProductionException:
    """Closed by whom, when; never without what was done."""
    with transaction.atomic(durable=True):
        exc = _for_update(actor, number)
        text = (action_taken or "").strip()[:TEXT] or exc.action_taken
        if not text:
            raise DomainError(
                Code.NO_ACTION,
                gettext("Say what was done before closing the exception."),
                kind=Kind.REFUSED,
            )
        exc.action_taken = text
        exc.status = ExceptionStatus.CLOSED
        exc.closed_by = actor
        exc.closed_at = timezone.now()
        _save(exc, actor)
        _event(exc, actor, p.CLOSED)
    return exc


@verb(p.RAISE)
def make_slip_reason(*, actor: Any, number: str) -> ProductionException:
    """The exception explains its work order's report of its day: the report's slip reason is
    set through production's correction (who may report production may do it; the report keeps
    the reason it gave before in its history) and the exception is linked to the report.
    Refused when the day has no report or met its plan."""
    from gendan.production.services.reports import correct_report

    exc = selectors.get_exception_for(actor, number)
    report = (
        DailyReport.objects.filter(work_order_id=exc.work_order_id, day=exc.day).first()
        if exc.work_order_id
        else None
    )
    if report is None or exc.work_order is None:
        raise DomainError(
            Code.NO_REPORT,
            gettext("The work order has no production report for that day yet."),
            kind=Kind.REFUSED,
        )
    if report.good_qty >= report.planned_qty:
        raise DomainError(
            Code.NOT_SHORT, gettext("That day's report met its plan."), kind=Kind.REFUSED
        )
    reason = SLIP_OF_KIND[ExceptionKind(exc.kind)]
    before = report.slip_reason
    note = report.note if exc.number in report.note else f"{report.note} {exc.number}".strip()
    correct_report(
        actor=actor,
        work_order=exc.work_order.number,
        day=report.day,
        good_qty=report.good_qty,
        defect_qty=report.defect_qty,
        scrap_qty=report.scrap_qty,
        hours=report.hours,
        slip_reason=reason,
        note=note[:500],
    )
    with transaction.atomic(durable=True):
        exc = ProductionException.objects.select_for_update().get(pk=exc.pk)
        exc.daily_report = report
        _save(exc, actor)
        _event(exc, actor, p.SLIP_LINKED, report=report.pk, reason=str(reason), before=before)
    return exc


@verb(p.RAISE)
def attach_photo(*, actor: Any, number: str, photo: IO[bytes] | None) -> ProductionException:
    """Another photo of what was seen (or of what was done)."""
    exc = selectors.get_exception_for(actor, number)
    store_attachment(actor=actor, model=MODEL, key=number, file=photo)
    return exc
