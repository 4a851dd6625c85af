"""Mailing from the cockpit: the order's status to the customer's contacts (htmx)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from gendan.errors import DomainError, Kind
from gendan.orders.selectors import get_order_for
from gendan.outbox import panels, services


@login_required
@require_POST
def order_mail_status(request: HttpRequest, number: str) -> HttpResponse:
    try:
        order = get_order_for(request.user, number)
    except DomainError as exc:
        raise Http404(str(exc.message)) from exc
    error = notice = ""
    try:
        sent = services.mail_order_status(actor=request.user, number=order.number)
    except DomainError as exc:
        if exc.kind == Kind.NOT_FOUND:
            raise Http404(str(exc.message)) from exc
        error = str(exc.message)
    else:
        notice = ngettext(
            "The mail is queued for %(count)d contact.",
            "The mail is queued for %(count)d contacts.",
            len(sent),
        ) % {"count": len(sent)}
    if not request.htmx:
        from django.contrib import messages

        (messages.error if error else messages.success)(request, error or notice)
        return HttpResponseRedirect(reverse("web:order_detail", args=[order.number]) + "#mails")
    context = panels.order_panel(order, request.user, error=error, notice=notice)
    return render(request, "outbox/_panel.html", context)
