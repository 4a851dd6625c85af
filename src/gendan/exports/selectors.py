"""Reading the export log: for those who hold VIEW_EXPORT_LOG (managers, the administrator)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from gendan.accounts.guards import require
from gendan.exports.models import ExportKind, ExportRecord
from gendan.exports.permissions import ExportPerm


@dataclass(frozen=True)
class ExportFilter:
    actor: str | None = None  # the username of who exported
    what: str | None = None
    since: date | None = None
    until: date | None = None


def exports(viewer: Any, f: ExportFilter) -> QuerySet[ExportRecord]:
    require(viewer, ExportPerm.VIEW_EXPORT_LOG)
    qs = ExportRecord.objects.select_related("actor")
    if f.actor:
        qs = qs.filter(actor__username=f.actor)
    if f.what:
        qs = qs.filter(what=f.what)
    if f.since:
        qs = qs.filter(at__date__gte=f.since)
    if f.until:
        qs = qs.filter(at__date__lte=f.until)
    return qs.order_by("-at", "-id")


@dataclass(frozen=True)
class DailyCounts:
    days: list[date]
    by_kind: dict[str, list[int]]  # kind -> count per day, in the order of `days`


def exports_per_day(records: QuerySet[ExportRecord], *, days: int = 30) -> DailyCounts:
    """How many exports each local day of the last `days` days (today included), by kind: one query."""
    today = timezone.localdate()
    first = today - timedelta(days=days - 1)
    span = [first + timedelta(days=i) for i in range(days)]
    rows = (
        records.filter(at__date__gte=first, at__date__lte=today)
        .annotate(day=TruncDate("at", tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values("day", "what")
        .annotate(n=Count("id"))
    )
    index = {d: i for i, d in enumerate(span)}
    by_kind: dict[str, list[int]] = {}
    for row in rows:
        counts = by_kind.setdefault(row["what"], [0] * days)
        counts[index[row["day"]]] += row["n"]
    ordered = {k: by_kind[k] for k in ExportKind.values if k in by_kind}
    ordered.update({k: v for k, v in by_kind.items() if k not in ordered})
    return DailyCounts(days=span, by_kind=ordered)
