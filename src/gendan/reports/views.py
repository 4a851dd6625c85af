"""The reports' pages: the index of every app's reports, the daily sales list, the kept daily
reports, the report pages (a chart, a table, Excel) and the lazy Today section."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date

from gendan.reports import excel, pages, registry, selectors
from gendan.reports import permissions as p
from gendan.reports.models import DailyReport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _may(user: Any, perm: str) -> None:
    if not p.may(user, perm):
        raise PermissionDenied


def _file(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _day(raw: str | None, default: date) -> date:
    try:
        return parse_date(raw or "") or default
    except ValueError as exc:
        raise Http404 from exc


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Every report of every app the user may open, grouped."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in registry.reports_for(request.user):
        try:
            url = reverse(r.url_name) if r.url_name else ""
        except NoReverseMatch:
            url = ""
        groups.setdefault(str(r.group), []).append({"report": r, "url": url})
    return render(request, "reports/index.html", {"groups": groups})


@login_required
def daily_sales(request: HttpRequest) -> HttpResponse:
    """每日销售清单 of a day (default: today), totals and a page of orders with their lines."""
    _may(request.user, p.VIEW_SALES_REPORTS)
    day = _day(request.GET.get("day"), timezone.localdate())
    region = request.GET.get("region", "")[:100]
    try:
        page = int(request.GET.get("page") or 1)
    except ValueError:
        page = 1
    sales = selectors.daily_sales(request.user, day, region=region, page=page)
    return render(
        request,
        "reports/daily_sales.html",
        {
            "sales": sales,
            "previous": day - timedelta(days=1),
            "next": day + timedelta(days=1),
        },
    )


@login_required
def daily_sales_xlsx(request: HttpRequest) -> HttpResponse:
    _may(request.user, p.VIEW_SALES_REPORTS)
    day = _day(request.GET.get("day"), timezone.localdate())
    region = request.GET.get("region", "")[:100]
    per_page = 500
    sales = selectors.daily_sales(request.user, day, region=region, per_page=per_page)
    lines = []
    for page in range(1, sales.pages + 1):
        chunk = (
            sales
            if page == 1
            else selectors.daily_sales(
                request.user, day, region=region, page=page, per_page=per_page
            )
        )
        for o in chunk.orders:
            for ln in o.lines:
                lines.append(
                    [
                        o.number,
                        o.customer_name,
                        o.region,
                        o.channel,
                        o.salesperson,
                        o.currency,
                        ln["product__code"],
                        ln["product__name"],
                        ln["quantity"],
                        ln["unit_price"],
                        ln["amount"],
                    ]
                )
    content = excel.daily_sales_workbook(actor=request.user, sales=sales, lines=lines)
    return _file(content, f"daily-sales-{day:%Y%m%d}.xlsx")


@login_required
def daily_reports(request: HttpRequest) -> HttpResponse:
    """The kept daily reports, latest first."""
    _may(request.user, p.VIEW_SALES_REPORTS)
    if request.GET.get("day"):
        day = _day(request.GET["day"], timezone.localdate())
        region = request.GET.get("region", "")[:100]
        url = reverse("web:reports_daily_report", args=[day.isoformat()])
        return redirect(f"{url}?{urlencode({'region': region})}" if region else url)
    return render(
        request,
        "reports/daily_reports.html",
        {"reports": selectors.kept_reports(request.user), "today": timezone.localdate()},
    )


@login_required
def daily_report(request: HttpRequest, day: str) -> HttpResponse:
    """The daily report of a day and region as it was produced; a day not produced (yet) is
    shown as a draft from today's data, and said so."""
    _may(request.user, p.VIEW_SALES_REPORTS)
    when = _day(day, timezone.localdate())
    region = request.GET.get("region", "")[:100]
    kept = DailyReport.objects.filter(day=when, region=region).first()
    data = kept.data if kept else selectors.daily_report_data(when, region)
    return render(
        request,
        "reports/daily_report.html",
        {
            "kept": kept,
            "data": data,
            "parts": selectors.daily_parts_of(data),
            "day": when,
            "region": region,
            "previous": when - timedelta(days=1),
            "next": when + timedelta(days=1),
        },
    )


def _sheet(request: HttpRequest, key: str) -> tuple[pages.Sheet, str]:
    build, perm = pages.SHEETS[key]
    _may(request.user, perm)
    return build(request.user, request.GET), perm


@login_required
def report_page(request: HttpRequest, key: str) -> HttpResponse:
    if key not in pages.SHEETS:
        raise Http404
    sheet, _perm = _sheet(request, key)
    return render(
        request,
        "reports/sheet.html",
        {"sheet": sheet, "query": request.GET.urlencode(), "key": key},
    )


@login_required
def report_xlsx(request: HttpRequest, key: str) -> HttpResponse:
    if key not in pages.SHEETS:
        raise Http404
    sheet, perm = _sheet(request, key)
    content = excel.sheet_workbook(actor=request.user, sheet=sheet, perm=perm)
    return _file(content, f"{key.replace('_', '-')}-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
def today_section(request: HttpRequest, key: str) -> HttpResponse:
    from gendan import extensions
    from gendan.accounts.roles import role_names
    from gendan.reports.contributions import LAZY

    section = extensions.registry.today_sections.get(key)
    if key not in LAZY or section is None or not section.roles & set(role_names(request.user)):
        raise Http404
    request.reports_section = True  # type: ignore[attr-defined]
    data = section.build(request.user, timezone.localdate(), 50, request)
    return render(request, section.template, {"section": section, "data": data})
