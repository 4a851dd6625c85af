"""Customers: the list, the detail (terms, contacts, open orders, receivable, communication log)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from gendan.accounts.permissions import Perm
from gendan.errors import DomainError, Kind
from gendan.finance.selectors import customer_receivable
from gendan.orders.models import Order
from gendan.orders.selectors import visible_orders
from gendan.orders.workflow import OPEN
from gendan.parties import services
from gendan.parties.models import CommunicationKind, Customer
from gendan.parties.selectors import get_customer_for, visible_communications, visible_customers

PAGE_SIZE = 50
LOG_SIZE = 50


def _customer_or_404(user: Any, code: str) -> Customer:
    try:
        return get_customer_for(user, code)
    except DomainError as exc:
        raise Http404(str(exc.message)) from exc


@login_required
def customer_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    open_orders = (
        Order.objects.filter(customer=OuterRef("pk"), status__in=OPEN)
        .order_by()
        .values("customer")
        .annotate(n=Count("id"))
        .values("n")
    )
    qs = (
        visible_customers(request.user)
        .select_related("salesperson")
        .annotate(open_orders=Coalesce(Subquery(open_orders), 0))
        .order_by("code")
    )
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(name__icontains=q) | Q(region__icontains=q))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "parties/customer_list.html", {"page": page, "q": q})


def _detail_context(request: HttpRequest, customer: Customer) -> dict[str, Any]:
    user = request.user
    show_prices = user.can(Perm.VIEW_PRICES)
    orders = list(
        visible_orders(user)
        .filter(customer=customer, status__in=OPEN)
        .select_related("salesperson", "merchandiser")
        .order_by("delivery_date", "id")
    )
    return {
        "customer": customer,
        "show_prices": show_prices,
        "receivable": customer_receivable(customer) if show_prices else None,
        "contacts": list(customer.contacts.all()),
        "orders": orders,
        **_log_context(request, customer, orders),
    }


def _log_context(
    request: HttpRequest,
    customer: Customer,
    orders: list[Order] | None = None,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> dict[str, Any]:
    user = request.user
    if orders is None:
        orders = list(
            visible_orders(user)
            .filter(customer=customer, status__in=OPEN)
            .only("number")
            .order_by("delivery_date", "id")
        )
    return {
        "customer": customer,
        "communications": list(visible_communications(user).filter(customer=customer)[:LOG_SIZE]),
        "can_log": user.can(Perm.LOG_COMMUNICATION),
        "kinds": CommunicationKind.choices,
        "order_numbers": [o.number for o in orders],
        "values": values or {"kind": CommunicationKind.CALL},
        "errors": errors or {},
    }


@login_required
def customer_detail(request: HttpRequest, code: str) -> HttpResponse:
    customer = _customer_or_404(request.user, code)
    return render(request, "parties/customer_detail.html", _detail_context(request, customer))


@login_required
@require_POST
def communication_add(request: HttpRequest, code: str) -> HttpResponse:
    """Quick-add a communication; errors at their field with the input kept."""
    customer = _customer_or_404(request.user, code)
    values = {
        name: request.POST.get(name, "").strip()
        for name in ("kind", "summary", "follow_up_on", "order")
    }
    errors: dict[str, str] = {}
    follow_up_on = None
    if values["follow_up_on"]:
        try:
            follow_up_on = parse_date(values["follow_up_on"])
        except ValueError:
            follow_up_on = None
        if follow_up_on is None:
            errors["follow_up_on"] = gettext("Enter a date as YYYY-MM-DD.")
    if not errors:
        try:
            services.log_communication(
                actor=request.user,
                customer=customer.code,
                kind=values["kind"],
                summary=values["summary"],
                order=values["order"] or None,
                follow_up_on=follow_up_on,
            )
        except DomainError as exc:
            if exc.kind == Kind.FORBIDDEN:
                raise PermissionDenied(str(exc.message)) from exc
            if exc.kind == Kind.NOT_FOUND:
                raise Http404(str(exc.message)) from exc
            fields = exc.details.get("fields") or {}
            if exc.details.get("field"):
                fields = {exc.details["field"]: str(exc.message)}
            errors = {k: str(v) for k, v in fields.items()} or {"form": str(exc.message)}
    if request.htmx:
        context = _log_context(request, customer, values=values if errors else None, errors=errors)
        context["saved"] = not errors
        return render(request, "parties/_communications.html", context)
    if errors:
        context = _detail_context(request, customer)
        context.update(values=values, errors=errors)
        return render(request, "parties/customer_detail.html", context, status=422)
    messages.success(request, gettext("The communication is logged."))
    return HttpResponseRedirect(reverse("web:customer_detail", args=[customer.code]))
