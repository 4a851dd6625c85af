"""What the contracts app contributes: its permissions and events, the release condition for
customers whose terms need the countersigned contract, the cockpit panel of an order's contracts
and the countersigned copies as attachments."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gendan import extensions
from gendan.contracts import permissions as p
from gendan.contracts import selectors
from gendan.contracts.errors import Code
from gendan.contracts.models import ContractStatus, ContractTerms, SalesContract
from gendan.errors import Reason


def countersigned_before_release(ctx: Any) -> list[Reason]:
    """Open unless the customer's terms ask for the countersigned contract of the order's
    current revision (two small reads, only for such customers)."""
    order = ctx.order
    needs = ContractTerms.objects.filter(
        customer_id=order.customer_id, needs_countersigned=True
    ).exists()
    if not needs:
        return []
    signed = SalesContract.objects.filter(
        order_id=order.pk, version=order.revision, status=ContractStatus.COUNTERSIGNED
    ).exists()
    if signed:
        return []
    return [
        Reason(
            Code.COUNTERSIGNED_MISSING,
            gettext(
                "The customer's terms need the countersigned sales contract of revision "
                "%(revision)s before release."
            )
            % {"revision": order.revision},
        )
    ]


def order_panel(order: Any, user: Any) -> dict[str, Any] | None:
    from gendan.contracts.services import is_signed

    if not is_signed(order):
        return None
    found = selectors.contracts_of(order)
    return {
        "order": order,
        "contracts": found,
        "current": next((c for c in found if c.version == order.revision), None),
        "may_issue": user.can(p.ISSUE),
    }


def register() -> None:
    p.register()
    from gendan.attachments import access

    access.register(
        model="contracts.salescontract",
        lookup=lambda actor, key: selectors.get_contract_for(actor, key),
        key_of=lambda contract: contract.number,
        timeline=lambda contract: {"order": contract.order},
        url=lambda contract: reverse("web:contract_detail", args=[contract.number]),
    )
    extensions.add_condition(
        name=p.CONDITION,
        action="release",
        check=countersigned_before_release,
        description=_(
            "When the customer's terms ask it, the sales contract of the order's revision is "
            "countersigned by the customer."
        ),
        app="contracts",
    )
    extensions.add_nav_entry(
        label=_("Contracts"),
        url_name="web:contracts",
        perms=(p.ISSUE, p.RECORD_COUNTERSIGNED, p.SET_TERMS),
        app="contracts",
        order=25,
    )
    extensions.add_cockpit_panel(
        key="contracts_order",
        title=_("Sales contract"),
        build=order_panel,
        template="contracts/_panel_order.html",
        app="contracts",
        perms=(p.ISSUE, p.RECORD_COUNTERSIGNED),
        order=30,
    )
