"""The forecast's pages: the list of orders by risk (and its Excel), Today's section and the
cockpit's panel, both drawn after their page has loaded."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gendan.errors import DomainError
from gendan.forecast import excel, selectors, services
from gendan.forecast import permissions as p
from gendan.forecast.contributions import SECTION
from gendan.forecast.models import Risk
from gendan.orders.selectors import get_order_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _may(user: Any) -> None:
    if not user.can(p.VIEW):
        raise PermissionDenied


def _reasons(rows: list[Any]) -> None:
    language = get_language() or "zh-hans"
    for row in rows:
        row.texts = row.reason_texts(language)


@login_required
def forecast_list(request: HttpRequest) -> HttpResponse:
    """The orders in production by risk, worst first; keyset pages; Excel."""
    _may(request.user)
    risk = request.GET.get("risk", "")
    mine = request.GET.get("mine") == "1"
    qs = selectors.forecasts(request.user, risk=risk, mine=mine)
    if request.GET.get("format") == "xlsx":
        try:
            body = excel.export_forecasts(
                qs, actor=request.user, filters={"risk": risk, "mine": mine}
            )
        except DomainError as exc:
            raise PermissionDenied from exc
        response = HttpResponse(body, content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="delivery-forecast.xlsx"'
        return response
    rows, cursor = selectors.page(qs, request.GET.get("after", ""))
    _reasons(rows)
    return render(
        request,
        "forecast/list.html",
        {
            "rows": rows,
            "next_cursor": cursor,
            "risk": risk,
            "mine": mine,
            "risks": Risk.choices,
        },
    )


@login_required
def today_section(request: HttpRequest) -> HttpResponse:
    from gendan import extensions
    from gendan.accounts.roles import role_names

    section = extensions.registry.today_sections.get(SECTION)
    if section is None or not section.roles & set(role_names(request.user)):
        raise Http404
    request.forecast_section = True  # type: ignore[attr-defined]
    data = section.build(request.user, timezone.localdate(), 50, request)
    _reasons(data.rows)
    return render(request, section.template, {"section": section, "data": data})


@login_required
def order_panel(request: HttpRequest, number: str) -> HttpResponse:
    _may(request.user)
    try:
        order = get_order_for(request.user, number)
    except DomainError as exc:
        raise Http404 from exc
    found = selectors.of_order(order)
    if found is not None:
        _reasons([found])
    return render(request, "forecast/_panel_body.html", {"order": order, "f": found})


@login_required
@require_POST
def insist(request: HttpRequest, number: str) -> HttpResponse:
    """The customer insists on the agreed date: the planners are told."""
    _may(request.user)
    try:
        order = services.insist_on_date(
            order_number=number, actor=request.user, note=request.POST.get("note", "")
        )
    except DomainError as exc:
        raise Http404 from exc
    messages.success(request, _("The production planners are told the customer insists."))
    return HttpResponseRedirect(reverse("web:order_detail", args=[order.number]))
