"""Today (今日跟单): the merchandiser's daily review on one screen, and marking a follow-up done."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from gendan import prices
from gendan.accounts.permissions import Perm
from gendan.errors import DomainError
from gendan.loading.selectors import open_loadings
from gendan.orders.review import Bucket, Review, ReviewFilter, daily_review, team_choices


def _list_url(bucket: Bucket, review: Review, user: Any) -> str:
    """The order list showing (a superset of) the bucket: its statuses, dates and people."""
    params: list[tuple[str, str]] = [("status", s) for s in bucket.list_status]
    if bucket.due_after:
        params.append(("due_after", bucket.due_after.isoformat()))
    if bucket.due_before:
        params.append(("due_before", bucket.due_before.isoformat()))
    if review.team:
        if review.filter.merchandiser:
            params.append(("merchandiser", review.filter.merchandiser))
        if review.filter.salesperson:
            params.append(("salesperson", review.filter.salesperson))
    elif user.can(Perm.VIEW_ALL):
        params.append(("merchandiser", user.username))
    return reverse("web:order_list") + "?" + urlencode(params)


@login_required
def today(request: HttpRequest) -> HttpResponse:
    f = ReviewFilter(
        merchandiser=request.GET.get("merchandiser") or None,
        salesperson=request.GET.get("salesperson") or None,
    )
    review = daily_review(request.user, f)
    for bucket in review.buckets:
        bucket.list_url = _list_url(bucket, review, request.user) if bucket.list_status else ""
    context = {
        "review": review,
        "choices": team_choices() if review.team else None,
        "show_prices": request.user.can(Perm.VIEW_PRICES),
        "can_complete": request.user.can(Perm.LOG_COMMUNICATION),
        "loadings": open_loadings(request.user),
    }
    return render(request, "orders/today.html", context)


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or reverse("web:today")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("web:today")
    return target


@login_required
@require_POST
def follow_up_done(request: HttpRequest, pk: int) -> HttpResponse:
    from gendan.parties.services import complete_follow_up

    try:
        complete_follow_up(actor=request.user, communication_id=pk)
    except DomainError as exc:
        messages.error(request, prices.error_text(exc, request.user))
    else:
        messages.success(request, gettext("Follow-up done."))
    return HttpResponseRedirect(_next(request))
