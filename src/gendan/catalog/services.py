from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from gendan.accounts.guards import verb
from gendan.accounts.models import User
from gendan.accounts.permissions import Perm
from gendan.catalog.models import Product
from gendan.catalog.selectors import get_product
from gendan.codes import CODE_MESSAGE, is_valid_code
from gendan.errors import invalid
from gendan.timeline.models import EventKind
from gendan.timeline.services import record

PRODUCT_FIELDS = (
    "name",
    "series",
    "model",
    "spec",
    "size",
    "colour",
    "unit",
    "units_per_carton",
    "carton_length_cm",
    "carton_width_cm",
    "carton_height_cm",
    "carton_gross_weight_kg",
    "upright_only",
    "stack_limit",
    "max_load_kg",
    "fragile",
    "active",
    "selling_points_zh",
    "selling_points_en",
)
#: at most this many selling points, each at most this long
SELLING_POINTS = 10
SELLING_POINT_CHARS = 120
# Fields whose empty value means "no limit": a PATCH may set them back to null.
CLEARABLE_FIELDS = frozenset({"stack_limit", "max_load_kg"})


def _check(values: dict[str, Any]) -> None:
    for name in ("selling_points_zh", "selling_points_en"):
        points = [x for x in str(values.get(name) or "").splitlines() if x.strip()]
        if len(points) > SELLING_POINTS or any(len(x) > SELLING_POINT_CHARS for x in points):
            raise invalid(
                "invalid_selling_points",
                gettext("At most 10 selling points, one a line, each at most 120 characters."),
                field=name,
            )
    if "name" in values and not str(values["name"]).strip():
        raise invalid("name_required", gettext("The name is required."), field="name")
    if "units_per_carton" in values and int(values["units_per_carton"]) < 1:
        raise invalid(
            "invalid_units",
            gettext("Units per carton must be at least 1."),
            field="units_per_carton",
        )
    for name in (
        "carton_length_cm",
        "carton_width_cm",
        "carton_height_cm",
        "carton_gross_weight_kg",
        "max_load_kg",
    ):
        if values.get(name) is not None and Decimal(str(values[name])) < 0:
            raise invalid(
                "invalid_size",
                gettext("Carton sizes and weights must not be negative."),
                field=name,
            )


@verb(Perm.MANAGE_PRODUCTS)
def create_product(*, actor: User, code: str, **values: Any) -> Product:
    values = {k: v for k, v in values.items() if k in PRODUCT_FIELDS and v is not None}
    if not code.strip():
        raise invalid("code_required", gettext("The code is required."), field="code")
    if not is_valid_code(code.strip()):
        raise invalid("invalid_code", str(CODE_MESSAGE), field="code")
    _check({"name": values.get("name", ""), **values})
    try:
        with transaction.atomic(durable=True):
            product = Product.objects.create(code=code.strip(), **values)
            record(
                kind=EventKind.PRODUCT_CHANGED,
                actor=actor,
                payload={"product": code, "created": True},
            )
    except IntegrityError as exc:
        raise invalid(
            "duplicate_code",
            gettext("The code “%(code)s” is already used.") % {"code": code},
            field="code",
        ) from exc
    return product


@verb(Perm.MANAGE_PRODUCTS)
@transaction.atomic(durable=True)
def update_product(*, actor: User, code: str, **values: Any) -> Product:
    product = get_product(code)
    values = {
        k: v
        for k, v in values.items()
        if k in PRODUCT_FIELDS and (v is not None or k in CLEARABLE_FIELDS)
    }
    _check(values)
    for k, v in values.items():
        setattr(product, k, v)
    product.save()
    record(
        kind=EventKind.PRODUCT_CHANGED,
        actor=actor,
        payload={"product": code, "changed": sorted(values)},
    )
    return product
