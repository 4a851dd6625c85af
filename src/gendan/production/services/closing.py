"""Closing a production notice short (with a reason): its open work orders stop, the shortfall
of each last step is recorded, and "Record production done" opens for the merchandiser's
decision (produce more, ship short with the salesperson's consent, or take from stock)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from gendan.accounts.guards import verb
from gendan.errors import DomainError, Kind, invalid, not_found
from gendan.orders import locks as order_locks
from gendan.orders.workflow import Status
from gendan.production import permissions as p
from gendan.production.errors import Code
from gendan.production.models import (
    NoticeClosure,
    NoticeStatus,
    ProductionNotice,
    WorkOrder,
    WorkOrderStatus,
)
from gendan.timeline.services import history_row, record, together, write_history


@verb(p.CLOSE_SHORT)
def close_notice_short(*, notice: str, reason: str, actor: Any) -> NoticeClosure:
    if not reason.strip():
        raise invalid(
            Code.REASON_REQUIRED,
            gettext("Say why the notice is closed short."),
            field="reason",
        )
    found = ProductionNotice.objects.filter(number=notice).values_list("order__number").first()
    if found is None:
        raise not_found("production_notice")
    with transaction.atomic(durable=True), together():
        order = order_locks.order_for_update(found[0], visible_to=actor)
        target = ProductionNotice.objects.get(number=notice)
        open_wos = list(
            WorkOrder.objects.select_for_update()
            .filter(notice_line__notice=target, status=WorkOrderStatus.OPEN, routed=True)
            .order_by("pk")
        )
        if (
            order.status != Status.RELEASED
            or target.status != NoticeStatus.ISSUED
            or not open_wos
            or hasattr(target, "closure")
        ):
            raise DomainError(
                Code.NOTHING_TO_CLOSE,
                gettext("Notice %(n)s has no open work to close short.") % {"n": notice},
                kind=Kind.REFUSED,
            )
        shortfall = {w.number: w.remaining for w in open_wos if w.last}
        closure = NoticeClosure.objects.create(
            notice=target, reason=reason.strip(), shortfall=shortfall, closed_by=actor
        )
        for wo in open_wos:
            wo.status = WorkOrderStatus.CLOSED_SHORT
        WorkOrder.objects.bulk_update(open_wos, ["status"])
        write_history([history_row(wo, actor=actor) for wo in open_wos])
        record(
            kind=p.CLOSED_SHORT,
            actor=actor,
            order=order,
            subject=closure,
            comment=closure.reason,
            payload={"notice": notice, "shortfall": shortfall},
        )
    return closure
