"""Production's pages beyond the floor: the daily reports from Excel, the slip-reason
statistics and the plan-progress sheet (each with its Excel export), and the day plan as a
printed A4 PDF (Chinese, one page per line)."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.dateparse import parse_date
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter

from gendan import charts, prices
from gendan.errors import DomainError
from gendan.exports.models import ExportFormat
from gendan.exports.services import record_export
from gendan.exports.sheets import append_row
from gendan.orders.selectors import get_order_for
from gendan.production import permissions as p
from gendan.production import slip_stats
from gendan.production.models import DayPlan, ProductionLine, SlipReason
from gendan.production.services import report_import
from gendan.production.views import PAGE_PERMS, _may_see

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: the export log's names of production's files (the log's `what` is free text)
EXPORT_SLIPS = "production_slips"
EXPORT_PROGRESS = "production_progress"
EXPORT_DAY_PLAN = "production_day_plan"


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# ---- the daily reports from Excel ------------------------------------------------------------


@login_required
def report_import_page(request: HttpRequest) -> HttpResponse:
    """The upload form (phone-ok): the file is refused at once over its bounds; otherwise every
    row is imported, or none and each bad cell is named."""
    if not request.user.can(p.REPORT):
        raise PermissionDenied
    result = None
    refusal = ""
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            refusal, status = gettext("Choose an .xlsx file."), 422
        elif upload.size is not None and upload.size > report_import.MAX_BYTES:
            refusal, status = str(report_import.too_large(upload.size).message), 413
        else:
            try:
                result = report_import.import_reports(data=upload.read(), actor=request.user)
            except DomainError as exc:
                refusal, status = prices.error_text(exc, request.user), 422
            else:
                status = 422 if result.failed() else 200
    context = {
        "result": result,
        "refusal": refusal,
        "max_rows": report_import.MAX_ROWS,
        "max_mb": report_import.MAX_BYTES // (1024 * 1024),
        "header": report_import.HEADER,
    }
    return render(request, "production/report_import.html", context, status=status)


def template_workbook() -> bytes:
    """An empty workbook in the import's layout: the header, one example row, and a comment on
    each header cell saying what it takes."""
    book = Workbook()
    sheet = book.active
    sheet.title = report_import.SHEET
    sheet.append(list(report_import.HEADER))
    help_text = {
        "work_order": gettext("The work order number (工单号), required."),
        "day": gettext("The day reported, a date cell or YYYY-MM-DD, required."),
        "good_qty": gettext("Good quantity, a whole number, required."),
        "defect_qty": gettext("Defects, a whole number (empty: 0)."),
        "scrap_qty": gettext("Scrap, a whole number (empty: 0)."),
        "hours": gettext("Hours worked, 0 to 24."),
        "slip_reason": gettext(
            "Below the day's plan: one of the seven reasons, its code or its Chinese label."
        ),
        "note": gettext("Below the day's plan: what happened (required then)."),
    }
    for index, column in enumerate(report_import.HEADER, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.comment = Comment(help_text[column], "Gendan")
        sheet.column_dimensions[get_column_letter(index)].width = 18
    reasons = book.create_sheet(gettext("Slip reasons")[:31])
    reasons.append([gettext("code"), gettext("label")])
    for value, label in SlipReason.choices:
        reasons.append([value, str(label)])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


@login_required
def report_import_template(request: HttpRequest) -> HttpResponse:
    if not request.user.can(p.REPORT):
        raise PermissionDenied
    return _xlsx(template_workbook(), "daily-reports-template.xlsx")


# ---- slip reasons ------------------------------------------------------------------------------


def _range(request: HttpRequest) -> tuple[date, date]:
    today = timezone.localdate()
    until = parse_date(request.GET.get("until", "") or "") or today
    since = parse_date(request.GET.get("since", "") or "") or until - timedelta(weeks=8)
    return min(since, until), until


def _slips_chart(stats: slip_stats.SlipStats) -> Any:
    weeks = stats.tables["week"]
    return charts.stacked_bar(
        title=gettext("Shortfall by slip reason per week"),
        description=gettext(
            "Units below the day's plan per ISO week, stacked by the reason given, from %(since)s "
            "to %(until)s."
        )
        % {"since": stats.since, "until": stats.until},
        x_labels=weeks.rows,
        series=[
            charts.Series(str(label), [weeks.cell(w, value).short for w in weeks.rows])
            for value, label in SlipReason.choices
        ],
        y_title=gettext("Units short"),
        height=320,
    )


@login_required
def slips(request: HttpRequest) -> HttpResponse:
    """The slip reasons per line, ISO week, customer and reason: a chart and four tables."""
    _may_see(request.user)
    since, until = _range(request)
    stats = slip_stats.slip_stats(request.user, since=since, until=until)
    titles = {
        "reason": gettext("Per reason"),
        "line": gettext("Per line"),
        "week": gettext("Per ISO week"),
        "customer": gettext("Per customer"),
    }
    context = {
        "stats": stats,
        "since": since,
        "until": until,
        "chart": _slips_chart(stats),
        "reasons": SlipReason.choices,
        "tables": [
            (key, titles[key], stats.tables[key].lines())
            for key in ("reason", "line", "week", "customer")
        ],
        "query": request.GET.urlencode(),
    }
    return render(request, "production/slips.html", context)


@login_required
def slips_xlsx(request: HttpRequest) -> HttpResponse:
    _may_see(request.user)
    since, until = _range(request)
    stats = slip_stats.slip_stats(request.user, since=since, until=until)
    book = Workbook()
    book.remove(book.active)
    labels = [str(label) for label in SlipReason.labels]
    rows = 0
    for key, title in (
        ("reason", gettext("Per reason")),
        ("line", gettext("Per line")),
        ("week", gettext("Per ISO week")),
        ("customer", gettext("Per customer")),
    ):
        sheet = book.create_sheet(title[:31])
        head: list[Any] = [title]
        short_word, reports_word = gettext("units short"), gettext("reports")
        for label in labels:
            head += [f"{label} · {short_word}", f"{label} · {reports_word}"]
        append_row(sheet, [*head, gettext("Units short"), gettext("Reports")])
        for line in stats.tables[key].lines():
            values: list[Any] = [line["label"]]
            for cell in line["cells"]:
                values += [cell.short, cell.reports]
            append_row(sheet, [*values, line["total"].short, line["total"].reports])
            rows += 1
    out = BytesIO()
    book.save(out)
    record_export(
        actor=request.user,
        what=EXPORT_SLIPS,
        filters={"since": since, "until": until},
        rows=rows,
        fmt=ExportFormat.XLSX,
    )
    return _xlsx(out.getvalue(), f"slip-reasons-{since:%Y%m%d}-{until:%Y%m%d}.xlsx")


# ---- the plan-progress sheet of an order ---------------------------------------------------------


def _order(request: HttpRequest, number: str) -> Any:
    try:
        return get_order_for(request.user, number)
    except DomainError as exc:
        raise Http404 from exc


@login_required
def progress(request: HttpRequest, number: str) -> HttpResponse:
    """生产计划进度跟踪表: per step and day, planned against good, the day's and the cumulative
    variance (anyone who sees the order: there are quantities only)."""
    order = _order(request, number)
    steps = slip_stats.plan_progress(order)
    labels = dict(SlipReason.choices)
    return render(
        request,
        "production/progress.html",
        {"order": order, "steps": steps, "labels": labels},
    )


@login_required
def progress_xlsx(request: HttpRequest, number: str) -> HttpResponse:
    order = _order(request, number)
    steps = slip_stats.plan_progress(order)
    labels = dict(SlipReason.choices)
    book = Workbook()
    sheet = book.active
    sheet.title = gettext("Plan progress")[:31]
    append_row(
        sheet,
        [
            gettext("Order"),
            gettext("Work order"),
            gettext("Step"),
            gettext("Line"),
            gettext("Day"),
            gettext("Planned"),
            gettext("Good"),
            gettext("Variance"),
            gettext("Cumulative planned"),
            gettext("Cumulative good"),
            gettext("Cumulative variance"),
            gettext("Slip reason"),
        ],
    )
    rows = 0
    for s in steps:
        for d in s.days:
            append_row(
                sheet,
                [
                    order.number,
                    s.work_order,
                    f"{s.seq}. {s.name}",
                    s.line,
                    d.day,
                    d.planned,
                    d.good,
                    d.variance,
                    d.cumulative_planned,
                    d.cumulative_good,
                    d.cumulative_variance,
                    str(labels.get(d.slip_reason, "")),
                ],
            )
            rows += 1
    out = BytesIO()
    book.save(out)
    record_export(
        actor=request.user,
        what=EXPORT_PROGRESS,
        filters={"order": order.number},
        rows=rows,
        fmt=ExportFormat.XLSX,
    )
    return _xlsx(out.getvalue(), f"plan-progress-{order.number}.xlsx")


# ---- the day plan, printed ------------------------------------------------------------------


@login_required
def day_plan_pdf(request: HttpRequest) -> HttpResponse:
    """The day's plans (default: tomorrow) of every active line, or of ``?line=``, as an A4
    PDF in Chinese, one page per line."""
    from gendan.shipping.documents import font_url, render_pdf

    if not any(request.user.can(code) for code in PAGE_PERMS):
        raise PermissionDenied
    raw = request.GET.get("day")
    try:
        day = date.fromisoformat(raw) if raw else timezone.localdate() + timedelta(days=1)
    except ValueError as exc:
        raise Http404 from exc
    lines = ProductionLine.objects.filter(active=True).order_by("code")
    if request.GET.get("line"):
        lines = ProductionLine.objects.filter(code=request.GET["line"])
    line_list = list(lines)
    if not line_list:
        raise Http404
    plans = {
        plan.line_id: plan
        for plan in DayPlan.objects.filter(line__in=line_list, day=day)
        .select_related("merchandiser", "workshop_supervisor", "packing_supervisor")
        .prefetch_related(
            "items__work_order__order__customer", "items__work_order__notice_line__line__product"
        )
    }
    pages = [{"line": line, "plan": plans.get(line.pk)} for line in line_list]
    with translation.override("zh-hans"):
        html = render_to_string(
            "production/day_plan_pdf.html",
            {"pages": pages, "day": day, "font_url": font_url(for_pdf=True)},
        )
    content = render_pdf(html)
    record_export(
        actor=request.user,
        what=EXPORT_DAY_PLAN,
        filters={"day": day, "line": request.GET.get("line", "")},
        rows=sum(len(pg["plan"].items.all()) for pg in pages if pg["plan"]),
        fmt=ExportFormat.PDF,
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="day-plan-{day:%Y%m%d}.pdf"'
    return response
