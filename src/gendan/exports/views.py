"""The export log page (导出记录): filters, exports per day as a chart, the rows, Excel."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext

from gendan import charts
from gendan.errors import DomainError
from gendan.exports import selectors
from gendan.exports.excel import export_export_log
from gendan.exports.models import ExportKind

PAGE_ROWS = 200


def _filter(request: HttpRequest) -> selectors.ExportFilter:
    what = request.GET.get("what", "").strip()
    return selectors.ExportFilter(
        actor=request.GET.get("actor", "").strip() or None,
        what=what if what in ExportKind.values else None,
        since=parse_date(request.GET.get("since", "") or "") or None,
        until=parse_date(request.GET.get("until", "") or "") or None,
    )


def _chart(counts: selectors.DailyCounts) -> Any:
    labels = dict(ExportKind.choices)
    return charts.stacked_bar(
        title=gettext("Exports per day"),
        description=gettext("Exports of the last %(days)d days by kind, with the filters above.")
        % {"days": len(counts.days)},
        x_labels=[d.strftime("%m-%d") for d in counts.days],
        series=[charts.Series(str(labels.get(k, k)), v) for k, v in counts.by_kind.items()],
        y_title=gettext("Exports"),
        height=300,
    )


@login_required
def export_log(request: HttpRequest) -> HttpResponse:
    f = _filter(request)
    try:
        records = selectors.exports(request.user, f)
    except DomainError as exc:
        raise PermissionDenied(str(exc.message)) from exc
    context = {
        "rows": list(records[:PAGE_ROWS]),
        "page_rows": PAGE_ROWS,
        "chart": _chart(selectors.exports_per_day(records)),
        "filters": f,
        "kinds": ExportKind.choices,
        "query": request.GET.urlencode(),
    }
    return render(request, "exports/log.html", context)


@login_required
def export_log_xlsx(request: HttpRequest) -> HttpResponse:
    f = _filter(request)
    try:
        content = export_export_log(
            selectors.exports(request.user, f), actor=request.user, filters=f
        )
    except DomainError as exc:
        raise PermissionDenied(str(exc.message)) from exc
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="export-log-{stamp}.xlsx"'
    return response
