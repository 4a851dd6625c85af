"""The rows purchasing locks, in one place (ordered by pk)."""

from __future__ import annotations

from gendan.errors import not_found
from gendan.production.models import ProductionNoticeLine
from gendan.purchasing.models import Plate, PurchaseLine, PurchaseOrder


def po_for_update(number: str) -> PurchaseOrder:
    po = PurchaseOrder.objects.select_for_update().filter(number=number).first()
    if po is None:
        raise not_found("purchase_order")
    return po


def line_for_update(pk: int) -> PurchaseLine:
    """The line and its order, locked (the order first: every writer of a line locks it)."""
    number = PurchaseLine.objects.filter(pk=pk).values_list("po__number", flat=True).first()
    if number is None:
        raise not_found("purchase_line")
    po_for_update(number)
    return (
        PurchaseLine.objects.select_for_update(of=("self",))
        .select_related("po", "material", "notice_line__line", "order")
        .get(pk=pk)
    )


def notice_lines_for_update(ids: list[int]) -> None:
    """The notice lines whose needs a confirmation weighs: two confirmations for one need wait
    for each other, so the cap counts both."""
    list(
        ProductionNoticeLine.objects.select_for_update()
        .filter(pk__in=sorted(set(ids)))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def plate_for_update(pk: int) -> Plate:
    plate = Plate.objects.select_for_update().filter(pk=pk).first()
    if plate is None:
        raise not_found("plate")
    return plate
