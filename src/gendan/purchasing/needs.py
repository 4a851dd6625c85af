"""The material need of production-notice lines, from the products' bills of materials, and
what covers it (purchase lines for it, stock taken for it). Pure arithmetic first, then the
bounded reads that feed it (each a fixed number of queries, whatever the number of lines)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_CEILING, ROUND_UP, Decimal
from typing import Any

from django.db.models import Min, QuerySet, Sum
from django.utils import timezone

from gendan.production.models import NoticeStatus, ProductionNoticeLine
from gendan.purchasing.models import (
    COUNTED,
    Allocation,
    BomLine,
    LineStatus,
    Material,
    PurchaseLine,
)

ZERO = Decimal(0)
HUNDRED = Decimal(100)


def need_of(*, quantity: int, per_unit: Decimal, scrap_percent: Decimal, klass: str) -> Decimal:
    """What ``quantity`` units of product need of a material: per unit, plus the scrap
    allowance; whole pieces for bags, cartons and labels (rounded up), else to 0.001."""
    raw = Decimal(quantity) * per_unit * (HUNDRED + scrap_percent) / HUNDRED
    if klass in COUNTED:
        return raw.to_integral_value(rounding=ROUND_CEILING)
    return raw.quantize(Decimal("0.001"), rounding=ROUND_UP)


@dataclass
class Need:
    """One material's need for one production-notice line and what already covers it."""

    notice_line_id: int
    notice: str
    order: str
    order_id: int
    product: str
    material: Material
    need: Decimal
    ordered: Decimal = ZERO  # on purchase lines for it, draft or confirmed
    confirmed: Decimal = ZERO  # of which confirmed
    received: Decimal = ZERO
    allocated: Decimal = ZERO  # stock taken for it
    expected: date | None = None  # the latest promise or expected arrival of what is open
    needed_on: date | None = None  # the planned start, else the release day
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def uncovered(self) -> Decimal:
        return max(ZERO, self.need - self.ordered - self.allocated)

    @property
    def short(self) -> Decimal:
        """What is not in hand yet (received or taken from stock)."""
        return max(ZERO, self.need - self.received - self.allocated)


def open_notice_lines() -> QuerySet[ProductionNoticeLine]:
    return ProductionNoticeLine.objects.filter(notice__status=NoticeStatus.ISSUED)


def needs_of(lines: QuerySet[ProductionNoticeLine], *, limit: int = 2000) -> list[Need]:
    """The needs of the given notice lines, with their cover, in five queries."""
    rows = list(
        lines.select_related("notice__order", "line__product").order_by("notice__issued_at", "id")[
            :limit
        ]
    )
    if not rows:
        return []
    ids = [r.pk for r in rows]
    products = {r.line.product_id for r in rows}
    bom: dict[int, list[BomLine]] = defaultdict(list)
    for b in BomLine.objects.filter(product_id__in=products).select_related("material__supplier"):
        bom[b.product_id].append(b)
    cover: dict[tuple[int, int], dict[str, Any]] = {}
    for row in (
        PurchaseLine.objects.filter(notice_line_id__in=ids)
        .exclude(status=LineStatus.CANCELLED)
        .values("notice_line_id", "material_id", "status")
        .annotate(q=Sum("quantity"), r=Sum("received_qty"), d=Min("promised_on"))
    ):
        c = cover.setdefault((row["notice_line_id"], row["material_id"]), {})
        c["ordered"] = c.get("ordered", ZERO) + row["q"]
        c["received"] = c.get("received", ZERO) + row["r"]
        if row["status"] == LineStatus.CONFIRMED:
            c["confirmed"] = c.get("confirmed", ZERO) + row["q"]
    expected = _expected(ids)
    taken = {
        (a["notice_line_id"], a["material_id"]): a["q"]
        for a in Allocation.objects.filter(notice_line_id__in=ids)
        .values("notice_line_id", "material_id")
        .annotate(q=Sum("quantity"))
    }
    starts = planned_starts(ids)
    out = []
    for r in rows:
        for b in bom.get(r.line.product_id, []):
            key = (r.pk, b.material_id)
            c = cover.get(key, {})
            out.append(
                Need(
                    notice_line_id=r.pk,
                    notice=r.notice.number,
                    order=r.notice.order.number,
                    order_id=r.notice.order_id,
                    product=r.line.product.code,
                    material=b.material,
                    need=need_of(
                        quantity=r.quantity,
                        per_unit=b.per_unit,
                        scrap_percent=b.scrap_percent,
                        klass=b.material.klass,
                    ),
                    ordered=c.get("ordered", ZERO),
                    confirmed=c.get("confirmed", ZERO),
                    received=c.get("received", ZERO),
                    allocated=taken.get(key, ZERO),
                    expected=expected.get(key),
                    needed_on=starts.get(r.pk) or timezone.localdate(r.notice.issued_at),
                )
            )
    return out


def _expected(ids: list[int]) -> dict[tuple[int, int], date]:
    """Per (notice line, material): when what is still open is expected (the latest promised
    date of the open lines; a shipment's expected arrival when it is later)."""
    out: dict[tuple[int, int], date] = {}
    for notice_line, material, promised, quantity, received in (
        PurchaseLine.objects.filter(notice_line_id__in=ids)
        .exclude(status=LineStatus.CANCELLED)
        .values_list("notice_line_id", "material_id", "promised_on", "quantity", "received_qty")
    ):
        if received >= quantity:
            continue
        key = (notice_line, material)
        if key not in out or promised > out[key]:
            out[key] = promised
    return out


def planned_starts(ids: list[int]) -> dict[int, date]:
    """The planned start of each notice line's first step in the latest schedule (two queries;
    none planned: empty)."""
    from gendan.production.models import ScheduleBlock, ScheduleRun

    run = ScheduleRun.objects.defer("problem").order_by("-generated_at", "-id").first()
    if run is None:
        return {}
    return {
        row["work_order__notice_line_id"]: row["start"]
        for row in ScheduleBlock.objects.filter(run=run, work_order__notice_line_id__in=ids)
        .values("work_order__notice_line_id")
        .annotate(start=Min("step_start"))
    }
