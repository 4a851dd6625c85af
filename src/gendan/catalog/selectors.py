from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from gendan.catalog.models import Product
from gendan.errors import not_found
from gendan.inventory.models import StockLevel


def products(*, q: str | None = None) -> QuerySet[Product]:
    qs = Product.objects.all()
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(name__icontains=q) | Q(model__icontains=q))
    return qs


def get_product(code: str) -> Product:
    product = Product.objects.filter(code=code).first()
    if product is None:
        raise not_found("product")
    return product


def stock_rows(*, product: str | None = None) -> QuerySet[Any]:
    qs = StockLevel.objects.select_related("product", "warehouse")
    if product:
        qs = qs.filter(product__code=product)
    return qs.order_by("product__code", "warehouse__code")
