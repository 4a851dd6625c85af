"""Order entry (录入订单) and amendment: a header, a grid of lines, errors shown at their fields.

The forms only parse; `services.create_order` / `services.amend_order` decide. htmx adds a line
row and looks products up as you type; without JavaScript the "add line" button posts the form
back with one more row, and a row is removed with its "remove" box.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from gendan import prices
from gendan.accounts.permissions import Perm
from gendan.catalog.selectors import products
from gendan.errors import DomainError, Kind
from gendan.orders import forms, review, selectors, services
from gendan.parties.selectors import visible_customers

LOOKUP_LIMIT = 10


def _header(data: Any = None, *, actor: Any, amending: bool = False, **kwargs: Any) -> Any:
    customers = (
        []
        if amending
        else list(visible_customers(actor).order_by("code").values_list("code", "name"))
    )
    people = {"salesperson": [], "merchandiser": []} if amending else review.team_choices()
    return forms.OrderForm(data, customers=customers, people=people, amending=amending, **kwargs)


def _with_extra_row(request: HttpRequest, formset: Any) -> Any:
    """The no-JavaScript "add line": the same input with one more blank row."""
    data = request.POST.copy()
    key = f"{forms.LINE_PREFIX}-TOTAL_FORMS"
    try:
        data[key] = str(int(data.get(key, "0")) + 1)
    except ValueError:
        data[key] = "1"
    return forms.line_formset(data, initial=formset.initial)


def _render(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    context.setdefault("show_prices", request.user.can(Perm.VIEW_PRICES))
    return render(request, "orders/entry.html", context, status=status)


def _domain_error(
    request: HttpRequest, exc: DomainError, header: Any, formset: Any, kept: list[Any]
) -> list[str]:
    if exc.kind == Kind.FORBIDDEN:
        raise PermissionDenied(str(exc.message)) from exc
    if exc.kind == Kind.NOT_FOUND:
        raise Http404(str(exc.message)) from exc
    fields = exc.details.get("fields") or {}
    if exc.details.get("field") and exc.details["field"] not in fields:
        fields = {exc.details["field"]: str(exc.message), **fields}
    loose = forms.place_errors(fields, header, formset, kept)
    if not fields:
        loose.append(str(exc.message))
    return loose


@login_required
def order_new(request: HttpRequest) -> HttpResponse:
    if not request.user.can(Perm.ENTER_ORDER):
        raise PermissionDenied(_("You may not enter orders."))
    actor = request.user
    if request.method != "POST":
        initial = {"merchandiser": actor.username} if actor.can(Perm.RELEASE_ORDER) else {}
        header = _header(actor=actor, initial=initial)
        formset = forms.line_formset(initial=[{}, {}, {}])
        return _render(request, {"form": header, "formset": formset, "amending": False})
    header = _header(request.POST, actor=actor)
    formset = forms.line_formset(request.POST)
    if "add_line" in request.POST:
        formset = _with_extra_row(request, formset)
        return _render(request, {"form": header, "formset": formset, "amending": False})
    errors: list[str] = []
    header_ok, lines_ok = header.is_valid(), formset.is_valid()
    if header_ok and lines_ok:
        kept = formset.kept_forms()
        try:
            order = services.create_order(
                actor=actor,
                lines=[f.line_input() for f in kept],
                **header.create_kwargs(),
            )
        except DomainError as exc:
            errors = _domain_error(request, exc, header, formset, kept)
        else:
            messages.success(request, _("Order %(number)s saved.") % {"number": order.number})
            return HttpResponseRedirect(reverse("web:order_detail", args=[order.number]))
    context = {"form": header, "formset": formset, "amending": False, "errors": errors}
    return _render(request, context, status=422)


def _line_initial(lines: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "product": line.product.code,
            "quantity": line.quantity,
            "unit_price": line.unit_price.normalize() if line.unit_price else line.unit_price,
            "colour": line.colour,
            "size": line.size,
            "packs": line.packs,
            "special_material": line.special_material,
            "packing_requirement": line.packing_requirement,
        }
        for line in lines
    ]


def _get_order(request: HttpRequest, number: str) -> Any:
    try:
        return selectors.get_order_for(request.user, number, detail=False)
    except DomainError as exc:
        raise Http404(str(exc.message)) from exc


@login_required
def order_amend(request: HttpRequest, number: str) -> HttpResponse:
    """Amend the header and replace the lines; a submitted order needs a reason (a new revision)."""
    actor = request.user
    order = _get_order(request, number)
    amend = next(a for a in selectors.available_actions(order, actor) if a.action == "amend")
    if not amend.allowed:  # say why on the cockpit rather than offer a form that cannot be saved
        for reason in amend.reasons:
            messages.error(request, prices.redact_reason(reason, actor)["message"])
        return HttpResponseRedirect(reverse("web:order_detail", args=[order.number]))
    if not prices.sees_prices(actor):  # the form shows and takes the unit prices
        messages.error(
            request, _("Amending an order shows its prices, which your role may not see.")
        )
        return HttpResponseRedirect(reverse("web:order_detail", args=[order.number]))
    initial_lines = _line_initial(list(order.lines.select_related("product")))
    header_initial = {name: getattr(order, name) for name in forms.AMENDABLE_FIELDS}
    context: dict[str, Any] = {"order": order, "amending": True}
    if request.method != "POST":
        context |= {
            "form": _header(actor=actor, amending=True, initial=header_initial),
            "formset": forms.line_formset(initial=initial_lines),
            "version": order.version,
        }
        return _render(request, context)
    header = _header(request.POST, actor=actor, amending=True, initial=header_initial)
    formset = forms.line_formset(request.POST, initial=initial_lines)
    context |= {"form": header, "formset": formset, "version": request.POST.get("version", "")}
    if "add_line" in request.POST:
        context["formset"] = _with_extra_row(request, formset)
        return _render(request, context)
    errors: list[str] = []
    if header.is_valid() and formset.is_valid():
        kept = formset.kept_forms()
        try:
            services.amend_order(
                order_number=order.number,
                actor=actor,
                changes=header.changes(),
                lines=[f.line_input() for f in kept] if formset.lines_changed() else None,
                reason=header.cleaned_data.get("reason") or "",
                expected_version=_version(request),
            )
        except DomainError as exc:
            if exc.kind == Kind.STALE:
                messages.error(
                    request,
                    _(
                        "The order was changed by someone else; it has been reloaded. Amend it again."
                    ),
                )
                return HttpResponseRedirect(reverse("web:order_amend", args=[order.number]))
            errors = _domain_error(request, exc, header, formset, kept)
        else:
            messages.success(request, _("Order %(number)s amended.") % {"number": order.number})
            return HttpResponseRedirect(reverse("web:order_detail", args=[order.number]))
    context["errors"] = errors
    return _render(request, context, status=422)


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@login_required
def line_row(request: HttpRequest) -> HttpResponse:
    """One blank line row at `?index=` (htmx appends it to the grid)."""
    raw = request.GET.get("index") or request.GET.get(f"{forms.LINE_PREFIX}-TOTAL_FORMS") or "0"
    try:
        index = max(0, min(int(raw), 499))
    except ValueError:
        index = 0
    context = {
        "line": forms.empty_line_form(index),
        "index": index,
        "show_prices": request.user.can(Perm.VIEW_PRICES),
    }
    return render(request, "orders/_line_row.html", context)


@login_required
def product_lookup(request: HttpRequest) -> HttpResponse:
    """Products whose code, name or model contains what was typed (at most 10)."""
    q = request.GET.get("q", "")
    if not q:  # the typed value arrives under the row's field name (lines-3-product)
        q = next((v for k, v in request.GET.items() if k.endswith("-product")), "")
    q = q.strip()
    found = list(products(q=q).filter(active=True)[:LOOKUP_LIMIT]) if q else []
    context = {"products": found, "q": q, "list_id": request.GET.get("list", "product-options")}
    return render(request, "orders/_product_options.html", context)
