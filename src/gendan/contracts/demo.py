"""The demo's contracts: DIST01's terms ask for the countersigned contract before release, and
the sales contract of the first signed order is issued, ready to print (its countersigned copy
is the walk's to attach)."""

from __future__ import annotations

from typing import Any

from gendan.contracts import services
from gendan.orders.models import Order
from gendan.orders.workflow import Status


def seed_contracts(users: dict[str, Any]) -> None:
    services.set_contract_terms(
        actor=users["manager"],
        customer="EXP001",
        needs_countersigned=False,
        quality_terms="AQL 2.5 抽检；按确认样品生产 As the approved sample, AQL 2.5",
    )
    services.set_contract_terms(
        actor=users["manager"],
        customer="DIST01",
        needs_countersigned=True,
        quality_terms="按国家标准 GB/T 及确认样品 National standard and the approved sample",
    )
    signed = (
        Order.objects.filter(status=Status.SIGNED, manager_signed_at__isnull=False)
        .order_by("number")
        .first()
    )
    if signed is not None:
        services.issue_contract(actor=users["merch"], order=signed.number)
