"""The exceptions register's pages: raise one from the phone (a few taps: the kind, what was
seen, the line, a photo), the register (keyset pages, Excel), one exception (act, close, make it
the day's slip reason), the merchandiser's Today section and the count per kind and line."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext

from gendan import prices
from gendan.accounts.models import User
from gendan.attachments.selectors import files_of
from gendan.errors import DomainError
from gendan.patrol import excel, selectors, services
from gendan.patrol import permissions as p
from gendan.patrol.models import ExceptionKind, ExceptionStatus
from gendan.production.models import ProductionLine

PAGE = 50


def _may(user: Any, *perms: str) -> None:
    if not any(user.can(code) for code in perms):
        raise PermissionDenied


def _date(raw: str | None) -> date | None:
    try:
        return parse_date((raw or "").strip()) if raw else None
    except ValueError:
        return None


def _lines() -> list[ProductionLine]:
    return list(ProductionLine.objects.filter(active=True).order_by("code").only("code", "name"))


@login_required
def raise_page(request: HttpRequest) -> HttpResponse:
    _may(request.user, p.RAISE)
    error, typed = "", {}
    if request.method == "POST":
        typed = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
        try:
            exc = services.raise_exception(
                actor=request.user,
                kind=request.POST.get("kind", ""),
                description=request.POST.get("description", ""),
                line=request.POST.get("line", ""),
                order=request.POST.get("order", "").strip(),
                work_order=request.POST.get("work_order", "").strip(),
                assignee=request.POST.get("assignee", ""),
                due_on=_date(request.POST.get("due_on")),
                photo=request.FILES.get("photo"),
            )
        except DomainError as exc_:
            error = prices.error_text(exc_, request.user)
        else:
            messages.success(request, gettext("%(n)s raised.") % {"n": exc.number})
            return redirect("web:patrol_exception", exc.number)
    context = {
        "kinds": ExceptionKind.choices,
        "lines": _lines(),
        "people": list(
            User.objects.filter(is_active=True)
            .order_by("username")
            .only("username", "display_name")
        ),
        "typed": typed,
        "error": error,
    }
    return render(request, "patrol/raise.html", context, status=422 if error else 200)


def _filtered(request: HttpRequest) -> Any:
    qs = selectors.exceptions(request.user)
    status = request.GET.get("status", "open")
    if status in ExceptionStatus.values:
        qs = qs.filter(status=status)
    kind = request.GET.get("kind", "")
    if kind in ExceptionKind.values:
        qs = qs.filter(kind=kind)
    return qs.order_by("-id"), status, kind


@login_required
def exception_list(request: HttpRequest) -> HttpResponse:
    _may(request.user, p.RAISE, p.HANDLE)
    qs, status, kind = _filtered(request)
    after = request.GET.get("after", "")
    if after.isdigit():
        qs = qs.filter(id__lt=int(after))
    rows = list(qs[: PAGE + 1])
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    context = {
        "exceptions": rows,
        "next_after": rows[-1].pk if more else None,
        "status": status,
        "kind": kind,
        "kinds": ExceptionKind.choices,
        "may_raise": request.user.can(p.RAISE),
    }
    return render(request, "patrol/list.html", context)


@login_required
def export(request: HttpRequest) -> HttpResponse:
    _may(request.user, p.RAISE)
    qs, _status, _kind = _filtered(request)
    body = excel.export_exceptions(list(qs[: excel.MAX_ROWS]), actor=request.user)
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="exceptions.xlsx"'
    return response


STEPS = {
    "act": lambda r, n: services.record_action(
        actor=r.user, number=n, action_taken=r.POST.get("action_taken", "")
    ),
    "close": lambda r, n: services.close_exception(
        actor=r.user, number=n, action_taken=r.POST.get("action_taken", "")
    ),
    "slip": lambda r, n: services.make_slip_reason(actor=r.user, number=n),
    "photo": lambda r, n: services.attach_photo(actor=r.user, number=n, photo=r.FILES.get("photo")),
}


@login_required
def exception_detail(request: HttpRequest, number: str) -> HttpResponse:
    _may(request.user, p.RAISE, p.HANDLE)
    error = ""
    if request.method == "POST":
        step = STEPS.get(request.POST.get("step", ""))
        if step is None:
            raise Http404
        try:
            step(request, number)
        except DomainError as exc_:
            error = prices.error_text(exc_, request.user)
        else:
            return redirect("web:patrol_exception", number)
    try:
        exc = selectors.get_exception_for(request.user, number)
    except DomainError as err:
        raise Http404(str(err.message)) from err
    context = {
        "exc": exc,
        "photos": list(files_of(exc)),
        "may_handle": request.user.can(p.HANDLE) and exc.is_open,
        "may_slip": exc.work_order_id is not None and exc.daily_report_id is None,
        "error": error,
    }
    return render(request, "patrol/detail.html", context, status=422 if error else 200)


@login_required
def today_section(request: HttpRequest) -> HttpResponse:
    from gendan import extensions
    from gendan.accounts.roles import role_names
    from gendan.patrol.contributions import SECTION

    section = extensions.registry.today_sections[SECTION]
    if not section.roles & set(role_names(request.user)):
        raise Http404
    request.patrol_section = True  # type: ignore[attr-defined]
    data = section.build(request.user, timezone.localdate(), 50, request)
    return render(request, section.template, {"section": section, "data": data})


@login_required
def report(request: HttpRequest) -> HttpResponse:
    """Exceptions per line and kind over a period (the last 30 days unless asked)."""
    _may(request.user, p.RAISE, p.HANDLE)
    until = _date(request.GET.get("until")) or timezone.localdate()
    since = _date(request.GET.get("since")) or until - timedelta(days=30)
    rows = selectors.count_by_kind_and_line(since, until)
    kinds = dict(ExceptionKind.choices)
    table: dict[str, dict[str, Any]] = {}
    for row in rows:
        key = row["line__code"] or ""
        entry = table.setdefault(
            key,
            {
                "code": key,
                "name": row["line__name"] or "",
                "counts": dict.fromkeys(kinds, 0),
                "total": 0,
                "open": 0,
            },
        )
        entry["counts"][row["kind"]] = row["total"]
        entry["total"] += row["total"]
        entry["open"] += row["still_open"]
    lines = [{**e, "cells": [e["counts"][k] for k in kinds]} for e in table.values()]
    totals = [sum(e["counts"][k] for e in table.values()) for k in kinds]
    context = {
        "since": since,
        "until": until,
        "kinds": list(kinds.values()),
        "lines": lines,
        "totals": totals,
        "grand_total": sum(totals),
    }
    return render(request, "patrol/report.html", context)
