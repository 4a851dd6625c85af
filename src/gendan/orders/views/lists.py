"""The order list (filters in the URL, sortable, keyset pages, Excel export) and the inbox."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan import prices
from gendan.accounts.permissions import Perm
from gendan.errors import DomainError
from gendan.orders import review, selectors
from gendan.orders.excel import export_orders
from gendan.orders.workflow import Status
from gendan.parties.models import Channel

PAGE_SIZE = 50
SORT_CHOICES = [
    ("delivery_date", _("Delivery date, earliest first")),
    ("-delivery_date", _("Delivery date, latest first")),
    ("number", _("Number, ascending")),
    ("-number", _("Number, descending")),
    ("contract_date", _("Contract date, earliest first")),
    ("-contract_date", _("Contract date, latest first")),
]
SORTABLE = ("number", "contract_date", "delivery_date")


class OrderListForm(forms.Form):
    """The list's filters, read from the URL (a GET form, so a view can be bookmarked)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.MultipleChoiceField(
        label=_("Status"),
        choices=Status.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # a code typed in, not a list: a company has thousands of customers
    customer = forms.CharField(
        label=_("Customer"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"placeholder": _("Customer code")}),
    )
    salesperson = forms.ChoiceField(label=_("Salesperson"), required=False)
    merchandiser = forms.ChoiceField(label=_("Merchandiser"), required=False)
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All")), *Channel.choices]
    )
    due_after = forms.DateField(
        label=_("Due from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    due_before = forms.DateField(
        label=_("Due until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORT_CHOICES)

    def __init__(self, data: Any, *, actor: Any) -> None:
        super().__init__(data)
        everyone = [("", _("All"))]
        people = review.team_choices()
        self.fields["salesperson"].choices = everyone + people["salesperson"]
        self.fields["merchandiser"].choices = everyone + people["merchandiser"]

    def order_filter(self) -> selectors.OrderFilter:
        """The filter of the valid fields (a bad field is shown with its error and ignored)."""
        self.is_valid()
        d = self.cleaned_data
        return selectors.OrderFilter(
            status=d.get("status") or None,
            customer=d.get("customer") or None,
            salesperson=d.get("salesperson") or None,
            merchandiser=d.get("merchandiser") or None,
            channel=d.get("channel") or None,
            due_after=d.get("due_after"),
            due_before=d.get("due_before"),
            q=(d.get("q") or "").strip() or None,
        )

    @property
    def sort_key(self) -> str:
        return self.cleaned_data.get("sort") or selectors.DEFAULT_SORT

    @property
    def has_filters(self) -> bool:
        return any(self.data.get(name) for name in self.fields if name != "sort")


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    form = OrderListForm(request.GET, actor=request.user)
    f = form.order_filter()
    sort = form.sort_key
    rows: list[Any] = []
    next_cursor = None
    try:
        rows, next_cursor = selectors.page_of_orders(
            selectors.filter_orders(request.user, f),
            cursor=request.GET.get("cursor") or None,
            limit=PAGE_SIZE,
            sort=sort,
        )
    except DomainError as exc:
        messages.error(request, prices.error_text(exc, request.user))
    columns = {}
    for key in SORTABLE:
        current = "asc" if sort == key else "desc" if sort == f"-{key}" else ""
        columns[key] = {"current": current, "next": f"-{key}" if current == "asc" else key}
    context = {
        "form": form,
        "orders": rows,
        "next_cursor": next_cursor,
        "sort": sort,
        "columns": columns,
        "show_prices": request.user.can(Perm.VIEW_PRICES),
        "can_export": request.user.can(Perm.EXPORT_DATA),
    }
    return render(request, "orders/list.html", context)


@login_required
def order_export(request: HttpRequest) -> HttpResponse:
    """The orders of the current filter as .xlsx (every page, not only the shown one)."""
    form = OrderListForm(request.GET, actor=request.user)
    f = form.order_filter()
    try:
        content = export_orders(
            selectors.filter_orders(request.user, f), actor=request.user, filters=asdict(f)
        )
    except DomainError as exc:
        messages.error(request, prices.error_text(exc, request.user))
        query = request.GET.urlencode()
        return HttpResponseRedirect(reverse("web:order_list") + (f"?{query}" if query else ""))
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="orders-{stamp}.xlsx"'
    return response


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    sections = review.inbox(request.user)
    context = {
        "sections": sections,
        "show_prices": request.user.can(Perm.VIEW_PRICES),
    }
    return render(request, "orders/inbox.html", context)
