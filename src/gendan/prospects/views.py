"""Prospects' pages (the list and the add form, one prospect: contacts, log, status, samples,
win) and the stock offers page (stock that waits, the customers who bought it, the offers sent,
the order that followed, the hit rate per product)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from gendan import prices
from gendan.catalog.models import Product
from gendan.errors import DomainError
from gendan.parties.models import Channel, CommunicationKind
from gendan.prospects import excel, selectors, services
from gendan.prospects import permissions as p
from gendan.prospects.models import NEXT, WINNABLE, ProspectSource, ProspectStatus

PAGE = 50
DEFAULT_DAYS = 60


def _may(user: Any, perm: str) -> None:
    if not user.can(perm):
        raise PermissionDenied


def _int(raw: str | None, default: int = 0) -> int:
    try:
        return int((raw or "").strip() or default)
    except ValueError:
        return -1


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def prospects_xlsx(request: HttpRequest) -> HttpResponse:
    _may(request.user, p.MANAGE_PROSPECTS)
    rows = list(selectors.prospects(request.user).order_by("-id")[: excel.MAX_ROWS])
    return _xlsx(excel.export_prospects(rows, actor=request.user), "prospects.xlsx")


@login_required
def offers_xlsx(request: HttpRequest) -> HttpResponse:
    _may(request.user, p.OFFER_STOCK)
    rows = list(selectors.offers(request.user).order_by("-id")[: excel.MAX_ROWS])
    return _xlsx(excel.export_offers(rows, actor=request.user), "stock-offers.xlsx")


@login_required
def prospect_list(request: HttpRequest) -> HttpResponse:
    _may(request.user, p.MANAGE_PROSPECTS)
    error, typed = "", {}
    if request.method == "POST":
        typed = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
        try:
            prospect = services.add_prospect(
                actor=request.user,
                name=request.POST.get("name", ""),
                source=request.POST.get("source", ""),
                channel=request.POST.get("channel", Channel.DOMESTIC),
                region=request.POST.get("region", ""),
                address=request.POST.get("address", ""),
                products=request.POST.getlist("products"),
                contacts=[
                    {
                        "name": request.POST.get("contact_name", ""),
                        "phone": request.POST.get("contact_phone", ""),
                        "email": request.POST.get("contact_email", ""),
                    }
                ],
                notes=request.POST.get("notes", ""),
            )
        except DomainError as exc:
            error = prices.error_text(exc, request.user)
        else:
            messages.success(request, gettext("%(n)s added.") % {"n": prospect.number})
            return redirect("web:prospect", prospect.number)
    qs = selectors.prospects(request.user).order_by("-id")
    status = request.GET.get("status", "")
    if status in ProspectStatus.values:
        qs = qs.filter(status=status)
    after = request.GET.get("after", "")
    if after.isdigit():
        qs = qs.filter(id__lt=int(after))
    rows = list(qs[: PAGE + 1])
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    context = {
        "prospects": rows,
        "next_after": rows[-1].pk if more else None,
        "status": status,
        "statuses": ProspectStatus.choices,
        "sources": ProspectSource.choices,
        "channels": Channel.choices,
        "products": list(Product.objects.filter(active=True).order_by("code").only("code", "name")),
        "typed": typed,
        "error": error,
    }
    return render(request, "prospects/list.html", context, status=422 if error else 200)


STEPS = {
    "log": lambda r, n: services.log_prospect_contact(
        actor=r.user, number=n, kind=r.POST.get("kind", ""), summary=r.POST.get("summary", "")
    ),
    "move": lambda r, n: services.move_prospect(
        actor=r.user, number=n, status=r.POST.get("status", ""), reason=r.POST.get("reason", "")
    ),
    "win": lambda r, n: services.win_prospect(
        actor=r.user, number=n, code=r.POST.get("code", "").strip()
    ),
}


@login_required
def prospect_detail(request: HttpRequest, number: str) -> HttpResponse:
    _may(request.user, p.MANAGE_PROSPECTS)
    error = ""
    if request.method == "POST":
        step = STEPS.get(request.POST.get("step", ""))
        if step is None:
            raise Http404
        try:
            step(request, number)
        except DomainError as exc:
            error = prices.error_text(exc, request.user)
        else:
            return redirect("web:prospect", number)
    try:
        prospect = selectors.get_prospect_for(request.user, number)
    except DomainError as exc:
        raise Http404(str(exc.message)) from exc
    statuses = dict(ProspectStatus.choices)
    context = {
        "prospect": prospect,
        "contacts": list(prospect.contacts.all()),
        "products": list(prospect.products.order_by("code")),
        "log": list(prospect.log.select_related("created_by")[:100]),
        "samples": selectors.samples_of(prospect),
        "moves": [
            (s, statuses[s])
            for s in ProspectStatus.values
            if s in NEXT.get(ProspectStatus(prospect.status), set()) and s != "lost"
        ],
        "may_lose": "lost" in NEXT.get(ProspectStatus(prospect.status), set()),
        "may_win": prospect.status in WINNABLE,
        "kinds": CommunicationKind.choices,
        "error": error,
    }
    return render(request, "prospects/detail.html", context, status=422 if error else 200)


@login_required
def stock_offers(request: HttpRequest) -> HttpResponse:
    """Stock not reserved and not received for N days, the scattered and store customers who
    bought it, the offers sent (newest first) and the hit rate per product."""
    _may(request.user, p.OFFER_STOCK)
    days = _int(request.GET.get("days"), DEFAULT_DAYS)
    days = days if 0 <= days <= 3650 else DEFAULT_DAYS
    error = ""
    if request.method == "POST":
        try:
            offer = services.send_offer(
                actor=request.user,
                customer=request.POST.get("customer", ""),
                product=request.POST.get("product", ""),
                quantity=_int(request.POST.get("quantity")),
                days=_int(request.POST.get("age"), 0),
                note=request.POST.get("note", ""),
            )
        except DomainError as exc:
            error = prices.error_text(exc, request.user)
        else:
            messages.success(
                request,
                gettext("%(n)s sent to %(c)s.") % {"n": offer.number, "c": offer.customer.name},
            )
            return redirect(f"{request.path}?days={days}")
    sent = selectors.offers(request.user).order_by("-id")
    after = request.GET.get("after", "")
    if after.isdigit():
        sent = sent.filter(id__lt=int(after))
    rows = list(sent[: PAGE + 1])
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    context = {
        "days": days,
        "stock": selectors.stale_stock(request.user, days=days),
        "offers": rows,
        "next_after": rows[-1].pk if more else None,
        "rates": selectors.hit_rate(request.user),
        "error": error,
    }
    return render(request, "prospects/offers.html", context, status=422 if error else 200)


@login_required
@require_POST
def offer_link(request: HttpRequest, number: str) -> HttpResponse:
    try:
        offer = services.link_offer_order(
            actor=request.user, number=number, order=request.POST.get("order", "").strip()
        )
    except DomainError as exc:
        messages.error(request, prices.error_text(exc, request.user))
    else:
        messages.success(
            request,
            gettext("%(o)s linked to %(n)s.") % {"o": offer.order.number, "n": offer.number},
        )
    return redirect("web:stock_offers")
