"""Builders for tests: a small company and orders taken to any state through the real services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from gendan.catalog.models import Product
from gendan.demodata import _catalog, _customers, drive
from gendan.orders import services
from gendan.orders.entry import LineInput
from gendan.orders.models import Order
from gendan.parties.models import Customer


@dataclass
class World:
    users: dict[str, Any]
    customers: dict[str, Customer]
    products: list[Product]

    @classmethod
    def build(cls, users: dict[str, Any]) -> World:
        products = _catalog()
        customers = {c.code: c for c in _customers(users["sales"])}
        return cls(users=users, customers=customers, products=products)

    def order(
        self,
        *,
        customer: str = "EXP001",
        lines: list[tuple[str, int, str]] | None = None,
        to: str | None = None,
        delivery: date | None = None,
        actor: str = "merch",
    ) -> Order:
        """An order (default: three lines) entered by the merchandiser, driven to status `to`."""
        today = timezone.localdate()
        lines = lines or [("BC-101", 100, "12.50"), ("FN-101", 10, "300"), ("BC-202", 40, "8.80")]
        order = services.create_order(
            actor=self.users[actor],
            customer=customer,
            contract_date=min(today, delivery) if delivery else today,
            delivery_date=delivery or today + timedelta(days=30),
            lines=[
                LineInput(product=p, quantity=q, unit_price=Decimal(price)) for p, q, price in lines
            ],
        )
        if to:
            drive(order.number, to, self.users, cod=customer == "STORE01")
        return Order.objects.get(pk=order.pk)
