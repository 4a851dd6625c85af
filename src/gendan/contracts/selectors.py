"""Reads of the contracts app; visibility is the order's (orders.selectors.visible_orders)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from gendan.contracts.models import ContractTerms, SalesContract
from gendan.errors import not_found
from gendan.orders.selectors import visible_orders


def contracts(actor: Any) -> QuerySet[SalesContract]:
    return SalesContract.objects.filter(
        order__in=visible_orders(actor).values("pk")
    ).select_related("order", "order__customer", "issued_by", "countersigned_file")


def get_contract_for(actor: Any, number: str) -> SalesContract:
    found = contracts(actor).filter(number=number).first()
    if found is None:
        raise not_found("contract")
    return found


def contracts_of(order: Any) -> list[SalesContract]:
    return list(
        SalesContract.objects.filter(order=order)
        .select_related("countersigned_file")
        .order_by("-version")
    )


def terms_of(customer: Any) -> ContractTerms | None:
    return ContractTerms.objects.filter(customer=customer).first()
