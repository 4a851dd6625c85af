from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from gendan.apiconventions import caller, errors, page_by_key
from gendan.catalog import selectors, services
from gendan.catalog.selectors import get_product
from gendan.codes import CODE_PATTERN
from gendan.errors import not_found
from gendan.inventory.models import Warehouse
from gendan.inventory.services import adjust_stock as adjust

router = Router(tags=["products"])


class ProductBase(Schema):
    series: str = Field("", max_length=100)
    model: str = Field("", max_length=100)
    spec: str = Field("", max_length=200)
    size: str = Field("", max_length=100)
    colour: str = Field("", max_length=50)
    unit: str = Field("pcs", min_length=1, max_length=20)
    units_per_carton: int = Field(1, ge=1, le=1_000_000)
    carton_length_cm: Decimal = Field(Decimal("0"), ge=0, max_digits=7, decimal_places=1)
    carton_width_cm: Decimal = Field(Decimal("0"), ge=0, max_digits=7, decimal_places=1)
    carton_height_cm: Decimal = Field(Decimal("0"), ge=0, max_digits=7, decimal_places=1)
    carton_gross_weight_kg: Decimal = Field(Decimal("0"), ge=0, max_digits=8, decimal_places=2)
    upright_only: bool = Field(False, description="This side up: never laid on its side.")
    stack_limit: int | None = Field(
        None, ge=0, le=1000, description="Most cartons that may stand on one; null = no limit."
    )
    max_load_kg: Decimal | None = Field(None, ge=0, max_digits=8, decimal_places=2)
    fragile: bool = Field(False, description="Nothing may stand on it.")
    active: bool = True
    selling_points_zh: str = Field(
        "", max_length=1300, description="卖点, one a line (at most 10)."
    )
    selling_points_en: str = Field("", max_length=1300, description="Selling points, one a line.")


class ProductIn(ProductBase):
    code: str = Field(
        min_length=1,
        max_length=40,
        pattern=CODE_PATTERN,
        description="Letters, digits, “-”, “_” and “.”, starting with a letter or a digit.",
    )
    name: str = Field(min_length=1, max_length=200)


class ProductPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    series: str | None = Field(None, max_length=100)
    model: str | None = Field(None, max_length=100)
    spec: str | None = Field(None, max_length=200)
    size: str | None = Field(None, max_length=100)
    colour: str | None = Field(None, max_length=50)
    unit: str | None = Field(None, min_length=1, max_length=20)
    units_per_carton: int | None = Field(None, ge=1, le=1_000_000)
    carton_length_cm: Decimal | None = Field(None, ge=0, max_digits=7, decimal_places=1)
    carton_width_cm: Decimal | None = Field(None, ge=0, max_digits=7, decimal_places=1)
    carton_height_cm: Decimal | None = Field(None, ge=0, max_digits=7, decimal_places=1)
    carton_gross_weight_kg: Decimal | None = Field(None, ge=0, max_digits=8, decimal_places=2)
    upright_only: bool | None = None
    stack_limit: int | None = Field(None, ge=0, le=1000)
    max_load_kg: Decimal | None = Field(None, ge=0, max_digits=8, decimal_places=2)
    fragile: bool | None = None
    active: bool | None = None
    selling_points_zh: str | None = Field(None, max_length=1300)
    selling_points_en: str | None = Field(None, max_length=1300)


class ProductOut(ProductBase):
    code: str
    name: str


FIELDS = ["code", "name", *ProductBase.model_fields]


def product_out(p) -> dict:
    return {f: getattr(p, f) for f in FIELDS}


class ProductPage(Schema):
    items: list[ProductOut]
    next_cursor: str | None


@router.get("/products", response={200: ProductPage, **errors()})
def list_products(
    request: HttpRequest,
    q: str | None = Query(None, max_length=100),
    after: str | None = Query(None, max_length=40),
    limit: int = Query(50, ge=1, le=500),
):
    """Products by code; `q` looks in code, name and model (look-up as you type). Pass
    `after` = `next_cursor` for the next page."""
    rows, cursor = page_by_key(selectors.products(q=q), key="code", after=after, limit=limit)
    return {"items": [product_out(p) for p in rows], "next_cursor": cursor}


@router.post("/products", response={201: ProductOut, **errors(403)})
def create_product(request: HttpRequest, data: ProductIn):
    values = data.dict()
    product = services.create_product(actor=caller(request), **values)
    return Status(201, product_out(product))


@router.get("/products/{code}", response={200: ProductOut, **errors(404)})
def read_product(request: HttpRequest, code: str):
    return product_out(get_product(code))


@router.patch("/products/{code}", response={200: ProductOut, **errors(403, 404)})
def update_product(request: HttpRequest, code: str, data: ProductPatch):
    product = services.update_product(
        actor=caller(request), code=code, **data.dict(exclude_unset=True)
    )
    return product_out(product)


class StockOut(Schema):
    product: str
    product_name: str
    warehouse: str
    on_hand: int
    reserved: int
    available: int


class AdjustmentIn(Schema):
    product: str = Field(min_length=1, max_length=40)
    delta: int = Field(ge=-1_000_000_000, le=1_000_000_000)
    note: str = Field(min_length=1, max_length=200)
    warehouse: str | None = Field(None, max_length=20)


def stock_out(s) -> dict:
    return {
        "product": s.product.code,
        "product_name": s.product.name,
        "warehouse": s.warehouse.code,
        "on_hand": s.on_hand,
        "reserved": s.reserved,
        "available": s.on_hand - s.reserved,
    }


class StockPage(Schema):
    items: list[StockOut]
    next_cursor: str | None


@router.get("/stock", response={200: StockPage, **errors()}, tags=["stock"])
def list_stock(
    request: HttpRequest,
    product: str | None = Query(None, max_length=40),
    after: int | None = Query(None, ge=1, description="`next_cursor` of the page before"),
    limit: int = Query(200, ge=1, le=1000),
):
    """Finished-goods stock per product and warehouse, with what is reserved. Pass `after` =
    `next_cursor` for the next page."""
    rows, cursor = page_by_key(
        selectors.stock_rows(product=product), key="id", after=after, limit=limit
    )
    return {"items": [stock_out(s) for s in rows], "next_cursor": cursor}


@router.post(
    "/stock/adjustments",
    response={201: StockOut, **errors(403, 404)},
    tags=["stock"],
)
def adjust_stock(request: HttpRequest, data: AdjustmentIn):
    warehouse = Warehouse.objects.filter(code=data.warehouse).first() if data.warehouse else None
    if data.warehouse and warehouse is None:
        raise not_found("warehouse")
    stock = adjust(
        product=get_product(data.product),
        warehouse=warehouse,
        delta=data.delta,
        note=data.note,
        actor=caller(request),
    )
    stock = type(stock).objects.select_related("product", "warehouse").get(pk=stock.pk)
    return Status(201, stock_out(stock))
