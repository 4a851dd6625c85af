"""The facts every Gendan database must hold, whatever wrote it: checked after a restore, after
the soak test (bench/soak.py), or at any time with `gendan check_invariants`.

- paid: an order's ``paid_amount`` is the sum of its payments (receipts);
- shipped: no order line ships more than it ordered;
- reserved: no stock level reserves more than it has on hand;
- events: every change of an order's status that its history recorded has a timeline event
  with the same from and to status, and an order's status is the one its last event says;
- numbers: no document number is used twice (compared as a person reads them: case and the
  spaces around it ignored).

The database's constraints forbid some of these already; this checks the data itself, so a
constraint dropped by a migration, a bulk write that bypassed the services or a restore of a
damaged backup is seen. The other apps' tables are read through the app registry.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Count, F, Sum
from django.db.models.functions import Trim, Upper

PAID = "paid"
SHIPPED = "shipped"
RESERVED = "reserved"
EVENTS = "events"
NUMBERS = "numbers"
KINDS = (PAID, SHIPPED, RESERVED, EVENTS, NUMBERS)


@dataclass(frozen=True)
class Violation:
    kind: str  # one of KINDS
    subject: str  # the record, e.g. "order SO-2026-00012" or "shipping.ShippingNotice SN-1"
    detail: str

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "subject": self.subject, "detail": self.detail}


def _model(label: str) -> Any:
    return apps.get_model(label)


def paid_is_the_sum_of_receipts() -> Iterator[Violation]:
    """Compared in Python, to the cent: SQLite sums decimals as floating point."""
    order, payment = _model("orders.Order"), _model("finance.Payment")
    cent = Decimal("0.01")
    received = {
        order_id: Decimal(total).quantize(cent)
        for order_id, total in payment.objects.order_by()
        .values("order")
        .annotate(total=Sum("amount"))
        .values_list("order", "total")
    }
    for pk, number, paid in order.objects.order_by("number").values_list(
        "pk", "number", "paid_amount"
    ):
        total = received.get(pk, Decimal("0.00"))
        if Decimal(paid).quantize(cent) != total:
            yield Violation(PAID, f"order {number}", f"paid {paid} but its receipts sum to {total}")


def shipped_within_ordered() -> Iterator[Violation]:
    line = _model("orders.OrderLine")
    rows = (
        line.objects.filter(shipped_qty__gt=F("quantity"))
        .order_by("order__number", "line_no")
        .values_list("order__number", "line_no", "shipped_qty", "quantity")
    )
    for number, line_no, shipped, ordered in rows:
        yield Violation(
            SHIPPED, f"order {number} line {line_no}", f"shipped {shipped} of {ordered} ordered"
        )


def reserved_within_on_hand() -> Iterator[Violation]:
    level = _model("inventory.StockLevel")
    rows = (
        level.objects.filter(reserved__gt=F("on_hand"))
        .order_by("pk")
        .values_list("pk", "product__code", "warehouse__code", "reserved", "on_hand")
    )
    for pk, product, warehouse, reserved, on_hand in rows:
        yield Violation(
            RESERVED,
            f"stock level {pk} ({product} in {warehouse})",
            f"reserved {reserved} but {on_hand} on hand",
        )


def status_changes_have_events() -> Iterator[Violation]:
    """History's status changes, per order, are covered by the order's events (from -> to), and
    the last event that names a status names the order's own."""
    order, event = _model("orders.Order"), _model("timeline.Event")
    history = order.history.model
    told: dict[int, Counter[tuple[str, str]]] = {}
    last: dict[int, str] = {}
    stated = event.objects.filter(order__isnull=False).exclude(to_status="").order_by("at", "pk")
    for order_id, source, target in stated.values_list("order_id", "from_status", "to_status"):
        last[order_id] = target
        if source and source != target:
            told.setdefault(order_id, Counter())[(source, target)] += 1
    seen: dict[int, Counter[tuple[str, str]]] = {}
    previous: dict[int, str] = {}
    rows = history.objects.order_by("id", "history_date", "history_id").values_list("id", "status")
    for order_id, status in rows:
        before = previous.get(order_id)
        if before is not None and before != status:
            seen.setdefault(order_id, Counter())[(before, status)] += 1
        previous[order_id] = status
    numbers = dict(order.objects.values_list("pk", "number"))
    for order_id, changes in sorted(seen.items()):
        missing = changes - told.get(order_id, Counter())
        for (source, target), count in sorted(missing.items()):
            yield Violation(
                EVENTS,
                f"order {numbers.get(order_id, order_id)}",
                f"{count} change(s) {source} -> {target} in its history without an event",
            )
    for order_id, number, status in order.objects.order_by("number").values_list(
        "pk", "number", "status"
    ):
        said = last.get(order_id)
        if said is None:
            yield Violation(EVENTS, f"order {number}", f"status {status} but no event names it")
        elif said != status:
            yield Violation(
                EVENTS, f"order {number}", f"status {status} but its last event says {said}"
            )


def numbered_documents() -> list[Any]:
    """Every model with a document number (a field called `number`), history tables aside."""
    found = []
    for model in apps.get_models():
        if model.__name__.startswith("Historical"):
            continue
        try:
            field = model._meta.get_field("number")
        except FieldDoesNotExist:
            continue
        if isinstance(field, models.CharField):
            found.append(model)
    return sorted(found, key=lambda m: m._meta.label)


def numbers_are_unique() -> Iterator[Violation]:
    for model in numbered_documents():
        rows = (
            model.objects.annotate(read_as=Upper(Trim("number")))
            .values("read_as")
            .annotate(uses=Count("pk"))
            .filter(uses__gt=1)
            .order_by("read_as")
            .values_list("read_as", "uses")
        )
        for number, uses in rows:
            yield Violation(NUMBERS, f"{model._meta.label} {number}", f"used {uses} times")


CHECKS = {
    PAID: paid_is_the_sum_of_receipts,
    SHIPPED: shipped_within_ordered,
    RESERVED: reserved_within_on_hand,
    EVENTS: status_changes_have_events,
    NUMBERS: numbers_are_unique,
}


def check() -> list[Violation]:
    """Every violation of every invariant (an empty list: the database holds them all)."""
    return [violation for kind in KINDS for violation in CHECKS[kind]()]


def summary(violations: list[Violation]) -> dict[str, int]:
    counted = Counter(v.kind for v in violations)
    return {kind: counted.get(kind, 0) for kind in KINDS}
