"""Products (with search) and finished-goods stock: on hand, reserved, available."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from gendan.accounts.permissions import Perm
from gendan.catalog.selectors import get_product, products, stock_rows
from gendan.errors import DomainError
from gendan.orders.models import OrderLine
from gendan.orders.selectors import visible_orders
from gendan.orders.workflow import OPEN

PAGE_SIZE = 50
OPEN_LINES = 30


@login_required
def product_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    page = Paginator(products(q=q or None), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "catalog/product_list.html", {"page": page, "q": q})


@login_required
def product_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        product = get_product(code)
    except DomainError as exc:
        raise Http404(str(exc.message)) from exc
    show_prices = request.user.can(Perm.VIEW_PRICES)
    lines = list(
        OrderLine.objects.filter(
            product=product,
            order__in=visible_orders(request.user).filter(status__in=OPEN).values("pk"),
        )
        .select_related("order", "order__customer")
        .order_by("order__delivery_date", "order_id", "line_no")[:OPEN_LINES]
    )
    context = {
        "product": product,
        "stock": list(stock_rows(product=product.code)),
        "lines": lines,
        "show_prices": show_prices,
    }
    return render(request, "catalog/product_detail.html", context)


@login_required
def stock_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    qs = stock_rows()
    if q:
        qs = qs.filter(Q(product__code__icontains=q) | Q(product__name__icontains=q))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "catalog/stock_list.html", {"page": page, "q": q})
