"""The reports over HTTP (/api/v1/reports/...): the index, the daily sales list of a day, the
kept daily reports (list, read a day), each report page's data, and the regions of the regional
managers."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from ninja import Field, Query, Router, Schema, Status

from gendan.apiconventions import caller, errors, page_by_key
from gendan.errors import not_found
from gendan.reports import pages, registry, selectors, services
from gendan.reports import permissions as p
from gendan.reports.models import DailyReport

router = Router(tags=["reports"])


class ReportOut(Schema):
    key: str
    title: str
    description: str
    group: str
    app: str
    url: str


@router.get("/", response={200: list[ReportOut], **errors()})
def list_reports(request: HttpRequest):
    """The reports index: every report of every app the caller may open."""
    out = []
    for r in registry.reports_for(caller(request)):
        try:
            url = reverse(r.url_name) if r.url_name else ""
        except NoReverseMatch:
            url = ""
        out.append(
            {
                "key": r.key,
                "title": str(r.title),
                "description": str(r.description),
                "group": str(r.group),
                "app": r.app,
                "url": url,
            }
        )
    return out


class DailySalesIn(Schema):
    day: date
    region: str = Field("", max_length=100)
    page: int = Field(1, ge=1, le=100000)
    per_page: int = Field(50, ge=1, le=500)


class TotalOut(Schema):
    key: str
    currency: str
    orders: int
    amount: Decimal


class SalesLineOut(Schema):
    product: str
    name: str
    quantity: int
    unit_price: Decimal
    amount: Decimal


class SalesOrderOut(Schema):
    number: str
    customer: str
    customer_name: str
    region: str
    channel: str
    salesperson: str
    currency: str
    total: Decimal
    status: str
    lines: list[SalesLineOut]


class DailySalesOut(Schema):
    day: date
    region: str
    per_currency: list[TotalOut]
    per_salesperson: list[TotalOut]
    per_region: list[TotalOut]
    count: int
    page: int
    pages: int
    orders: list[SalesOrderOut]


@router.get("/daily-sales", response={200: DailySalesOut, **errors(403)})
def daily_sales(request: HttpRequest, q: Query[DailySalesIn]):
    """每日销售清单: the orders contracted on the day, totals per currency, salesperson and
    region (aggregated in the database), and a page of the orders with their lines."""
    actor = caller(request)
    p.require(actor, p.VIEW_SALES_REPORTS)
    s = selectors.daily_sales(actor, q.day, region=q.region, page=q.page, per_page=q.per_page)
    return {
        "day": s.day,
        "region": s.region,
        "per_currency": [vars(t) for t in s.per_currency],
        "per_salesperson": [vars(t) for t in s.per_salesperson],
        "per_region": [vars(t) for t in s.per_region],
        "count": s.count,
        "page": s.page,
        "pages": s.pages,
        "orders": [
            {
                "number": o.number,
                "customer": o.customer_code,
                "customer_name": o.customer_name,
                "region": o.region,
                "channel": o.channel,
                "salesperson": o.salesperson,
                "currency": o.currency,
                "total": o.total,
                "status": o.status,
                "lines": [
                    {
                        "product": ln["product__code"],
                        "name": ln["product__name"],
                        "quantity": ln["quantity"],
                        "unit_price": ln["unit_price"],
                        "amount": ln["amount"],
                    }
                    for ln in o.lines
                ],
            }
            for o in s.orders
        ],
    }


class DailyReportSummaryOut(Schema):
    day: date
    region: str
    produced_at: datetime
    mailed_to: list[str]


class SalesDailyReportOut(DailyReportSummaryOut):
    kept: bool
    data: dict[str, Any]


class DailyReportPage(Schema):
    items: list[DailyReportSummaryOut]
    next_cursor: str | None


@router.get("/daily", response={200: DailyReportPage, **errors(403)})
def list_daily_reports(
    request: HttpRequest,
    after: int | None = Query(None, ge=1, description="`next_cursor` of the page before"),
    limit: int = Query(60, ge=1, le=500),
):
    """The kept daily reports of the caller's regions, the last produced first. Pass `after` =
    `next_cursor` for the next page."""
    actor = caller(request)
    p.require(actor, p.VIEW_SALES_REPORTS)
    rows, cursor = page_by_key(selectors.kept(actor), key="-id", after=after, limit=limit)
    return {
        "items": [
            {
                "day": r.day,
                "region": r.region,
                "produced_at": r.produced_at,
                "mailed_to": r.mailed_to,
            }
            for r in rows
        ],
        "next_cursor": cursor,
    }


class RegionIn(Schema):
    region: str = Field("", max_length=100, description='"" for the whole company')


@router.get("/daily/{day}", response={200: SalesDailyReportOut, **errors(403, 404)})
def read_daily_report(request: HttpRequest, day: date, q: Query[RegionIn]):
    """The daily report of a day and region as it was produced and kept (404 when none was)."""
    actor = caller(request)
    p.require(actor, p.VIEW_SALES_REPORTS)
    r = DailyReport.objects.filter(day=day, region=q.region).first()
    if r is None:
        raise not_found("daily_report")
    return {
        "day": r.day,
        "region": r.region,
        "produced_at": r.produced_at,
        "mailed_to": r.mailed_to,
        "kept": True,
        "data": r.data,
    }


class SheetOut(Schema):
    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    filters: dict[str, Any]


class SheetIn(Schema):
    since: date | None = None
    until: date | None = None
    by: Literal["month", "customer", "salesperson", "merchandiser"] | None = None
    days: int | None = Field(None, ge=7, le=730)
    month: str | None = Field(None, pattern=r"^\d{4}-\d{2}$")


@router.get(
    "/sheets/{key}",
    response={200: SheetOut, **errors(403, 404)},
)
def read_sheet(
    request: HttpRequest,
    key: Literal["on_time", "late", "workload", "slow_moving", "capacity"],
    q: Query[SheetIn],
):
    """A report page's data (the table the page and its Excel show): on-time delivery, late and
    at-risk orders, merchandiser workload, slow-moving finished goods, monthly capacity."""
    actor = caller(request)
    build, perm = pages.SHEETS[key]
    p.require(actor, perm)
    params = {
        k: (v.isoformat() if isinstance(v, date) else str(v)) for k, v in q.dict().items() if v
    }
    sheet = build(actor, params)
    return {
        "key": sheet.key,
        "title": sheet.title,
        "columns": sheet.columns,
        "rows": [[_plain(c) for c in row] for row in sheet.rows],
        "filters": {k: _plain(v) for k, v in sheet.applied.items()},
    }


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


class AssignIn(Schema):
    manager: str = Field(..., max_length=150, description="a regional manager's username")
    region: str = Field(..., max_length=100)


class AssignOut(Schema):
    manager: str
    region: str


@router.post("/regions", response={201: AssignOut, **errors(403)})
def assign_region(request: HttpRequest, data: AssignIn):
    """Make a regional manager answer for a region: its daily report goes to them."""
    a = services.assign_region(actor=caller(request), **data.dict())
    return Status(201, {"manager": a.manager.username, "region": a.region})
