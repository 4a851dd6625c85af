"""Builders for purchasing tests: the demo's suppliers, materials, bills of materials and carton
specs (the baby care's carton spec not confirmed), and a released order whose notice needs
1,000 bags (BAG-W), 50 cartons (CTN-B), 1,000 labels and 20.6 kg of non-woven (RAW-NW)."""

from __future__ import annotations

from typing import Any

from gendan.orders.workflow import Status
from gendan.production.models import ProductionNoticeLine
from gendan.purchasing.demo import seed_master


def master(world: Any) -> None:
    seed_master(world.users)


#: the catalogue's products have 500 in stock: the notice is for what stock does not cover
IN_STOCK = 500


def released(world: Any, quantity: int = 1000, product: str = "BC-101") -> Any:
    """A released order whose production notice is for ``quantity`` units."""
    return world.order(lines=[(product, quantity + IN_STOCK, "10")], to=Status.RELEASED)


def notice_line(order: Any) -> ProductionNoticeLine:
    return ProductionNoticeLine.objects.get(notice__order=order)
