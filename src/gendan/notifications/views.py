"""The notifications page, mark-read (htmx) and the shell's unread badge."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from gendan.notifications import selectors, services

PAGE = 50


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    rows = list(selectors.notifications_for(request.user, unread_only=unread_only)[: PAGE + 1])
    context = {
        "rows": rows[:PAGE],
        "more": len(rows) > PAGE,
        "unread_only": unread_only,
        "unread": selectors.unread_count(request.user),
    }
    return render(request, "notifications/list.html", context)


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    services.mark_read(actor=request.user, ids=[pk])
    if request.htmx:
        row = selectors.notifications_for(request.user).filter(pk=pk).first()
        if row is None:
            return HttpResponse("")
        return render(request, "notifications/_row.html", {"n": row})
    return HttpResponseRedirect(reverse("web:notifications"))


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    services.mark_read(actor=request.user)
    return HttpResponseRedirect(reverse("web:notifications"))


@login_required
@require_GET
def notification_badge(request: HttpRequest) -> HttpResponse:
    """The unread count beside the user's name; the shell loads it with htmx (one query, and
    none on pages that do not ask)."""
    return render(
        request, "notifications/_badge.html", {"unread": selectors.unread_count(request.user)}
    )
